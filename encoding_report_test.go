package nn

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// encodingEffect is what saving a model in one weight encoding costs.
type encodingEffect struct {
	enc       Encoding
	size      int
	accuracy  float64 // on held-out data
	agreement float64 // share of rows whose top class matches float32
	mad, maxd float64 // mean and largest absolute output change vs float32
}

// measureEncodings saves n in every encoding, loads it back and compares
// its outputs on x (labels y, class indices) with those of n.
func measureEncodings(t *testing.T, n *Network, x, y Matrix) []encodingEffect {
	ref, err := n.PredictBatch(x)
	mustNil(t, err)
	var out []encodingEffect
	for _, enc := range []Encoding{Float32, Float16, Int8} {
		var buf bytes.Buffer
		mustNil(t, n.Save(&buf, enc))
		e := encodingEffect{enc: enc, size: buf.Len()}
		m, err := Load(&buf)
		mustNil(t, err)
		got, err := m.PredictBatch(x)
		mustNil(t, err)
		var right, same int
		for i := range x.Rows {
			g, r := got.Row(i), ref.Row(i)
			for j := range g {
				d := math.Abs(float64(g[j] - r[j]))
				e.mad += d
				e.maxd = max(e.maxd, d)
			}
			if argmax(g) == int(y.Data[i]) {
				right++
			}
			if argmax(g) == argmax(r) {
				same++
			}
		}
		e.mad /= float64(len(got.Data))
		e.accuracy = float64(right) / float64(x.Rows)
		e.agreement = float64(same) / float64(x.Rows)
		out = append(out, e)
	}
	return out
}

func reportEffects(name string, effects []encodingEffect) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%-8s %10s %8s %9s %10s %12s %12s\n", name, "encoding", "bytes", "ratio", "accuracy", "agreement", "mean |dy|", "max |dy|")
	for _, e := range effects {
		name := map[Encoding]string{Float32: "float32", Float16: "float16", Int8: "int8"}[e.enc]
		fmt.Fprintf(&b, "%-8s %10d %8.3f %9.4f %10.4f %12.3g %12.3g\n", name, e.size,
			float64(e.size)/float64(effects[0].size), e.accuracy, e.agreement, e.mad, e.maxd)
	}
	return b.String()
}

// TestEncodingReport measures file size and the change in outputs per
// weight encoding for a trained iris network and a 361-256-361 network;
// run with -v to see the table:
//
//	go test -run TestEncodingReport -v .
func TestEncodingReport(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a 361-256-361 network; skipped in -short mode")
	}
	// iris: 4-16-3 trained on 70% of the rows, measured on the other 30%
	d := readIris(t)
	trX, trY, teX, teY, err := Split(d.X, d.Y, 0.3, 7)
	mustNil(t, err)
	iris, err := New(Input(4), Dense(16, ReLU), Dense(3, Softmax), Seed(7))
	mustNil(t, err)
	s, err := FitScaler(trX)
	mustNil(t, err)
	iris.SetScaler(s)
	_, err = iris.Fit(context.Background(), trX, trY, TrainConfig{Epochs: 100, BatchSize: 16, Optimizer: Adam(0.01)})
	mustNil(t, err)
	irisFx := measureEncodings(t, iris, teX, teY)
	t.Log("\n" + reportEffects(fmt.Sprintf("iris 4-16-3, %d test rows", teX.Rows), irisFx))

	// 361-256-361: a board-sized scorer trained to imitate a rank-16
	// linear teacher on inputs in {-1, 0, 1}, measured on fresh boards
	rng := rand.New(rand.NewPCG(361, 256))
	u, v := make([]float64, 361*16), make([]float64, 16*361)
	for i := range u {
		u[i], v[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	boards := func(rows int) (x, y Matrix) {
		x, y = NewMatrix(rows, 361), NewMatrix(rows, 1)
		for i := range rows {
			row := x.Row(i)
			for j := range row {
				row[j] = float32(rng.IntN(3) - 1)
			}
			var h [16]float64
			for j, xj := range row {
				for r := range h {
					h[r] += float64(xj) * u[j*16+r]
				}
			}
			best, bestV := 0, math.Inf(-1)
			for k := range 361 {
				var s float64
				for r := range h {
					s += h[r] * v[r*361+k]
				}
				if s > bestV {
					best, bestV = k, s
				}
			}
			y.Data[i] = float32(best)
		}
		return x, y
	}
	trX, trY = boards(2000)
	teX, teY = boards(500)
	board, err := New(Input(361), Dense(256, ReLU), Dense(361, Softmax), Seed(1))
	mustNil(t, err)
	_, err = board.Fit(context.Background(), trX, trY, TrainConfig{Epochs: 20, BatchSize: 64, Optimizer: Adam(0.001)})
	mustNil(t, err)
	boardFx := measureEncodings(t, board, teX, teY)
	t.Log("\n" + reportEffects(fmt.Sprintf("361-256-361, %d test boards", teX.Rows), boardFx))

	// what the encodings promise: the same decisions almost everywhere;
	// for the large network, half and a quarter of the size (the small
	// one is mostly header, scaler and padding)
	for _, fx := range [][]encodingEffect{irisFx, boardFx} {
		f32, f16, i8 := fx[0], fx[1], fx[2]
		if f32.agreement != 1 || f32.mad != 0 {
			t.Errorf("float32 changed outputs: agreement %v, mean change %v", f32.agreement, f32.mad)
		}
		if f16.agreement < 0.98 || i8.agreement < 0.9 {
			t.Errorf("top-class agreement with float32: float16 %v, int8 %v", f16.agreement, i8.agreement)
		}
		if math.Abs(f16.accuracy-f32.accuracy) > 0.02 || math.Abs(i8.accuracy-f32.accuracy) > 0.05 {
			t.Errorf("accuracy float32 %v, float16 %v, int8 %v", f32.accuracy, f16.accuracy, i8.accuracy)
		}
	}
	f32, f16, i8 := boardFx[0], boardFx[1], boardFx[2]
	if r := float64(f16.size) / float64(f32.size); r > 0.51 {
		t.Errorf("float16 file is %.3f of float32", r)
	}
	if r := float64(i8.size) / float64(f32.size); r > 0.26 {
		t.Errorf("int8 file is %.3f of float32", r)
	}
}
