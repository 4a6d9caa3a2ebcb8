package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The cross-entropy taken from the softmax output as −log p agrees with the
// log-sum-exp of the logits, on rows wide and narrow, calm and saturated,
// for every target class, including classes whose p falls below minLogP.
func TestCrossEntropyFromOutputMatchesLogits(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	below := 0
	for _, cols := range []int{2, 3, 10, 361, 1500} {
		for _, spread := range []float32{0.1, 5, 40, 300} {
			z := make([]float32, cols)
			for j := range z {
				z[j] = spread * (2*rng.Float32() - 1)
			}
			p := make([]float32, cols)
			softmaxRow(p, z)
			lse := logSumExp(z)
			y := make([]float32, cols)
			for c := range cols {
				clear(y)
				y[c] = 1
				got := rowLoss(CategoricalCrossEntropy, z, p, y)
				want := lse - float64(z[c])
				if p[c] < minLogP {
					below++
				}
				if math.Abs(got-want) > 2e-5*max(1, want) {
					t.Fatalf("%d columns, spread %v, class %d (p %v): loss %v, want %v", cols, spread, c, p[c], got, want)
				}
			}
		}
	}
	if below == 0 {
		t.Fatal("no case took the log-sum-exp path")
	}
}

// firstNonFinite finds the first NaN or infinity wherever it lies relative
// to the blocks it tests at once, and -1 when there is none.
func TestFirstNonFiniteEveryPosition(t *testing.T) {
	for _, n := range []int{0, 1, 7, finiteBlock - 1, finiteBlock, finiteBlock + 1, 3*finiteBlock + 5} {
		v := make([]float32, n)
		for j := range v {
			v[j] = float32(j) * 1e30 // large finite values must not count
		}
		if k := firstNonFinite(v); k != -1 {
			t.Fatalf("length %d, all finite: %d", n, k)
		}
		for _, at := range []int{0, 1, finiteBlock - 1, finiteBlock, n - 1} {
			if at < 0 || at >= n {
				continue
			}
			for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
				w := append([]float32(nil), v...)
				w[at] = bad
				if at+3 < n {
					w[at+3] = float32(math.NaN())
				}
				if k := firstNonFinite(w); k != at {
					t.Fatalf("length %d, %v at %d: found %d", n, bad, at, k)
				}
			}
		}
	}
}

// The ReLU gradient passes d where z > 0 and is +0 where z is +0, −0 or
// negative.
func TestReLUGradientMask(t *testing.T) {
	z := []float32{1, 1e-40, 0, float32(math.Copysign(0, -1)), -1e-40, -3, float32(math.Inf(1)), float32(math.Inf(-1))}
	d := []float32{2, -3, 4, 5, -6, 7, -8, 9}
	want := []float32{2, -3, 0, 0, 0, 0, -8, 0}
	dz := make([]float32, len(z))
	activationGrad(ReLU, 0, dz, z, nil, d, len(z))
	if !equalBits(dz, want) {
		t.Fatalf("ReLU gradient %v, want %v", dz, want)
	}
}

// An SGD step small enough to go straight into the weights gives the same
// weights as w − lr·g computed element by element.
func TestSGDStepMatchesFormula(t *testing.T) {
	n := build(t, Input(3), Dense(2, Identity), Seed(4))
	before := append([]float32(nil), n.params...)
	g := make([]float32, len(n.params))
	for j := range g {
		g[j] = float32(j) - 2.5
	}
	o := SGD(0.125)
	n.prepareOptimizer(o)
	grad := append([]float32(nil), g...)
	if why := n.update(grad, o, o.LR, 1, sumSquares(g)); why != "" {
		t.Fatal(why)
	}
	for j, w := range n.params {
		// lr and g are exact in a few bits, so each product is exact
		if want := before[j] - 0.125*g[j]; w != want {
			t.Fatalf("weight %d = %v, want %v", j, w, want)
		}
	}

	// A step past the direct bound that would overflow a weight is refused
	// and leaves the weights as they were.
	if err := n.SetWeights(0, [][]float32{{3e38, 0, 0}, {0, 0, 0}}, []float32{0, 0}); err != nil {
		t.Fatal(err)
	}
	kept := append([]float32(nil), n.params...)
	if kept[0] != 3e38 {
		t.Fatalf("weight 0 is %v, want 3e38", kept[0])
	}
	grad = make([]float32, len(n.params))
	grad[0] = -1e37
	// the step 10·1e37 is finite; the weight 3e38 plus it is not
	if why := n.update(grad, o, 10, 1, 1e74); why == "" {
		t.Fatalf("an overflowing step was taken: %v", n.params)
	}
	if !equalBits(n.params, kept) {
		t.Fatalf("weights changed by a refused step: %v", n.params)
	}
}
