package main

import (
	"io"
	"testing"
)

func TestXOR(t *testing.T) {
	r, err := run(io.Discard, 1, 500)
	if err != nil {
		t.Fatal(err)
	}
	if r.perceptronConverged || r.perceptronRight > 3 {
		t.Errorf("perceptron converged %v with %d of 4 right; XOR is not linearly separable",
			r.perceptronConverged, r.perceptronRight)
	}
	if r.networkAccuracy != 1 {
		t.Errorf("network accuracy %v, want 1", r.networkAccuracy)
	}
}
