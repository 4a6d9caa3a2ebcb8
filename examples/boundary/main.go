// Command boundary compares what a single-layer network and a multi-layer
// perceptron can learn on two interleaved half-moons. The single layer
// can only draw a straight boundary between the classes; a hidden layer
// lets the network bend it around them. It prints both test accuracies
// and draws both boundaries side by side in a PNG picture.
package main

import (
	"context"
	"flag"
	"fmt"
	"image/color"
	"io"
	"os"

	"github.com/nnrt/nn"
	"github.com/nnrt/nn/examples/internal/plot"
	"github.com/nnrt/nn/examples/internal/toy"
)

// config holds the command-line settings.
type config struct {
	points int     // number of points, training and test together
	noise  float64 // standard deviation of the noise around the moons
	epochs int
	seed   uint64
	out    string // PNG file to write, or "" for none
}

// result holds the test accuracies.
type result struct {
	linear, mlp float64
}

func main() {
	var cfg config
	flag.IntVar(&cfg.points, "points", 400, "number of points")
	flag.Float64Var(&cfg.noise, "noise", 0.15, "noise around the moons")
	flag.IntVar(&cfg.epochs, "epochs", 200, "training epochs")
	flag.Uint64Var(&cfg.seed, "seed", 1, "seed for data, split and weights")
	flag.StringVar(&cfg.out, "out", "boundary.png", "PNG file to write (empty for none)")
	flag.Parse()

	if _, err := run(os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "boundary:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, cfg config) (result, error) {
	var r result
	x, y := toy.Moons(cfg.points, cfg.noise, cfg.seed)
	trainX, trainY, testX, testY, err := nn.Split(x, y, 0.3, cfg.seed)
	if err != nil {
		return r, err
	}
	fmt.Fprintf(w, "two moons: %d training points, %d test points\n", trainX.Rows, testX.Rows)

	// one sigmoid neuron: p = σ(w·x + b), a straight boundary w·x + b = 0
	linear, err := nn.New(nn.Input(2), nn.Dense(1, nn.Sigmoid), nn.Seed(cfg.seed))
	if err != nil {
		return r, err
	}
	// two hidden layers of 16 tanh units before the same output neuron
	mlp, err := nn.New(
		nn.Input(2),
		nn.Dense(16, nn.Tanh),
		nn.Dense(16, nn.Tanh),
		nn.Dense(1, nn.Sigmoid),
		nn.Seed(cfg.seed),
	)
	if err != nil {
		return r, err
	}

	for _, m := range []struct {
		name string
		net  *nn.Network
		acc  *float64
	}{
		{"single layer (2-1)", linear, &r.linear},
		{"MLP (2-16-16-1)", mlp, &r.mlp},
	} {
		_, err := m.net.Fit(context.Background(), trainX, trainY, nn.TrainConfig{
			Epochs:    cfg.epochs,
			BatchSize: 32,
			Optimizer: nn.Adam(0.02),
		})
		if err != nil {
			return r, err
		}
		met, err := m.net.Evaluate(testX, testY)
		if err != nil {
			return r, err
		}
		*m.acc = met.Accuracy
		fmt.Fprintf(w, "%-19s test accuracy %.3f\n", m.name, met.Accuracy)
	}

	if cfg.out == "" {
		return r, nil
	}
	left, err := boundaryMap(linear, x, y, fmt.Sprintf("single layer: test accuracy %.3f", r.linear))
	if err != nil {
		return r, err
	}
	right, err := boundaryMap(mlp, x, y, fmt.Sprintf("MLP 2-16-16-1: test accuracy %.3f", r.mlp))
	if err != nil {
		return r, err
	}
	if err := plot.Save(cfg.out, plot.SideBySide(left, right)); err != nil {
		return r, err
	}
	fmt.Fprintf(w, "wrote %s: left the single layer, right the MLP; the shading is the\n"+
		"predicted class (blue 0, orange 1), the black line the decision boundary\n"+
		"(p = 0.5), the dots all %d points in their true class colour\n", cfg.out, x.Rows)
	return r, nil
}

// boundaryMap draws the network's predicted class over the plane, a dark
// line where it changes, and the points on top, under the given title.
func boundaryMap(net *nn.Network, x, y nn.Matrix, title string) (*plot.Canvas, error) {
	white := color.RGBA{255, 255, 255, 255}
	light := [2]color.RGBA{plot.Blend(plot.Blue, white, 0.7), plot.Blend(plot.Orange, white, 0.7)}
	c := plot.New(400, 300, -1.6, 2.6, -1.1, 1.6)
	dx, dy := c.Step()

	// class returns 1 where the network predicts class 1, else 0
	in, out := make([]float32, 2), make([]float32, 1)
	var perr error
	class := func(a, b float64) int {
		in[0], in[1] = float32(a), float32(b)
		if err := net.PredictInto(out, in); err != nil {
			perr = err
		}
		if out[0] > 0.5 {
			return 1
		}
		return 0
	}
	c.Fill(func(a, b float64) color.Color {
		k := class(a, b)
		if k != class(a+dx, b) || k != class(a, b+dy) {
			return plot.Black
		}
		return light[k]
	})
	if perr != nil {
		return nil, perr
	}

	c.Axes()
	c.XTicks(-1, 0, 1, 2)
	c.YTicks(-1, 0, 1)
	c.Title(title)
	for i := range x.Rows {
		col := plot.Blue
		if y.Data[i] == 1 {
			col = plot.Orange
		}
		c.Dot(float64(x.Data[2*i]), float64(x.Data[2*i+1]), 3, col)
	}
	return c, nil
}
