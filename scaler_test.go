package nn_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/nnrt/nn"
)

func nanFloat() float64 { return math.NaN() }

func TestFitScaler(t *testing.T) {
	// column 0: mean 2.5, population std sqrt(1.25); column 1 constant;
	// column 2: mean 0, std 10
	x := nn.Matrix{Rows: 4, Cols: 3, Data: []float32{
		1, 7, -10,
		2, 7, 10,
		3, 7, -10,
		4, 7, 10,
	}}
	s, err := nn.FitScaler(x)
	if err != nil {
		t.Fatal(err)
	}
	wantMean := []float64{2.5, 7, 0}
	wantStd := []float64{math.Sqrt(1.25), 1, 10}
	for j := range 3 {
		if math.Abs(float64(s.Mean[j])-wantMean[j]) > 1e-6 || math.Abs(float64(s.Std[j])-wantStd[j]) > 1e-6 {
			t.Errorf("column %d: mean %v std %v, want %v %v", j, s.Mean[j], s.Std[j], wantMean[j], wantStd[j])
		}
	}

	// the transformed training data has mean 0 and std 1, the constant
	// column is 0
	z, err := s.Transform(x)
	if err != nil {
		t.Fatal(err)
	}
	for j := range 3 {
		var sum, ss float64
		for i := range 4 {
			v := float64(z.Data[i*3+j])
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("transformed row %d column %d is %v", i, j, v)
			}
			sum += v
			ss += v * v
		}
		wantSS := 4.0
		if j == 1 {
			wantSS = 0
		}
		if math.Abs(sum) > 1e-5 || math.Abs(ss-wantSS) > 1e-5 {
			t.Errorf("column %d after Transform: sum %v, sum of squares %v; want 0, %v", j, sum, ss, wantSS)
		}
	}

	// a new input is transformed with the training statistics
	z, err = s.Transform(nn.Matrix{Rows: 1, Cols: 3, Data: []float32{5, 8, 20}})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{2.5 / math.Sqrt(1.25), 1, 2}
	for j, w := range want {
		if math.Abs(float64(z.Data[j])-w) > 1e-6 {
			t.Errorf("new input column %d = %v, want %v", j, z.Data[j], w)
		}
	}
}

// A constant column of a value float64 cannot hold exactly must still get
// Std 1, not the rounding noise of its mean.
func TestFitScalerConstantInexact(t *testing.T) {
	x := nn.NewMatrix(7, 1)
	for i := range x.Data {
		x.Data[i] = 0.1
	}
	s, err := nn.FitScaler(x)
	if err != nil {
		t.Fatal(err)
	}
	if s.Std[0] != 1 || s.Mean[0] != 0.1 {
		t.Errorf("mean %v std %v, want 0.1 and 1", s.Mean[0], s.Std[0])
	}
}

func TestScalerErrors(t *testing.T) {
	nan := float32(math.NaN())
	good := &nn.Scaler{Mean: []float32{0, 0}, Std: []float32{1, 1}}
	for _, c := range []struct {
		name string
		err  error
		kind error
		says string
	}{
		{"fit NaN", fitErr(nn.Matrix{Rows: 2, Cols: 2, Data: []float32{1, 2, 3, nan}}), nn.ErrNonFinite, "row 1, column 1"},
		{"fit Inf", fitErr(nn.Matrix{Rows: 1, Cols: 2, Data: []float32{float32(math.Inf(-1)), 2}}), nn.ErrNonFinite, "row 0, column 0"},
		{"fit empty", fitErr(nn.Matrix{Cols: 2}), nn.ErrEmpty, "0×2"},
		{"fit bad shape", fitErr(nn.Matrix{Rows: 2, Cols: 2, Data: []float32{1}}), nn.ErrShape, "1 values, want 2×2"},
		{"transform width", transformErr(good, nn.Matrix{Rows: 1, Cols: 3, Data: []float32{1, 2, 3}}), nn.ErrShape, "3 columns, want 2"},
		{"transform NaN", transformErr(good, nn.Matrix{Rows: 1, Cols: 2, Data: []float32{nan, 2}}), nn.ErrNonFinite, "row 0, column 0"},
		{"nil scaler", transformErr(nil, nn.Matrix{Rows: 1, Cols: 2, Data: []float32{1, 2}}), nn.ErrConfig, "nil"},
		{"zero std", transformErr(&nn.Scaler{Mean: []float32{0}, Std: []float32{0}}, nn.Matrix{Rows: 1, Cols: 1, Data: []float32{1}}), nn.ErrConfig, "column 0"},
		{"lengths", transformErr(&nn.Scaler{Mean: []float32{0}, Std: []float32{1, 1}}, nn.Matrix{Rows: 1, Cols: 1, Data: []float32{1}}), nn.ErrShape, "1 means but 2"},
		{"overflow", transformErr(&nn.Scaler{Mean: []float32{0}, Std: []float32{1e-30}}, nn.Matrix{Rows: 1, Cols: 1, Data: []float32{1e10}}), nn.ErrNonFinite, "row 0, column 0"},
	} {
		if !errors.Is(c.err, c.kind) || !strings.Contains(c.err.Error(), c.says) {
			t.Errorf("%s: error = %v, want %v saying %q", c.name, c.err, c.kind, c.says)
		}
	}
}

func fitErr(x nn.Matrix) error {
	_, err := nn.FitScaler(x)
	return err
}

func transformErr(s *nn.Scaler, x nn.Matrix) error {
	_, err := s.Transform(x)
	return err
}

// A network with a scaler predicts on raw inputs what it predicts without
// one on inputs standardised by Transform; a scaler that would divide by
// zero is refused rather than turned into NaN.
func TestNetworkScaler(t *testing.T) {
	x := nn.Matrix{Rows: 4, Cols: 2, Data: []float32{1, 10, 2, 30, 3, 20, 4, 40}}
	s, err := nn.FitScaler(x)
	if err != nil {
		t.Fatal(err)
	}
	z, err := s.Transform(x)
	if err != nil {
		t.Fatal(err)
	}
	net, err := nn.New(nn.Input(2), nn.Dense(3, nn.Tanh), nn.Dense(1, nn.Identity), nn.Seed(5))
	if err != nil {
		t.Fatal(err)
	}
	for i := range x.Rows {
		want, err := net.Predict(z.Row(i))
		if err != nil {
			t.Fatal(err)
		}
		net.SetScaler(s)
		got, err := net.Predict(x.Row(i))
		net.SetScaler(nil)
		if err != nil {
			t.Fatal(err)
		}
		if got[0] != want[0] {
			t.Errorf("row %d: %v with the scaler, %v on transformed input", i, got[0], want[0])
		}
	}

	net.SetScaler(&nn.Scaler{Mean: []float32{0, 0}, Std: []float32{1, 0}})
	if _, err := net.Predict([]float32{1, 1}); !errors.Is(err, nn.ErrConfig) || !strings.Contains(err.Error(), "column 1") {
		t.Errorf("Predict with a zero deviation: error %v, want ErrConfig naming column 1", err)
	}
	y := nn.Matrix{Rows: 4, Cols: 1, Data: []float32{0, 1, 0, 1}}
	if _, err := net.Fit(context.Background(), x, y, nn.TrainConfig{Epochs: 1, BatchSize: 32}); !errors.Is(err, nn.ErrConfig) || !strings.Contains(err.Error(), "column 1") {
		t.Errorf("Fit with a zero deviation: error %v, want ErrConfig naming column 1", err)
	}
}
