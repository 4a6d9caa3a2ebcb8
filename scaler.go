package nn

import (
	"math"
)

// Scaler standardises the columns of a batch: each value becomes
// (x - Mean[j]) / Std[j], so that a column of the training data has mean
// 0 and standard deviation 1. Keep the Scaler fitted on the training data
// and transform new inputs with it; [Network.SetScaler] does so inside the
// network, and a saved model keeps it.
type Scaler struct {
	// Mean is the mean of each column.
	Mean []float32
	// Std is the population standard deviation of each column, or 1 for
	// a column whose values are all equal, which is then only centred.
	Std []float32
}

// FitScaler measures the mean and standard deviation of every column of x.
// Sums are taken in float64. NaN or infinite values are an error.
func FitScaler(x Matrix) (*Scaler, error) {
	if err := x.check("scaler: x"); err != nil {
		return nil, err
	}
	if x.Rows == 0 || x.Cols == 0 {
		return nil, errorf(ErrEmpty, "scaler: x is %d×%d", x.Rows, x.Cols)
	}
	if err := nonFinite("scaler: x", x); err != nil {
		return nil, err
	}

	s := &Scaler{Mean: make([]float32, x.Cols), Std: make([]float32, x.Cols)}
	for j := range x.Cols {
		// two passes: the mean, then the squared deviations from it
		var sum float64
		lo, hi := x.Data[j], x.Data[j]
		for i := range x.Rows {
			v := x.Data[i*x.Cols+j]
			sum += float64(v)
			lo, hi = min(lo, v), max(hi, v)
		}
		mean := sum / float64(x.Rows)
		var ss float64
		for i := range x.Rows {
			d := float64(x.Data[i*x.Cols+j]) - mean
			ss += d * d
		}
		std := float32(math.Sqrt(ss / float64(x.Rows)))

		// a constant column, or one whose spread float32 cannot hold,
		// is centred but not scaled
		if lo == hi || std == 0 || math.IsInf(float64(std), 0) {
			std = 1
		}
		s.Mean[j], s.Std[j] = float32(mean), std
	}
	return s, nil
}

// Transform returns x standardised column by column, in a new matrix.
// x must have one column per entry of Mean and hold only finite values.
func (s *Scaler) Transform(x Matrix) (Matrix, error) {
	if err := s.check(); err != nil {
		return Matrix{}, err
	}
	if err := x.check("scaler: x"); err != nil {
		return Matrix{}, err
	}
	if x.Cols != len(s.Mean) {
		return Matrix{}, errorf(ErrShape, "scaler: x has %d columns, want %d", x.Cols, len(s.Mean))
	}
	if err := nonFinite("scaler: x", x); err != nil {
		return Matrix{}, err
	}
	out := NewMatrix(x.Rows, x.Cols)
	for i := range x.Rows {
		s.transformRow(out.Row(i), x.Row(i))
	}

	// a tiny Std can push a large value past float32
	if err := nonFinite("scaler: standardised x", out); err != nil {
		return Matrix{}, err
	}
	return out, nil
}

// transformRow standardises one row: dst[j] = (src[j] - Mean[j]) / Std[j].
// dst and src have len(Mean) values and may be the same slice; the caller
// has checked the Scaler and the widths.
func (s *Scaler) transformRow(dst, src []float32) {
	for j, v := range src {
		dst[j] = (v - s.Mean[j]) / s.Std[j]
	}
}

// rowError reports a standardised row dst, made from row src of the named
// inputs, that holds an infinity: a standard deviation far below a
// value's distance from the mean pushes it past float32.
func (s *Scaler) rowError(what string, row int, src, dst []float32) error {
	j := firstNonFinite(dst)
	if j < 0 {
		return nil
	}
	return errorf(ErrNonFinite, "scaler: %s row %d, column %d: %v standardised with mean %v and standard deviation %v is %s",
		what, row, j, src[j], s.Mean[j], s.Std[j], describe(dst[j]))
}

// check reports a Scaler that cannot transform anything: nil, mismatched
// or zero lengths, or a Std that is zero, negative or not finite.
func (s *Scaler) check() error {
	if s == nil {
		return errorf(ErrConfig, "scaler is nil")
	}
	if len(s.Mean) != len(s.Std) {
		return errorf(ErrShape, "scaler has %d means but %d standard deviations", len(s.Mean), len(s.Std))
	}
	if len(s.Mean) == 0 {
		return errorf(ErrEmpty, "scaler has no columns")
	}
	for j := range s.Mean {
		m, d := float64(s.Mean[j]), float64(s.Std[j])
		if math.IsNaN(m) || math.IsInf(m, 0) || !(d > 0) || math.IsInf(d, 0) {
			return errorf(ErrConfig, "scaler column %d has mean %v and standard deviation %v", j, s.Mean[j], s.Std[j])
		}
	}
	return nil
}
