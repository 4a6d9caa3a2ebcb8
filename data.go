package nn

import (
	"math"
	"math/rand/v2"
)

// OneHot encodes class labels as rows of a matrix with one column per
// class: row i is all zeros but for a 1 in column labels[i]. A label
// outside [0, classes) is an error.
func OneHot(labels []int, classes int) (Matrix, error) {
	if len(labels) == 0 {
		return Matrix{}, errorf(ErrEmpty, "one-hot: no labels")
	}
	if classes < 1 {
		return Matrix{}, errorf(ErrConfig, "one-hot: %d classes, want at least 1", classes)
	}
	if classes > math.MaxInt32/len(labels) {
		return Matrix{}, errorf(ErrConfig, "one-hot: %d labels × %d classes is more than %d values",
			len(labels), classes, math.MaxInt32)
	}
	m := NewMatrix(len(labels), classes)
	for i, c := range labels {
		if c < 0 || c >= classes {
			return Matrix{}, errorf(ErrLabel, "one-hot: label %d of row %d is outside [0, %d)", c, i, classes)
		}
		m.Data[i*classes+c] = 1
	}
	return m, nil
}

// Split shuffles the rows of x and y together and deals them into a
// training set and a test set holding testFrac of the rows (rounded to
// the nearest row). The same seed always gives the same split, on every
// platform and Go version. Rows keep their pairing: row i of trainY is the
// target of row i of trainX. Both sets must end up with at least one row.
// The results are copies; x and y are not changed.
func Split(x, y Matrix, testFrac float64, seed uint64) (trainX, trainY, testX, testY Matrix, err error) {
	if err = x.check("split: x"); err != nil {
		return
	}
	if err = y.check("split: y"); err != nil {
		return
	}
	if x.Rows == 0 {
		err = errorf(ErrEmpty, "split: x has no rows")
		return
	}
	if x.Cols == 0 && y.Cols == 0 {
		// nothing bounds Rows by memory then; refuse before allocating by it
		err = errorf(ErrEmpty, "split: x and y have %d rows but no columns", x.Rows)
		return
	}
	if y.Rows != x.Rows {
		err = errorf(ErrShape, "split: x has %d rows but y has %d", x.Rows, y.Rows)
		return
	}
	if !(testFrac > 0 && testFrac < 1) {
		err = errorf(ErrConfig, "split: test fraction %v is not between 0 and 1", testFrac)
		return
	}
	nTest := int(math.Round(testFrac * float64(x.Rows)))
	if nTest == 0 || nTest == x.Rows {
		err = errorf(ErrEmpty, "split: test fraction %v of %d rows leaves %d for testing and %d for training",
			testFrac, x.Rows, nTest, x.Rows-nTest)
		return
	}

	// shuffle the row order, then copy rows in that order
	order := permutation(x.Rows, seed, splitStream)
	nTrain := x.Rows - nTest
	trainX, trainY = takeRows(x, order[:nTrain]), takeRows(y, order[:nTrain])
	testX, testY = takeRows(x, order[nTrain:]), takeRows(y, order[nTrain:])
	return trainX, trainY, testX, testY, nil
}

// PCG streams (second words) of the permutations drawn by Split and by
// Fit's validation split.
const (
	splitStream = 0x6e6e5f73706c6974
	valStream   = 0x6e6e5f76616c6964
)

// permutation returns 0, ..., n-1 shuffled by Fisher and Yates with the
// PCG of seed and stream. It draws raw 64-bit values so that the order
// does not depend on how math/rand/v2 maps them to a range.
func permutation(n int, seed, stream uint64) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	src := rand.NewPCG(seed, stream)
	for i := n - 1; i > 0; i-- {
		j := int(src.Uint64() % uint64(i+1))
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// nonFinite reports the first NaN or infinity in m by row and column.
func nonFinite(what string, m Matrix) error {
	i := firstNonFinite(m.Data)
	if i < 0 {
		return nil
	}
	return errorf(ErrNonFinite, "%s row %d, column %d is %s", what, i/m.Cols, i%m.Cols, describe(m.Data[i]))
}
