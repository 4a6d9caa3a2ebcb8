package main

import (
	"io"
	"math"
	"path/filepath"
	"testing"

	"github.com/nnrt/nn/examples/internal/plot"
)

func TestBias(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bias.png")
	r, err := run(io.Discard, path, 1)
	if err != nil {
		t.Fatal(err)
	}
	// σ(x + b) = 0.5 exactly at x = -b
	for i, bc := range biases {
		if want := -float64(bc.b); math.Abs(r.crossings[i]-want) > 0.01 {
			t.Errorf("b = %v: crossing at %v, want %v", bc.b, r.crossings[i], want)
		}
	}
	if math.Abs(r.learned-3) > 0.25 || r.accuracy < 0.97 {
		t.Errorf("trained threshold %v with accuracy %v, want about 3 and at least 0.97", r.learned, r.accuracy)
	}

	img, err := plot.ReadPNG(path)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 360 {
		t.Errorf("picture is %v, want 640×360", b)
	}
}
