package nn

import (
	"bytes"
	"context"
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"
)

func TestXORReachesFullAccuracy(t *testing.T) {
	x, y := xorSet(t)
	n := build(t, Input(2), Dense(4, Tanh), Dense(1, Sigmoid), Seed(1))
	h, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 300, BatchSize: 4, Optimizer: Adam(0.05)})
	if err != nil {
		t.Fatal(err)
	}
	m, err := n.Evaluate(x, y)
	if err != nil {
		t.Fatal(err)
	}
	if m.Accuracy != 1 || m.Loss > 0.05 {
		t.Errorf("XOR accuracy %v, loss %v; want 1 and < 0.05", m.Accuracy, m.Loss)
	}
	if first, last := h.Epochs[0].Loss, h.Epochs[len(h.Epochs)-1].Loss; !(last < first/10) {
		t.Errorf("loss went from %v to %v", first, last)
	}
}

func TestEveryOptimizerLearns(t *testing.T) {
	x, y := xorSet(t)
	for _, c := range []struct {
		opt   Optimizer
		sched Schedule
	}{
		{SGD(0.5), Schedule{}},
		{Momentum(0.1, 0.9), StepDecay(200, 0.5)},
		{Nesterov(0.1, 0.9), ExpDecay(0.001)},
		{Adam(0.05), Schedule{}},
		{RMSProp(0.01), Schedule{}},
	} {
		n := build(t, Input(2), Dense(8, Tanh), Dense(1, Sigmoid), Seed(2))
		_, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 1000, BatchSize: 4, Optimizer: c.opt, Schedule: c.sched})
		if err != nil {
			t.Fatal(err)
		}
		if m, _ := n.Evaluate(x, y); m.Accuracy != 1 {
			t.Errorf("optimizer %d: XOR accuracy %v", c.opt.Kind, m.Accuracy)
		}
	}
}

// oneStep runs full-batch updates on a 1-1 identity network with weight 1
// and bias 0, fitting x=1 to y=0 under MSE: the first gradient is
// 2·(w·1+b−0) = 2 for both parameters.
func oneStep(t *testing.T, o Optimizer, steps int) []float32 {
	n := build(t, Input(1), Dense(1, Identity, WithInit(Constant(1))))
	x := Matrix{Rows: 1, Cols: 1, Data: []float32{1}}
	y := Matrix{Rows: 1, Cols: 1, Data: []float32{0}}
	if _, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: steps, BatchSize: 32, Optimizer: o}); err != nil {
		t.Fatal(err)
	}
	return n.params
}

func TestOptimizerSteps(t *testing.T) {
	// Each case gives how far the weight (from 1) and the bias (from 0)
	// both move down.
	for _, c := range []struct {
		name  string
		o     Optimizer
		steps int
		move  float64
	}{
		{"SGD", SGD(0.1), 1, 0.1 * 2},
		// Step 1: v = −0.2. Step 2: output 0.8 − 0.2 = 0.6, g = 1.2,
		// v = 0.9·(−0.2) − 0.12 = −0.3; total −0.5.
		{"Momentum", Momentum(0.1, 0.9), 2, 0.5},
		// Step 1: v = −0.2, move 0.9·v − 0.2 = −0.38.
		{"Nesterov", Nesterov(0.1, 0.9), 1, 0.38},
		// Step 1 moves by lr·g/(|g|+eps): bias correction divides.
		{"Adam", Adam(0.1), 1, 0.1 * 2 / (2 + 1e-7)},
		// Step 1: s = 0.1·g², move lr·g/(sqrt(s)+eps).
		{"RMSProp", RMSProp(0.1), 1, 0.1 * 2 / (math.Sqrt(0.4) + 1e-7)},
	} {
		p := oneStep(t, c.o, c.steps)
		if math.Abs(float64(p[0])-(1-c.move)) > 1e-6 || math.Abs(float64(p[1])+c.move) > 1e-6 {
			t.Errorf("%s: weight %v and bias %v, want %v and %v", c.name, p[0], p[1], 1-c.move, -c.move)
		}
	}
}

func TestSchedules(t *testing.T) {
	for _, c := range []struct {
		s     Schedule
		epoch int
		want  float64
	}{
		{Schedule{}, 50, 0.1},
		{StepDecay(10, 0.5), 9, 0.1},
		{StepDecay(10, 0.5), 10, 0.05},
		{StepDecay(10, 0.5), 25, 0.025},
		{ExpDecay(0.1), 0, 0.1},
		{ExpDecay(0.1), 10, 0.1 * math.Exp(-1)},
	} {
		if got := c.s.lr(0.1, c.epoch); math.Abs(float64(got)-c.want) > 1e-8 {
			t.Errorf("%+v at epoch %d: lr %v, want %v", c.s, c.epoch, got, c.want)
		}
	}
	for _, s := range []Schedule{StepDecay(0, 0.5), StepDecay(5, 0), StepDecay(5, 2), ExpDecay(-1)} {
		n := build(t, Input(1), Dense(1, Identity))
		x := Matrix{Rows: 1, Cols: 1, Data: []float32{1}}
		_, err := n.Fit(context.Background(), x, x, TrainConfig{BatchSize: 32, Schedule: s})
		checkErr(t, err, ErrConfig, "decay")
	}
}

func TestClipNorm(t *testing.T) {
	// The gradient (2, 2) has norm 2·sqrt(2); clipping at 1 scales it to
	// (1/sqrt(2), 1/sqrt(2)), so SGD with lr 1 moves each parameter by that.
	n := build(t, Input(1), Dense(1, Identity, WithInit(Constant(1))))
	x := Matrix{Rows: 1, Cols: 1, Data: []float32{1}}
	y := Matrix{Rows: 1, Cols: 1, Data: []float32{0}}
	if _, err := n.Fit(context.Background(), x, y, TrainConfig{BatchSize: 32, Optimizer: SGD(1), ClipNorm: 1}); err != nil {
		t.Fatal(err)
	}
	move := 1 / math.Sqrt(2)
	if w, b := n.params[0], n.params[1]; math.Abs(float64(w)-(1-move)) > 1e-6 || math.Abs(float64(b)+move) > 1e-6 {
		t.Errorf("clipped step gave weight %v and bias %v, want %v and %v", w, b, 1-move, -move)
	}
}

func TestPenalties(t *testing.T) {
	// With zero data gradient (target equals output), L2 alone decays the
	// weight by lr·2·l2·w and L1 by lr·l1·sign(w); biases are not penalised.
	n := build(t, Input(1), Dense(1, Identity, WithInit(Constant(0.5)), L1(0.1), L2(0.2)))
	x := Matrix{Rows: 1, Cols: 1, Data: []float32{0}}
	y := Matrix{Rows: 1, Cols: 1, Data: []float32{0}}
	if _, err := n.Fit(context.Background(), x, y, TrainConfig{BatchSize: 32, Optimizer: SGD(0.1)}); err != nil {
		t.Fatal(err)
	}
	if w, b := n.params[0], n.params[1]; math.Abs(float64(w)-(0.5-0.1*(2*0.2*0.5+0.1))) > 1e-7 || b != 0 {
		t.Errorf("after one penalised step w = %v, b = %v", w, b)
	}
}

func TestValidationAndEarlyStopping(t *testing.T) {
	// The validation targets are the opposite of the training ones, so
	// the validation loss rises while training improves.
	x, y := xorSet(t)
	vy := Matrix{Rows: 4, Cols: 1, Data: []float32{1, 0, 0, 1}}
	n := build(t, Input(2), Dense(4, Tanh), Dense(1, Sigmoid), Seed(4))
	var kept [][]float32
	cfg := TrainConfig{Epochs: 200, BatchSize: 4, Optimizer: Adam(0.05), ValX: &x, ValY: &vy, Patience: 5,
		OnEpoch: func(EpochStats) error {
			kept = append(kept, append([]float32(nil), n.params...))
			return nil
		}}
	h, err := n.Fit(context.Background(), x, y, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !h.Stopped || len(h.Epochs) != h.BestEpoch+5 {
		t.Fatalf("stopped %v after %d epochs, best %d; want a stop 5 epochs after the best", h.Stopped, len(h.Epochs), h.BestEpoch)
	}
	for _, e := range h.Epochs {
		if !e.HasVal || e.ValLoss < h.Epochs[h.BestEpoch-1].ValLoss {
			t.Errorf("epoch %d val loss %v below the best %v", e.Epoch, e.ValLoss, h.Epochs[h.BestEpoch-1].ValLoss)
		}
	}
	if !equalBits(n.params, kept[h.BestEpoch-1]) {
		t.Error("the weights of the best epoch were not restored")
	}

	// A validation split reports validation metrics every epoch.
	n = build(t, Input(2), Dense(4, Tanh), Dense(1, Sigmoid))
	xs, ys := NewMatrix(40, 2), NewMatrix(40, 1)
	for i := range 40 {
		xs.Data[2*i], xs.Data[2*i+1] = float32(i%2), float32(i/2%2)
		ys.Data[i] = float32((i % 2) ^ (i / 2 % 2))
	}
	h, err = n.Fit(context.Background(), xs, ys, TrainConfig{Epochs: 3, BatchSize: 32, ValidationSplit: 0.25})
	if err != nil || len(h.Epochs) != 3 || !h.Epochs[2].HasVal || h.Epochs[2].ValLoss == 0 {
		t.Errorf("validation split: %+v, %v", h, err)
	}
}

func TestCallbacksAndCancel(t *testing.T) {
	x, y := xorSet(t)
	n := build(t, Input(2), Dense(4, Tanh), Dense(1, Sigmoid))
	h, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 10, BatchSize: 32, OnEpoch: func(s EpochStats) error {
		if s.Epoch == 3 {
			return ErrStop
		}
		return nil
	}})
	if err != nil || len(h.Epochs) != 3 || !h.Stopped {
		t.Errorf("ErrStop at epoch 3: %d epochs, stopped %v, %v", len(h.Epochs), h.Stopped, err)
	}
	if n.epochs != 3 {
		t.Errorf("network counts %d epochs trained, want 3", n.epochs)
	}

	boom := errors.New("boom")
	h, err = n.Fit(context.Background(), x, y, TrainConfig{Epochs: 10, BatchSize: 32, OnEpoch: func(s EpochStats) error {
		if s.Epoch == 2 {
			return boom
		}
		return nil
	}})
	if !errors.Is(err, boom) || len(h.Epochs) != 2 {
		t.Errorf("callback error: %v after %d epochs", err, len(h.Epochs))
	}

	ctx, cancel := context.WithCancel(context.Background())
	h, err = n.Fit(ctx, x, y, TrainConfig{Epochs: 10, BatchSize: 32, OnEpoch: func(s EpochStats) error {
		if s.Epoch == 2 {
			cancel()
		}
		return nil
	}})
	if !errors.Is(err, context.Canceled) || len(h.Epochs) != 2 {
		t.Errorf("cancel after epoch 2: %v after %d epochs", err, len(h.Epochs))
	}
}

func TestProgressLine(t *testing.T) {
	x, y := xorSet(t)
	n := build(t, Input(2), Dense(4, Tanh), Dense(1, Sigmoid))
	var buf bytes.Buffer
	_, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 3, BatchSize: 2, Progress: &buf, ValX: &x, ValY: &y})
	if err != nil {
		t.Fatal(err)
	}
	// What a terminal shows: the text after the last carriage return.
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = l[strings.LastIndexByte(l, '\r')+1:]
	}
	if len(lines) != 3 {
		t.Fatalf("%d progress lines, want 3:\n%s", len(lines), buf.String())
	}
	num := `\d+\.\d{4}`
	re := regexp.MustCompile(`^Epoch (\d)/3 \[={30}\] 2/2 - \S+ - loss: ` + num + ` - accuracy: ` + num +
		` - val_loss: ` + num + ` - val_accuracy: ` + num + ` - ETA: \S+$`)
	for i, l := range lines {
		m := re.FindStringSubmatch(l)
		if m == nil || m[1] != string(rune('1'+i)) {
			t.Errorf("progress line %q", l)
		}
	}
	buf.Reset()
	if _, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 2, BatchSize: 32}); err != nil || buf.Len() != 0 {
		t.Errorf("Fit without a writer printed %q (%v)", buf.String(), err)
	}
}

func TestDivergenceKeepsFiniteWeights(t *testing.T) {
	x := Matrix{Rows: 2, Cols: 1, Data: []float32{1, 2}}
	y := Matrix{Rows: 2, Cols: 1, Data: []float32{1e6, -1e6}}
	n := build(t, Input(1), Dense(8, Identity), Dense(1, Identity))
	_, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 100, BatchSize: 32, Optimizer: SGD(1e10)})
	checkErr(t, err, ErrDiverged, "epoch ", "batch 1 of 1")
	if !paramsFinite(n) {
		t.Errorf("weights after divergence: %v", n.params)
	}
	if p, err := n.Predict([]float32{1}); err != nil || firstNonFinite(p) >= 0 {
		t.Errorf("prediction after divergence: %v, %v", p, err)
	}

	// Finite weights and inputs whose product overflows: the very first
	// loss is infinite, and the weights stay as they were.
	n = build(t, Input(1), Dense(1, Identity))
	if err := n.SetWeights(0, [][]float32{{1e30}}, []float32{0}); err != nil {
		t.Fatal(err)
	}
	before := takeState(t, n)
	big := Matrix{Rows: 1, Cols: 1, Data: []float32{1e10}}
	_, err = n.Fit(context.Background(), big, big, TrainConfig{Epochs: 3, BatchSize: 32, Optimizer: SGD(0.1)})
	checkErr(t, err, ErrDiverged, "loss is +Inf at epoch 1, batch 1 of 1")
	if !equalBits(n.params, before.params) {
		t.Errorf("weights changed by a diverged batch: %v", n.params)
	}
}

func TestTooLarge(t *testing.T) {
	_, err := New(Input(1<<24), Dense(1<<24, ReLU))
	checkErr(t, err, ErrConfig, "too many weights")
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	n := build(t, Input(2), Dense(3, ReLU), Dense(3, Softmax))
	before := takeState(t, n)
	x, _ := xorSet(t)
	labels := Classes([]int{0, 1, 2, 1})
	wide := NewMatrix(4, 3)
	cases := []struct {
		name  string
		err   error
		kind  error
		parts []string
	}{
		{"input width", fitErr(n, wide, labels, TrainConfig{BatchSize: 32}), ErrShape, []string{"layer 0 (dense 2->3)", "3 columns", "want 2"}},
		{"target rows", fitErr(n, x, Classes([]int{0, 1}), TrainConfig{BatchSize: 32}), ErrShape, []string{"4 input rows", "2 target rows"}},
		{"target width", fitErr(n, x, NewMatrix(4, 2), TrainConfig{BatchSize: 32}), ErrShape, []string{"layer 1 (dense 3->3)", "2 columns", "want 3"}},
		{"label range", fitErr(n, x, Classes([]int{0, 1, 5, 1}), TrainConfig{BatchSize: 32}), ErrLabel, []string{"row 2", "label 5", "[0, 3)"}},
		{"label fraction", fitErr(n, x, Matrix{Rows: 4, Cols: 1, Data: []float32{0, 1.5, 0, 0}}, TrainConfig{BatchSize: 32}), ErrLabel, []string{"row 1", "1.5"}},
		{"negative label", fitErr(n, x, Classes([]int{0, -1, 0, 0}), TrainConfig{BatchSize: 32}), ErrLabel, []string{"row 1", "-1"}},
		{"batch size", fitErr(n, x, labels, TrainConfig{BatchSize: -3}), ErrConfig, []string{"batch size -3"}},
		{"epochs", fitErr(n, x, labels, TrainConfig{Epochs: -1, BatchSize: 32}), ErrConfig, []string{"epochs -1"}},
		{"split", fitErr(n, x, labels, TrainConfig{BatchSize: 32, ValidationSplit: 1}), ErrConfig, []string{"validation split 1"}},
		{"split and set", fitErr(n, x, labels, TrainConfig{BatchSize: 32, ValidationSplit: 0.5, ValX: &x, ValY: &labels}), ErrConfig, []string{"both"}},
		{"val width", fitErr(n, x, labels, TrainConfig{BatchSize: 32, ValX: &wide, ValY: &labels}), ErrShape, []string{"validation input has 3 columns"}},
		{"learning rate", fitErr(n, x, labels, TrainConfig{BatchSize: 32, Optimizer: SGD(0)}), ErrConfig, []string{"learning rate 0"}},
		{"momentum", fitErr(n, x, labels, TrainConfig{BatchSize: 32, Optimizer: Momentum(0.1, 1)}), ErrConfig, []string{"momentum 1"}},
		{"clip", fitErr(n, x, labels, TrainConfig{BatchSize: 32, ClipNorm: -1}), ErrConfig, []string{"clip norm -1"}},
		{"data length", fitErr(n, Matrix{Rows: 4, Cols: 2, Data: make([]float32, 7)}, labels, TrainConfig{BatchSize: 32}), ErrShape, []string{"7 values", "4×2 = 8"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkErr(t, c.err, c.kind, c.parts...) })
	}
	assertUnchanged(t, n, before)

	_, err := n.Predict([]float32{1, 2, 3})
	checkErr(t, err, ErrShape, "layer 0 (dense 2->3)", "3 values", "want 2")
	err = n.PredictInto(make([]float32, 2), []float32{1, 2})
	checkErr(t, err, ErrShape, "2 values, want 3")
	err = n.PredictBatchInto(NewMatrix(3, 3), x)
	checkErr(t, err, ErrShape, "3×3", "want 4×3")
	_, err = n.EvaluateK(x, labels, -1)
	checkErr(t, err, ErrConfig, "top-k -1")
	_ = ctx
}

func fitErr(n *Network, x, y Matrix, cfg TrainConfig) error {
	_, err := n.Fit(context.Background(), x, y, cfg)
	return err
}

func TestNewErrors(t *testing.T) {
	for _, c := range []struct {
		opts  []Option
		parts []string
	}{
		{[]Option{Dense(3, ReLU)}, []string{"no Input"}},
		{[]Option{Input(2)}, []string{"no layers"}},
		{[]Option{Input(0), Dense(1, Sigmoid)}, []string{"input width 0"}},
		{[]Option{Input(2), Dense(0, ReLU)}, []string{"layer 0 (dense)", "0 units"}},
		{[]Option{Input(2), Dense(3, ReLU), Dropout(1)}, []string{"layer 1 (dropout)", "rate 1"}},
		{[]Option{Input(2), Dense(3, ReLU), Dropout(0.5)}, []string{"layer 1 (dropout) is last"}},
		{[]Option{Input(2), Dense(3, Activation(99))}, []string{"unknown activation 99"}},
		{[]Option{Input(2), Dense(3, ReLU, L2(-1))}, []string{"L2 -1"}},
		{[]Option{Input(2), Dense(3, ReLU, WithInit(Uniform(1, 0)))}, []string{"lo < hi"}},
		{[]Option{Input(2), Dense(3, ReLU), WithLoss(CategoricalCrossEntropy)}, []string{"needs a softmax output", "relu"}},
		{[]Option{Input(2), Dense(3, Softmax), WithLoss(BinaryCrossEntropy)}, []string{"needs a sigmoid output"}},
		{[]Option{Input(2), Dense(3, ReLU), Input(3)}, []string{"Input"}},
	} {
		_, err := New(c.opts...)
		checkErr(t, err, ErrConfig, c.parts...)
	}
}

// FuzzFit feeds Fit, Evaluate and Predict arbitrary shapes, values and
// settings: they may refuse, but never panic, and a refused Fit leaves the
// network unchanged.
func FuzzFit(f *testing.F) {
	f.Add(uint8(2), uint8(3), uint8(1), uint8(4), uint8(1), int8(2), float32(0.5), float32(0), []byte{0, 1, 2, 3, 4, 5, 6, 7})
	f.Add(uint8(3), uint8(4), uint8(3), uint8(5), uint8(0), int8(-1), float32(0.9), float32(1), []byte{255, 0, 128})
	f.Add(uint8(1), uint8(1), uint8(2), uint8(0), uint8(2), int8(0), float32(0.1), float32(0), []byte{})
	f.Fuzz(func(t *testing.T, in, hidden, out, rows, mode uint8, batch int8, split, clip float32, raw []byte) {
		in, hidden, out = in%6, hidden%8, out%5
		acts := []Activation{Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax, Step, Sign}
		n, err := New(Input(int(in)), Dense(int(hidden), acts[mode%8]), Dropout(float32(mode%3)/4), Dense(int(out), acts[(mode/8)%8]))
		if err != nil {
			return
		}
		// Values from the raw bytes, including NaN and infinities.
		special := []float32{0, 1, -1, float32(math.NaN()), float32(math.Inf(1)), 1e30, -1e-30, 2}
		val := func(i int) float32 {
			if len(raw) == 0 {
				return 0
			}
			b := raw[i%len(raw)]
			if b < 16 {
				return special[b%8]
			}
			return float32(b)/32 - 4
		}
		x := NewMatrix(int(rows%9), int(in))
		for i := range x.Data {
			x.Data[i] = val(i)
		}
		ycols := int(out)
		if mode%2 == 1 {
			ycols = 1
		}
		y := NewMatrix(int(rows%9)+int(mode/128), ycols)
		for i := range y.Data {
			y.Data[i] = float32(int(val(i+7)) % 4)
		}
		before := takeState(t, n)
		cfg := TrainConfig{Epochs: 2, BatchSize: int(batch), ValidationSplit: float64(split), ClipNorm: clip, TopK: int(mode % 3)}
		if _, err := n.Fit(context.Background(), x, y, cfg); err != nil && !errors.Is(err, ErrDiverged) {
			assertUnchanged(t, n, before)
		}
		n.EvaluateK(x, y, int(mode%4))
		n.PredictBatch(x)
		if x.Rows > 0 {
			n.Predict(x.Row(0))
		}
	})
}

func TestTrainStepAllocatesNothing(t *testing.T) {
	if racing {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	// Softmax, dropout, class labels, L2, clipping and Adam on products
	// small enough to stay on the calling goroutine.
	n := build(t, Input(32), Dense(24, ReLU, L2(1e-4)), Dropout(0.3), Dense(10, Softmax))
	x, labels := NewMatrix(16, 32), make([]int, 16)
	for i := range x.Data {
		x.Data[i] = float32(i%7) / 7
	}
	for i := range labels {
		labels[i] = i % 10
	}
	cfg := TrainConfig{BatchSize: 16, Optimizer: Adam(0.001), ClipNorm: 1, TopK: 3}
	if err := cfg.normalize(); err != nil {
		t.Fatal(err)
	}
	n.prepareOptimizer(cfg.Optimizer)
	tr := n.trainerFor(16)
	rows := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	y := Classes(labels)
	var tl tally
	if a := testing.AllocsPerRun(50, func() {
		if err := n.trainBatch(tr, x, y, rows, true, &cfg, 0.001, &tl, 1, 1, 1); err != nil {
			t.Fatal(err)
		}
	}); a != 0 {
		t.Errorf("a training step allocates %v times, want 0", a)
	}
}

func TestConcurrentFitRefused(t *testing.T) {
	x, y := xorSet(t)
	n := build(t, Input(2), Dense(4, Tanh), Dense(1, Sigmoid))
	inside, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		_, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 2, BatchSize: 32, OnEpoch: func(s EpochStats) error {
			if s.Epoch == 1 {
				close(inside)
				<-release
			}
			return nil
		}})
		done <- err
	}()
	<-inside
	_, err := n.Fit(context.Background(), x, y, TrainConfig{BatchSize: 32})
	checkErr(t, err, ErrConfig, "already running")
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := n.Fit(context.Background(), x, y, TrainConfig{BatchSize: 32}); err != nil {
		t.Errorf("Fit after the first one ended: %v", err)
	}
}
