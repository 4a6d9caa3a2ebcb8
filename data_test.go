package nn_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/nnrt/nn"
)

func TestOneHot(t *testing.T) {
	m, err := nn.OneHot([]int{2, 0, 1, 2}, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{
		0, 0, 1,
		1, 0, 0,
		0, 1, 0,
		0, 0, 1,
	}
	if m.Rows != 4 || m.Cols != 3 || !slices.Equal(m.Data, want) {
		t.Errorf("OneHot = %+v, want 4×3 %v", m, want)
	}
}

func TestOneHotErrors(t *testing.T) {
	for _, c := range []struct {
		labels  []int
		classes int
		kind    error
		says    string
	}{
		{[]int{0, 1, 3}, 3, nn.ErrLabel, "label 3 of row 2"},
		{[]int{-1}, 2, nn.ErrLabel, "label -1 of row 0"},
		{[]int{0}, 0, nn.ErrConfig, "0 classes"},
		{nil, 3, nn.ErrEmpty, "no labels"},
		{[]int{0, 1}, math.MaxInt32, nn.ErrConfig, "2 labels × 2147483647 classes"},
	} {
		_, err := nn.OneHot(c.labels, c.classes)
		if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("OneHot(%v, %d) error = %v, want %v saying %q", c.labels, c.classes, err, c.kind, c.says)
		}
	}
}

// numbered returns an n×2 matrix whose row i is (i, -i) and an n×1 matrix
// whose row i is i, so that every row can be traced after a split.
func numbered(n int) (x, y nn.Matrix) {
	x, y = nn.NewMatrix(n, 2), nn.NewMatrix(n, 1)
	for i := range n {
		x.Data[2*i], x.Data[2*i+1], y.Data[i] = float32(i), -float32(i), float32(i)
	}
	return x, y
}

func TestSplit(t *testing.T) {
	x, y := numbered(10)
	trX, trY, teX, teY, err := nn.Split(x, y, 0.3, 7)
	if err != nil {
		t.Fatal(err)
	}
	if trX.Rows != 7 || trY.Rows != 7 || teX.Rows != 3 || teY.Rows != 3 || trX.Cols != 2 || teY.Cols != 1 {
		t.Fatalf("shapes: train %d×%d / %d×%d, test %d×%d / %d×%d",
			trX.Rows, trX.Cols, trY.Rows, trY.Cols, teX.Rows, teX.Cols, teY.Rows, teY.Cols)
	}

	checkDealt(t, y, trX, trY, teX, teY)

	// shuffled: the training rows are not simply the first seven
	if slices.Equal(trY.Data, []float32{0, 1, 2, 3, 4, 5, 6}) {
		t.Errorf("training rows %v are not shuffled", trY.Data)
	}

	// inputs are left alone
	if x2, _ := numbered(10); !slices.Equal(x.Data, x2.Data) {
		t.Errorf("Split changed x")
	}
}

func TestSplitSeed(t *testing.T) {
	x, y := numbered(50)
	a := checkSeeded(t, nn.Split, x, y)
	// the order is pinned: a change here reshuffles every user's data
	if want := []float32{29, 30, 46}; !slices.Equal(a.Data[:3], want) {
		t.Errorf("seed 1 starts %v, want %v", a.Data[:3], want)
	}
}

// classed returns rows (i, -i) whose targets are class indices, with
// sizes[c] rows of class c in class order.
func classed(sizes ...int) (x, y nn.Matrix) {
	var labels []float32
	for c, n := range sizes {
		for range n {
			labels = append(labels, float32(c))
		}
	}
	x, y = numbered(len(labels))
	copy(y.Data, labels)
	return x, y
}

func TestSplitStratified(t *testing.T) {
	x, y := classed(20, 7, 13)
	trX, trY, teX, teY, err := nn.SplitStratified(x, y, 0.3, 7)
	if err != nil {
		t.Fatal(err)
	}

	// each class holds out 0.3 of its rows, rounded: 6 of 20, 2 of 7, 4 of 13
	for _, s := range []struct {
		name string
		y    nn.Matrix
		want []int
	}{{"train", trY, []int{14, 5, 9}}, {"test", teY, []int{6, 2, 4}}} {
		got := make([]int, 3)
		for _, c := range s.y.Data {
			got[int(c)]++
		}
		if !slices.Equal(got, s.want) {
			t.Errorf("%s rows per class %v, want %v", s.name, got, s.want)
		}
	}

	checkDealt(t, y, trX, trY, teX, teY)

	// both sets come out shuffled, not in class order
	if slices.IsSorted(trY.Data) || slices.IsSorted(teY.Data) {
		t.Errorf("targets in class order: train %v, test %v", trY.Data, teY.Data)
	}
	if x2, y2 := classed(20, 7, 13); !slices.Equal(x.Data, x2.Data) || !slices.Equal(y.Data, y2.Data) {
		t.Errorf("SplitStratified changed x or y")
	}
}

func TestSplitStratifiedSeed(t *testing.T) {
	x, y := classed(30, 30, 30)
	checkSeeded(t, nn.SplitStratified, x, y)
}

func TestSplitStratifiedSmallClass(t *testing.T) {
	// a class of one row rounds to no test rows and trains
	x, y := classed(10, 1)
	trX, trY, teX, _, err := nn.SplitStratified(x, y, 0.3, 3)
	if err != nil {
		t.Fatal(err)
	}
	if trX.Rows != 8 || teX.Rows != 3 || !slices.Contains(trY.Data, 1) {
		t.Errorf("%d training rows (targets %v), %d test rows; want 8 with class 1, and 3",
			trX.Rows, trY.Data, teX.Rows)
	}
}

// TestSplitErrors runs each case through Split and SplitStratified, but
// for those that only SplitStratified refuses.
func TestSplitErrors(t *testing.T) {
	x, y := numbered(4)
	x3, _ := numbered(3)
	label := func(v float32) nn.Matrix {
		_, l := numbered(4)
		l.Data[2] = v
		return l
	}
	for _, c := range []struct {
		name       string
		x, y       nn.Matrix
		frac       float64
		kind       error
		says       string
		stratified bool // only SplitStratified refuses it
	}{
		{"zero fraction", x, y, 0, nn.ErrConfig, "fraction 0", false},
		{"whole", x, y, 1, nn.ErrConfig, "fraction 1", false},
		{"negative", x, y, -0.5, nn.ErrConfig, "fraction -0.5", false},
		{"NaN", x, y, nanFloat(), nn.ErrConfig, "fraction NaN", false},
		{"no test rows", x, y, 0.1, nn.ErrEmpty, "0 for testing", false},
		{"no train rows", x, y, 0.9, nn.ErrEmpty, "0 for training", false},
		{"rows differ", x3, y, 0.5, nn.ErrShape, "3 rows but y has 4", false},
		{"empty", nn.Matrix{Cols: 2}, nn.Matrix{Cols: 1}, 0.5, nn.ErrEmpty, "no rows", false},
		{"bad shape", nn.Matrix{Rows: 2, Cols: 2, Data: make([]float32, 3)}, y, 0.5, nn.ErrShape, "3 values, want 2×2", false},
		{"one-hot targets", x, nn.NewMatrix(4, 2), 0.5, nn.ErrShape, "y has 2 columns", true},
		{"negative label", x, label(-1), 0.5, nn.ErrLabel, "target -1 of row 2", true},
		{"fractional label", x, label(1.5), 0.5, nn.ErrLabel, "target 1.5 of row 2", true},
		{"NaN label", x, label(float32(nanFloat())), 0.5, nn.ErrLabel, "target NaN of row 2", true},
		{"infinite label", x, label(float32(math.Inf(1))), 0.5, nn.ErrLabel, "target +Inf of row 2", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, _, _, err := nn.SplitStratified(c.x, c.y, c.frac, 1)
			if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("SplitStratified: error = %v, want %v saying %q", err, c.kind, c.says)
			}
			if c.stratified {
				return
			}
			_, _, _, _, err = nn.Split(c.x, c.y, c.frac, 1)
			if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("Split: error = %v, want %v saying %q", err, c.kind, c.says)
			}
		})
	}
}

// checkDealt checks that the rows (i, -i) of a split are disjoint, cover
// every row of the whole once and keep their targets from y.
func checkDealt(t *testing.T, y, trX, trY, teX, teY nn.Matrix) {
	t.Helper()
	var seen []int
	for _, s := range []struct{ x, y nn.Matrix }{{trX, trY}, {teX, teY}} {
		for i := range s.x.Rows {
			r := s.x.Row(i)
			if r[1] != -r[0] || s.y.Data[i] != y.Data[int(r[0])] {
				t.Errorf("row %v paired with target %v", r, s.y.Data[i])
			}
			seen = append(seen, int(r[0]))
		}
	}
	slices.Sort(seen)
	for i, r := range seen {
		if r != i || len(seen) != y.Rows {
			t.Fatalf("rows seen %v, want each of 0-%d once", seen, y.Rows-1)
		}
	}
}

// checkSeeded checks that split gives the same training targets for the
// same seed and others for another seed, and returns those of seed 1.
func checkSeeded(t *testing.T, split func(x, y nn.Matrix, testFrac float64, seed uint64) (trainX, trainY, testX, testY nn.Matrix, err error), x, y nn.Matrix) nn.Matrix {
	t.Helper()
	_, a, _, _, err := split(x, y, 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, b, _, _, _ := split(x, y, 0.2, 1)
	_, c, _, _, _ := split(x, y, 0.2, 2)
	if !slices.Equal(a.Data, b.Data) {
		t.Errorf("same seed, different splits:\n%v\n%v", a.Data, b.Data)
	}
	if slices.Equal(a.Data, c.Data) {
		t.Errorf("seeds 1 and 2 give the same split %v", a.Data)
	}
	return a
}
