// Command iris trains a small network to tell three kinds of iris flower
// apart from four measurements, and reports how well it does on flowers it
// has not seen.
//
// It embeds Fisher's iris data (1936) as scikit-learn ships it, under the
// BSD-3-Clause licence; see README.md in this folder.
package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/nnrt/nn"
)

//go:embed iris.csv
var irisCSV string

// config holds the command-line settings.
type config struct {
	epochs int
	seed   uint64
	save   string // model file to write, or "" to save nothing
}

func main() {
	var cfg config
	flag.IntVar(&cfg.epochs, "epochs", 100, "training epochs")
	flag.Uint64Var(&cfg.seed, "seed", 42, "seed for the test split, initial weights and shuffling")
	flag.StringVar(&cfg.save, "save", "", "write the trained model to this file")
	flag.Parse()

	if _, err := run(os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "iris:", err)
		os.Exit(1)
	}
}

// run trains and tests a network as cfg says, writes a report to w and
// returns the test accuracy.
func run(w io.Writer, cfg config) (float64, error) {
	// read the table: four measurements, then the species name
	d, err := nn.ReadCSV(strings.NewReader(irisCSV), "species")
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(w, "iris: %d flowers, features %s, classes %s\n",
		d.X.Rows, strings.Join(d.Features, ", "), strings.Join(d.Classes, ", "))

	// hold out 30% of each species, drawn at random: the test set keeps the
	// 1:1:1 mix of the whole, so a split cannot starve one class of
	// training rows and overload the test with it
	trainX, trainY, testX, testY, err := nn.SplitStratified(d.X, d.Y, 0.3, cfg.seed)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(w, "training on %d flowers, testing on %d\n\n", trainX.Rows, testX.Rows)

	// standardise with statistics of the training rows only; the network
	// applies the scaler to every input it sees from now on
	scaler, err := nn.FitScaler(trainX)
	if err != nil {
		return 0, err
	}
	// 4 inputs, 16 ReLU units, 3 softmax outputs (one per species); a small
	// L2 penalty keeps the weights from fitting the few overlapping flowers
	net, err := nn.New(
		nn.Input(4),
		nn.Dense(16, nn.ReLU, nn.L2(0.01)),
		nn.Dense(3, nn.Softmax, nn.L2(0.01)),
		nn.Seed(cfg.seed),
	)
	if err != nil {
		return 0, err
	}
	net.SetScaler(scaler)
	net.SetClassNames(d.Classes)

	// train: targets are class indices, softmax gives cross-entropy loss
	_, err = net.Fit(context.Background(), trainX, trainY, nn.TrainConfig{
		Epochs:    cfg.epochs,
		BatchSize: 32,
		Optimizer: nn.Adam(0.01),
		Progress:  w,
	})
	if err != nil {
		return 0, err
	}

	// score the flowers held out
	m, err := net.Evaluate(testX, testY)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(w, "\ntest accuracy %.4f (%d of %d flowers), test loss %.4f\n\n",
		m.Accuracy, int(m.Accuracy*float64(m.N)+0.5), m.N, m.Loss)

	// show a few predictions
	fmt.Fprintln(w, "measurements (cm)      true        predicted   probability")
	for i := range min(6, testX.Rows) {
		p, err := net.Predict(testX.Row(i))
		if err != nil {
			return 0, err
		}
		best := argmax(p)
		fmt.Fprintf(w, "%-22s %-11s %-11s %.3f\n",
			fmt.Sprint(testX.Row(i)), d.Classes[int(testY.Data[i])], d.Classes[best], p[best])
	}

	if cfg.save != "" {
		if err := net.SaveFile(cfg.save); err != nil {
			return 0, err
		}
		fmt.Fprintf(w, "\nmodel written to %s\n", cfg.save)
	}
	return m.Accuracy, nil
}

// argmax returns the index of the largest value in p.
func argmax(p []float32) int {
	return slices.Index(p, slices.Max(p))
}
