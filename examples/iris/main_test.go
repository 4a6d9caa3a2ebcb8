package main

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nnrt/nn"
)

func TestIris(t *testing.T) {
	var out bytes.Buffer
	path := filepath.Join(t.TempDir(), "iris.nnm")
	acc, err := run(&out, config{epochs: 100, seed: 42, save: path})
	if err != nil {
		t.Fatal(err)
	}
	if acc < 0.95 {
		t.Errorf("test accuracy %.4f, want at least 0.95\n%s", acc, out.String())
	}
	for _, s := range []string{"training on 105 flowers, testing on 45", "test accuracy", "setosa"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output does not say %q:\n%s", s, out.String())
		}
	}

	// the saved model carries the scaler and class names, and scores the
	// raw test rows as the trained one did
	net, err := nn.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := net.ClassNames(); len(got) != 3 || got[2] != "virginica" {
		t.Errorf("loaded class names %q", got)
	}
	d, err := nn.ReadCSV(strings.NewReader(irisCSV), "species")
	if err != nil {
		t.Fatal(err)
	}
	_, _, testX, testY, err := nn.SplitStratified(d.X, d.Y, 0.3, 42)
	if err != nil {
		t.Fatal(err)
	}
	m, err := net.Evaluate(testX, testY)
	if err != nil {
		t.Fatal(err)
	}
	if m.Accuracy != acc {
		t.Errorf("loaded model accuracy %v, trained model %v", m.Accuracy, acc)
	}
}

// With 45 test flowers the accuracy moves in steps of 0.022 with the split,
// and a few versicolor and virginica flowers overlap, so no model gets
// every split to 0.95: seed 42 proves little on its own. Over seeds 1-40
// the example reaches 0.95 on 30 splits with a mean of 0.962; the bounds
// leave room for a seed or two to move with floating-point rounding on
// other machines.
func TestIrisSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 40 networks")
	}
	const seeds = 40
	var sum float64
	pass := 0
	for seed := uint64(1); seed <= seeds; seed++ {
		acc, err := run(io.Discard, config{epochs: 100, seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		sum += acc
		if acc >= 0.95 {
			pass++
		}
	}
	mean := sum / seeds
	t.Logf("seeds 1-%d: %d reach 0.95, mean test accuracy %.4f", seeds, pass, mean)
	if pass < 28 || mean < 0.955 {
		t.Errorf("seeds 1-%d: %d reach 0.95 with mean test accuracy %.4f, want at least 28 and 0.955",
			seeds, pass, mean)
	}
}
