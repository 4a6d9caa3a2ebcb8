package nn

import (
	"context"
	"math"
	"testing"
)

// BenchmarkPredictInto times one-sample inference on the Go-board shape
// (361 inputs, 256 ReLU units, 361 softmax outputs) beside plain loops
// over the same weights, the reference for the ratio.
func BenchmarkPredictInto(b *testing.B) {
	n := build(b, Input(361), Dense(256, ReLU), Dense(361, Softmax))
	x := make([]float32, 361)
	for i := range x {
		x[i] = float32(i%3) - 1
	}
	dst := make([]float32, 361)
	b.Run("impl=nn", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := n.PredictInto(dst, x); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=loops", func(b *testing.B) {
		h := make([]float32, 256)
		for b.Loop() {
			cur := x
			for li, l := range n.layers {
				out := h
				if li == len(n.layers)-1 {
					out = dst
				}
				copy(out, l.b)
				for k, v := range cur {
					for u, w := range l.w[k*l.out : (k+1)*l.out] {
						out[u] += v * w
					}
				}
				activate(l.act, 0, out, out, l.out)
				cur = out
			}
		}
	})
}

func BenchmarkFitXOR(b *testing.B) {
	x, y := xorSet(b)
	n := build(b, Input(2), Dense(8, Tanh), Dense(1, Sigmoid))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 100, BatchSize: 4, Optimizer: Adam(0.01)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkActivation compares the float32 activations with the float64
// math library they replace, on one row of 361 values.
func BenchmarkActivation(b *testing.B) {
	z := make([]float32, 361)
	for i := range z {
		z[i] = float32(i%41-20) * 0.37
	}
	a := make([]float32, len(z))
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"fn=softmax/impl=nn", func() { softmaxRow(a, z) }},
		{"fn=softmax/impl=float64", func() {
			var s float64
			for j, v := range z {
				e := math.Exp(float64(v))
				a[j] = float32(e)
				s += e
			}
			for j := range a {
				a[j] = float32(float64(a[j]) / s)
			}
		}},
		{"fn=tanh/impl=nn", func() { activate(Tanh, 0, a, z, len(z)) }},
		{"fn=tanh/impl=float64", func() {
			for j, v := range z {
				a[j] = float32(math.Tanh(float64(v)))
			}
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				c.f()
			}
		})
	}
}

// BenchmarkTrainStep times one mini-batch update of a 784-128-10 network
// on 32 rows (an MNIST-sized step).
func BenchmarkTrainStep(b *testing.B) {
	n := build(b, Input(784), Dense(128, ReLU), Dense(10, Softmax))
	x, labels := NewMatrix(32, 784), make([]int, 32)
	for i := range x.Data {
		x.Data[i] = float32(i%255) / 255
	}
	for i := range labels {
		labels[i] = i % 10
	}
	y := Classes(labels)
	cfg := TrainConfig{BatchSize: 32, Optimizer: Adam(0.001)}
	if err := cfg.normalize(); err != nil {
		b.Fatal(err)
	}
	n.prepareOptimizer(cfg.Optimizer)
	t := n.trainerFor(32)
	rows := make([]int, 32)
	for i := range rows {
		rows[i] = i
	}
	var tl tally
	b.ReportAllocs()
	for b.Loop() {
		if err := n.trainBatch(t, x, y, rows, true, &cfg, 0.001, &tl, 1, 1, 1); err != nil {
			b.Fatal(err)
		}
	}
}
