// Command overfit shows a network learning its training data by heart.
//
// A 2-64-64-1 network has thousands of weights; given only 40 noisy
// points of two half-moons, it keeps lowering its training loss long
// after it has learned the real shape, by bending around the noise. The
// loss on 400 fresh points, the validation loss, falls at first and then
// climbs: from there on the network gets worse at the task while looking
// better on its own data. Early stopping watches the validation loss,
// stops when it has not improved for a while, and puts back the weights
// of its best epoch.
//
// The program trains once without early stopping to draw both curves
// into a PNG picture, then again with it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/nnrt/nn"
	"github.com/nnrt/nn/examples/internal/plot"
	"github.com/nnrt/nn/examples/internal/toy"
)

// config holds the command-line settings.
type config struct {
	epochs   int
	patience int
	seed     uint64
	out      string // PNG file to write, or "" for none
}

// result is what run measured.
type result struct {
	bestEpoch            int     // epoch of the lowest validation loss, without early stopping
	bestVal, lastVal     float64 // validation loss at that epoch and at the last
	bestTrain, lastTrain float64 // training loss at that epoch and at the last
	stoppedAt            int     // epochs run with early stopping
	keptEpoch            int     // the epoch whose weights early stopping kept
	keptVal              float64 // validation loss recorded at that epoch
	restoredVal          float64 // validation loss of the network after Fit
}

func main() {
	var cfg config
	flag.IntVar(&cfg.epochs, "epochs", 400, "training epochs without early stopping")
	flag.IntVar(&cfg.patience, "patience", 30, "epochs without improvement before early stopping")
	flag.Uint64Var(&cfg.seed, "seed", 2, "seed for data and weights")
	flag.StringVar(&cfg.out, "out", "overfit.png", "PNG file to write (empty for none)")
	flag.Parse()

	if _, err := run(os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "overfit:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, cfg config) (result, error) {
	var r result
	trainX, trainY := toy.Moons(40, 0.25, cfg.seed)
	valX, valY := toy.Moons(400, 0.25, cfg.seed+1000)
	fmt.Fprintf(w, "two noisy moons: %d training points, %d validation points\n", trainX.Rows, valX.Rows)

	// 1. train for the full run, watching both losses
	_, h, err := fit(trainX, trainY, valX, valY, cfg.epochs, 0, cfg.seed)
	if err != nil {
		return r, err
	}
	for _, e := range h.Epochs {
		if r.bestEpoch == 0 || e.ValLoss < r.bestVal {
			r.bestEpoch, r.bestVal, r.bestTrain = e.Epoch, e.ValLoss, e.Loss
		}
	}
	last := h.Epochs[len(h.Epochs)-1]
	r.lastVal, r.lastTrain = last.ValLoss, last.Loss
	fmt.Fprintf(w, "\nwithout early stopping, %d epochs:\n", len(h.Epochs))
	fmt.Fprintf(w, "  best validation loss %.4f at epoch %d (training loss then %.4f)\n",
		r.bestVal, r.bestEpoch, r.bestTrain)
	fmt.Fprintf(w, "  at the end: validation loss %.4f, training loss %.4f\n", r.lastVal, r.lastTrain)
	fmt.Fprintf(w, "  training accuracy %.3f, validation accuracy %.3f (%.3f at epoch %d)\n",
		last.Accuracy, last.ValAccuracy, h.Epochs[r.bestEpoch-1].ValAccuracy, r.bestEpoch)

	// 2. the same network and data with early stopping
	net, hs, err := fit(trainX, trainY, valX, valY, cfg.epochs, cfg.patience, cfg.seed)
	if err != nil {
		return r, err
	}
	m, err := net.Evaluate(valX, valY)
	if err != nil {
		return r, err
	}
	r.stoppedAt, r.keptEpoch, r.restoredVal = len(hs.Epochs), hs.BestEpoch, m.Loss
	r.keptVal = hs.Epochs[hs.BestEpoch-1].ValLoss
	fmt.Fprintf(w, "\nwith early stopping (patience %d):\n", cfg.patience)
	fmt.Fprintf(w, "  stopped after epoch %d, kept the weights of epoch %d\n", r.stoppedAt, hs.BestEpoch)
	fmt.Fprintf(w, "  validation loss %.4f, accuracy %.3f\n", m.Loss, m.Accuracy)

	if cfg.out == "" {
		return r, nil
	}
	if err := drawCurves(cfg.out, h, r.stoppedAt); err != nil {
		return r, err
	}
	fmt.Fprintf(w, "\nwrote %s: loss per epoch, training blue, validation orange; the green\n"+
		"line marks the best validation loss, the red one where early stopping ended\n", cfg.out)
	return r, nil
}

// fit builds the over-sized network, the same for a given seed, and
// trains it full-batch with Adam, scoring the validation set after every
// epoch. A patience of 0 turns early stopping off.
func fit(x, y, valX, valY nn.Matrix, epochs, patience int, seed uint64) (*nn.Network, *nn.History, error) {
	net, err := nn.New(
		nn.Input(2),
		nn.Dense(64, nn.ReLU),
		nn.Dense(64, nn.ReLU),
		nn.Dense(1, nn.Sigmoid),
		nn.Seed(seed),
	)
	if err != nil {
		return nil, nil, err
	}
	h, err := net.Fit(context.Background(), x, y, nn.TrainConfig{
		Epochs:    epochs,
		BatchSize: x.Rows,
		Optimizer: nn.Adam(0.01),
		ValX:      &valX,
		ValY:      &valY,
		Patience:  patience,
	})
	return net, h, err
}

// drawCurves plots the training and validation loss of h per epoch.
func drawCurves(path string, h *nn.History, stoppedAt int) error {
	n := len(h.Epochs)
	xs := make([]float64, n)
	train, val := make([]float64, n), make([]float64, n)
	top, best := 0.0, 0
	for i, e := range h.Epochs {
		xs[i], train[i], val[i] = float64(e.Epoch), e.Loss, e.ValLoss
		top = max(top, e.Loss, e.ValLoss)
		if e.ValLoss < val[best] {
			best = i
		}
	}
	c := plot.New(640, 360, 0, float64(n), 0, top*1.05)
	c.Axes()
	c.XTicks(0, float64(n)/4, float64(n)/2, float64(3*n)/4, float64(n))
	step := 0.5
	if top > 2 {
		step = 1
	}
	for v := 0.0; v <= top; v += step {
		c.YTicks(v)
	}
	c.Title("loss per epoch: training (blue), validation (orange)")
	c.VLine(xs[best], plot.Green)
	c.VLine(float64(stoppedAt), plot.Red)
	px, _ := c.Pixel(xs[best], top)
	c.Text(px+4, plot.Margin+4, "best", plot.Green)
	px, _ = c.Pixel(float64(stoppedAt), top)
	c.Text(px+4, plot.Margin+4+plot.TextHeight+4, "stop", plot.Red)
	c.Line(xs, train, plot.Blue)
	c.Line(xs, val, plot.Orange)
	return plot.Save(path, c.Img)
}
