package nn

import (
	"context"
	"os"
	"testing"
)

// TestIrisHeldOut trains on 70% of Fisher's iris data (testdata/iris.csv)
// and checks the accuracy on the 30% held out by the seeded split that
// examples/iris uses (seed 42). With 45 test flowers one mistake costs
// 0.022; examples/iris also checks the mean over many splits.
func TestIrisHeldOut(t *testing.T) {
	f, err := os.Open("testdata/iris.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := ReadCSV(f, "species")
	if err != nil {
		t.Fatal(err)
	}
	trX, trY, teX, teY, err := Split(d.X, d.Y, 0.3, 42)
	if err != nil {
		t.Fatal(err)
	}
	s, err := FitScaler(trX)
	if err != nil {
		t.Fatal(err)
	}
	n := build(t, Input(4), Dense(16, ReLU, L2(0.01)), Dense(3, Softmax, L2(0.01)), Seed(42))
	n.SetScaler(s)
	h, err := n.Fit(context.Background(), trX, trY, TrainConfig{
		Epochs: 100, BatchSize: 16, Optimizer: Adam(0.01), ValidationSplit: 0.2, TopK: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := n.EvaluateK(teX, teY, 2)
	if err != nil {
		t.Fatal(err)
	}
	last := h.Epochs[len(h.Epochs)-1]
	t.Logf("%d training rows, %d test rows; last epoch loss %.4f, val accuracy %.3f; test accuracy %.3f, top-2 %.3f, loss %.4f",
		trX.Rows, teX.Rows, last.Loss, last.ValAccuracy, m.Accuracy, m.TopK, m.Loss)
	if m.N != 45 || m.Accuracy < 0.95 || m.TopK < m.Accuracy {
		t.Errorf("held-out accuracy %.3f on %d rows (top-2 %.3f), want at least 0.95 on 45", m.Accuracy, m.N, m.TopK)
	}
}
