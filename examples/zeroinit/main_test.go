package main

import (
	"io"
	"testing"
)

func TestZeroInit(t *testing.T) {
	zero, glorot, err := run(io.Discard, 300, 1)
	if err != nil {
		t.Fatal(err)
	}
	// started equal, the hidden units never part, and four copies of one
	// unit draw a single line, which cannot enclose the disk
	if zero.spread > 1e-6 {
		t.Errorf("zero start: hidden units differ by %g, want identical", zero.spread)
	}
	if zero.accuracy > 0.8 {
		t.Errorf("zero start: accuracy %v, want at most 0.8", zero.accuracy)
	}
	if glorot.spread < 0.1 || glorot.accuracy < 0.95 {
		t.Errorf("random start: spread %v, accuracy %v; want distinct units and at least 0.95",
			glorot.spread, glorot.accuracy)
	}
}
