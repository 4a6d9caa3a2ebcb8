package nn

import (
	"context"
	"math"
	"sync"
	"testing"
)

// identity3 returns a 3-3 softmax network whose logits equal its inputs.
func identity3(t *testing.T) *Network {
	n := build(t, Input(3), Dense(3, Softmax))
	if err := n.SetWeights(0, [][]float32{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, make([]float32, 3)); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEvaluateMetrics(t *testing.T) {
	n := identity3(t)
	// Logits of equal spacing: softmax([0, 1, 2]) and permutations.
	x, _ := FromRows([][]float32{{0, 1, 2}, {2, 1, 0}, {1, 2, 0}, {0, 2, 1}})
	labels := []int{2, 1, 0, 0}
	m, err := n.EvaluateK(x, Classes(labels), 2)
	if err != nil {
		t.Fatal(err)
	}
	// Ranks of the target: 1st, 2nd, 2nd, 3rd.
	if m.N != 4 || m.Accuracy != 0.25 || m.TopK != 0.75 {
		t.Errorf("accuracy %v, top-2 %v over %d rows; want 0.25, 0.75, 4", m.Accuracy, m.TopK, m.N)
	}
	e := []float64{math.Exp(0), math.Exp(1), math.Exp(2)}
	s := e[0] + e[1] + e[2]
	p := []float64{e[0] / s, e[1] / s, e[2] / s} // softmax of the logits 0, 1, 2
	// Each row's outputs are a permutation of p; the target's logit picks
	// its probability. Squared and absolute errors against the one-hot row
	// are averaged over the three outputs.
	var loss, se, ae float64
	for _, logit := range []int{2, 1, 1, 0} {
		pt := p[logit]
		loss -= math.Log(pt)
		for k := range 3 {
			d := p[k]
			if k == logit {
				d = 1 - pt
			}
			se += d * d / 3
			ae += d / 3
		}
	}
	if math.Abs(m.Loss-loss/4) > 1e-6 || math.Abs(m.MSE-se/4) > 1e-6 || math.Abs(m.MAE-ae/4) > 1e-6 {
		t.Errorf("loss %v, MSE %v, MAE %v; want %v, %v, %v", m.Loss, m.MSE, m.MAE, loss/4, se/4, ae/4)
	}

	// Regression: MSE and MAE of an identity output.
	r := build(t, Input(1), Dense(1, Identity))
	if err := r.SetWeights(0, [][]float32{{2}}, []float32{1}); err != nil {
		t.Fatal(err)
	}
	xr := Matrix{Rows: 3, Cols: 1, Data: []float32{0, 1, 2}}
	yr := Matrix{Rows: 3, Cols: 1, Data: []float32{1, 4, 3}} // errors 0, −1, 2
	m, err = r.Evaluate(xr, yr)
	if err != nil || math.Abs(m.MSE-5.0/3) > 1e-6 || math.Abs(m.MAE-1) > 1e-6 || m.Loss != m.MSE {
		t.Errorf("regression metrics %+v (%v), want MSE 5/3 = loss, MAE 1", m, err)
	}
}

func TestEvaluateConcurrent(t *testing.T) {
	n := build(t, Input(4), Dense(8, ReLU), Dense(3, Softmax), Seed(2))
	x := NewMatrix(200, 4)
	for i := range x.Data {
		x.Data[i] = float32(i%17) / 17
	}
	labels := make([]int, 200)
	for i := range labels {
		labels[i] = i % 3
	}
	y := Classes(labels)
	want, err := n.EvaluateK(x, y, 2)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if m, err := n.EvaluateK(x, y, 2); err != nil || m != want {
					t.Errorf("concurrent Evaluate gave %+v, %v; want %+v", m, err, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestResumeMatchesOneRun(t *testing.T) {
	// Training stops and restarts without a trace: 10 + 10 epochs equal 20,
	// with shuffling, dropout, a schedule and Adam's state carried over.
	x, y := xorSet(t)
	cfg := TrainConfig{Epochs: 10, BatchSize: 3, Optimizer: Adam(0.01), Schedule: StepDecay(5, 0.5)}
	net := func() *Network {
		return build(t, Input(2), Dense(6, ReLU), Dropout(0.2), Dense(1, Sigmoid), Seed(21))
	}
	split, whole := net(), net()
	for range 2 {
		if _, err := split.Fit(context.Background(), x, y, cfg); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Epochs = 20
	if _, err := whole.Fit(context.Background(), x, y, cfg); err != nil {
		t.Fatal(err)
	}
	if !equalBits(split.params, whole.params) || split.step != whole.step || split.epochs != 20 {
		t.Errorf("10+10 epochs differ from 20 (steps %d and %d)", split.step, whole.step)
	}

	// A new optimiser kind starts from fresh state: one full batch, one step.
	if _, err := split.Fit(context.Background(), x, y, TrainConfig{BatchSize: 32, Optimizer: SGD(0.1)}); err != nil {
		t.Fatal(err)
	}
	if split.m != nil || split.v != nil || split.step != 1 {
		t.Errorf("after switching to SGD: step %d, state %d/%d values", split.step, len(split.m), len(split.v))
	}
}
