package main

// Benchmarks of the peer comparison's works on nn alone, for profiling:
//
//	cd bench && go test -c -o nn.test ./runners/nn
//	GODEBUG=asyncpreemptoff=1 ./nn.test -test.run '^$' -test.bench FitBoard -test.cpu 1 -test.cpuprofile cpu.out
//	go tool pprof -top nn.test cpu.out
//
// Without asyncpreemptoff, pprof charges part of the time of long loops
// (the optimiser step, exp) to runtime.asyncPreempt; the speed is the same.

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/nnrt/nn"
	"github.com/nnrt/nn/bench/spec"
)

var (
	boardWork = spec.Work{Name: spec.Board, Inputs: 361, Hidden: 256, Outputs: 361,
		Batch: 32, Epochs: 1, Optimizer: "sgd", LR: 0.01, Rows: 1000}
	digitsWork = spec.Work{Name: spec.Digits, Inputs: 784, Hidden: 128, Outputs: 10,
		Batch: 64, Epochs: 1, Optimizer: "adam", LR: 0.001, Rows: 6400}
	flowersWork = spec.Work{Name: spec.Flowers, Inputs: 4, Hidden: 16, Outputs: 3,
		Batch: 16, Epochs: 1, Optimizer: "adam", LR: 0.01, Rows: 150}
)

// synthetic returns random inputs in [-1, 1) and labels covering every class.
func synthetic(w spec.Work) (nn.Matrix, nn.Matrix) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := nn.NewMatrix(w.Rows, w.Inputs)
	for i := range x.Data {
		x.Data[i] = 2*rng.Float32() - 1
	}
	labels := make([]int, w.Rows)
	for i := range labels {
		labels[i] = i % w.Outputs
	}
	return x, nn.Classes(labels)
}

// benchFit reports training samples per second for one epoch per op.
func benchFit(b *testing.B, w spec.Work) {
	x, y := synthetic(w)
	net, err := network(w, 1)
	if err != nil {
		b.Fatal(err)
	}
	cfg := nn.TrainConfig{Epochs: 1, BatchSize: w.Batch, Optimizer: optimizer(w)}
	ctx := context.Background()
	if _, err := net.Fit(ctx, x, y, cfg); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := net.Fit(ctx, x, y, cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*w.Rows)/b.Elapsed().Seconds(), "samples/s")
}

func BenchmarkFitBoard(b *testing.B)   { benchFit(b, boardWork) }
func BenchmarkFitDigits(b *testing.B)  { benchFit(b, digitsWork) }
func BenchmarkFitFlowers(b *testing.B) { benchFit(b, flowersWork) }

func BenchmarkPredictBoard1(b *testing.B) {
	x, _ := synthetic(boardWork)
	net, err := network(boardWork, 1)
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]float32, boardWork.Outputs)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := net.PredictInto(dst, x.Row(i%x.Rows)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkPredictBoard256(b *testing.B) {
	x, _ := synthetic(boardWork)
	net, err := network(boardWork, 1)
	if err != nil {
		b.Fatal(err)
	}
	batch := nn.Matrix{Rows: 256, Cols: x.Cols, Data: x.Data[:256*x.Cols]}
	out := nn.NewMatrix(256, boardWork.Outputs)
	b.ReportAllocs()
	for b.Loop() {
		if err := net.PredictBatchInto(out, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*256)/b.Elapsed().Seconds(), "samples/s")
}
