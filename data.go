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
	if err = checkSplit("split", x, y, testFrac); err != nil {
		return
	}
	nTest := int(math.Round(testFrac * float64(x.Rows)))
	if err = checkSplitSizes("split", testFrac, x.Rows, nTest); err != nil {
		return
	}

	// shuffle the row order, then copy rows in that order
	order := permutation(x.Rows, seed, splitStream)
	nTrain := x.Rows - nTest
	trainX, trainY = takeRows(x, order[:nTrain]), takeRows(y, order[:nTrain])
	testX, testY = takeRows(x, order[nTrain:]), takeRows(y, order[nTrain:])
	return trainX, trainY, testX, testY, nil
}

// SplitStratified is Split for class-index targets: y has one column of
// class indices (whole numbers, 0 or more), and each class gives
// testFrac of its own rows (rounded to the nearest row) to the test set,
// so both sets hold the classes in the proportions of the whole. Rows
// are drawn at random within each class and both sets come out shuffled.
// The same seed always gives the same split. Both sets must end up with
// at least one row; a class may be too small to give any row to one of
// them. The results are copies; x and y are not changed.
func SplitStratified(x, y Matrix, testFrac float64, seed uint64) (trainX, trainY, testX, testY Matrix, err error) {
	if err = checkSplit("stratified split", x, y, testFrac); err != nil {
		return
	}
	if y.Cols != 1 {
		err = errorf(ErrShape, "stratified split: y has %d columns, want 1 column of class indices", y.Cols)
		return
	}

	// count the rows of each class, and how many of them to hold out
	count := make(map[float32]int)
	for i, c := range y.Data {
		if !(c >= 0 && c-c == 0 && c == float32(math.Trunc(float64(c)))) {
			err = errorf(ErrLabel, "stratified split: target %v of row %d is not a class index", c, i)
			return
		}
		count[c]++
	}
	held := make(map[float32]int, len(count))
	nTest := 0
	for c, n := range count {
		held[c] = int(math.Round(testFrac * float64(n)))
		nTest += held[c]
	}
	if err = checkSplitSizes("stratified split", testFrac, x.Rows, nTest); err != nil {
		return
	}

	// walk the rows in a shuffled order: the first rows met of each class
	// are held out, the rest train
	order := permutation(x.Rows, seed, stratifiedStream)
	train, test := make([]int, 0, x.Rows-nTest), make([]int, 0, nTest)
	for _, i := range order {
		if c := y.Data[i]; held[c] > 0 {
			held[c]--
			test = append(test, i)
		} else {
			train = append(train, i)
		}
	}
	trainX, trainY = takeRows(x, train), takeRows(y, train)
	testX, testY = takeRows(x, test), takeRows(y, test)
	return trainX, trainY, testX, testY, nil
}

// checkSplit checks the arguments that Split and SplitStratified share.
func checkSplit(what string, x, y Matrix, testFrac float64) error {
	// the names are joined only on these error paths
	if !x.valid() {
		return x.check(what + ": x")
	}
	if !y.valid() {
		return y.check(what + ": y")
	}
	if x.Rows == 0 {
		return errorf(ErrEmpty, "%s: x has no rows", what)
	}
	if x.Cols == 0 && y.Cols == 0 {
		// nothing bounds Rows by memory then; refuse before allocating by it
		return errorf(ErrEmpty, "%s: x and y have %d rows but no columns", what, x.Rows)
	}
	if y.Rows != x.Rows {
		return errorf(ErrShape, "%s: x has %d rows but y has %d", what, x.Rows, y.Rows)
	}
	if !(testFrac > 0 && testFrac < 1) {
		return errorf(ErrConfig, "%s: test fraction %v is not between 0 and 1", what, testFrac)
	}
	return nil
}

// checkSplitSizes refuses a split that leaves either set without rows.
func checkSplitSizes(what string, testFrac float64, rows, nTest int) error {
	if nTest == 0 || nTest == rows {
		return errorf(ErrEmpty, "%s: test fraction %v of %d rows leaves %d for testing and %d for training",
			what, testFrac, rows, nTest, rows-nTest)
	}
	return nil
}

// PCG streams (second words) of the permutations drawn by Split, by
// SplitStratified and by Fit's validation split.
const (
	splitStream      = 0x6e6e5f73706c6974
	stratifiedStream = 0x6e6e5f7374726174
	valStream        = 0x6e6e5f76616c6964
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
