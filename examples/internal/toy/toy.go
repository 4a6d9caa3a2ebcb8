// Package toy makes the small synthetic data sets of the examples.
package toy

import (
	"math"
	"math/rand/v2"

	"github.com/nnrt/nn"
)

// Moons returns n points of two interleaved half circles in the plane,
// with Gaussian noise of the given standard deviation added to each
// coordinate. Class 0 is the upper arc, centred on (0, 0); class 1 the
// lower arc, centred on (1, 0.5). The classes alternate row by row. y has
// one column holding 0 or 1. The same seed gives the same points.
func Moons(n int, noise float64, seed uint64) (x, y nn.Matrix) {
	r := rand.New(rand.NewPCG(seed, 0x6d6f6f6e73))
	x, y = nn.NewMatrix(n, 2), nn.NewMatrix(n, 1)
	for i := range n {
		t := math.Pi * r.Float64()
		a, b := math.Cos(t), math.Sin(t)
		if i%2 == 1 {
			a, b = 1-a, 0.5-b
			y.Data[i] = 1
		}
		x.Data[2*i] = float32(a + noise*r.NormFloat64())
		x.Data[2*i+1] = float32(b + noise*r.NormFloat64())
	}
	return x, y
}
