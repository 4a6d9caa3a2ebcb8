package main

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/nnrt/nn/examples/internal/plot"
)

func TestBoundary(t *testing.T) {
	// a line cannot separate the moons; the MLP can, up to the noise
	for seed := uint64(1); seed <= 3; seed++ {
		r, err := run(io.Discard, config{points: 400, noise: 0.15, epochs: 200, seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if r.mlp < 0.95 || r.mlp-r.linear < 0.05 {
			t.Errorf("seed %d: single layer %.3f, MLP %.3f; want the MLP at 0.95 or more and ahead by 0.05",
				seed, r.linear, r.mlp)
		}
	}

	path := filepath.Join(t.TempDir(), "b.png")
	if _, err := run(io.Discard, config{points: 100, noise: 0.15, epochs: 1, seed: 1, out: path}); err != nil {
		t.Fatal(err)
	}

	img, err := plot.ReadPNG(path)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 300 {
		t.Errorf("picture is %v, want two 400×300 panels side by side", b)
	}
}
