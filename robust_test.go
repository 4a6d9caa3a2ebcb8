package nn

import (
	"bytes"
	"context"
	"testing"
)

// A nil or zero Network answers every method with an error (or a zero
// size) instead of panicking.
func TestUnbuiltNetwork(t *testing.T) {
	x, y := xorSet(t)
	for _, n := range []*Network{nil, {}} {
		if n.OutputSize() != 0 || n.InputSize() != 0 || len(n.Layers()) != 0 {
			t.Errorf("sizes of an unbuilt network: in %d, out %d, %d layers", n.InputSize(), n.OutputSize(), len(n.Layers()))
		}
		_, err := n.Predict([]float32{1, 2})
		checkErr(t, err, ErrConfig, "no layers")
		checkErr(t, n.PredictInto(nil, nil), ErrConfig, "no layers")
		checkErr(t, n.PredictLogitsInto(make([]float32, 1), []float32{1}), ErrConfig, "no layers")
		_, err = n.PredictBatch(x)
		checkErr(t, err, ErrConfig, "no layers")
		checkErr(t, n.PredictBatchInto(NewMatrix(4, 1), x), ErrConfig, "no layers")
		checkErr(t, n.PredictMaskedInto(nil, nil, nil), ErrConfig, "no layers")
		checkErr(t, n.PredictBatchMaskedInto(NewMatrix(4, 1), x, nil), ErrConfig, "no layers")
		_, err = n.Evaluate(x, y)
		checkErr(t, err, ErrConfig, "no layers")
		_, err = n.EvaluateK(x, y, 1)
		checkErr(t, err, ErrConfig, "no layers")
		_, _, err = n.Weights(0)
		checkErr(t, err, ErrConfig, "no layers")
		checkErr(t, n.SetWeights(0, nil, nil), ErrConfig, "no layers")
		_, err = n.MarshalBinary()
		checkErr(t, err, ErrConfig, "no layers")
		var buf bytes.Buffer
		checkErr(t, n.Save(&buf), ErrConfig, "no layers")
		if buf.Len() != 0 {
			t.Errorf("Save wrote %d bytes for an unbuilt network", buf.Len())
		}
	}
	var zero Network
	_, err := zero.Fit(context.Background(), x, y, TrainConfig{BatchSize: 4})
	checkErr(t, err, ErrConfig, "no layers")
}
