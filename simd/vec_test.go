package simd

import (
	"math"
	"math/rand/v2"
	"testing"
)

// vecLengths crosses every unrolled block of the vector kernels.
var vecLengths = []int{0, 1, 3, 7, 8, 9, 15, 16, 31, 32, 33, 63, 64, 65, 100, 1000, 1031}

func TestDot(t *testing.T) {
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		r := rand.New(rand.NewPCG(6, uint64(kn.level)))
		for _, n := range vecLengths {
			x, y := randSlice(r, n+1)[1:], randSlice(r, n+3)
			var want, bound float64
			for i := range x {
				want += float64(x[i]) * float64(y[i])
				bound += math.Abs(float64(x[i]) * float64(y[i]))
			}
			got := float64(Dot(x, y))
			if diff := math.Abs(got - want); diff > 4e-7*float64(n+2)*bound {
				t.Errorf("n=%d: Dot = %g, want %g (diff %g)", n, got, want, diff)
			}
		}
	})
}

func TestAxpy(t *testing.T) {
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		r := rand.New(rand.NewPCG(7, uint64(kn.level)))
		for _, n := range vecLengths {
			x, y := randSlice(r, n), randSlice(r, n+2)
			want := make([]float64, len(y))
			for i := range y {
				want[i] = float64(y[i])
				if i < n {
					want[i] += -0.75 * float64(x[i])
				}
			}
			Axpy(-0.75, x, y)
			for i := range y {
				if diff := math.Abs(float64(y[i]) - want[i]); diff > 1e-6*(1+math.Abs(want[i])) {
					t.Fatalf("n=%d: y[%d] = %g, want %g", n, i, y[i], want[i])
				}
			}
		}
	})
}

func TestBiasPasses(t *testing.T) {
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		r := rand.New(rand.NewPCG(8, uint64(kn.level)))
		const m, n, ldc = 5, 37, 40
		bias, c := randSlice(r, n), randSlice(r, m*ldc)
		c[3] = float32(math.NaN())
		withBias := append([]float32(nil), c...)
		AddBias(m, n, bias, withBias, ldc)
		relu := append([]float32(nil), c...)
		AddBiasReLU(m, n, bias, relu, ldc)
		sum := randSlice(r, n)
		sum0 := append([]float32(nil), sum...)
		SumRows(m, n, c, ldc, sum)

		for j := 0; j < n; j++ {
			col := float64(sum0[j])
			for i := 0; i < m; i++ {
				v, idx := c[i*ldc+j]+bias[j], i*ldc+j
				col += float64(c[idx])
				if withBias[idx] != v && !math.IsNaN(float64(v)) {
					t.Fatalf("AddBias: C[%d,%d] = %g, want %g", i, j, withBias[idx], v)
				}
				if want := max(v, 0); relu[idx] != want && !math.IsNaN(float64(v)) {
					t.Fatalf("AddBiasReLU: C[%d,%d] = %g, want %g", i, j, relu[idx], want)
				}
			}
			if j == 3 {
				if !math.IsNaN(float64(sum[j])) || !math.IsNaN(float64(relu[3])) {
					t.Fatalf("NaN lost: SumRows %g, AddBiasReLU %g", sum[j], relu[3])
				}
				continue
			}
			if diff := math.Abs(float64(sum[j]) - col); diff > 1e-5*(1+math.Abs(col)) {
				t.Fatalf("SumRows: dst[%d] = %g, want %g", j, sum[j], col)
			}
		}
		for i := 0; i < m; i++ {
			for j := n; j < ldc; j++ {
				if idx := i*ldc + j; withBias[idx] != c[idx] || relu[idx] != c[idx] {
					t.Fatalf("padding C[%d,%d] changed", i, j)
				}
			}
		}
	})
}

func TestScaleReLU(t *testing.T) {
	x := []float32{-2, -0.5, 0, 1.5, float32(math.NaN()), float32(math.Inf(-1))}
	Scale(2, x)
	ReLU(x)
	want := []float32{0, 0, 0, 3, float32(math.NaN()), 0}
	for i := range x {
		if x[i] != want[i] && !(math.IsNaN(float64(x[i])) && math.IsNaN(float64(want[i]))) {
			t.Fatalf("x[%d] = %g, want %g", i, x[i], want[i])
		}
	}
}

// TestHotPathAllocs checks that the calls a training step or a prediction
// makes allocate nothing once their scratch space is pooled.
func TestHotPathAllocs(t *testing.T) {
	if racing {
		t.Skip("the race detector allocates")
	}
	defer SetMaxThreads(SetMaxThreads(1))
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		r := rand.New(rand.NewPCG(12, 0))
		a, b, c := randSlice(r, 32*100), randSlice(r, 100*50), make([]float32, 32*50)
		g, m, v, p := randSlice(r, 100), make([]float32, 100), make([]float32, 100), randSlice(r, 100)
		allocs := testing.AllocsPerRun(10, func() {
			Gemm(false, false, 32, 50, 100, 1, a, 100, b, 50, 0, c, 50)
			Gemm(false, false, 1, 50, 100, 1, a, 100, b, 50, 0, c, 50)
			Gemm(true, false, 100, 50, 32, 1, a, 100, c, 50, 0, b, 50)
			AddBias(32, 50, g, c, 50)
			AddBiasReLU(32, 50, g, c, 50)
			SumRows(32, 50, c, 50, m)
			Exp(c, c)
			Softmax(c[:50], c[50:100])
			Scale(0.5, c)
			Adam(g, m, v, 1e-3, 0.9, 0.999, 1e-7, 10, 1000, 1)
			AddIfFinite(p, g)
			Axpy(0.5, g, p)
			_ = Dot(g, p)
		})
		if allocs != 0 {
			t.Errorf("%v allocations per round of calls", allocs)
		}
	})
}

// TestVectorPassLengths checks Scale and AddBiasReLU on every length up to
// 67, which crosses every block and tail of the vector kernels, against the
// portable loops bit for bit: ±0, NaN and infinities included.
func TestVectorPassLengths(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	negZero := float32(math.Copysign(0, -1))
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		r := rand.New(rand.NewPCG(13, uint64(kn.level)))
		for n := 0; n <= 67; n++ {
			x := randSlice(r, n+1)
			bias := randSlice(r, n)
			specials := []float32{0, negZero, nan, inf, -inf, 1e-40, -1e-40}
			for i := range x[:n] {
				if r.IntN(4) == 0 {
					x[i] = specials[r.IntN(len(specials))]
				}
				if r.IntN(8) == 0 {
					bias[i] = specials[r.IntN(2)]
				}
			}
			guard := x[n]

			scaled := append([]float32(nil), x...)
			Scale(-1.5, scaled[:n])
			relu := append([]float32(nil), x...)
			AddBiasReLU(1, n, bias, relu, max(n, 1))
			for i := range n {
				if w := x[i] * -1.5; !sameBits(scaled[i], w) {
					t.Fatalf("n=%d: Scale: x[%d] = %g, want %g", n, i, scaled[i], w)
				}
				if w := max(x[i]+bias[i], 0); !sameBits(relu[i], w) {
					t.Fatalf("n=%d: AddBiasReLU(%g+%g) = %g (bits %#x), want %g (bits %#x)",
						n, x[i], bias[i], relu[i], math.Float32bits(relu[i]), w, math.Float32bits(w))
				}
			}
			if scaled[n] != guard || relu[n] != guard {
				t.Fatalf("n=%d: element past the end changed", n)
			}
		}
	})
}

// sameBits reports whether a and b are the same float32, any NaN matching
// any other.
func sameBits(a, b float32) bool {
	if a != a && b != b {
		return true
	}
	return math.Float32bits(a) == math.Float32bits(b)
}
