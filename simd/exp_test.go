package simd

import (
	"math"
	"math/rand/v2"
	"testing"
)

// expInputs returns the edges of Exp's range and random values across it.
func expInputs(r *rand.Rand) []float32 {
	x := []float32{0, float32(math.Copysign(0, -1)), 1e-30, -1e-30, 1, -1, 0.3465, -0.3466,
		88.72, 88.73, 88.7301, 89, -87.33, -87.34, -100, -103.97, -104, -104.01,
		float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), math.MaxFloat32, -math.MaxFloat32}
	for range 5000 {
		x = append(x, float32(r.Float64()*210-110))
	}
	for range 1000 {
		x = append(x, float32(r.NormFloat64()))
	}
	return x
}

// TestExp checks Exp against math.Exp and every level against the portable
// loop bit for bit, at every offset of the vector blocks.
func TestExp(t *testing.T) {
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		r := rand.New(rand.NewPCG(11, uint64(kn.level)))
		x := expInputs(r)
		for off := range 9 {
			got := make([]float32, len(x)-off)
			Exp(got, x[off:])
			for i, v := range x[off:] {
				if g, w := got[i], exp32(v); math.Float32bits(g) != math.Float32bits(w) {
					t.Fatalf("Exp(%g) = %g, portable %g", v, g, w)
				}
				want := math.Exp(float64(v))
				g := float64(got[i])
				switch {
				case v != v:
					if g == g {
						t.Fatalf("Exp(NaN) = %g", g)
					}
				case want > math.MaxFloat32:
					if !math.IsInf(g, 1) {
						t.Fatalf("Exp(%g) = %g, want +Inf", v, g)
					}
				case want < 0x1p-126:
					if math.Abs(g-want) > 0x1p-148 {
						t.Fatalf("Exp(%g) = %g, want %g (subnormal)", v, g, want)
					}
				default:
					if math.Abs(g-want) > 0x1p-22*want {
						t.Fatalf("Exp(%g) = %g, want %g", v, g, want)
					}
				}
			}
		}
	})
}
