package toy

import (
	"math"
	"slices"
	"testing"
)

func TestMoons(t *testing.T) {
	x, y := Moons(200, 0, 1)
	if x.Rows != 200 || x.Cols != 2 || y.Rows != 200 || y.Cols != 1 {
		t.Fatalf("shapes %d×%d and %d×%d", x.Rows, x.Cols, y.Rows, y.Cols)
	}
	// without noise every point lies on its unit half circle
	for i := range x.Rows {
		a, b := float64(x.Data[2*i]), float64(x.Data[2*i+1])
		cx, cy, up := 0.0, 0.0, true
		if y.Data[i] == 1 {
			cx, cy, up = 1, 0.5, false
		}
		r := math.Hypot(a-cx, b-cy)
		if math.Abs(r-1) > 1e-6 || (b >= cy) != up {
			t.Errorf("row %d (%v, %v) class %v is off its arc (radius %v)", i, a, b, y.Data[i], r)
		}
	}
	x2, _ := Moons(200, 0.1, 1)
	x3, _ := Moons(200, 0.1, 1)
	x4, _ := Moons(200, 0.1, 2)
	if !slices.Equal(x2.Data, x3.Data) || slices.Equal(x2.Data, x4.Data) {
		t.Error("the seed does not decide the points")
	}
}
