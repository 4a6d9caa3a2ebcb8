package nn

import (
	"math"

	"github.com/nnrt/nn/simd"
)

// Matrix is a dense row-major batch of float32 values: row i occupies
// Data[i*Cols : (i+1)*Cols]. A batch of samples has one sample per row.
type Matrix struct {
	Rows, Cols int
	Data       []float32
}

// NewMatrix returns a zero-filled rows×cols matrix. Negative sizes, or
// sizes whose product overflows an int, give an empty matrix.
func NewMatrix(rows, cols int) Matrix {
	if rows < 0 || cols < 0 || cols != 0 && rows > math.MaxInt/cols {
		return Matrix{}
	}
	return Matrix{Rows: rows, Cols: cols, Data: make([]float32, rows*cols)}
}

// FromRows copies equally long rows into a new matrix. A row of another
// width is an error naming the row, its width and the expected width.
func FromRows(rows [][]float32) (Matrix, error) {
	if len(rows) == 0 {
		return Matrix{}, nil
	}
	cols := len(rows[0])
	m := NewMatrix(len(rows), cols)
	for i, r := range rows {
		if len(r) != cols {
			return Matrix{}, errorf(ErrShape, "row %d has width %d, want %d (the width of row 0)", i, len(r), cols)
		}
		copy(m.Data[i*cols:], r)
	}
	return m, nil
}

// Row returns row i as a slice of m.Data (not a copy). Like a slice
// expression, it panics when i is outside [0, m.Rows).
func (m Matrix) Row(i int) []float32 {
	return m.Data[i*m.Cols : (i+1)*m.Cols : (i+1)*m.Cols]
}

// Classes returns class indices as a one-column matrix, the form
// [Network.Fit] and [Network.Evaluate] accept for classification targets.
func Classes(labels []int) Matrix {
	m := NewMatrix(len(labels), 1)
	for i, l := range labels {
		m.Data[i] = float32(l)
	}
	return m
}

// valid reports whether the sizes are non-negative, Rows×Cols fits in an
// int and Data holds exactly that many values. The product is never formed
// when it would overflow, so huge sizes cannot wrap around to len(Data).
func (m Matrix) valid() bool {
	if m.Rows < 0 || m.Cols < 0 || m.Cols != 0 && m.Rows > math.MaxInt/m.Cols {
		return false
	}
	return len(m.Data) == m.Rows*m.Cols
}

// check reports a matrix whose Data length does not match Rows×Cols.
func (m Matrix) check(name string) error {
	if m.valid() {
		return nil
	}
	if m.Rows < 0 || m.Cols < 0 {
		return errorf(ErrShape, "%s has negative size %d×%d", name, m.Rows, m.Cols)
	}
	if m.Cols != 0 && m.Rows > math.MaxInt/m.Cols {
		return errorf(ErrShape, "%s is %d×%d: more values than an int can count (it has %d)", name, m.Rows, m.Cols, len(m.Data))
	}
	return errorf(ErrShape, "%s has %d values, want %d×%d = %d", name, len(m.Data), m.Rows, m.Cols, m.Rows*m.Cols)
}

// firstNonFinite returns the index of the first NaN or infinity in v, or -1.
// Blocks are tested at once with simd.Finite; only a block that fails is
// scanned.
func firstNonFinite(v []float32) int {
	for i := 0; i < len(v); i += finiteBlock {
		b := v[i:min(i+finiteBlock, len(v))]
		if simd.Finite(b) {
			continue
		}
		for j, x := range b {
			if x-x != 0 {
				return i + j
			}
		}
	}
	return -1
}

// finiteBlock is how many values firstNonFinite tests at once.
const finiteBlock = 1024

// describe names a non-finite value for an error message.
func describe(x float32) string {
	switch {
	case math.IsNaN(float64(x)):
		return "NaN"
	case x > 0:
		return "+Inf"
	default:
		return "-Inf"
	}
}
