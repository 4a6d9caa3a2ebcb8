package nn_test

import (
	"errors"
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
		{[]int{0, 1}, 1 << 40, nn.ErrConfig, "2 labels × 1099511627776 classes"},
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

	// the two sets are disjoint, cover every row and keep x and y paired
	var seen []int
	for _, s := range []struct{ x, y nn.Matrix }{{trX, trY}, {teX, teY}} {
		for i := range s.x.Rows {
			r := s.x.Row(i)
			if r[1] != -r[0] || s.y.Data[i] != r[0] {
				t.Errorf("row %v paired with target %v", r, s.y.Data[i])
			}
			seen = append(seen, int(r[0]))
		}
	}
	slices.Sort(seen)
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}; !slices.Equal(seen, want) {
		t.Errorf("rows seen %v, want each of %v once", seen, want)
	}

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
	_, a, _, _, err := nn.Split(x, y, 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, b, _, _, _ := nn.Split(x, y, 0.2, 1)
	_, c, _, _, _ := nn.Split(x, y, 0.2, 2)
	if !slices.Equal(a.Data, b.Data) {
		t.Errorf("same seed, different splits:\n%v\n%v", a.Data, b.Data)
	}
	if slices.Equal(a.Data, c.Data) {
		t.Errorf("seeds 1 and 2 give the same split %v", a.Data)
	}
	// the order is pinned: a change here reshuffles every user's data
	if want := []float32{29, 30, 46}; !slices.Equal(a.Data[:3], want) {
		t.Errorf("seed 1 starts %v, want %v", a.Data[:3], want)
	}
}

func TestSplitErrors(t *testing.T) {
	x, y := numbered(4)
	x3, _ := numbered(3)
	for _, c := range []struct {
		name string
		x, y nn.Matrix
		frac float64
		kind error
		says string
	}{
		{"zero fraction", x, y, 0, nn.ErrConfig, "fraction 0"},
		{"whole", x, y, 1, nn.ErrConfig, "fraction 1"},
		{"negative", x, y, -0.5, nn.ErrConfig, "fraction -0.5"},
		{"NaN", x, y, nanFloat(), nn.ErrConfig, "fraction NaN"},
		{"no test rows", x, y, 0.1, nn.ErrEmpty, "0 for testing"},
		{"no train rows", x, y, 0.9, nn.ErrEmpty, "0 for training"},
		{"rows differ", x3, y, 0.5, nn.ErrShape, "3 rows but y has 4"},
		{"empty", nn.Matrix{Cols: 2}, nn.Matrix{Cols: 1}, 0.5, nn.ErrEmpty, "no rows"},
		{"bad shape", nn.Matrix{Rows: 2, Cols: 2, Data: make([]float32, 3)}, y, 0.5, nn.ErrShape, "3 values, want 2×2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, _, _, err := nn.Split(c.x, c.y, c.frac, 1)
			if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("error = %v, want %v saying %q", err, c.kind, c.says)
			}
		})
	}
}
