package nn

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Golden model files, written once by format version 1 and never
// rewritten: later versions must keep loading them and predicting the
// values in expected.txt. Add new files with
//
//	go test -run TestGoldenFiles -golden.add NAME .
//
// which writes only the files that do not exist yet.
var goldenAdd = flag.Bool("golden.add", false, "write golden model files that are missing")

const goldenDir = "testdata/golden"

// goldenModel is one golden file: how it was built and the inputs its
// expected outputs are recorded for.
type goldenModel struct {
	name   string
	build  func(t *testing.T) *Network
	opts   []SaveOption
	inputs [][]float32
}

func goldenModels() []goldenModel {
	identity := func(t *testing.T) *Network {
		n, err := New(Input(1), Dense(1, Identity))
		mustNil(t, err)
		mustNil(t, n.SetWeights(0, [][]float32{{1.5}}, []float32{-2}))
		return n
	}
	case5 := func(t *testing.T) *Network { return case5Net(t) }
	irisInputs := [][]float32{{5.1, 3.5, 1.4, 0.2}, {6.4, 3.2, 4.5, 1.5}, {6.3, 3.3, 6.0, 2.5}, {5.9, 3.0, 5.1, 1.8}}
	return []goldenModel{
		{"identity-f32.nnm", identity, nil, [][]float32{{1}, {-3.25}}},
		{"case5-f32.nnm", case5, nil, xorInputs},
		{"case5-f16.nnm", case5, []SaveOption{Float16}, xorInputs},
		{"case5-int8.nnm", case5, []SaveOption{Int8}, xorInputs},
		{"iris-f32-optim.nnm", trainedIris, []SaveOption{WithOptimizerState()}, irisInputs},
		{"iris-f16.nnm", trainedIris, []SaveOption{Float16}, irisInputs},
		{"iris-int8.nnm", trainedIris, []SaveOption{Int8}, irisInputs},
	}
}

// trainedIris is a 4-16-3 network trained on all of iris, with a scaler,
// class names and metadata: every part of the format.
func trainedIris(t *testing.T) *Network {
	d := readIris(t)
	n, err := New(Input(4), Dense(16, ReLU), Dropout(0.1), Dense(3, Softmax, L2(1e-4)), Seed(2026))
	mustNil(t, err)
	s, err := FitScaler(d.X)
	mustNil(t, err)
	n.SetScaler(s)
	n.SetClassNames(d.Classes)
	n.SetMeta("data", "iris.csv, all 150 rows")
	_, err = n.Fit(context.Background(), d.X, d.Y, TrainConfig{Epochs: 60, BatchSize: 16, Optimizer: Adam(0.01)})
	mustNil(t, err)
	return n
}

func readIris(t testing.TB) *Data {
	f, err := os.Open(filepath.Join("testdata", "iris.csv"))
	mustNil(t, err)
	defer f.Close()
	d, err := ReadCSV(f, "species")
	mustNil(t, err)
	return d
}

func formatFloats(v []float32) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.FormatFloat(float64(x), 'g', -1, 32)
	}
	return strings.Join(s, ",")
}

func parseFloats(t *testing.T, s string) []float32 {
	var v []float32
	for _, f := range strings.Split(s, ",") {
		x, err := strconv.ParseFloat(f, 32)
		mustNil(t, err)
		v = append(v, float32(x))
	}
	return v
}

// addGolden writes the golden files that are missing and appends their
// expected outputs.
func addGolden(t *testing.T) {
	mustNil(t, os.MkdirAll(goldenDir, 0o755))
	exp, err := os.OpenFile(filepath.Join(goldenDir, "expected.txt"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	mustNil(t, err)
	defer exp.Close()
	for _, g := range goldenModels() {
		path := filepath.Join(goldenDir, g.name)
		if _, err := os.Stat(path); err == nil {
			continue
		}
		n := g.build(t)
		mustNil(t, n.SaveFile(path, g.opts...))
		loaded, err := LoadFile(path)
		mustNil(t, err)
		for _, x := range g.inputs {
			y, err := loaded.Predict(x)
			mustNil(t, err)
			fmt.Fprintf(exp, "%s %s %s\n", g.name, formatFloats(x), formatFloats(y))
		}
	}
}

// TestGoldenFiles loads every golden file, checks its predictions against
// expected.txt and that saving it again in its encoding gives the same
// bytes (float32 and float16, whose decoding is exact).
func TestGoldenFiles(t *testing.T) {
	if *goldenAdd {
		addGolden(t)
	}
	f, err := os.Open(filepath.Join(goldenDir, "expected.txt"))
	mustNil(t, err)
	defer f.Close()
	checked := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 {
			t.Fatalf("expected.txt: malformed line %q", sc.Text())
		}
		name, x, want := fields[0], parseFloats(t, fields[1]), parseFloats(t, fields[2])
		n, err := LoadFile(filepath.Join(goldenDir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got, err := n.Predict(x)
		mustNil(t, err)
		for i := range want {
			// kernels may order sums differently on other machines
			if d := math.Abs(float64(got[i] - want[i])); d > 1e-6*max(1, math.Abs(float64(want[i]))) {
				t.Errorf("%s: predict %v output %d = %v, want %v", name, x, i, got[i], want[i])
			}
		}
		checked[name] = true
	}
	mustNil(t, sc.Err())

	for _, g := range goldenModels() {
		if !checked[g.name] {
			t.Errorf("%s has no expected outputs", g.name)
			continue
		}
		if strings.Contains(g.name, "int8") {
			continue
		}
		file, err := os.ReadFile(filepath.Join(goldenDir, g.name))
		mustNil(t, err)
		n, err := Load(bytes.NewReader(file))
		mustNil(t, err)
		var buf bytes.Buffer
		mustNil(t, n.Save(&buf, g.opts...))
		if !bytes.Equal(buf.Bytes(), file) {
			t.Errorf("%s: saving the loaded model gives different bytes", g.name)
		}
	}
}
