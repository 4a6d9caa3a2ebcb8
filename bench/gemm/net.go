package main

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/nnrt/nn"
)

// netFigures trains the 361-256-361 ReLU/softmax network of the board
// example at batch 32 and times single-sample prediction on it, on the
// chosen clock, and returns the medians over rounds: training samples per
// second and prediction microseconds.
func netFigures(rounds int) (trainRate, predictUS float64, err error) {
	net, err := nn.New(nn.Input(361), nn.Dense(256, nn.ReLU), nn.Dense(361, nn.Softmax), nn.Seed(1))
	if err != nil {
		return 0, 0, err
	}
	r := rand.New(rand.NewPCG(1, 2))
	const rows = 2048
	x := nn.NewMatrix(rows, 361)
	for i := range x.Data {
		x.Data[i] = float32(r.IntN(3) - 1)
	}
	labels := make([]int, rows)
	for i := range labels {
		labels[i] = r.IntN(361)
	}
	y := nn.Classes(labels)
	cfg := nn.TrainConfig{Epochs: 1, BatchSize: 32, Optimizer: nn.Adam(0.001)}
	if _, err := net.Fit(context.Background(), x, y, cfg); err != nil {
		return 0, 0, err
	}

	var rates, lat []float64
	dst := make([]float32, 361)
	for range rounds {
		start := now()
		if _, err := net.Fit(context.Background(), x, y, cfg); err != nil {
			return 0, 0, err
		}
		rates = append(rates, rows/(now()-start))

		const calls = 5000
		start = now()
		for i := range calls {
			if err := net.PredictInto(dst, x.Row(i%rows)); err != nil {
				return 0, 0, err
			}
		}
		lat = append(lat, (now()-start)/calls*1e6)
	}
	return median(rates), median(lat), nil
}

// printNet prints the network figures under the GEMM table.
func printNet(rounds int) error {
	rate, us, err := netFigures(rounds)
	if err != nil {
		return err
	}
	fmt.Printf("\n361-256-361 ReLU/softmax network, one thread, median of %d rounds:\n\n", rounds)
	fmt.Println("| figure | nn |")
	fmt.Println("| --- | ---: |")
	fmt.Printf("| training at batch 32 (Adam), samples/s | %.0f |\n", rate)
	fmt.Printf("| PredictInto, one sample, µs | %.2f |\n", us)
	return nil
}
