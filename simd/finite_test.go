package simd

import (
	"math"
	"testing"
)

// Finite finds one non-finite value at any position of any length, at
// every level, and passes the largest finite values and subnormals.
func TestFinite(t *testing.T) {
	bad := []float32{float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), math.Float32frombits(0xffc00001)}
	forEachLevel(t, func(t *testing.T, _ *kernel) {
		for n := 0; n <= 131; n++ {
			x := make([]float32, n)
			for i := range x {
				x[i] = []float32{math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, -0.0, 1.5}[i%5]
			}
			if !Finite(x) {
				t.Fatalf("Finite of %d finite values = false", n)
			}
			for i := range x {
				for _, v := range bad {
					keep := x[i]
					x[i] = v
					if Finite(x) {
						t.Fatalf("Finite with %v at %d of %d = true", v, i, n)
					}
					x[i] = keep
				}
			}
		}
	})
}

func BenchmarkFinite(b *testing.B) {
	x := make([]float32, 16<<10)
	for i := range x {
		x[i] = float32(i)
	}
	b.SetBytes(int64(4 * len(x)))
	for b.Loop() {
		if !Finite(x) {
			b.Fatal("not finite")
		}
	}
}
