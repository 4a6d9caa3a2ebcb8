// Command zeroinit shows why a network's weights must not start equal.
//
// If every weight starts at zero, every hidden unit computes the same
// output, receives the same gradient and takes the same step, forever: the
// hidden layer acts as a single unit, however wide it is. Random starting
// weights (Glorot or He) break that symmetry. Both networks below are
// 2-4-1 with sigmoid units, trained the same way to tell the points inside
// a circle from those around it; only the initialisation differs. One
// unit can only draw a straight line, so the network started at zero
// cannot find the circle.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"

	"github.com/nnrt/nn"
)

// disk returns n points spread evenly over the square [-1, 1]², labelled 1
// inside the circle of radius 0.6 about the origin and 0 outside. About a
// quarter of them are inside: with balanced classes a network started at
// zero would not move at all, as every gradient would cancel.
func disk(n int, seed uint64) (x, y nn.Matrix) {
	r := rand.New(rand.NewPCG(seed, 0x6469736b))
	x, y = nn.NewMatrix(n, 2), nn.NewMatrix(n, 1)
	for i := range n {
		a, b := 2*r.Float64()-1, 2*r.Float64()-1
		x.Data[2*i], x.Data[2*i+1] = float32(a), float32(b)
		if a*a+b*b < 0.36 {
			y.Data[i] = 1
		}
	}
	return x, y
}

// outcome is what one training run ended with.
type outcome struct {
	accuracy float64
	spread   float64 // largest difference between two hidden units' parameters
}

func main() {
	epochs := flag.Int("epochs", 300, "training epochs")
	seed := flag.Uint64("seed", 1, "seed for the random initialisation")
	flag.Parse()

	if _, _, err := run(os.Stdout, *epochs, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "zeroinit:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, epochs int, seed uint64) (zero, glorot outcome, err error) {
	x, y := disk(300, seed)
	inside := 0
	for _, v := range y.Data {
		inside += int(v)
	}
	fmt.Fprintf(w, "%d points in [-1, 1]², %d of them inside the circle of radius 0.6 (class 1);\n"+
		"answering \"outside\" everywhere scores %.3f\n\n", x.Rows, inside, 1-float64(inside)/float64(x.Rows))
	zero, err = train(w, "zero initialisation", nn.Zeros(), x, y, epochs, seed)
	if err != nil {
		return
	}
	fmt.Fprintln(w)
	glorot, err = train(w, "Glorot uniform initialisation", nn.GlorotUniform(), x, y, epochs, seed)
	if err != nil {
		return
	}
	fmt.Fprintf(w, "\nzero start: hidden units differ by at most %g, accuracy %.2f\n", zero.spread, zero.accuracy)
	fmt.Fprintf(w, "random start: hidden units differ by up to %.3g, accuracy %.2f\n", glorot.spread, glorot.accuracy)
	fmt.Fprintln(w, "(without WithInit, nn starts sigmoid and tanh layers with Glorot, ReLU layers with He)")
	return zero, glorot, nil
}

// train builds a 2-4-1 sigmoid network with every layer initialised by
// init, trains it on x, y and prints its hidden layer.
func train(w io.Writer, name string, init nn.Initializer, x, y nn.Matrix, epochs int, seed uint64) (outcome, error) {
	var o outcome
	net, err := nn.New(
		nn.Input(2),
		nn.Dense(4, nn.Sigmoid, nn.WithInit(init)),
		nn.Dense(1, nn.Sigmoid, nn.WithInit(init)),
		nn.Seed(seed),
	)
	if err != nil {
		return o, err
	}
	_, err = net.Fit(context.Background(), x, y, nn.TrainConfig{
		Epochs:    epochs,
		BatchSize: 32,
		Optimizer: nn.Adam(0.05),
	})
	if err != nil {
		return o, err
	}

	// each hidden unit: its two input weights, its bias, and its weight
	// into the output unit
	hw, hb, err := net.Weights(0)
	if err != nil {
		return o, err
	}
	ow, _, err := net.Weights(1)
	if err != nil {
		return o, err
	}
	fmt.Fprintf(w, "%s, after %d epochs:\n", name, epochs)
	units := make([][]float32, len(hw))
	for u := range hw {
		units[u] = []float32{hw[u][0], hw[u][1], hb[u], ow[0][u]}
		fmt.Fprintf(w, "  hidden unit %d: weights %9.4f %9.4f  bias %9.4f  to output %9.4f\n",
			u, units[u][0], units[u][1], units[u][2], units[u][3])
	}
	for _, u := range units[1:] {
		for j := range u {
			o.spread = max(o.spread, math.Abs(float64(u[j]-units[0][j])))
		}
	}

	m, err := net.Evaluate(x, y)
	if err != nil {
		return o, err
	}
	o.accuracy = m.Accuracy
	fmt.Fprintf(w, "  training accuracy %.3f, loss %.4f\n", m.Accuracy, m.Loss)
	return o, nil
}
