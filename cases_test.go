package nn

// Tests named TestCaseN restate failures users reported against other
// neural-network libraries, with the values that are right.

import (
	"context"
	"errors"
	"fmt"
	"math"
	mrand "math/rand"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
)

func TestCase1SoftmaxOverflow(t *testing.T) {
	logits := []float32{-249.87, -424.13, -460.29, 378.10, -292.61}
	p := make([]float32, 5)
	softmaxRow(p, logits)
	want := []float32{0, 0, 0, 1, 0}
	if !equalBits(p, want) {
		t.Fatalf("softmax = %v, want exactly %v", p, want)
	}

	// The same through a network whose output layer passes the logits on.
	n := build(t, Input(5), Dense(5, Softmax))
	eye := make([][]float32, 5)
	for i := range eye {
		eye[i] = make([]float32, 5)
		eye[i][i] = 1
	}
	if err := n.SetWeights(0, eye, make([]float32, 5)); err != nil {
		t.Fatal(err)
	}
	got, err := n.Predict(logits)
	if err != nil || !equalBits(got, want) {
		t.Fatalf("Predict = %v, %v; want %v", got, err, want)
	}
	x := Matrix{Rows: 1, Cols: 5, Data: logits}
	for _, c := range []struct {
		class int
		loss  float64
	}{{3, 0}, {0, 627.97}} {
		m, err := n.Evaluate(x, Classes([]int{c.class}))
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(m.Loss-c.loss) > 1e-3 {
			t.Errorf("cross-entropy against class %d = %v, want %v", c.class, m.Loss, c.loss)
		}
	}

	// A training step on it keeps every weight finite.
	if _, err := n.Fit(context.Background(), x, Classes([]int{0}), TrainConfig{BatchSize: 32, Optimizer: SGD(0.1)}); err != nil {
		t.Fatal(err)
	}
	if !paramsFinite(n) {
		t.Fatalf("weights after one step: %v", n.params)
	}
}

func TestCase2LogZero(t *testing.T) {
	// A sigmoid output of ±1000 is exactly 1 or 0.
	bce := func(z, y float32) float64 {
		return rowLoss(BinaryCrossEntropy, []float32{z}, []float32{sigmoid(z)}, []float32{y})
	}
	if sigmoid(1000) != 1 || sigmoid(-1000) != 0 {
		t.Fatalf("sigmoid(±1000) = %v, %v", sigmoid(1000), sigmoid(-1000))
	}
	if l := bce(1000, 1); l != 0 {
		t.Errorf("BCE(p=1, y=1) = %v, want 0", l)
	}
	if l := bce(-1000, 0); l != 0 {
		t.Errorf("BCE(p=0, y=0) = %v, want 0", l)
	}
	if l := bce(1000, 0); !(l >= 100 && !math.IsInf(l, 0)) {
		t.Errorf("BCE of a confidently wrong prediction = %v, want large and finite", l)
	}
	z := []float32{-1000, 1000, -1000}
	p := make([]float32, 3)
	softmaxRow(p, z)
	y := []float32{0, 1, 0}
	if !equalBits(p, y) {
		t.Fatalf("softmax(%v) = %v, want %v", z, p, y)
	}
	if l := rowLoss(CategoricalCrossEntropy, z, p, y); l != 0 {
		t.Errorf("CCE([0,1,0], [0,1,0]) = %v, want 0", l)
	}
	if l := rowLoss(CategoricalCrossEntropy, z, p, []float32{1, 0, 0}); !(l >= 100 && !math.IsInf(l, 0)) {
		t.Errorf("CCE of a confidently wrong prediction = %v", l)
	}
	g := make([]float32, 3)
	lossGrad(CategoricalCrossEntropy, g, p, y, 1, 3)
	if !equalBits(g, []float32{0, 0, 0}) {
		t.Errorf("CCE gradient at the right answer = %v, want zeros", g)
	}
	lossGrad(BinaryCrossEntropy, g[:1], []float32{1}, []float32{1}, 1, 1)
	if g[0] != 0 {
		t.Errorf("BCE gradient at the right answer = %v, want 0", g[0])
	}

	// One training step on saturated samples, right and wrong, keeps
	// every weight finite.
	for _, c := range []struct {
		opts []Option
		y    Matrix
	}{
		{[]Option{Input(1), Dense(1, Sigmoid)}, Matrix{Rows: 4, Cols: 1, Data: []float32{1, 0, 0, 1}}},
		{[]Option{Input(1), Dense(3, Softmax)}, Classes([]int{1, 0, 2, 1})},
	} {
		n := build(t, c.opts...)
		w, b, _ := n.Weights(0)
		for u := range w {
			w[u][0] = 1
		}
		if err := n.SetWeights(0, w, b); err != nil {
			t.Fatal(err)
		}
		x := Matrix{Rows: 4, Cols: 1, Data: []float32{1000, -1000, 1000, -1000}}
		if _, err := n.Fit(context.Background(), x, c.y, TrainConfig{BatchSize: 32, Optimizer: SGD(1)}); err != nil {
			t.Fatal(err)
		}
		if !paramsFinite(n) {
			t.Errorf("%s: weights after one step: %v", n.loss, n.params)
		}
	}
}

func TestCase3Saturated(t *testing.T) {
	z := []float32{-1000, -100, -20, 0, 20, 100, 1000}
	sig := make([]float32, len(z))
	activate(Sigmoid, 0, sig, z, len(z))
	want := []float32{0, 0, 2.06e-9, 0.5, 1, 1, 1}
	for j, v := range sig {
		if math.Abs(float64(v-want[j])) > 1e-11 || (j == 2 && math.Abs(float64(v/want[j]-1)) > 1e-2) {
			t.Errorf("sigmoid(%v) = %v, want %v", z[j], v, want[j])
		}
	}
	th := make([]float32, len(z))
	activate(Tanh, 0, th, z, len(z))
	if want := []float32{-1, -1, -1, 0, 1, 1, 1}; !equalBits(th, want) {
		t.Errorf("tanh = %v, want %v", th, want)
	}
	ones := []float32{1, 1, 1, 1, 1, 1, 1}
	for _, c := range []struct {
		act  Activation
		a    []float32
		zero []bool // derivative must be exactly 0
	}{
		{Sigmoid, sig, []bool{true, false, false, false, true, true, true}},
		{Tanh, th, []bool{true, true, true, false, true, true, true}},
	} {
		dz := make([]float32, len(z))
		activationGrad(c.act, 0, dz, z, c.a, ones, len(z))
		for j, v := range dz {
			if firstNonFinite(dz[j:j+1]) >= 0 || (c.zero[j] && v != 0) || v < 0 || v > 1 {
				t.Errorf("%s'(%v) = %v", c.act, z[j], v)
			}
		}
	}

	// No finite input gives NaN or infinity, for any activation or gradient.
	var in []float32
	for _, v := range []float32{0, 1e-45, 1e-30, 1e-7, 0.5, 1, 17, 88, 89, 710, 1e10, 1e30, math.MaxFloat32} {
		in = append(in, v, -v)
	}
	for act := Identity; act <= Softmax; act++ {
		a := make([]float32, len(in))
		activate(act, 0.01, a, in, 2)
		dz := make([]float32, len(in))
		d := make([]float32, len(in))
		for j := range d {
			d[j] = 1
		}
		activationGrad(act, 0.01, dz, in, a, d, 2)
		for j := range in {
			if firstNonFinite(a[j:j+1]) >= 0 || firstNonFinite(dz[j:j+1]) >= 0 {
				t.Errorf("%s(%v) = %v, derivative %v", act, in[j], a[j], dz[j])
			}
		}
	}
}

func TestCase4RaggedRows(t *testing.T) {
	_, err := FromRows([][]float32{{0, 1}, {1, 0}, {1}})
	checkErr(t, err, ErrShape, "row 2", "width 1", "want 2")

	// A Matrix put together by hand with a short row is refused by Fit
	// before any update.
	n := build(t, Input(2), Dense(3, Sigmoid), Dense(1, Sigmoid))
	before := takeState(t, n)
	saved, err := n.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	x := Matrix{Rows: 3, Cols: 2, Data: []float32{0, 1, 1, 0, 1}}
	y := Matrix{Rows: 3, Cols: 1, Data: []float32{1, 1, 1}}
	_, err = n.Fit(context.Background(), x, y, TrainConfig{Epochs: 5, BatchSize: 32})
	checkErr(t, err, ErrShape, "5 values", "3×2 = 6")
	assertUnchanged(t, n, before)
	if after, err := n.MarshalBinary(); err != nil || string(after) != string(saved) {
		t.Errorf("saved bytes changed after a refused Fit (%v)", err)
	}
}

// case5 returns the 2-3-1 sigmoid network of case 5, with dropout after
// the hidden layer when rate > 0.
func case5(t testing.TB, rate float32) *Network {
	t.Helper()
	opts := []Option{Input(2), Dense(3, Sigmoid)}
	out := 1
	if rate > 0 {
		opts = append(opts, Dropout(rate))
		out = 2
	}
	n := build(t, append(opts, Dense(1, Sigmoid))...)
	err := errors.Join(
		n.SetWeights(0, [][]float32{{-3.5945, -3.5996}, {-5.7360, -5.8344}, {-0.9592, -1.0322}}, []float32{5.2195, 2.0856, -0.6706}),
		n.SetWeights(out, [][]float32{{7.1430, -7.7636, 0.7122}}, []float32{-3.2519}))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCase9DropoutInference(t *testing.T) {
	plain := case5(t, 0)
	want := []float32{0.05668, 0.93352, 0.93315, 0.08824}
	x, _ := xorSet(t)
	for i := range 4 {
		p, err := plain.Predict(x.Row(i))
		if err != nil || math.Abs(float64(p[0]-want[i])) > 1e-5 {
			t.Errorf("case 5 network on %v = %v, %v; want %v", x.Row(i), p, err, want[i])
		}
	}

	n := case5(t, 0.5)
	first, err := n.Predict([]float32{1, 0})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(first[0]-0.93315)) > 1e-5 {
		t.Errorf("with dropout at inference: %v, want 0.93315", first[0])
	}
	for range 100 {
		if p, _ := n.Predict([]float32{1, 0}); !equalBits(p, first) {
			t.Fatalf("prediction changed from %v to %v", first, p)
		}
	}

	// While training, kept units of an all-ones input are exactly 2 and
	// average 1 over 10^5 draws.
	d := build(t, Input(1000), Dropout(0.5), Dense(1, Identity))
	tr := d.trainerFor(100)
	for j := range tr.x {
		tr.x[j] = 1
	}
	d.forwardTrain(tr, 100)
	var sum float64
	kept := 0
	for _, v := range tr.a[0] {
		switch v {
		case 2:
			kept++
		case 0:
		default:
			t.Fatalf("dropout output %v, want 0 or exactly 2", v)
		}
		sum += float64(v)
	}
	if mean := sum / float64(len(tr.a[0])); math.Abs(mean-1) > 0.01 {
		t.Errorf("mean over %d draws = %v, want 1.00 ± 0.01", len(tr.a[0]), mean)
	}
	t.Logf("%d of %d kept", kept, len(tr.a[0]))
}

func TestCase10ConcurrentPredict(t *testing.T) {
	n := build(t, Input(16), Dense(32, ReLU), Dropout(0.3), Dense(24, Tanh), Dense(10, Softmax), Seed(5))
	r := rand.New(rand.NewPCG(9, 9))
	const inputs = 500
	xs := make([][]float32, inputs)
	serial := make([][]float32, inputs)
	for i := range xs {
		xs[i] = make([]float32, 16)
		for j := range xs[i] {
			xs[i][j] = float32(r.NormFloat64())
		}
		var err error
		if serial[i], err = n.Predict(xs[i]); err != nil {
			t.Fatal(err)
		}
	}

	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dst := make([]float32, 10)
			for k := range 10000 {
				i := (k*7 + g*31) % inputs
				if err := n.PredictInto(dst, xs[i]); err != nil || !equalBits(dst, serial[i]) {
					errs <- "goroutine result differs from the serial one"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}

	// A returned slice is the caller's: the next call leaves it alone.
	a, _ := n.Predict(xs[0])
	keep := append([]float32(nil), a...)
	if _, err := n.Predict(xs[1]); err != nil {
		t.Fatal(err)
	}
	b, _ := n.PredictBatch(Matrix{Rows: 1, Cols: 16, Data: xs[2]})
	if !equalBits(a, keep) || equalBits(b.Data, a) {
		t.Errorf("a kept result changed: %v, now %v", keep, a)
	}
}

// trainXOR trains the 2-4-1 XOR network of case 11 and returns its
// parameters and per-epoch losses.
func trainXOR(t *testing.T, seed uint64) ([]float32, []float64) {
	x, y := xorSet(t)
	n := build(t, Input(2), Dense(4, Tanh), Dense(1, Sigmoid), Seed(seed))
	h, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 50, BatchSize: 2, Optimizer: Adam(0.05)})
	if err != nil {
		t.Fatal(err)
	}
	var losses []float64
	for _, e := range h.Epochs {
		losses = append(losses, e.Loss)
	}
	return n.params, losses
}

func TestCase11Seeds(t *testing.T) {
	w1, l1 := trainXOR(t, 42)
	// Unrelated draws from the global generators must not matter.
	for range 100 {
		_ = mrand.Float64() + rand.Float64()
	}
	w2, l2 := trainXOR(t, 42)
	if !equalBits(w1, w2) {
		t.Errorf("same seed, different weights:\n%v\n%v", w1, w2)
	}
	for i := range l1 {
		if math.Float64bits(l1[i]) != math.Float64bits(l2[i]) {
			t.Errorf("epoch %d loss %v then %v", i+1, l1[i], l2[i])
		}
	}
	if w3, _ := trainXOR(t, 43); equalBits(w1, w3) {
		t.Error("seeds 42 and 43 gave the same weights")
	}
}

func TestCase12DeadUnits(t *testing.T) {
	x, y := xorSet(t)
	n := build(t, Input(2), Dense(2, ReLU), Dense(1, Sigmoid), WithLoss(BinaryCrossEntropy))
	err := errors.Join(
		n.SetWeights(0, [][]float32{{1, 1}, {-1, -1}}, []float32{0.1, -0.5}),
		n.SetWeights(1, [][]float32{{1, 1}}, []float32{0}))
	if err != nil {
		t.Fatal(err)
	}
	h, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 1000, BatchSize: 4, Optimizer: SGD(0.5)})
	if err != nil {
		t.Fatal(err)
	}
	w0, b0, _ := n.Weights(0)
	w1, _, _ := n.Weights(1)
	if !equalBits(w0[1], []float32{-1, -1}) || b0[1] != -0.5 || w1[0][1] != 1 {
		t.Errorf("dead unit B changed: weights %v, bias %v, outgoing weight %v", w0[1], b0[1], w1[0][1])
	}
	for _, e := range h.Epochs {
		if e.Accuracy > 0.75 {
			t.Fatalf("epoch %d accuracy %v, want at most 3/4", e.Epoch, e.Accuracy)
		}
	}
	// The loss has reached its plateau: the last 100 epochs change it by
	// less than 1e-4, far above the XOR optimum.
	l900, l1000 := h.Epochs[899].Loss, h.Epochs[999].Loss
	if math.Abs(l900-l1000) > 1e-4 || l1000 < 0.4 {
		t.Errorf("loss at epoch 900 %v, at 1000 %v: no plateau", l900, l1000)
	}
	t.Logf("plateau loss %.5f, accuracy %.2f", l1000, h.Epochs[999].Accuracy)

	// With the default initialisation (He normal, biases at reluBias)
	// almost every seed avoids dead units.
	if testing.Short() {
		t.Skip("trains 100 networks")
	}
	solved := 0
	cfg := TrainConfig{Epochs: 1000, BatchSize: 1, Optimizer: SGD(0.05)}
	for seed := uint64(1); seed <= 100; seed++ {
		n := build(t, Input(2), Dense(4, ReLU), Dense(1, Sigmoid), Seed(seed))
		if _, err := n.Fit(context.Background(), x, y, cfg); err != nil {
			t.Fatal(err)
		}
		if m, _ := n.Evaluate(x, y); m.Accuracy == 1 {
			solved++
		}
	}
	t.Logf("2-4-1 ReLU solves XOR for %d of the seeds 1-100", solved)
	if solved < 95 {
		t.Errorf("2-4-1 ReLU solves XOR for %d of 100 seeds, want at least 95", solved)
	}
}

// xorConfig trains the XOR network of case 17: full batch, Adam.
var xorConfig = TrainConfig{Epochs: 500, BatchSize: 4, Optimizer: Adam(0.05)}

func TestCase13LabelEncodings(t *testing.T) {
	// A softmax layer fed the logs of the predictions reproduces them.
	preds := [][]float32{{0.7, 0.2, 0.1}, {0.1, 0.1, 0.8}, {0.2, 0.6, 0.2}}
	x := NewMatrix(3, 3)
	for i, r := range preds {
		for j, p := range r {
			x.Data[i*3+j] = float32(math.Log(float64(p)))
		}
	}
	n := build(t, Input(3), Dense(3, Softmax))
	eye := [][]float32{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	if err := n.SetWeights(0, eye, make([]float32, 3)); err != nil {
		t.Fatal(err)
	}
	onehot, _ := FromRows([][]float32{{1, 0, 0}, {0, 1, 0}, {0, 1, 0}})
	for name, y := range map[string]Matrix{"indices": Classes([]int{0, 1, 1}), "one-hot": onehot} {
		m, err := n.Evaluate(x, y)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(m.Accuracy-2.0/3) > 1e-12 || math.Abs(m.Loss-1.05670) > 1e-5 {
			t.Errorf("%s: accuracy %v, loss %v; want 2/3 and 1.05670", name, m.Accuracy, m.Loss)
		}
	}
	_, err := n.Evaluate(x, Classes([]int{0, 3, 1}))
	checkErr(t, err, ErrLabel, "row 1", "label 3", "[0, 3)")
	_, err = n.Fit(context.Background(), x, Classes([]int{0, 1, 3}), TrainConfig{BatchSize: 32})
	checkErr(t, err, ErrLabel, "row 2", "label 3")
}

func TestCase14SmallDataBigBatch(t *testing.T) {
	x, _ := FromRows([][]float32{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0.5, 0.5}})
	y := Classes([]int{0, 1, 1, 0, 2})
	train := func(batch int) *Network {
		n := build(t, Input(2), Dense(4, ReLU), Dropout(0.2), Dense(3, Softmax), Seed(11))
		if _, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 20, BatchSize: batch}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	big, exact := train(32), train(5)
	if big.step != 20 {
		t.Errorf("batch 32 on 5 rows made %d updates in 20 epochs, want 20", big.step)
	}
	if !equalBits(big.params, exact.params) {
		t.Error("batch 32 and batch 5 on 5 rows gave different weights")
	}
	// A partial last batch is used, not dropped: 5 rows in batches of 2 make
	// 3 updates per epoch.
	if n := train(2); n.step != 60 {
		t.Errorf("batch 2 on 5 rows made %d updates in 20 epochs, want 60", n.step)
	}
	// The batch size has no default: 0 (the unset value) is refused like a
	// negative size, with the size named, before anything is touched.
	for _, b := range []int{0, -1, -32} {
		n := build(t, Input(2), Dense(4, ReLU), Dropout(0.2), Dense(3, Softmax), Seed(11))
		before := takeState(t, n)
		_, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 20, BatchSize: b})
		checkErr(t, err, ErrConfig, fmt.Sprintf("nn: batch size %d, want >= 1", b), "TrainConfig.BatchSize")
		assertUnchanged(t, n, before)
	}
}

func TestCase15EmptySets(t *testing.T) {
	n := build(t, Input(2), Dense(3, ReLU), Dense(1, Sigmoid))
	before := takeState(t, n)
	ctx := context.Background()

	_, err := n.Fit(ctx, NewMatrix(0, 2), NewMatrix(0, 1), TrainConfig{BatchSize: 32})
	checkErr(t, err, ErrEmpty, "training set is empty")
	x, y := xorSet(t)
	_, err = n.Fit(ctx, x, y, TrainConfig{BatchSize: 32, ValidationSplit: 0.9})
	checkErr(t, err, ErrEmpty, "training set is empty", "0.9", "4 rows")
	vx, vy := NewMatrix(0, 2), NewMatrix(0, 1)
	_, err = n.Fit(ctx, x, y, TrainConfig{BatchSize: 32, ValX: &vx, ValY: &vy})
	checkErr(t, err, ErrEmpty, "validation set is empty")
	_, err = n.Evaluate(NewMatrix(0, 2), NewMatrix(0, 1))
	checkErr(t, err, ErrEmpty, "evaluation set is empty")
	assertUnchanged(t, n, before)
}

func TestCase16NonFinite(t *testing.T) {
	n := build(t, Input(2), Dense(3, ReLU), Dense(1, Sigmoid))
	before := takeState(t, n)
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	x, _ := FromRows([][]float32{{0, 0}, {0, 1}, {1, nan}, {1, 1}})
	y, _ := FromRows([][]float32{{0}, {1}, {1}, {0}})
	_, err := n.Fit(context.Background(), x, y, TrainConfig{BatchSize: 32})
	checkErr(t, err, ErrNonFinite, "training input row 2, column 1 is NaN")

	yInf, _ := FromRows([][]float32{{0}, {1}, {inf}, {0}})
	_, err = n.Fit(context.Background(), x, yInf, TrainConfig{BatchSize: 32})
	checkErr(t, err, ErrNonFinite, "row 2, column 1 is NaN")
	xOK, _ := xorSet(t)
	_, err = n.Fit(context.Background(), xOK, yInf, TrainConfig{BatchSize: 32})
	checkErr(t, err, ErrNonFinite, "training target row 2, column 0 is +Inf")
	assertUnchanged(t, n, before)

	_, err = n.Predict([]float32{1, nan})
	checkErr(t, err, ErrNonFinite, "column 1 is NaN")
	err = n.PredictInto(make([]float32, 1), []float32{float32(math.Inf(-1)), 0})
	checkErr(t, err, ErrNonFinite, "column 0 is -Inf")
	_, err = n.PredictBatch(x)
	checkErr(t, err, ErrNonFinite, "row 2, column 1 is NaN")
	_, err = n.Evaluate(x, y)
	checkErr(t, err, ErrNonFinite, "row 2, column 1")
}

func TestCase17LongRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("2,000 epochs")
	}
	x, y := xorSet(t)
	n := build(t, Input(2), Dense(4, ReLU), Dense(1, Sigmoid), Seed(3))
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var at10, at2000 uint64
	goroutines := runtime.NumGoroutine()
	cfg := xorConfig
	cfg.Epochs = 2000
	cfg.OnEpoch = func(s EpochStats) error {
		switch s.Epoch {
		case 10:
			at10 = heap()
		case 2000:
			at2000 = heap()
		}
		return nil
	}
	if _, err := n.Fit(context.Background(), x, y, cfg); err != nil {
		t.Fatal(err)
	}
	t.Logf("heap after GC: epoch 10 %d B, epoch 2000 %d B", at10, at2000)
	if at2000 > at10+1<<20 {
		t.Errorf("heap grew from %d to %d bytes", at10, at2000)
	}
	if g := runtime.NumGoroutine(); g > goroutines {
		t.Errorf("%d goroutines before Fit, %d after", goroutines, g)
	}

	// A training step allocates nothing in steady state.
	if racing {
		return // allocation counts are not meaningful under the race detector
	}
	tr := n.trainerFor(4)
	rows := []int{0, 1, 2, 3}
	var tl tally
	allocs := testing.AllocsPerRun(100, func() {
		if err := n.trainBatch(tr, x, y, rows, false, &cfg, 0.01, &tl, 1, 1, 1); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 && !racing {
		t.Errorf("a training step allocates %v times", allocs)
	}
}

func TestCase18Formulas(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	stats := func(w []float32) (mean, std, maxAbs float64) {
		for _, v := range w {
			mean += float64(v)
			maxAbs = math.Max(maxAbs, math.Abs(float64(v)))
		}
		mean /= float64(len(w))
		for _, v := range w {
			std += (float64(v) - mean) * (float64(v) - mean)
		}
		return mean, math.Sqrt(std / float64(len(w))), maxAbs
	}

	// Glorot uniform on 400×600: limit sqrt(6/1000); a uniform on ±l has
	// std l/sqrt(3).
	w := make([]float32, 400*600)
	GlorotUniform().fill(w, 400, 600, r)
	mean, std, maxAbs := stats(w)
	limit := math.Sqrt(6.0 / 1000)
	if maxAbs > limit || maxAbs < 0.999*limit || math.Abs(std/(limit/math.Sqrt(3))-1) > 0.01 || math.Abs(mean) > 1e-3 {
		t.Errorf("Glorot uniform: mean %v, std %v, max |w| %v; want limit %v", mean, std, maxAbs, limit)
	}
	// He normal on fan_in 1000: std sqrt(2/1000).
	w = make([]float32, 1000*300)
	HeNormal().fill(w, 1000, 300, r)
	mean, std, _ = stats(w)
	if want := math.Sqrt(2.0 / 1000); math.Abs(std/want-1) > 0.01 || math.Abs(mean) > 1e-3 {
		t.Errorf("He normal: mean %v, std %v, want 0 and %v", mean, std, want)
	}
	// Defaults per activation.
	n := build(t, Input(3), Dense(4, ReLU), Dense(4, LeakyReLU), Dense(4, Tanh), Dense(2, Softmax))
	for i, want := range []InitKind{InitHeNormal, InitHeNormal, InitGlorotUniform, InitGlorotUniform} {
		if got := n.Layers()[i].Init.Kind; got != want {
			t.Errorf("layer %d default initialiser %d, want %d", i, got, want)
		}
	}

	// Adam's first step moves each weight by about the learning rate.
	x, y := xorSet(t)
	n = build(t, Input(2), Dense(4, Tanh), Dense(1, Sigmoid), Seed(8))
	before := append([]float32(nil), n.params...)
	if _, err := n.Fit(context.Background(), x, y, TrainConfig{BatchSize: 4, Optimizer: Adam(0.01)}); err != nil {
		t.Fatal(err)
	}
	for j, v := range n.params {
		// Weights from an input that is 0 in every row, if any, get a zero
		// gradient; all XOR inputs are used here, so every weight moves.
		if d := math.Abs(float64(v - before[j])); math.Abs(d-0.01) > 1e-4 {
			t.Errorf("parameter %d moved by %v, want 0.01", j, d)
		}
	}

	// The validation split shuffles before it splits: on class-sorted rows
	// every class reaches the validation set.
	labels := make([]int, 150)
	for i := range labels {
		labels[i] = i / 50
	}
	n = build(t, Input(1), Dense(3, Softmax), Seed(1))
	_, val := n.splitRows(150, 120, true)
	seen := map[int]int{}
	for _, i := range val {
		seen[labels[i]]++
	}
	if len(seen) != 3 {
		t.Errorf("validation rows per class %v, want all three classes", seen)
	}
	_, val = n.splitRows(150, 120, false)
	if labels[val[0]] != 2 {
		t.Errorf("without the shuffle the tail should be class 2 only")
	}
}
