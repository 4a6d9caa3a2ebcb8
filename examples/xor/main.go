// Command xor shows the problem that stopped neural networks in 1969: a
// single perceptron cannot learn XOR, because no straight line separates
// its two classes, but a network with one small hidden layer can.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/nnrt/nn"
)

// The four XOR cases: the output is 1 when exactly one input is 1.
var (
	inputs  = nn.Matrix{Rows: 4, Cols: 2, Data: []float32{0, 0, 0, 1, 1, 0, 1, 1}}
	targets = []float32{0, 1, 1, 0}
)

// result is what run found.
type result struct {
	perceptronConverged bool
	perceptronRight     int     // cases the perceptron gets right
	networkAccuracy     float64 // of the 2-4-1 network on the four cases
}

func main() {
	seed := flag.Uint64("seed", 1, "seed for the network's initial weights")
	epochs := flag.Int("epochs", 500, "training epochs for the network")
	flag.Parse()

	if _, err := run(os.Stdout, *seed, *epochs); err != nil {
		fmt.Fprintln(os.Stderr, "xor:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, seed uint64, epochs int) (result, error) {
	var r result

	// 1. Rosenblatt's perceptron, labels ±1
	labels := make([]float32, len(targets))
	for i, t := range targets {
		labels[i] = 2*t - 1
	}
	p := nn.NewPerceptron(2)
	n, converged, err := p.Train(inputs, labels, 100)
	if err != nil {
		return r, err
	}
	r.perceptronConverged = converged
	fmt.Fprintf(w, "perceptron: converged %v after %d epochs (W %v, B %v)\n", converged, n, p.W, p.B)
	for i := range inputs.Rows {
		out, err := p.Predict(inputs.Row(i))
		if err != nil {
			return r, err
		}
		mark := "wrong"
		if out == labels[i] {
			mark = "right"
			r.perceptronRight++
		}
		fmt.Fprintf(w, "  %v -> %+v, want %+v  %s\n", inputs.Row(i), out, labels[i], mark)
	}
	fmt.Fprintf(w, "  %d of 4 right: a line can put at most 3 of the XOR cases on the correct side\n\n",
		r.perceptronRight)

	// 2. a 2-4-1 network: tanh hidden units, a sigmoid output read as the
	// probability of 1, trained with binary cross-entropy on all 4 cases
	net, err := nn.New(
		nn.Input(2),
		nn.Dense(4, nn.Tanh),
		nn.Dense(1, nn.Sigmoid),
		nn.Seed(seed),
	)
	if err != nil {
		return r, err
	}
	y := nn.Matrix{Rows: 4, Cols: 1, Data: targets}
	h, err := net.Fit(context.Background(), inputs, y, nn.TrainConfig{
		Epochs:    epochs,
		BatchSize: 4,
		Optimizer: nn.Adam(0.05),
	})
	if err != nil {
		return r, err
	}
	last := h.Epochs[len(h.Epochs)-1]
	fmt.Fprintf(w, "2-4-1 network: loss %.4f after %d epochs\n", last.Loss, len(h.Epochs))
	for i := range inputs.Rows {
		out, err := net.Predict(inputs.Row(i))
		if err != nil {
			return r, err
		}
		fmt.Fprintf(w, "  %v -> %.3f, want %v\n", inputs.Row(i), out[0], targets[i])
	}
	m, err := net.Evaluate(inputs, y)
	if err != nil {
		return r, err
	}
	r.networkAccuracy = m.Accuracy
	fmt.Fprintf(w, "  accuracy %.0f%%: the hidden layer bends the boundary that one neuron cannot\n",
		100*m.Accuracy)
	return r, nil
}
