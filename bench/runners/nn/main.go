// Command nn is the peer comparison runner for nn itself: it reads a spec
// file (package spec) and prints one JSON line per result.
package main

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/nnrt/nn"
	"github.com/nnrt/nn/bench/spec"
)

const peer = "nn"

func main() {
	spec.Main(peer, "nn (this tree), "+runtime.Version(), spec.Runner{Train: train, Predict: predict, MNIST: mnist})
}

func network(w spec.Work, seed uint64) (*nn.Network, error) {
	return nn.New(
		nn.Input(w.Inputs),
		nn.Dense(w.Hidden, nn.ReLU),
		nn.Dense(w.Outputs, nn.Softmax),
		nn.Seed(seed),
	)
}

func optimizer(w spec.Work) nn.Optimizer {
	if w.Optimizer == "adam" {
		return nn.Adam(float32(w.LR))
	}
	return nn.SGD(float32(w.LR))
}

// data reads the inputs and, when the work names them, the class labels.
func data(w spec.Work) (x, y nn.Matrix, err error) {
	xs, err := spec.ReadF32(w.X, w.Rows*w.Inputs)
	if err != nil {
		return x, y, err
	}
	x = nn.Matrix{Rows: w.Rows, Cols: w.Inputs, Data: xs}
	if w.Y == "" {
		return x, y, nil
	}
	labels, err := spec.ReadLabels(w.Y, w.Rows)
	if err != nil {
		return x, y, err
	}
	return x, nn.Classes(labels), nil
}

func head(m nn.Matrix, rows int) nn.Matrix {
	rows = min(rows, m.Rows)
	return nn.Matrix{Rows: rows, Cols: m.Cols, Data: m.Data[:rows*m.Cols]}
}

// train times Fit over the whole work, or over the epochs that fit in the
// budget.
func train(w spec.Work, seed uint64) ([]spec.Result, error) {
	x, y, err := data(w)
	if err != nil {
		return nil, err
	}
	net, err := network(w, seed)
	if err != nil {
		return nil, err
	}
	cfg := nn.TrainConfig{Epochs: 1, BatchSize: w.Batch, Optimizer: optimizer(w)}
	ctx := context.Background()
	if _, err := net.Fit(ctx, head(x, w.Warmup*w.Batch), head(y, w.Warmup*w.Batch), cfg); err != nil {
		return nil, fmt.Errorf("warm-up: %w", err)
	}

	cfg.Epochs = w.Epochs
	var start time.Time
	cfg.OnEpoch = func(nn.EpochStats) error {
		if time.Since(start).Seconds() > w.Budget {
			return nn.ErrStop
		}
		return nil
	}
	cpu0 := spec.CPUTime()
	start = time.Now()
	h, err := net.Fit(ctx, x, y, cfg)
	secs := time.Since(start).Seconds()
	cpu := (spec.CPUTime() - cpu0).Seconds()
	if err != nil {
		return nil, err
	}
	epochs := len(h.Epochs)
	r := spec.Result{
		Work:    w.Name,
		Samples: epochs * w.Rows,
		Seconds: secs,
		CPU:     cpu,
		Partial: epochs < w.Epochs,
		Loss:    h.Epochs[epochs-1].Loss,
	}
	if w.Name == spec.Flowers {
		r.Value, r.Unit = secs*float64(w.Epochs)/float64(epochs), "s"
	} else {
		r.Value, r.Unit = float64(r.Samples)/secs, "samples/s"
	}
	return []spec.Result{r}, nil
}

// predict times single-sample PredictInto (median latency, allocations per
// call) and PredictBatchInto on a batch of w.Batch rows.
func predict(w spec.Work, seed uint64) ([]spec.Result, error) {
	x, _, err := data(w)
	if err != nil {
		return nil, err
	}
	net, err := network(w, seed)
	if err != nil {
		return nil, err
	}
	dst := make([]float32, w.Outputs)
	for i := range w.Warmup {
		if err := net.PredictInto(dst, x.Row(i%x.Rows)); err != nil {
			return nil, err
		}
	}

	// Allocations per call over every row once, on one P as
	// testing.AllocsPerRun counts them.
	procs := runtime.GOMAXPROCS(1)
	_ = net.PredictInto(dst, x.Row(0)) // refill the pool, emptied by the change of Ps
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range x.Rows {
		_ = net.PredictInto(dst, x.Row(i))
	}
	runtime.ReadMemStats(&after)
	runtime.GOMAXPROCS(procs)
	allocs := float64(after.Mallocs-before.Mallocs) / float64(x.Rows)

	var failed error
	lat := spec.MedianCall(w.Budget, 100, func(i int) {
		if err := net.PredictInto(dst, x.Row(i%x.Rows)); err != nil {
			failed = err
		}
	})
	if failed != nil {
		return nil, failed
	}
	one := spec.Result{Work: spec.Predict1, Value: us(lat), Unit: "µs", Allocs: allocs}

	batch := head(x, w.Batch)
	out := nn.NewMatrix(batch.Rows, w.Outputs)
	for range 3 {
		if err := net.PredictBatchInto(out, batch); err != nil {
			return nil, err
		}
	}
	many := spec.BatchRate(w.Budget, 10, batch.Rows, func() { _ = net.PredictBatchInto(out, batch) })
	return []spec.Result{one, many}, nil
}

// mnist trains for the work's epochs and reports test accuracy.
func mnist(w spec.Work, seed uint64) ([]spec.Result, error) {
	x, y, err := data(w)
	if err != nil {
		return nil, err
	}
	tx, err := spec.ReadF32(w.TestX, w.TestRows*w.Inputs)
	if err != nil {
		return nil, err
	}
	ty, err := spec.ReadLabels(w.TestY, w.TestRows)
	if err != nil {
		return nil, err
	}
	net, err := network(w, seed)
	if err != nil {
		return nil, err
	}
	cfg := nn.TrainConfig{Epochs: w.Epochs, BatchSize: w.Batch, Optimizer: optimizer(w)}
	start := time.Now()
	h, err := net.Fit(context.Background(), x, y, cfg)
	if err != nil {
		return nil, err
	}
	secs := time.Since(start).Seconds()
	m, err := net.Evaluate(nn.Matrix{Rows: w.TestRows, Cols: w.Inputs, Data: tx}, nn.Classes(ty))
	if err != nil {
		return nil, err
	}
	return []spec.Result{{
		Work: spec.MNIST, Value: m.Accuracy, Unit: "accuracy",
		Seconds: secs, Loss: h.Epochs[len(h.Epochs)-1].Loss,
	}}, nil
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
