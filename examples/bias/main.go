// Command bias shows what the bias of a neuron does. A sigmoid neuron
// with one input computes σ(w·x + b); it answers 0.5, its threshold, where
// w·x + b = 0, that is at x = -b/w. The weight sets how steep the step is;
// the bias slides it along x. Without a bias every threshold would sit at
// x = 0.
//
// The program draws σ(x + b) for five biases into a PNG picture, measures
// where each curve crosses 0.5, and then trains a neuron on points
// labelled 1 right of x = 3 to show that learning puts the threshold there
// through the bias.
package main

import (
	"context"
	"flag"
	"fmt"
	"image/color"
	"io"
	"math"
	"math/rand/v2"
	"os"

	"github.com/nnrt/nn"
	"github.com/nnrt/nn/examples/internal/plot"
)

// biases are the curves drawn, each with its colour.
var biases = []struct {
	b   float32
	col color.RGBA
	hue string
}{
	{-4, plot.Blue, "blue"},
	{-2, plot.Orange, "orange"},
	{0, plot.Green, "green"},
	{2, plot.Red, "red"},
	{4, plot.Purple, "purple"},
}

// result is what run measured.
type result struct {
	crossings []float64 // where σ(x + b) crosses 0.5, one per bias
	learned   float64   // threshold -b/w of the trained neuron
	accuracy  float64   // of the trained neuron on its data
}

func main() {
	out := flag.String("out", "bias.png", "PNG file to write (empty for none)")
	seed := flag.Uint64("seed", 1, "seed for the training data and weights")
	flag.Parse()

	if _, err := run(os.Stdout, *out, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "bias:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, out string, seed uint64) (result, error) {
	var r result

	// 1. one neuron, weight 1, five biases, evaluated on a grid of x
	neuron, err := nn.New(nn.Input(1), nn.Dense(1, nn.Sigmoid))
	if err != nil {
		return r, err
	}
	grid := nn.NewMatrix(321, 1)
	xs := make([]float64, grid.Rows)
	for i := range xs {
		xs[i] = -8 + 0.05*float64(i)
		grid.Data[i] = float32(xs[i])
	}
	c := plot.New(640, 360, -8, 8, -0.05, 1.05)
	c.Axes()
	c.XTicks(-8, -4, 0, 4, 8)
	c.YTicks(0, 0.5, 1)
	c.Title("sigmoid(x + b): the bias moves the threshold")
	c.HLine(0.5, plot.Grey)
	fmt.Fprintln(w, "σ(1·x + b) crosses 0.5 at")
	for _, bc := range biases {
		if err := neuron.SetWeights(0, [][]float32{{1}}, []float32{bc.b}); err != nil {
			return r, err
		}
		p, err := neuron.PredictBatch(grid)
		if err != nil {
			return r, err
		}
		ys := make([]float64, len(xs))
		for i, v := range p.Data {
			ys[i] = float64(v)
		}
		x0 := crossing(xs, ys)
		r.crossings = append(r.crossings, x0)
		fmt.Fprintf(w, "  b = %+.0f: x = %+.2f (-b/w = %+.0f), %s curve\n", bc.b, x0, 0-bc.b, bc.hue)
		c.Line(xs, ys, bc.col)
		c.Dot(x0, 0.5, 4, bc.col)
		px, py := c.Pixel(x0, 0.5)
		c.Text(px+6, py+6, fmt.Sprintf("b=%+.0f", bc.b), bc.col)
	}

	// 2. learn a threshold at x = 3 from labelled points
	x, y := threshold(200, 3, seed)
	learner, err := nn.New(nn.Input(1), nn.Dense(1, nn.Sigmoid), nn.Seed(seed))
	if err != nil {
		return r, err
	}
	_, err = learner.Fit(context.Background(), x, y, nn.TrainConfig{
		Epochs:    300,
		BatchSize: 32,
		Optimizer: nn.Adam(0.1),
	})
	if err != nil {
		return r, err
	}
	wt, b, err := learner.Weights(0)
	if err != nil {
		return r, err
	}
	m, err := learner.Evaluate(x, y)
	if err != nil {
		return r, err
	}
	r.learned, r.accuracy = -float64(b[0])/float64(wt[0][0]), m.Accuracy
	fmt.Fprintf(w, "\ntrained on %d points labelled 1 where x > 3:\n", x.Rows)
	fmt.Fprintf(w, "  w = %.3f, b = %.3f, threshold -b/w = %.3f, accuracy %.3f\n", wt[0][0], b[0], r.learned, m.Accuracy)
	fmt.Fprintf(w, "  with b fixed at 0 the threshold would stay at x = 0: accuracy %.3f at best\n",
		bestWithoutBias(x, y))

	if out == "" {
		return r, nil
	}
	if err := plot.Save(out, c.Img); err != nil {
		return r, err
	}
	fmt.Fprintf(w, "\nwrote %s: σ(x + b) for x from -8 to 8, the grey line at 0.5, a dot where\n"+
		"each curve crosses it, labelled with its bias\n", out)
	return r, nil
}

// crossing returns where the rising curve ys over xs passes 0.5, by
// linear interpolation between grid points, or NaN if it does not.
func crossing(xs, ys []float64) float64 {
	for i := 1; i < len(xs); i++ {
		if ys[i-1] < 0.5 && ys[i] >= 0.5 {
			t := (0.5 - ys[i-1]) / (ys[i] - ys[i-1])
			return xs[i-1] + t*(xs[i]-xs[i-1])
		}
	}
	return math.NaN()
}

// threshold returns n points spread over [-2, 8], labelled 1 right of at.
func threshold(n int, at float64, seed uint64) (x, y nn.Matrix) {
	r := rand.New(rand.NewPCG(seed, 0x62696173))
	x, y = nn.NewMatrix(n, 1), nn.NewMatrix(n, 1)
	for i := range n {
		v := -2 + 10*r.Float64()
		x.Data[i] = float32(v)
		if v > at {
			y.Data[i] = 1
		}
	}
	return x, y
}

// bestWithoutBias is the accuracy of the better of the two answers a
// neuron without bias can give: 1 for x > 0, or 1 for x < 0.
func bestWithoutBias(x, y nn.Matrix) float64 {
	right := 0
	for i, v := range x.Data {
		if (v > 0) == (y.Data[i] == 1) {
			right++
		}
	}
	return float64(max(right, x.Rows-right)) / float64(x.Rows)
}
