// Command gen writes the fixtures of the end-to-end tests: model files saved
// by native Go and the outputs native Go predicts for them, so the tests can
// check that the WebAssembly build reads the same files and computes the
// same numbers.
//
//	go run ./wasm/e2e/gen -out wasm/e2e/fixtures
//
// It is a native program, unlike the rest of wasm/: it runs on the build
// machine, not in the browser.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/nnrt/nn"
	"github.com/nnrt/nn/internal/baduk"
)

// fixture is one model file and the cases checked against it.
type fixture struct {
	Model   string      `json:"model"`
	Inputs  int         `json:"inputs"`
	Outputs int         `json:"outputs"`
	X       [][]float32 `json:"x"`
	Y       [][]float32 `json:"y"`
}

func main() {
	out := flag.String("out", "fixtures", "folder to write the fixtures into")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	models := []struct {
		name string
		opts []nn.Option
	}{
		{"classifier", []nn.Option{
			nn.Input(6), nn.Dense(24, nn.Tanh), nn.Dense(12, nn.ReLU), nn.Dense(4, nn.Softmax), nn.Seed(11),
		}},
		{"regressor", []nn.Option{
			nn.Input(3), nn.Dense(16, nn.LeakyReLU, nn.Alpha(0.1)), nn.Dropout(0.1),
			nn.Dense(8, nn.Sigmoid), nn.Dense(2, nn.Identity), nn.Seed(12),
		}},
	}
	var all []fixture
	for i, m := range models {
		f, err := build(out, m.name, m.opts, uint64(i+1))
		if err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
		all = append(all, f)
	}
	b, err := json.MarshalIndent(all, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "fixtures.json"), b, 0o644); err != nil {
		return err
	}
	return boardModel(out)
}

// boardModel writes baduk.nnm: an untrained move predictor with the
// metadata examples/baduk saves, so the tests can drive the page's Go board
// without game records.
func boardModel(out string) error {
	planes := baduk.AllPlanes &^ (1 << baduk.PlanePattern)
	net, err := nn.New(nn.Input(planes.Inputs()), nn.Dense(32, nn.ReLU), nn.Dense(baduk.Points, nn.Softmax), nn.Seed(5))
	if err != nil {
		return err
	}
	net.SetMeta("baduk.planes", planes.String())
	return net.SaveFile(filepath.Join(out, "baduk.nnm"))
}

// build trains a model briefly on random data, so its weights are not the
// initial ones, saves it and records its predictions on fresh inputs.
func build(out, name string, opts []nn.Option, seed uint64) (fixture, error) {
	net, err := nn.New(opts...)
	if err != nil {
		return fixture{}, err
	}
	r := rand.New(rand.NewPCG(seed, 99))
	ni, no := net.InputSize(), net.OutputSize()
	x := random(r, 64, ni)
	y := random(r, 64, no)
	if no > 1 && name == "classifier" {
		labels := make([]int, 64)
		for i := range labels {
			labels[i] = r.IntN(no)
		}
		y = nn.Classes(labels)
	}
	if _, err := net.Fit(context.Background(), x, y, nn.TrainConfig{Epochs: 5, BatchSize: 16}); err != nil {
		return fixture{}, err
	}
	file := name + ".nnm"
	if err := net.SaveFile(filepath.Join(out, file)); err != nil {
		return fixture{}, err
	}
	f := fixture{Model: file, Inputs: ni, Outputs: no}
	for range 16 {
		in := random(r, 1, ni).Data
		p, err := net.Predict(in)
		if err != nil {
			return fixture{}, err
		}
		f.X = append(f.X, in)
		f.Y = append(f.Y, p)
	}
	return f, nil
}

func random(r *rand.Rand, rows, cols int) nn.Matrix {
	m := nn.NewMatrix(rows, cols)
	for i := range m.Data {
		m.Data[i] = float32(r.NormFloat64())
	}
	return m
}
