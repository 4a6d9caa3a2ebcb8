package nn

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// A nil or zero Network answers every method with an error (or a zero
// size) instead of panicking.
func TestUnbuiltNetwork(t *testing.T) {
	x, y := xorSet(t)
	for _, n := range []*Network{nil, {}} {
		if n.OutputSize() != 0 || n.InputSize() != 0 || len(n.Layers()) != 0 {
			t.Errorf("sizes of an unbuilt network: in %d, out %d, %d layers", n.InputSize(), n.OutputSize(), len(n.Layers()))
		}
		_, err := n.Predict([]float32{1, 2})
		checkErr(t, err, ErrConfig, "no layers")
		checkErr(t, n.PredictInto(nil, nil), ErrConfig, "no layers")
		checkErr(t, n.PredictLogitsInto(make([]float32, 1), []float32{1}), ErrConfig, "no layers")
		_, err = n.PredictBatch(x)
		checkErr(t, err, ErrConfig, "no layers")
		checkErr(t, n.PredictBatchInto(NewMatrix(4, 1), x), ErrConfig, "no layers")
		checkErr(t, n.PredictMaskedInto(nil, nil, nil), ErrConfig, "no layers")
		checkErr(t, n.PredictBatchMaskedInto(NewMatrix(4, 1), x, nil), ErrConfig, "no layers")
		_, err = n.Evaluate(x, y)
		checkErr(t, err, ErrConfig, "no layers")
		_, err = n.EvaluateK(x, y, 1)
		checkErr(t, err, ErrConfig, "no layers")
		_, _, err = n.Weights(0)
		checkErr(t, err, ErrConfig, "no layers")
		checkErr(t, n.SetWeights(0, nil, nil), ErrConfig, "no layers")
		_, err = n.MarshalBinary()
		checkErr(t, err, ErrConfig, "no layers")
		var buf bytes.Buffer
		checkErr(t, n.Save(&buf), ErrConfig, "no layers")
		if buf.Len() != 0 {
			t.Errorf("Save wrote %d bytes for an unbuilt network", buf.Len())
		}
		if _, ok := n.Meta("k"); ok || n.Scaler() != nil || n.ClassNames() != nil || len(n.MetaKeys()) != 0 {
			t.Error("an unbuilt network reports metadata")
		}
	}
	for _, n := range []*Network{nil, {}} {
		_, err := n.Fit(context.Background(), x, y, TrainConfig{BatchSize: 4})
		checkErr(t, err, ErrConfig, "no layers")
	}
}

// Sizes whose product overflows an int never pass for a matrix whose data
// has that many values: every entry point refuses them before indexing or
// allocating by them.
func TestOverflowingMatrixSizes(t *testing.T) {
	n := build(t, Input(4), Dense(4, Softmax))
	const intBits = 32 << (^uint(0) >> 63)
	huge := Matrix{Rows: 1 << (intBits - 2), Cols: 4} // 4 rows per 2^(intBits-2) wraps to 0 = len(Data)
	if huge.Rows*huge.Cols != 0 {
		t.Fatal("the test needs a product that wraps to 0")
	}
	const msg = "more values than an int can count"
	_, err := n.PredictBatch(huge)
	checkErr(t, err, ErrShape, msg)
	checkErr(t, n.PredictBatchInto(huge, huge), ErrShape, msg)
	checkErr(t, n.PredictBatchMaskedInto(huge, huge, nil), ErrShape, msg)
	_, err = n.Evaluate(huge, huge)
	checkErr(t, err, ErrShape, msg)
	_, err = n.Evaluate(huge, Classes([]int{0}))
	checkErr(t, err, ErrShape)
	_, err = n.Fit(context.Background(), huge, huge, TrainConfig{BatchSize: 4})
	checkErr(t, err, ErrShape, msg)
	_, err = FitScaler(huge)
	checkErr(t, err, ErrShape, msg)
	s := &Scaler{Mean: make([]float32, 4), Std: []float32{1, 1, 1, 1}}
	_, err = s.Transform(huge)
	checkErr(t, err, ErrShape, msg)
	_, _, _, _, err = Split(huge, huge, 0.5, 1)
	checkErr(t, err, ErrShape, msg)
	_, _, err = NewPerceptron(4).Train(huge, nil, 1)
	checkErr(t, err, ErrShape, msg)
	if m := NewMatrix(huge.Rows, 4); m.Rows != 0 || len(m.Data) != 0 {
		t.Errorf("NewMatrix(%d, 4) = %d×%d with %d values, want empty", huge.Rows, m.Rows, m.Cols, len(m.Data))
	}

	// Rows alone are not bounded by memory when there are no columns.
	wide := Matrix{Rows: math.MaxInt / 2}
	_, _, _, _, err = Split(wide, wide, 0.5, 1)
	checkErr(t, err, ErrEmpty, "no columns")
	_, err = (&Scaler{}).Transform(wide)
	checkErr(t, err, ErrEmpty, "no columns")
}

// A perceptron refuses to answer from a nil receiver, from non-finite
// weights, or from a sum that overflowed to NaN, instead of answering -1.
func TestPerceptronNonFinite(t *testing.T) {
	var nilP *Perceptron
	_, err := nilP.Predict(nil)
	checkErr(t, err, ErrConfig, "nil")
	_, _, err = nilP.Train(NewMatrix(1, 1), []float32{1}, 1)
	checkErr(t, err, ErrConfig, "nil")

	nan := float32(math.NaN())
	p := &Perceptron{W: []float32{nan}}
	_, err = p.Predict([]float32{1})
	checkErr(t, err, ErrNonFinite, "weight 0 is NaN")
	x := Matrix{Rows: 1, Cols: 1, Data: []float32{1}}
	epochs, _, err := p.Train(x, []float32{1}, 5)
	checkErr(t, err, ErrNonFinite, "weight 0 is NaN")
	if epochs != 0 {
		t.Errorf("Train ran %d epochs with a NaN weight", epochs)
	}
	p = &Perceptron{W: []float32{1}, B: float32(math.Inf(-1))}
	_, err = p.Predict([]float32{1})
	checkErr(t, err, ErrNonFinite, "bias is -Inf")

	// 1e38·1e10 and -1e38·1e10 overflow to +Inf and -Inf, which sum to NaN
	p = &Perceptron{W: []float32{1e38, -1e38}}
	_, err = p.Predict([]float32{1e10, 1e10})
	checkErr(t, err, ErrNonFinite, "NaN", "overflow")
	xy := Matrix{Rows: 1, Cols: 2, Data: []float32{1e10, 1e10}}
	_, _, err = p.Train(xy, []float32{1}, 5)
	checkErr(t, err, ErrDiverged, "epoch 1, row 0", "NaN")
	if p.W[0] != 1e38 || p.W[1] != -1e38 || p.B != 0 {
		t.Errorf("weights changed to %v, %v", p.W, p.B)
	}

	// one infinite product alone still has the right sign
	p = &Perceptron{W: []float32{1e38, 1}}
	if v, err := p.Predict([]float32{1e10, 1}); err != nil || v != 1 {
		t.Errorf("Predict with a +Inf product = %v, %v, want 1", v, err)
	}
}

// Finite inputs and weights whose sums overflow float32 give an error
// naming the layer from every predict and evaluate path, never NaN or an
// infinity with a nil error, nor an accuracy counted from NaN outputs.
func TestOverflowingOutputs(t *testing.T) {
	for _, act := range []Activation{Softmax, Identity} {
		n := build(t, Input(2), Dense(1, Identity), Dense(2, act))
		if err := n.SetWeights(0, [][]float32{{1, 1}}, []float32{0}); err != nil {
			t.Fatal(err)
		}
		if err := n.SetWeights(1, [][]float32{{1}, {-1}}, []float32{0, 0}); err != nil {
			t.Fatal(err)
		}
		big := []float32{3e38, 3e38} // the hidden sum is +Inf
		const where = "layer 0 (dense 2->1): output row 0, column 0 is +Inf"

		_, err := n.Predict(big)
		checkErr(t, err, ErrNonFinite, where)
		dst := []float32{7, 7}
		checkErr(t, n.PredictInto(dst, big), ErrNonFinite, where)
		checkErr(t, n.PredictLogitsInto(dst, big), ErrNonFinite, where)
		if dst[0] != 7 || dst[1] != 7 {
			t.Errorf("%v: a refused prediction wrote %v", act, dst)
		}
		checkErr(t, n.PredictMaskedInto(dst, big, []bool{true, false}), ErrNonFinite, where)

		// the third row overflows: the error names it
		x := Matrix{Rows: 3, Cols: 2, Data: []float32{0, 1, 1, 0, 3e38, 3e38}}
		const row2 = "layer 0 (dense 2->1): output row 2, column 0 is +Inf"
		_, err = n.PredictBatch(x)
		checkErr(t, err, ErrNonFinite, row2)
		checkErr(t, n.PredictBatchInto(NewMatrix(3, 2), x), ErrNonFinite, row2)
		masks := [][]bool{{true, true}, {true, true}, {true, false}}
		checkErr(t, n.PredictBatchMaskedInto(NewMatrix(3, 2), x, masks), ErrNonFinite, row2)
		m, err := n.Evaluate(x, Classes([]int{0, 1, 0}))
		checkErr(t, err, ErrNonFinite, row2)
		if m.N != 0 || m.Accuracy != 0 {
			t.Errorf("%v: refused evaluation reports %+v", act, m)
		}
		_, err = n.EvaluateK(x, Classes([]int{0, 1, 0}), 1)
		checkErr(t, err, ErrNonFinite, row2)

		// rows that stay finite still predict
		if p, err := n.Predict([]float32{1, 0}); err != nil || firstNonFinite(p) >= 0 {
			t.Errorf("%v: Predict([1 0]) = %v, %v", act, p, err)
		}
	}

	// A saturating output of an infinite sum is its exact limit, not an error.
	n := build(t, Input(2), Dense(1, Identity), Dense(2, Sigmoid))
	if err := n.SetWeights(0, [][]float32{{1, 1}}, []float32{0}); err != nil {
		t.Fatal(err)
	}
	if err := n.SetWeights(1, [][]float32{{1}, {-1}}, []float32{0, 0}); err != nil {
		t.Fatal(err)
	}
	p, err := n.Predict([]float32{3e38, 3e38})
	if err != nil || p[0] != 1 || p[1] != 0 {
		t.Errorf("sigmoid of ±Inf = %v, %v, want [1 0]", p, err)
	}

	// A leaky slope that overflows is blamed on its layer.
	n = build(t, Input(1), Dense(2, LeakyReLU, Alpha(-2e38)), Dense(1, Sigmoid))
	if err := n.SetWeights(0, [][]float32{{1}, {1}}, []float32{0, 0}); err != nil {
		t.Fatal(err)
	}
	if err := n.SetWeights(1, [][]float32{{1, -1}}, []float32{0}); err != nil {
		t.Fatal(err)
	}
	_, err = n.Predict([]float32{-2})
	checkErr(t, err, ErrNonFinite, "layer 0 (dense 1->2): output row 0, column 0 is +Inf")
}

// A scaler with a tiny standard deviation turns a large finite input into
// an infinity: prediction, evaluation and training name the scaler, the
// row and the column, and training changes nothing.
func TestScalerOverflow(t *testing.T) {
	s, err := FitScaler(Matrix{Rows: 2, Cols: 1, Data: []float32{0, 1e-38}})
	if err != nil {
		t.Fatal(err)
	}
	n := build(t, Input(1), Dense(2, Softmax))
	n.SetScaler(s)
	const msg = "column 0: 1000 standardised with mean 5e-39 and standard deviation 5e-39 is +Inf"
	_, err = n.Predict([]float32{1000})
	checkErr(t, err, ErrNonFinite, "scaler: input row 0, "+msg)
	x := Matrix{Rows: 2, Cols: 1, Data: []float32{0, 1000}}
	_, err = n.PredictBatch(x)
	checkErr(t, err, ErrNonFinite, "scaler: input row 1, "+msg)
	_, err = n.Evaluate(x, Classes([]int{0, 1}))
	checkErr(t, err, ErrNonFinite, "scaler: evaluation input row 1, "+msg)
	before := takeState(t, n)
	_, err = n.Fit(context.Background(), x, Classes([]int{0, 1}), TrainConfig{BatchSize: 2, Epochs: 2})
	checkErr(t, err, ErrNonFinite, "scaler: training input row 1, "+msg)
	assertUnchanged(t, n, before)

	// the values the scaler was fitted on still work
	if p, err := n.Predict([]float32{1e-38}); err != nil || firstNonFinite(p) >= 0 {
		t.Errorf("Predict(1e-38) = %v, %v", p, err)
	}
}

// New refuses a network above the platform's parameter bound with an
// error naming the layer and the bound, before allocating anything, so a
// WebAssembly instance is never stopped by "out of memory".
func TestParameterBound(t *testing.T) {
	in := 1 << 12
	out := maxParams / in // in·out + out is just above the bound
	_, err := New(Input(in), Dense(out, Identity))
	checkErr(t, err, ErrConfig, fmt.Sprintf("layer 0 (dense %d->%d): too many weights", in, out),
		fmt.Sprintf("at most %d parameters", maxParams))
}

// A finite gradient whose square (Adam, RMSProp) or velocity (momentum)
// overflows float32 stops training with ErrDiverged before any state
// changes, instead of freezing the weight behind an infinite moment that
// no checkpoint could hold.
func TestOptimizerStateOverflow(t *testing.T) {
	x := Matrix{Rows: 1, Cols: 1, Data: []float32{1e19}}
	y := Matrix{Rows: 1, Cols: 1, Data: []float32{0}}
	for _, o := range []Optimizer{Adam(0.001), RMSProp(0.001), Momentum(10, 0.9), Nesterov(10, 0.9)} {
		n := build(t, Input(1), Dense(1, Identity), Seed(3))
		if err := n.SetWeights(0, [][]float32{{1}}, []float32{0}); err != nil {
			t.Fatal(err)
		}
		// the gradient 2·(1e19−0)·1e19 = 2e38 is finite
		_, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 5, BatchSize: 1, Optimizer: o})
		checkErr(t, err, ErrDiverged, "epoch 1, batch 1 of 1", "would overflow")
		if n.params[0] != 1 || n.params[1] != 0 || n.step != 0 {
			t.Errorf("optimizer %d: weights %v, step %d after a refused step", o.Kind, n.params, n.step)
		}
		if firstNonFinite(n.m) >= 0 || firstNonFinite(n.v) >= 0 {
			t.Errorf("optimizer %d: moments %v %v", o.Kind, n.m, n.v)
		}
		b, err := n.MarshalBinary()
		if err != nil {
			t.Fatalf("optimizer %d: %v", o.Kind, err)
		}
		var back Network
		if err := back.UnmarshalBinary(b); err != nil {
			t.Errorf("optimizer %d: checkpoint does not load: %v", o.Kind, err)
		}
	}
}

// Saving refuses optimiser state that Load would refuse, so SaveFile never
// replaces a good checkpoint with an unloadable one.
func TestSaveRefusesNonFiniteMoments(t *testing.T) {
	x, y := xorSet(t)
	n := build(t, Input(2), Dense(2, Tanh), Dense(1, Sigmoid))
	if _, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 2, BatchSize: 4}); err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/model.nnm"
	if err := n.SaveFile(path, WithOptimizerState()); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n.v[3] = float32(math.Inf(1))
	_, err = n.MarshalBinary()
	checkErr(t, err, ErrNonFinite, "optimiser moment 2, value 3 is +Inf")
	checkErr(t, n.SaveFile(path, WithOptimizerState()), ErrNonFinite, "optimiser moment 2")
	if now, err := os.ReadFile(path); err != nil || !bytes.Equal(now, good) {
		t.Errorf("the saved checkpoint changed (%v)", err)
	}
	// without the optimiser state the weights alone can still be saved
	if err := n.SaveFile(path); err != nil {
		t.Errorf("saving the weights alone: %v", err)
	}
}

// An initializer with finite parameters that draws weights past float32
// makes New fail naming the layer, instead of building a network with
// infinite weights.
func TestInitializerOverflow(t *testing.T) {
	_, err := New(Input(2), Dense(50, Identity, WithInit(Normal(0, 3e38))), Seed(1))
	checkErr(t, err, ErrConfig, "layer 0 (dense 2->50)", "Inf")
	_, err = New(Input(2), Dense(3, Tanh), Dense(4, Identity, WithInit(Normal(3e38, 1e38))))
	checkErr(t, err, ErrConfig, "layer 1 (dense 3->4)", "+Inf")
	// the largest uniform range stays finite
	n, err := New(Input(2), Dense(50, Identity, WithInit(Uniform(-math.MaxFloat32, math.MaxFloat32))))
	if err != nil || !paramsFinite(n) {
		t.Errorf("uniform over the float32 range: %v", err)
	}
}

// Targets outside the loss's domain are refused by Fit and Evaluate,
// naming the row and column, instead of giving losses that mean nothing
// (a negative cross-entropy).
func TestTargetsOutsideLossDomain(t *testing.T) {
	ctx := context.Background()
	cfg := TrainConfig{BatchSize: 2}
	x := Matrix{Rows: 2, Cols: 2, Data: []float32{0, 1, 1, 0}}

	bce := build(t, Input(2), Dense(1, Sigmoid))
	before := takeState(t, bce)
	for _, c := range []struct {
		y    []float32
		want string
	}{{[]float32{1, 5}, "row 1, column 0 is 5"}, {[]float32{-3, 0}, "row 0, column 0 is -3"}} {
		y := Matrix{Rows: 2, Cols: 1, Data: c.y}
		_, err := bce.Fit(ctx, x, y, cfg)
		checkErr(t, err, ErrLabel, "training target "+c.want, "binary cross-entropy")
		_, err = bce.Evaluate(x, y)
		checkErr(t, err, ErrLabel, "evaluation target "+c.want)
	}
	assertUnchanged(t, bce, before)

	cce := build(t, Input(2), Dense(2, Softmax))
	before = takeState(t, cce)
	for _, c := range []struct {
		y    []float32
		want string
	}{
		{[]float32{-1, 2, 0, 1}, "row 0, column 0 is -1"},
		{[]float32{1, 0, 0.5, 0.6}, "row 1 sums to 1.1"},
		{[]float32{0, 0, 0, 1}, "row 0 sums to 0"},
	} {
		y := Matrix{Rows: 2, Cols: 2, Data: c.y}
		_, err := cce.Fit(ctx, x, y, cfg)
		checkErr(t, err, ErrLabel, "training target "+c.want, "categorical cross-entropy")
		_, err = cce.Evaluate(x, y)
		checkErr(t, err, ErrLabel, "evaluation target "+c.want)
	}
	assertUnchanged(t, cce, before)

	// soft targets, one-hot rows and class indices are all accepted
	soft := Matrix{Rows: 2, Cols: 2, Data: []float32{0.3, 0.7, 0.9, 0.1}}
	if m, err := cce.Evaluate(x, soft); err != nil || !(m.Loss > 0) {
		t.Errorf("soft targets: %+v, %v", m, err)
	}
	oneHot, _ := OneHot([]int{1, 0}, 2)
	a, err1 := cce.Evaluate(x, oneHot)
	b, err2 := cce.Evaluate(x, Classes([]int{1, 0}))
	if err1 != nil || err2 != nil || a != b {
		t.Errorf("one-hot %+v (%v) and class indices %+v (%v) differ", a, err1, b, err2)
	}
	// mean squared error takes any finite target
	mse := build(t, Input(2), Dense(1, Identity))
	if _, err := mse.Evaluate(x, Matrix{Rows: 2, Cols: 1, Data: []float32{-3, 5}}); err != nil {
		t.Errorf("regression targets: %v", err)
	}
}

// Tied outputs rank by index for top-k accuracy as for Accuracy, so a
// network whose outputs are all equal does not score every class a hit.
func TestTopKTies(t *testing.T) {
	n := build(t, Input(2), Dense(3, Softmax, WithInit(Zeros())))
	x := Matrix{Rows: 3, Cols: 2, Data: []float32{0, 1, 1, 0, 1, 1}}
	y := Classes([]int{0, 1, 2})
	for k, want := range []float64{1: 1.0 / 3, 2: 2.0 / 3, 3: 1} {
		if k == 0 {
			continue
		}
		m, err := n.EvaluateK(x, y, k)
		if err != nil {
			t.Fatal(err)
		}
		if m.TopK != want || k == 1 && m.TopK != m.Accuracy {
			t.Errorf("top-%d of equal outputs = %v (accuracy %v), want %v", k, m.TopK, m.Accuracy, want)
		}
	}
}

// A byte-order mark before a quoted first name, as spreadsheets export
// "CSV UTF-8", is skipped instead of making the quote bare.
func TestCSVByteOrderMarkQuoted(t *testing.T) {
	for _, in := range []string{"\ufeff\"a\",b\n1,2\n", "\ufeffa,\"b\"\n1,2\n", "\"a\",b\n1,2\n"} {
		d, err := ReadCSV(strings.NewReader(in), "a")
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if d.Features[0] != "b" || d.Y.Data[0] != 1 || d.X.Data[0] != 2 {
			t.Errorf("%q: features %q, x %v, y %v", in, d.Features, d.X.Data, d.Y.Data)
		}
	}
	// a mark anywhere else is data, and not a number
	_, err := ReadCSV(strings.NewReader("a,b\n1,\ufeff2\n"), "a")
	checkErr(t, err, ErrShape, "line 2")
}

// SaveFile through a symbolic link replaces the file the link leads to
// and keeps the link.
func TestSaveFileThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target, link := dir+"/v1.nnm", dir+"/current.nnm"
	old := build(t, Input(2), Dense(1, Sigmoid), Seed(1))
	if err := old.SaveFile(target); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("v1.nnm", link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	n := build(t, Input(2), Dense(1, Sigmoid), Seed(2))
	if err := n.SaveFile(link); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced (%v)", err)
	}
	var want bytes.Buffer
	if err := n.Save(&want); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(target)
	if err != nil || !bytes.Equal(got, want.Bytes()) {
		t.Error("the link's target does not hold the new model")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("%d files left in the folder, want the target and the link", len(entries))
	}
}

// Checking scaled inputs costs the same few allocations however many rows
// there are.
func TestScaledCheckAllocations(t *testing.T) {
	if racing {
		t.Skip("allocation counts differ under the race detector")
	}
	n := build(t, Input(2), Dense(2, Softmax))
	allocs := func(rows int) float64 {
		x := NewMatrix(rows, 2)
		for i := range x.Data {
			x.Data[i] = float32(i % 7)
		}
		s, err := FitScaler(x)
		if err != nil {
			t.Fatal(err)
		}
		n.SetScaler(s)
		y := Classes(make([]int, rows))
		return testing.AllocsPerRun(20, func() {
			if _, err := n.Evaluate(x, y); err != nil {
				t.Fatal(err)
			}
		})
	}
	if few, many := allocs(10), allocs(1000); many != few {
		t.Errorf("Evaluate with a scaler: %v allocations for 10 rows, %v for 1000", few, many)
	}
}

// Fit with a context that is already done changes nothing, so a later Fit
// gives the same weights as on an untouched copy of the network.
func TestFitCancelledBeforeStart(t *testing.T) {
	x, y := xorSet(t)
	fresh := func() *Network {
		n := build(t, Input(2), Dense(3, Tanh), Dense(1, Sigmoid), Seed(7))
		if _, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 2, BatchSize: 2, Optimizer: Momentum(0.1, 0.9)}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	n, ref := fresh(), fresh()
	before, err := n.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg := TrainConfig{Epochs: 5, BatchSize: 2, Optimizer: Adam(0.01), ValidationSplit: 0.25}
	h, err := n.Fit(ctx, x, y, cfg)
	if !errors.Is(err, context.Canceled) || h == nil || len(h.Epochs) != 0 {
		t.Fatalf("Fit with a cancelled context = %v, %v", h, err)
	}
	after, _ := n.MarshalBinary()
	if !bytes.Equal(before, after) {
		t.Error("a Fit cancelled before it started changed the network")
	}
	cfg.ValidationSplit = 0
	if _, err := n.Fit(context.Background(), x, y, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := ref.Fit(context.Background(), x, y, cfg); err != nil {
		t.Fatal(err)
	}
	if !equalBits(n.params, ref.params) {
		t.Error("training after a cancelled Fit differs from training an untouched copy")
	}
}

// A validation set whose outputs overflow stops Fit with an error naming
// the epoch, the row and the layer, instead of NaN validation metrics.
func TestFitValidationOverflow(t *testing.T) {
	x, _ := xorSet(t)
	y := Classes([]int{0, 1, 1, 0})
	n := build(t, Input(2), Dense(1, Identity), Dense(2, Softmax))
	if err := n.SetWeights(0, [][]float32{{1, 1}}, []float32{0}); err != nil {
		t.Fatal(err)
	}
	valX := Matrix{Rows: 2, Cols: 2, Data: []float32{0, 1, 3e38, 3e38}}
	valY := Classes([]int{1, 0})
	h, err := n.Fit(context.Background(), x, y, TrainConfig{BatchSize: 4, Epochs: 3, Optimizer: SGD(1e-6), ValX: &valX, ValY: &valY})
	checkErr(t, err, ErrDiverged, "validation after epoch 1", "layer 0 (dense 2->1): output row 1, column 0 is +Inf")
	if !errors.Is(err, ErrNonFinite) {
		t.Errorf("the validation error %v does not keep the kind of its cause, ErrNonFinite", err)
	}
	if h == nil || len(h.Epochs) != 0 || !paramsFinite(n) {
		t.Errorf("history %v, finite weights %v", h, paramsFinite(n))
	}
}

// A validation split holds out the same rows in every Fit call, so a run
// resumed from a checkpoint ends bit-identical to an uninterrupted one and
// never validates on rows it trained on.
func TestValidationSplitResumes(t *testing.T) {
	x := NewMatrix(10, 2)
	labels := make([]int, 10)
	for i := range 10 {
		x.Data[2*i], x.Data[2*i+1] = float32(i%3), float32(i%4)
		labels[i] = i % 2
	}
	y := Classes(labels)
	cfg := func(epochs int) TrainConfig {
		return TrainConfig{Epochs: epochs, BatchSize: 3, Optimizer: Adam(0.01), ValidationSplit: 0.3}
	}
	whole := build(t, Input(2), Dense(4, Tanh), Dense(2, Softmax), Seed(5))
	hw, err := whole.Fit(context.Background(), x, y, cfg(10))
	if err != nil {
		t.Fatal(err)
	}

	first := build(t, Input(2), Dense(4, Tanh), Dense(2, Softmax), Seed(5))
	if _, err := first.Fit(context.Background(), x, y, cfg(5)); err != nil {
		t.Fatal(err)
	}
	b, err := first.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var resumed Network
	if err := resumed.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	hr, err := resumed.Fit(context.Background(), x, y, cfg(5))
	if err != nil {
		t.Fatal(err)
	}
	if !equalBits(resumed.params, whole.params) {
		t.Error("5 + 5 epochs with a validation split differ from 10")
	}
	if hr.Epochs[4].ValLoss != hw.Epochs[9].ValLoss {
		t.Errorf("validation loss after 10 epochs: %v resumed, %v whole", hr.Epochs[4].ValLoss, hw.Epochs[9].ValLoss)
	}
	_, v1 := whole.splitRows(10, 7, true)
	_, v2 := resumed.splitRows(10, 7, true)
	if !slices.Equal(v1, v2) {
		t.Errorf("held-out rows %v and %v differ", v1, v2)
	}
}

// A single tanh or sign output with 0/1 targets splits at 0.5, so a
// constant output no longer scores every row correct; with ±1 targets it
// still splits at 0.
func TestTanhAccuracyZeroOneTargets(t *testing.T) {
	x, y01 := xorSet(t)
	for _, act := range []Activation{Tanh, Sign} {
		n := build(t, Input(2), Dense(1, act))
		if err := n.SetWeights(0, [][]float32{{0, 0}}, []float32{0.1}); err != nil {
			t.Fatal(err)
		}
		// tanh(0.1) ≈ 0.0997 and sign(0.1) = 1 for every row
		m, err := n.Evaluate(x, y01)
		if err != nil {
			t.Fatal(err)
		}
		want := 0.5 // tanh: all below 0.5, so class 0; sign: all 1, so class 1
		if m.Accuracy != want {
			t.Errorf("%v with 0/1 targets: accuracy %v, want %v", act, m.Accuracy, want)
		}
		ypm := Matrix{Rows: 4, Cols: 1, Data: []float32{-1, 1, 1, -1}}
		if m, err := n.Evaluate(x, ypm); err != nil || m.Accuracy != 0.5 {
			t.Errorf("%v with ±1 targets: accuracy %v (%v), want 0.5", act, m.Accuracy, err)
		}
		// training reports the same accuracy as Evaluate for its weights
		h, err := n.Fit(context.Background(), x, y01, TrainConfig{BatchSize: 4, Optimizer: SGD(1e-9), NoShuffle: true})
		if err != nil {
			t.Fatal(err)
		}
		if h.Epochs[0].Accuracy != want {
			t.Errorf("%v: training accuracy %v, want %v", act, h.Epochs[0].Accuracy, want)
		}
	}
}

// Class names that do not fit the output layer are refused when saving
// and when loading, so ClassNames of a loaded network covers every class.
func TestClassNamesCount(t *testing.T) {
	n := build(t, Input(2), Dense(3, Softmax))
	n.SetClassNames([]string{"only-one"})
	_, err := n.MarshalBinary()
	checkErr(t, err, ErrShape, "1 class names for 3 outputs")
	path := t.TempDir() + "/m.nnm"
	checkErr(t, n.SaveFile(path), ErrShape, "1 class names")
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused save left a file (%v)", err)
	}

	// a file written with a wrong count (as by another writer) does not load
	n.SetClassNames([]string{"a", "b", "c"})
	m, err := n.toModel(saveConfig{})
	if err != nil {
		t.Fatal(err)
	}
	m.meta.classes = m.meta.classes[:2]
	_, err = Load(bytes.NewReader(encode(m)))
	checkErr(t, err, ErrArchitecture, "2 class names for 3 outputs")

	// one name per output, two for a single output, or none are fine
	for _, c := range []struct {
		out   int
		names []string
	}{{3, []string{"a", "b", "c"}}, {1, []string{"no", "yes"}}, {1, []string{"score"}}, {3, nil}} {
		n := build(t, Input(2), Dense(c.out, Sigmoid))
		n.SetClassNames(c.names)
		b, err := n.MarshalBinary()
		if err != nil {
			t.Errorf("%d names for %d outputs: %v", len(c.names), c.out, err)
			continue
		}
		var back Network
		if err := back.UnmarshalBinary(b); err != nil || !slices.Equal(back.ClassNames(), c.names) {
			t.Errorf("%d names for %d outputs: loaded %q, %v", len(c.names), c.out, back.ClassNames(), err)
		}
	}
}

// The progress line's time left does not overflow with a huge epoch
// count, the "train until the callback stops" idiom.
func TestProgressHugeEpochs(t *testing.T) {
	x, y := xorSet(t)
	n := build(t, Input(2), Dense(1, Sigmoid))
	var out bytes.Buffer
	_, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: math.MaxInt, BatchSize: 4, Progress: &out,
		OnEpoch: func(st EpochStats) error {
			if st.Epoch == 2 {
				return ErrStop
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("progress %q", out.String())
	}
	for _, l := range lines {
		// with a 32-bit int the most epochs take hours, not more than 10000h
		if math.MaxInt > math.MaxInt32 && !strings.HasSuffix(l, "ETA: >10000h0m0s") ||
			strings.Contains(l, "ETA: -") {
			t.Errorf("progress line %q", l)
		}
	}
	if got := eta(3*time.Second, 2, 4); got != "6s" {
		t.Errorf("eta(3s, 2 done, 4 left) = %s, want 6s", got)
	}
}

// A tanh output trained on ±1 targets keeps splitting at 0 when it is
// evaluated on one class alone, after more training on that class, and
// after a save and load; one trained on 0/1 targets keeps 0.5.
func TestTanhAccuracyFollowsTraining(t *testing.T) {
	x := Matrix{Rows: 4, Cols: 1, Data: []float32{0.3, 0.4, -0.3, -0.4}}
	pos, neg := Matrix{Rows: 2, Cols: 1, Data: x.Data[:2]}, Matrix{Rows: 2, Cols: 1, Data: x.Data[2:]}
	ones := Matrix{Rows: 2, Cols: 1, Data: []float32{1, 1}}
	cfg := TrainConfig{BatchSize: 4, Optimizer: SGD(1e-9)}
	acc := func(n *Network, x, y Matrix) float64 {
		t.Helper()
		m, err := n.Evaluate(x, y)
		if err != nil {
			t.Fatal(err)
		}
		return m.Accuracy
	}
	n := build(t, Input(1), Dense(1, Tanh))
	if err := n.SetWeights(0, [][]float32{{1}}, []float32{0}); err != nil {
		t.Fatal(err)
	}
	pm := Matrix{Rows: 4, Cols: 1, Data: []float32{1, 1, -1, -1}}
	// never trained: split at 0 whatever the set holds
	if a, p := acc(n, x, pm), acc(n, pos, ones); a != 1 || p != 1 {
		t.Errorf("untrained: accuracy %v on all, %v on the positives, want 1", a, p)
	}
	if _, err := n.Fit(context.Background(), x, pm, cfg); err != nil {
		t.Fatal(err)
	}
	// outputs ±0.29 and ±0.38: every sign right
	if a, p, q := acc(n, x, pm), acc(n, pos, ones), acc(n, neg, Matrix{Rows: 2, Cols: 1, Data: []float32{-1, -1}}); a != 1 || p != 1 || q != 1 {
		t.Errorf("±1 training: accuracy %v on all, %v on the positives, %v on the negatives, want 1", a, p, q)
	}
	if _, err := n.Fit(context.Background(), pos, ones, TrainConfig{BatchSize: 2, Optimizer: SGD(1e-9)}); err != nil {
		t.Fatal(err)
	}
	b, err := n.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back Network
	if err := back.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if p := acc(&back, pos, ones); p != 1 {
		t.Errorf("after more training on positives and a reload: accuracy %v on the positives, want 1", p)
	}
	m, err := n.toModel(saveConfig{})
	if err != nil {
		t.Fatal(err)
	}
	m.targets = 3
	_, err = Load(bytes.NewReader(encode(m)))
	checkErr(t, err, ErrArchitecture, "target encoding 3")

	// trained on 0/1 targets, the positives with outputs below 0.5 miss
	z := build(t, Input(1), Dense(1, Tanh))
	if err := z.SetWeights(0, [][]float32{{1}}, []float32{0}); err != nil {
		t.Fatal(err)
	}
	if _, err := z.Fit(context.Background(), x, Matrix{Rows: 4, Cols: 1, Data: []float32{1, 1, 0, 0}}, cfg); err != nil {
		t.Fatal(err)
	}
	if p := acc(z, pos, ones); p != 0 {
		t.Errorf("0/1 training: accuracy %v on the positives (outputs 0.29, 0.38), want 0", p)
	}
}

// A nil reader or writer is an error, not a nil dereference.
func TestNilReaderWriter(t *testing.T) {
	n := build(t, Input(2), Dense(1, Sigmoid))
	checkErr(t, n.Save(nil), ErrConfig, "writer is nil")
	_, err := Load(nil)
	checkErr(t, err, ErrConfig, "reader is nil")
	_, err = ReadCSV(nil, "y")
	checkErr(t, err, ErrConfig, "reader is nil")
}

// A training loss that overflows names the training row and the layer.
func TestFitOverflowNamesLayer(t *testing.T) {
	x := Matrix{Rows: 2, Cols: 2, Data: []float32{0, 1, 3e38, 3e38}}
	n := build(t, Input(2), Dense(1, Identity), Dense(2, Softmax))
	if err := n.SetWeights(0, [][]float32{{1, 1}}, []float32{0}); err != nil {
		t.Fatal(err)
	}
	before := takeState(t, n)
	_, err := n.Fit(context.Background(), x, Classes([]int{0, 1}), TrainConfig{BatchSize: 2, NoShuffle: true, Optimizer: SGD(0.1)})
	checkErr(t, err, ErrDiverged, "loss is NaN at epoch 1, batch 1 of 1", "before this batch: layer 0 (dense 2->1): output row 1, column 0 is +Inf")
	if !equalBits(n.params, before.params) {
		t.Error("weights changed")
	}
}
