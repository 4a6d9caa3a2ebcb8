package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The gradient tests compare the float32 backward pass with central finite
// differences of an independent float64 forward pass written here.

// act64 is the float64 reference of an activation applied to a row.
func act64(act Activation, alpha float64, z []float64) []float64 {
	a := make([]float64, len(z))
	switch act {
	case Softmax:
		m := z[0]
		for _, v := range z {
			m = math.Max(m, v)
		}
		var s float64
		for j, v := range z {
			a[j] = math.Exp(v - m)
			s += a[j]
		}
		for j := range a {
			a[j] /= s
		}
		return a
	}
	for j, v := range z {
		switch act {
		case Identity:
			a[j] = v
		case Step:
			a[j] = 0
			if v >= 0 {
				a[j] = 1
			}
		case Sign:
			a[j] = -1
			if v >= 0 {
				a[j] = 1
			}
		case Sigmoid:
			a[j] = 1 / (1 + math.Exp(-v))
		case Tanh:
			a[j] = math.Tanh(v)
		case ReLU:
			a[j] = math.Max(v, 0)
		case LeakyReLU:
			a[j] = v
			if v < 0 {
				a[j] = alpha * v
			}
		}
	}
	return a
}

// loss64 is the float64 reference of a loss over one row of outputs.
func loss64(l Loss, p, y []float64) float64 {
	var s float64
	for j := range p {
		switch l {
		case MSE:
			s += (p[j] - y[j]) * (p[j] - y[j]) / float64(len(p))
		case BinaryCrossEntropy:
			s -= (y[j]*math.Log(p[j]) + (1-y[j])*math.Log(1-p[j])) / float64(len(p))
		case CategoricalCrossEntropy:
			if y[j] != 0 {
				s -= y[j] * math.Log(p[j])
			}
		}
	}
	return s
}

// refLoss is the batch-mean loss plus penalties of n with parameters p
// (laid out like n.params) on r rows, using the dropout masks in masks.
func refLoss(n *Network, p []float64, x, y []float32, r int, masks [][]float32) float64 {
	var total float64
	out := n.OutputSize()
	for i := range r {
		a := make([]float64, n.in)
		for j := range a {
			a[j] = float64(x[i*n.in+j])
		}
		for li, l := range n.layers {
			if l.kind == DropoutLayer {
				for j := range a {
					a[j] *= float64(masks[li][i*l.out+j])
				}
				continue
			}
			z := make([]float64, l.out)
			for u := range z {
				z[u] = p[l.off+l.in*l.out+u]
				for k := range l.in {
					z[u] += a[k] * p[l.off+k*l.out+u]
				}
			}
			a = act64(l.act, float64(l.alpha), z)
		}
		yr := make([]float64, out)
		for j := range yr {
			yr[j] = float64(y[i*out+j])
		}
		total += loss64(n.loss, a, yr)
	}
	total /= float64(r)
	for _, l := range n.layers {
		if l.kind != DenseLayer {
			continue
		}
		for k := range l.in * l.out {
			w := p[l.off+k]
			total += float64(l.l1)*math.Abs(w) + float64(l.l2)*w*w
		}
	}
	return total
}

// relErr is |a−b| / max(|a|, |b|, 1e-5): relative, with a floor for
// gradients that are zero or nearly so.
func relErr(a, b float64) float64 {
	return math.Abs(a-b) / math.Max(math.Max(math.Abs(a), math.Abs(b)), 1e-5)
}

// checkGradients builds a network, runs one forward and backward pass on a
// random batch and compares every parameter's gradient with finite
// differences.
func checkGradients(t *testing.T, rows int, targets func(r *rand.Rand, out int) []float32, opts ...Option) {
	t.Helper()
	n, err := New(append([]Option{Seed(7)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	out := n.OutputSize()
	x := make([]float32, rows*n.in)
	for j := range x {
		x[j] = float32(r.NormFloat64())
	}
	y := make([]float32, 0, rows*out)
	for range rows {
		y = append(y, targets(r, out)...)
	}
	// Random biases, so that no unit sits at a kink by construction.
	for _, l := range n.layers {
		for j := range l.b {
			l.b[j] = float32(0.3 * r.NormFloat64())
		}
	}

	tr := n.trainerFor(rows)
	copy(tr.x, x)
	copy(tr.y, y)
	n.forwardTrain(tr, rows)
	n.backwardTrain(tr, rows)
	n.penalize(tr.grad)

	masks := make([][]float32, len(n.layers))
	for i, l := range n.layers {
		if l.kind == DropoutLayer {
			masks[i] = tr.z[i][:rows*l.out]
		}
	}
	p := make([]float64, len(n.params))
	for j, v := range n.params {
		p[j] = float64(v)
	}

	// The float32 forward pass agrees with the reference.
	last := len(n.layers) - 1
	var sum float64
	var tl tally
	n.tallyRows(&tl, tr.z[last][:rows*out], tr.a[last][:rows*out], y, 0)
	sum = tl.loss / float64(rows)
	var pen float64
	for _, l := range n.layers {
		for _, w := range l.w {
			pen += float64(l.l1)*math.Abs(float64(w)) + float64(l.l2)*float64(w)*float64(w)
		}
	}
	if ref := refLoss(n, p, x, y, rows, masks); math.Abs(sum+pen-ref) > 1e-5*math.Max(1, math.Abs(ref)) {
		t.Fatalf("forward loss %v, float64 reference %v", sum+pen, ref)
	}

	const h = 1e-6
	worst, at := 0.0, -1
	for j := range p {
		old := p[j]
		p[j] = old + h
		lp := refLoss(n, p, x, y, rows, masks)
		p[j] = old - h
		lm := refLoss(n, p, x, y, rows, masks)
		p[j] = old
		num := (lp - lm) / (2 * h)
		if e := relErr(float64(tr.grad[j]), num); e > worst {
			worst, at = e, j
		}
		if e := relErr(float64(tr.grad[j]), num); e >= 1e-3 {
			t.Errorf("parameter %d: analytic %v, numeric %v, relative error %.2g", j, tr.grad[j], num, e)
		}
	}
	t.Logf("%d parameters, max relative error %.2g (parameter %d)", len(p), worst, at)
}

func regression(r *rand.Rand, out int) []float32 {
	y := make([]float32, out)
	for j := range y {
		y[j] = float32(r.NormFloat64())
	}
	return y
}

func probabilities(r *rand.Rand, out int) []float32 {
	y := make([]float32, out)
	for j := range y {
		y[j] = float32(r.Float64())
	}
	return y
}

func oneHot(r *rand.Rand, out int) []float32 {
	y := make([]float32, out)
	y[r.IntN(out)] = 1
	return y
}

func soft(r *rand.Rand, out int) []float32 {
	y := make([]float32, out)
	var s float32
	for j := range y {
		y[j] = float32(r.Float64())
		s += y[j]
	}
	for j := range y {
		y[j] /= s
	}
	return y
}

func TestGradients(t *testing.T) {
	for _, act := range []Activation{Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Step, Sign} {
		t.Run("hidden="+act.String(), func(t *testing.T) {
			checkGradients(t, 5, regression, Input(3), Dense(4, act, Alpha(0.1)), Dense(2, Identity))
		})
	}
	for _, act := range []Activation{Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax} {
		t.Run("mse/output="+act.String(), func(t *testing.T) {
			checkGradients(t, 4, probabilities, Input(3), Dense(4, Tanh), Dense(3, act, Alpha(0.2)), WithLoss(MSE))
		})
	}
	t.Run("cce/onehot", func(t *testing.T) {
		checkGradients(t, 6, oneHot, Input(4), Dense(5, ReLU), Dense(3, Softmax))
	})
	t.Run("cce/soft", func(t *testing.T) {
		checkGradients(t, 6, soft, Input(4), Dense(5, Sigmoid), Dense(3, Softmax))
	})
	t.Run("bce/one", func(t *testing.T) {
		checkGradients(t, 5, probabilities, Input(3), Dense(4, Tanh), Dense(1, Sigmoid))
	})
	t.Run("bce/multilabel", func(t *testing.T) {
		checkGradients(t, 5, probabilities, Input(3), Dense(4, LeakyReLU), Dense(3, Sigmoid), WithLoss(BinaryCrossEntropy))
	})
	t.Run("dropout", func(t *testing.T) {
		checkGradients(t, 6, oneHot, Input(4), Dropout(0.25), Dense(6, ReLU), Dropout(0.5), Dense(5, Tanh), Dense(3, Softmax))
	})
	t.Run("penalties", func(t *testing.T) {
		checkGradients(t, 4, regression, Input(3), Dense(4, Tanh, L1(0.01), L2(0.02)), Dense(2, Identity, L2(0.1)))
	})
	t.Run("deep", func(t *testing.T) {
		checkGradients(t, 3, oneHot, Input(3), Dense(4, Tanh), Dense(4, Sigmoid), Dense(4, LeakyReLU), Dense(2, Softmax))
	})
}

// TestActivationGradients checks each activation's backward step alone.
func TestActivationGradients(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const cols, rows = 4, 3
	for _, act := range []Activation{Identity, Step, Sign, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax} {
		z := make([]float32, rows*cols)
		d := make([]float32, rows*cols)
		for j := range z {
			z[j] = float32(2 * r.NormFloat64())
			d[j] = float32(r.NormFloat64())
		}
		a := make([]float32, len(z))
		activate(act, 0.1, a, z, cols)
		dz := make([]float32, len(z))
		activationGrad(act, 0.1, dz, z, a, d, cols)
		for i := range rows {
			zr := make([]float64, cols)
			for j := range zr {
				zr[j] = float64(z[i*cols+j])
			}
			ref := act64(act, 0.1, zr)
			for j := range cols {
				if math.Abs(ref[j]-float64(a[i*cols+j])) > 1e-6 {
					t.Errorf("%s(%v) = %v, want %v", act, z[i*cols+j], a[i*cols+j], ref[j])
				}
				// ∂(Σ d·a)/∂z_j by central differences.
				const h = 1e-6
				f := func(v float64) float64 {
					zz := append([]float64(nil), zr...)
					zz[j] = v
					var s float64
					for k, av := range act64(act, 0.1, zz) {
						s += float64(d[i*cols+k]) * av
					}
					return s
				}
				num := (f(zr[j]+h) - f(zr[j]-h)) / (2 * h)
				if e := relErr(float64(dz[i*cols+j]), num); e >= 1e-3 {
					t.Errorf("%s: dz[%d][%d] = %v, numeric %v", act, i, j, dz[i*cols+j], num)
				}
			}
		}
	}
}

// TestExp32 compares exp32, sigmoid and tanh32 with float64 math over the
// whole useful range, in units of the float32 spacing at the result.
func TestExp32(t *testing.T) {
	ulps := func(got float32, want float64) float64 {
		if want == 0 {
			return math.Abs(float64(got)) / 1e-45
		}
		w := float32(want)
		spacing := math.Abs(float64(math.Nextafter32(w, float32(math.Inf(1))) - w))
		if spacing == 0 || math.IsInf(spacing, 0) {
			spacing = math.Abs(float64(w - math.Nextafter32(w, 0)))
		}
		return math.Abs(float64(got)-want) / spacing
	}
	worst := map[string]float64{}
	for x := float32(-110); x <= 90; x += 0.001173 {
		w := math.Exp(float64(x))
		if w >= 1.2e-38 && w < math.MaxFloat32 { // normal results
			worst["exp"] = math.Max(worst["exp"], ulps(exp32(x), w))
		}
		worst["sigmoid"] = math.Max(worst["sigmoid"], ulps(sigmoid(x), 1/(1+math.Exp(-float64(x)))))
		worst["tanh"] = math.Max(worst["tanh"], ulps(tanh32(x), math.Tanh(float64(x))))
	}
	for x := float32(-1); x <= 1; x += 1.1e-5 {
		worst["tanh"] = math.Max(worst["tanh"], ulps(tanh32(x), math.Tanh(float64(x))))
	}
	for f, u := range worst {
		t.Logf("%s: max error %.2f ulp", f, u)
		if u > 4 {
			t.Errorf("%s: error %.2f ulp, want at most 4", f, u)
		}
	}
	for _, c := range []struct {
		x, want float32
	}{{-1000, 0}, {-105, 0}, {1000, float32(math.Inf(1))}, {0, 1}} {
		if got := exp32(c.x); got != c.want {
			t.Errorf("exp32(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if got := exp32(float32(math.NaN())); got == got {
		t.Errorf("exp32(NaN) = %v", got)
	}
}

func TestNotFinite(t *testing.T) {
	for _, x := range []float32{0, -0, 1, -1, math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, 1e-40} {
		if notFinite(x)&0x80000000 != 0 {
			t.Errorf("notFinite(%v) flags a finite value", x)
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if notFinite(float32(x))&0x80000000 == 0 {
			t.Errorf("notFinite(%v) misses it", x)
		}
	}
}
