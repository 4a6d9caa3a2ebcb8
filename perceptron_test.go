package nn_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nnrt/nn"
)

// xorData is the XOR problem with labels ±1.
func xorData() (nn.Matrix, []float32) {
	x := nn.Matrix{Rows: 4, Cols: 2, Data: []float32{0, 0, 0, 1, 1, 0, 1, 1}}
	return x, []float32{-1, 1, 1, -1}
}

func TestPerceptronSeparable(t *testing.T) {
	// 200 points on either side of the line 2a - b + 0.5 = 0, none closer
	// than a margin, so the rule must converge
	r := rand.New(rand.NewPCG(3, 4))
	x := nn.NewMatrix(200, 2)
	y := make([]float32, 200)
	for i := 0; i < 200; {
		a, b := r.Float32()*4-2, r.Float32()*4-2
		s := 2*a - b + 0.5
		if math.Abs(float64(s)) < 0.1 {
			continue
		}
		x.Data[2*i], x.Data[2*i+1] = a, b
		y[i] = 1
		if s < 0 {
			y[i] = -1
		}
		i++
	}

	p := nn.NewPerceptron(2)
	epochs, converged, err := p.Train(x, y, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !converged || epochs >= 1000 {
		t.Fatalf("converged %v after %d epochs, want convergence", converged, epochs)
	}
	for i := range x.Rows {
		got, err := p.Predict(x.Row(i))
		if err != nil {
			t.Fatal(err)
		}
		if got != y[i] {
			t.Errorf("row %d %v: predicted %v, want %v", i, x.Row(i), got, y[i])
		}
	}

	// a converged perceptron stays put: one more call finds no mistake
	w := append([]float32(nil), p.W...)
	epochs, converged, err = p.Train(x, y, 5)
	if err != nil || epochs != 1 || !converged || w[0] != p.W[0] || w[1] != p.W[1] {
		t.Errorf("retraining: %d epochs, converged %v, error %v, W %v -> %v", epochs, converged, err, w, p.W)
	}
}

// The rule on AND, worked by hand: the weights after each epoch are known.
func TestPerceptronAND(t *testing.T) {
	x := nn.Matrix{Rows: 4, Cols: 2, Data: []float32{0, 0, 0, 1, 1, 0, 1, 1}}
	y := []float32{-1, -1, -1, 1}
	p := nn.NewPerceptron(2)
	epochs, converged, err := p.Train(x, y, 1)
	if err != nil {
		t.Fatal(err)
	}
	// epoch 1: (0,0) a=0 mistake -> b=-1; (0,1) a=-1 ok; (1,0) ok;
	// (1,1) a=-1 mistake -> w=(1,1), b=0
	if epochs != 1 || converged || p.W[0] != 1 || p.W[1] != 1 || p.B != 0 {
		t.Errorf("after epoch 1: W %v B %v (epochs %d, converged %v), want W [1 1] B 0",
			p.W, p.B, epochs, converged)
	}
	epochs, converged, err = p.Train(x, y, 100)
	if err != nil || !converged {
		t.Fatalf("AND did not converge: %d epochs, %v", epochs, err)
	}
}

func TestPerceptronXOR(t *testing.T) {
	x, y := xorData()
	p := nn.NewPerceptron(2)
	epochs, converged, err := p.Train(x, y, 100)
	if err != nil {
		t.Fatal(err)
	}
	if converged || epochs != 100 {
		t.Errorf("XOR: converged %v after %d epochs, want no convergence after 100", converged, epochs)
	}
	wrong := 0
	for i := range x.Rows {
		if got, _ := p.Predict(x.Row(i)); got != y[i] {
			wrong++
		}
	}
	if wrong == 0 {
		t.Errorf("XOR: all four points right with W %v B %v, which no line can do", p.W, p.B)
	}
}

func TestPerceptronErrors(t *testing.T) {
	x, y := xorData()
	nan := float32(math.NaN())
	for _, c := range []struct {
		name string
		x    nn.Matrix
		y    []float32
		max  int
		kind error
		says string
	}{
		{"label 0", x, []float32{-1, 1, 0, 1}, 10, nn.ErrLabel, "row 2 is 0"},
		{"label 2", x, []float32{2, 1, 1, 1}, 10, nn.ErrLabel, "row 0 is 2"},
		{"label count", x, y[:3], 10, nn.ErrShape, "3 labels for 4 rows"},
		{"width", nn.Matrix{Rows: 1, Cols: 3, Data: []float32{1, 2, 3}}, []float32{1}, 10, nn.ErrShape, "3 columns, want 2"},
		{"NaN", nn.Matrix{Rows: 2, Cols: 2, Data: []float32{0, 0, 1, nan}}, []float32{1, -1}, 10, nn.ErrNonFinite, "row 1, column 1"},
		{"empty", nn.Matrix{Cols: 2}, nil, 10, nn.ErrEmpty, "no rows"},
		{"epochs", x, y, 0, nn.ErrConfig, "maxEpochs is 0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := nn.NewPerceptron(2)
			_, _, err := p.Train(c.x, c.y, c.max)
			if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("error = %v, want %v saying %q", err, c.kind, c.says)
			}
			if p.W[0] != 0 || p.W[1] != 0 || p.B != 0 {
				t.Errorf("weights changed to %v, %v on bad input", p.W, p.B)
			}
		})
	}

	p := nn.NewPerceptron(2)
	if _, err := p.Predict([]float32{1}); !errors.Is(err, nn.ErrShape) {
		t.Errorf("Predict of 1 value: error %v, want ErrShape", err)
	}
	if _, err := p.Predict([]float32{1, nan}); !errors.Is(err, nn.ErrNonFinite) {
		t.Errorf("Predict of NaN: error %v, want ErrNonFinite", err)
	}
}

func TestPerceptronOverflow(t *testing.T) {
	// W·x overflows (Inf - Inf), which counts as a mistake, and the
	// update would push W[0] past the float32 limit: training must stop
	// with the last finite weights
	p := &nn.Perceptron{W: []float32{3e38, -3e38}}
	x := nn.Matrix{Rows: 1, Cols: 2, Data: []float32{2e38, 2e38}}
	_, converged, err := p.Train(x, []float32{1}, 10)
	if !errors.Is(err, nn.ErrDiverged) || converged || !strings.Contains(err.Error(), "epoch 1, row 0") {
		t.Fatalf("error %v, converged %v; want ErrDiverged at epoch 1, row 0", err, converged)
	}
	if p.W[0] != 3e38 || p.W[1] != -3e38 || p.B != 0 {
		t.Errorf("W = %v, B = %v, want them unchanged", p.W, p.B)
	}
}

// A perceptron learns OR, which a line separates, but not XOR.
func ExamplePerceptron_Train() {
	x := nn.Matrix{Rows: 4, Cols: 2, Data: []float32{0, 0, 0, 1, 1, 0, 1, 1}}

	or := nn.NewPerceptron(2)
	epochs, converged, _ := or.Train(x, []float32{-1, 1, 1, 1}, 100)
	fmt.Printf("OR:  converged %v after %d epochs, W %v, B %v\n", converged, epochs, or.W, or.B)

	xor := nn.NewPerceptron(2)
	epochs, converged, _ = xor.Train(x, []float32{-1, 1, 1, -1}, 100)
	fmt.Printf("XOR: converged %v after %d epochs\n", converged, epochs)
	// Output:
	// OR:  converged true after 6 epochs, W [2 2], B -1
	// XOR: converged false after 100 epochs
}
