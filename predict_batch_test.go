package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPredictBatchIntoItsInput checks that a batch prediction written over
// its own input, which a network as wide at both ends allows, gives the
// same bits as one into a separate matrix: the last layer may then not
// write its rows straight into dst while their inputs are still needed. A
// product deeper than one cache block, and a last chunk of one row (a
// matrix-vector product), read their inputs after writing outputs.
func TestPredictBatchIntoItsInput(t *testing.T) {
	for _, opts := range [][]Option{
		{Input(300), Dense(300, Softmax)},
		{Input(300), Dense(9, ReLU), Dropout(0.3), Dense(300, Sigmoid)},
	} {
		n := build(t, append(opts, Seed(4))...)
		r := rand.New(rand.NewPCG(9, 9))
		x := NewMatrix(2*chunkRows+1, 300)
		for j := range x.Data {
			x.Data[j] = float32(r.NormFloat64())
		}
		want, err := n.PredictBatch(x)
		mustNil(t, err)
		mustNil(t, n.PredictBatchInto(x, x))
		for j, v := range x.Data {
			if math.Float32bits(v) != math.Float32bits(want.Data[j]) {
				t.Fatalf("%d layers: element %d predicted in place = %v, into a new matrix %v", len(opts)-1, j, v, want.Data[j])
			}
		}
	}
}

func TestOverlap(t *testing.T) {
	s := make([]float32, 10)
	for _, c := range []struct {
		a, b []float32
		want bool
	}{
		{s, s, true},
		{s[:5], s[5:], false},
		{s[:6], s[5:], true},
		{s[5:], s[:6], true},
		{s[9:], s[:9], false},
		{s[:0], s, false},
		{s, make([]float32, 10), false},
	} {
		if got := overlap(c.a, c.b); got != c.want {
			t.Errorf("overlap(s[%d:%d], s[%d:%d]) = %v, want %v", cap(s)-cap(c.a), cap(s)-cap(c.a)+len(c.a), cap(s)-cap(c.b), cap(s)-cap(c.b)+len(c.b), got, c.want)
		}
	}
}
