package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// racing is set by race_test.go when the race detector is on; sync.Pool
// then drops items on purpose and instrumented code may allocate, so
// allocation counts mean nothing.
var racing bool

func TestPredictIntoAllocatesNothing(t *testing.T) {
	if racing {
		t.Skip("sync.Pool drops items under the race detector")
	}
	n := build(t, Input(361), Dense(256, ReLU), Dense(361, Softmax))
	x := make([]float32, 361)
	dst := make([]float32, 361)
	for name, f := range map[string]func([]float32, []float32) error{
		"PredictInto": n.PredictInto, "PredictLogitsInto": n.PredictLogitsInto,
	} {
		if a := testing.AllocsPerRun(100, func() {
			if err := f(dst, x); err != nil {
				t.Fatal(err)
			}
		}); a != 0 {
			t.Errorf("%s allocates %v times per call", name, a)
		}
	}
	xb, db := NewMatrix(100, 361), NewMatrix(100, 361)
	if a := testing.AllocsPerRun(20, func() {
		if err := n.PredictBatchInto(db, xb); err != nil {
			t.Fatal(err)
		}
	}); a != 0 {
		t.Errorf("PredictBatchInto allocates %v times per call", a)
	}
}

func TestPredictMatchesReference(t *testing.T) {
	n := build(t, Input(5), Dense(7, LeakyReLU, Alpha(0.2)), Dropout(0.5), Dense(6, Tanh), Dense(4, Softmax), Seed(3))
	for _, l := range n.layers {
		for j := range l.b {
			l.b[j] = float32(j) * 0.1
		}
	}
	r := rand.New(rand.NewPCG(5, 5))
	x := NewMatrix(150, 5) // more than one chunk of rows
	for j := range x.Data {
		x.Data[j] = float32(r.NormFloat64())
	}
	batch, err := n.PredictBatch(x)
	if err != nil {
		t.Fatal(err)
	}
	p := make([]float64, len(n.params))
	for j, v := range n.params {
		p[j] = float64(v)
	}
	logits := make([]float32, 4)
	for i := range x.Rows {
		// Batch and single-row products may sum in different orders.
		one, err := n.Predict(x.Row(i))
		if err != nil {
			t.Fatal(err)
		}
		for j, v := range batch.Row(i) {
			if math.Abs(float64(v-one[j])) > 1e-6 {
				t.Fatalf("row %d: Predict %v, PredictBatch %v", i, one, batch.Row(i))
			}
		}
		// The float64 reference without dropout.
		a := make([]float64, 5)
		for j := range a {
			a[j] = float64(x.Data[i*5+j])
		}
		var z []float64
		for _, l := range n.layers {
			if l.kind == DropoutLayer {
				continue
			}
			z = make([]float64, l.out)
			for u := range z {
				z[u] = p[l.off+l.in*l.out+u]
				for k := range l.in {
					z[u] += a[k] * p[l.off+k*l.out+u]
				}
			}
			a = act64(l.act, float64(l.alpha), z)
		}
		if err := n.PredictLogitsInto(logits, x.Row(i)); err != nil {
			t.Fatal(err)
		}
		for j := range 4 {
			if math.Abs(a[j]-float64(one[j])) > 1e-6 || math.Abs(z[j]-float64(logits[j])) > 1e-5 {
				t.Fatalf("row %d output %d: %v (logit %v), reference %v (%v)", i, j, one[j], logits[j], a[j], z[j])
			}
		}
	}
}

func TestScalerInsideNetwork(t *testing.T) {
	n := build(t, Input(2), Dense(3, Tanh), Dense(1, Identity))
	s := &Scaler{Mean: []float32{10, -5}, Std: []float32{2, 4}}
	raw := []float32{14, 3}
	plain, _ := n.Predict([]float32{2, 2})
	n.SetScaler(s)
	scaled, err := n.Predict(raw)
	if err != nil || !equalBits(plain, scaled) {
		t.Errorf("with a scaler %v → %v, want %v (%v)", raw, scaled, plain, err)
	}
	n.SetScaler(&Scaler{Mean: []float32{1}, Std: []float32{1}})
	_, err = n.Predict(raw)
	checkErr(t, err, ErrShape, "scaler has 1 means", "want 2")
}

func TestInspection(t *testing.T) {
	n := build(t, Input(3), Dense(4, LeakyReLU, Alpha(0.3), L2(0.01)), Dropout(0.25), Dense(2, Sigmoid, WithInit(Normal(0, 0.1))))
	if n.InputSize() != 3 || n.OutputSize() != 2 || n.Loss() != MSE {
		t.Errorf("sizes %d, %d, loss %s", n.InputSize(), n.OutputSize(), n.Loss())
	}
	want := []LayerInfo{
		{Kind: DenseLayer, In: 3, Out: 4, Act: LeakyReLU, Alpha: 0.3, L2: 0.01, Init: HeNormal()},
		{Kind: DropoutLayer, In: 4, Out: 4, Rate: 0.25},
		{Kind: DenseLayer, In: 4, Out: 2, Act: Sigmoid, Alpha: 0.01, Init: Normal(0, 0.1)},
	}
	for i, l := range n.Layers() {
		if l != want[i] {
			t.Errorf("layer %d: %+v, want %+v", i, l, want[i])
		}
	}
	w := [][]float32{{1, 2, 3, 4}, {5, 6, 7, 8}}
	if err := n.SetWeights(2, w, []float32{-1, -2}); err != nil {
		t.Fatal(err)
	}
	gw, gb, err := n.Weights(2)
	if err != nil || !equalBits(gw[1], w[1]) || !equalBits(gb, []float32{-1, -2}) {
		t.Errorf("Weights(2) = %v, %v, %v", gw, gb, err)
	}
	// w[unit][input] is stored as W[input][unit].
	if l := n.layers[2]; l.w[3*2+1] != 8 {
		t.Errorf("internal layout: W[3][1] = %v, want 8", l.w[3*2+1])
	}
	_, _, err = n.Weights(1)
	checkErr(t, err, ErrConfig, "layer 1 is a dropout layer")
	err = n.SetWeights(0, [][]float32{{1}}, []float32{1})
	checkErr(t, err, ErrShape, "1 weight rows", "want 4")
	err = n.SetWeights(2, [][]float32{{1, 2, 3, float32(math.NaN())}, {1, 2, 3, 4}}, []float32{0, 0})
	checkErr(t, err, ErrNonFinite, "weight [0][3] is NaN")

	n.SetClassNames([]string{"a", "b"})
	n.SetMeta("k2", "v2")
	n.SetMeta("k1", "v1")
	if v, ok := n.Meta("k1"); !ok || v != "v1" || len(n.MetaKeys()) != 2 || n.MetaKeys()[0] != "k1" || n.ClassNames()[1] != "b" {
		t.Errorf("metadata: %v %v %v", n.MetaKeys(), v, n.ClassNames())
	}
}

func TestSameSeedSameWeights(t *testing.T) {
	a := build(t, Input(10), Dense(20, ReLU), Dense(5, Softmax), Seed(99))
	b := build(t, Input(10), Dense(20, ReLU), Dense(5, Softmax), Seed(99))
	c := build(t, Input(10), Dense(20, ReLU), Dense(5, Softmax), Seed(100))
	if !equalBits(a.params, b.params) || equalBits(a.params, c.params) {
		t.Error("initial weights do not follow the seed")
	}
}
