//go:build godeep

// Command godeep is the peer comparison runner for go-deep
// (github.com/patrikeh/go-deep). It reads a spec file (package spec) and
// prints one JSON line per result.
//
// The build tag keeps go-deep out of the bench module: the driver copies
// this file into a scratch module that requires go-deep and builds it there
// with -tags godeep, so that a go-deep the module proxy does not serve makes
// this peer "n/a" and nothing else.
package main

import (
	"math/rand"
	"runtime"
	"time"

	"github.com/nnrt/nn/bench/spec"
	deep "github.com/patrikeh/go-deep"
	"github.com/patrikeh/go-deep/training"
)

func main() {
	spec.Main("go-deep", "go-deep (float64)", spec.Runner{Train: train, Predict: predict, MNIST: mnist})
}

func network(w spec.Work, seed uint64) *deep.Neural {
	rand.Seed(int64(seed))
	return deep.NewNeural(&deep.Config{
		Inputs:     w.Inputs,
		Layout:     []int{w.Hidden, w.Outputs},
		Activation: deep.ActivationReLU,
		Mode:       deep.ModeMultiClass,
		Weight:     deep.NewNormal(0, 0.05),
		Bias:       true,
	})
}

func trainer(w spec.Work) *training.BatchTrainer {
	var s training.Solver = training.NewSGD(w.LR, 0, 0, false)
	if w.Optimizer == "adam" {
		s = training.NewAdam(w.LR, 0.9, 0.999, 1e-8)
	}
	// The driver sets GOMAXPROCS to the table's thread count.
	return training.NewBatchTrainer(s, 0, w.Batch, runtime.GOMAXPROCS(0))
}

func examples(w spec.Work, xPath, yPath string, rows int) (training.Examples, error) {
	xs, err := spec.ReadF32(xPath, rows*w.Inputs)
	if err != nil {
		return nil, err
	}
	var ys []int
	if yPath != "" {
		if ys, err = spec.ReadLabels(yPath, rows); err != nil {
			return nil, err
		}
	}
	ex := make(training.Examples, rows)
	for i := range ex {
		in := make([]float64, w.Inputs)
		for j := range in {
			in[j] = float64(xs[i*w.Inputs+j])
		}
		out := make([]float64, w.Outputs)
		if ys != nil {
			out[ys[i]] = 1
		}
		ex[i] = training.Example{Input: in, Response: out}
	}
	return ex, nil
}

// train calls Train for one epoch at a time (one long epoch in chunks of
// 100 batches) so that the budget can stop it.
func train(w spec.Work, seed uint64) ([]spec.Result, error) {
	ex, err := examples(w, w.X, w.Y, w.Rows)
	if err != nil {
		return nil, err
	}
	net := network(w, seed)
	t := trainer(w)
	t.Train(net, ex[:min(len(ex), w.Warmup*w.Batch)], nil, 0)
	chunk := len(ex)
	if w.Epochs == 1 {
		chunk = min(chunk, 100*w.Batch)
	}
	cpu0 := spec.CPUTime()
	start := time.Now()
	deadline := start.Add(time.Duration(w.Budget * float64(time.Second)))
	samples := 0
loop:
	for range w.Epochs {
		for a := 0; a < len(ex); a += chunk {
			b := min(len(ex), a+chunk)
			t.Train(net, ex[a:b], nil, 0)
			samples += b - a
			if time.Now().After(deadline) {
				break loop
			}
		}
	}
	secs := time.Since(start).Seconds()
	cpu := (spec.CPUTime() - cpu0).Seconds()
	planned := w.Rows * w.Epochs
	r := spec.Result{Work: w.Name, Samples: samples, Seconds: secs, CPU: cpu, Partial: samples < planned,
		Note: "Train per epoch or chunk: Adam state restarts each call"}
	if w.Name == spec.Flowers {
		r.Value, r.Unit = secs*float64(planned)/float64(samples), "s"
	} else {
		r.Value, r.Unit = float64(samples)/secs, "samples/s"
	}
	return []spec.Result{r}, nil
}

func predict(w spec.Work, seed uint64) ([]spec.Result, error) {
	ex, err := examples(w, w.X, "", w.Rows)
	if err != nil {
		return nil, err
	}
	net := network(w, seed)
	for i := range w.Warmup {
		net.Predict(ex[i%len(ex)].Input)
	}
	lat := spec.MedianCall(w.Budget, 100, func(i int) { net.Predict(ex[i%len(ex)].Input) })
	rows := min(w.Batch, len(ex))
	many := spec.BatchRate(w.Budget, 10, rows, func() {
		for _, e := range ex[:rows] {
			net.Predict(e.Input)
		}
	})
	many.Note = "Predict per row"
	return []spec.Result{
		{Work: spec.Predict1, Value: float64(lat) / float64(time.Microsecond), Unit: "µs"},
		many,
	}, nil
}

func mnist(w spec.Work, seed uint64) ([]spec.Result, error) {
	ex, err := examples(w, w.X, w.Y, w.Rows)
	if err != nil {
		return nil, err
	}
	test, err := examples(w, w.TestX, w.TestY, w.TestRows)
	if err != nil {
		return nil, err
	}
	net := network(w, seed)
	start := time.Now()
	trainer(w).Train(net, ex, nil, w.Epochs-1)
	secs := time.Since(start).Seconds()
	right := 0
	for _, e := range test {
		p := net.Predict(e.Input)
		best := 0
		for j := range p {
			if p[j] > p[best] {
				best = j
			}
		}
		if e.Response[best] == 1 {
			right++
		}
	}
	acc := float64(right) / float64(len(test))
	return []spec.Result{{Work: spec.MNIST, Value: acc, Unit: "accuracy", Seconds: secs}}, nil
}
