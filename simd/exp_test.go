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
	// whole vectors at the bounds of the AVX-512 fast path, −87 and 88
	for i := range 48 {
		x = append(x, []float32{-87, 88, -86.99999, 87.99999}[i%4])
	}
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
		for off := range 17 {
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

// TestSoftmax checks Softmax at every level and on every length up to 67
// and a few longer ones: the exponentials are Exp's bit for bit, the
// results agree with a float64 softmax, and the element past the end is
// left alone.
func TestSoftmax(t *testing.T) {
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		r := rand.New(rand.NewPCG(14, uint64(kn.level)))
		for _, n := range append(seq(68), 100, 361, 1000, 1031) {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(r.NormFloat64() * 8)
			}
			dst := make([]float32, n+1)
			dst[n] = 7
			Softmax(dst, x)
			if dst[n] != 7 {
				t.Fatalf("n=%d: element past the end changed", n)
			}
			if n == 0 {
				continue
			}
			m := x[0]
			for _, v := range x {
				m = max(m, v)
			}
			e := make([]float32, n)
			for i, v := range x {
				e[i] = exp32(v - m)
			}
			var s float64
			for _, v := range e {
				s += float64(v)
			}
			// the largest element's term is 1, so its output is 1/sum
			// itself, and every other output is its term times that
			inv := float32(0)
			for i, v := range x {
				if v == m {
					inv = dst[i]
				}
			}
			for i := range x {
				if w := e[i] * inv; dst[i] != w {
					t.Fatalf("n=%d: dst[%d] = %g, want e^(x−m)·(1/s) = %g", n, i, dst[i], w)
				}
				want := float64(e[i]) / s
				if d := math.Abs(float64(dst[i]) - want); d > 1e-6*want+1e-30 {
					t.Fatalf("n=%d: dst[%d] = %g, want %g", n, i, dst[i], want)
				}
			}
		}
	})
}

// TestSoftmaxEdges checks the exact limits of Softmax on huge logits and
// what NaN and the infinities do, at every level and with the special value
// at each position of rows that cross the vector blocks.
func TestSoftmaxEdges(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		p := make([]float32, 5)
		Softmax(p, []float32{-1000, 0, 1, 1000, 2})
		for i, w := range []float32{0, 0, 0, 1, 0} {
			if math.Float32bits(p[i]) != math.Float32bits(w) {
				t.Fatalf("softmax of huge logits = %v, want exactly one 1 and zeros", p)
			}
		}
		for _, n := range []int{1, 7, 8, 9, 17, 33, 64, 70} {
			for at := range n {
				for _, v := range []float32{nan, inf, -inf} {
					x := make([]float32, n)
					for i := range x {
						x[i] = float32(i%5) - 2
					}
					x[at] = v
					Softmax(x, x) // in place
					for i, y := range x {
						wantNaN := v == v && v > 0 || v != v || n == 1
						switch {
						case wantNaN && y == y:
							t.Fatalf("n=%d, %g at %d: dst[%d] = %g, want NaN", n, v, at, i, y)
						case !wantNaN && i == at && y != 0:
							t.Fatalf("n=%d, -Inf at %d: dst = %g, want 0", n, at, y)
						case !wantNaN && !(y >= 0 && y <= 1):
							t.Fatalf("n=%d, -Inf at %d: dst[%d] = %g", n, at, i, y)
						}
					}
				}
			}
		}
	})
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
