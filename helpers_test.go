package nn

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// xorSet returns the four XOR inputs and their 0/1 targets as one column.
func xorSet(t testing.TB) (x, y Matrix) {
	t.Helper()
	x, err := FromRows([][]float32{{0, 0}, {0, 1}, {1, 0}, {1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	y, err = FromRows([][]float32{{0}, {1}, {1}, {0}})
	if err != nil {
		t.Fatal(err)
	}
	return x, y
}

// build builds a network or fails the test.
func build(t testing.TB, opts ...Option) *Network {
	t.Helper()
	n, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// netState is everything training may change in a network.
type netState struct {
	params, m, v []float32
	step         int64
	epochs       int
	rng          []byte
}

func takeState(t testing.TB, n *Network) netState {
	t.Helper()
	rng, err := n.pcg.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return netState{slices.Clone(n.params), slices.Clone(n.m), slices.Clone(n.v), n.step, n.epochs, rng}
}

// equalBits reports whether a and b hold bit-identical values.
func equalBits(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

// assertUnchanged fails the test if n differs from the takeState s.
func assertUnchanged(t testing.TB, n *Network, s netState) {
	t.Helper()
	now := takeState(t, n)
	if !equalBits(now.params, s.params) || !equalBits(now.m, s.m) || !equalBits(now.v, s.v) ||
		now.step != s.step || now.epochs != s.epochs || !bytes.Equal(now.rng, s.rng) {
		t.Errorf("network changed: step %d→%d, epochs %d→%d", s.step, now.step, s.epochs, now.epochs)
	}
}

// paramsFinite reports whether every parameter of n is finite.
func paramsFinite(n *Network) bool { return firstNonFinite(n.params) < 0 }

// checkErr fails unless err wraps kind and its message holds every part.
func checkErr(t testing.TB, err, kind error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", kind)
	}
	if !errors.Is(err, kind) {
		t.Errorf("error %q does not wrap %v", err, kind)
	}
	if !strings.HasPrefix(err.Error(), "nn: ") {
		t.Errorf("error %q lacks the nn: prefix", err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not mention %q", err, p)
		}
	}
}
