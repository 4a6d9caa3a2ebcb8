package simd

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestAdam checks the Adam step against a float64 evaluation of its
// formula, and every level against the portable loop bit for bit.
func TestAdam(t *testing.T) {
	var lr, b1, b2, eps, gscale float32 = 0.01, 0.9, 0.999, 1e-7, 0.5
	c1, c2 := float32(1/(1-math.Pow(float64(b1), 3))), float32(1/(1-math.Pow(float64(b2), 3)))
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		r := rand.New(rand.NewPCG(9, uint64(kn.level)))
		for _, n := range vecLengths {
			g, m, v := randSlice(r, n), randSlice(r, n), randSlice(r, n)
			for i := range v {
				v[i] *= v[i]
			}
			g0, m0, v0 := slices.Clone(g), slices.Clone(m), slices.Clone(v)
			Adam(g, m, v, lr, b1, b2, eps, c1, c2, gscale)

			gg, mg, vg := slices.Clone(g0), slices.Clone(m0), slices.Clone(v0)
			adamGeneric(gg, mg, vg, &adamConsts{gscale, b1, 1 - b1, b2, 1 - b2, c1, c2, -lr, eps})
			for i := range g {
				if g[i] != gg[i] || m[i] != mg[i] || v[i] != vg[i] {
					t.Fatalf("n=%d, i=%d: (g, m, v) = (%g, %g, %g), portable loop (%g, %g, %g)",
						n, i, g[i], m[i], v[i], gg[i], mg[i], vg[i])
				}
				x := float64(g0[i]) * float64(gscale)
				wm := float64(b1)*float64(m0[i]) + (1-float64(b1))*x
				wv := float64(b2)*float64(v0[i]) + (1-float64(b2))*x*x
				wd := -float64(lr) * wm * float64(c1) / (math.Sqrt(wv*float64(c2)) + float64(eps))
				if math.Abs(float64(g[i])-wd) > 1e-5*math.Abs(wd)+1e-9 ||
					math.Abs(float64(m[i])-wm) > 1e-6*(1+math.Abs(wm)) {
					t.Fatalf("n=%d, i=%d: step %g, m %g; want %g, %g", n, i, g[i], m[i], wd, wm)
				}
			}
		}
	})
}

func TestAddIfFinite(t *testing.T) {
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		r := rand.New(rand.NewPCG(10, uint64(kn.level)))
		for _, n := range []int{1, 7, 8, 9, 31, 100} {
			p, d := randSlice(r, n), randSlice(r, n)
			want := make([]float32, n)
			for i := range p {
				want[i] = p[i] + d[i]
			}
			if !AddIfFinite(p, d) || !slices.Equal(p, want) {
				t.Fatalf("n=%d: finite sums not applied", n)
			}
			for _, bad := range []int{0, n / 2, n - 1} {
				for _, v := range []float32{float32(math.NaN()), float32(math.Inf(1)), math.MaxFloat32} {
					p0 := slices.Clone(p)
					d[bad] = v
					p[bad] = math.MaxFloat32
					p0[bad] = p[bad]
					if AddIfFinite(p, d) {
						t.Fatalf("n=%d: %g + %g at %d accepted", n, p[bad], v, bad)
					}
					if !slices.Equal(p, p0) {
						t.Fatalf("n=%d: p changed after a rejected step", n)
					}
					d[bad] = 0
				}
			}
		}
	})
}
