package nn

import (
	"fmt"
	"math"
)

// Loss is the quantity training minimises.
type Loss uint8

// The losses. Values are stored in model files; do not reorder.
const (
	// MSE is the mean over outputs of (p−y)²; any output activation.
	MSE Loss = iota
	// BinaryCrossEntropy is the mean over outputs of −y·log p − (1−y)·log(1−p);
	// it needs a sigmoid output layer and is computed from the logits, so it
	// is finite for every finite logit and exactly 0 when saturated right.
	BinaryCrossEntropy
	// CategoricalCrossEntropy is −Σ y·log p over a softmax row, computed from
	// the logits as Σ y·(logsumexp(z) − z) where p is too small to hold its
	// digits; its gradient is fused as p − y.
	CategoricalCrossEntropy
)

var lossNames = [...]string{"mse", "binary_crossentropy", "categorical_crossentropy"}

// String returns the lower-case name of l.
func (l Loss) String() string {
	if int(l) < len(lossNames) {
		return lossNames[l]
	}
	return fmt.Sprintf("loss(%d)", uint8(l))
}

// defaultLoss returns the loss that suits an output layer.
func defaultLoss(act Activation, outputs int) Loss {
	switch {
	case act == Softmax:
		return CategoricalCrossEntropy
	case act == Sigmoid && outputs == 1:
		return BinaryCrossEntropy
	}
	return MSE
}

// rowLoss returns the loss of one sample from its logits z, outputs p and
// target row y, accumulated in float64.
func rowLoss(l Loss, z, p, y []float32) float64 {
	var s float64
	switch l {
	case MSE:
		for j, v := range p {
			d := float64(v) - float64(y[j])
			s += d * d
		}
		return s / float64(len(p))
	case BinaryCrossEntropy:
		// max(z,0) − z·y + log(1 + e^−|z|) equals the cross-entropy of
		// sigmoid(z) without forming log(0).
		for j, v := range z {
			x, t := float64(v), float64(y[j])
			s += max(x, 0) - x*t + math.Log1p(float64(exp32(-float32(math.Abs(x)))))
		}
		return s / float64(len(z))
	default:
		// −log p from the softmax output, which exists already; a p too
		// small to keep its digits (or 0) takes log-sum-exp(z) − z instead.
		lse := math.NaN()
		for j, t := range y {
			switch {
			case t == 0:
			case p[j] >= minLogP:
				s -= float64(t) * math.Log(float64(p[j]))
			default:
				if lse != lse {
					lse = logSumExp(z)
				}
				s += float64(t) * (lse - float64(z[j]))
			}
		}
		return s
	}
}

// minLogP is the smallest softmax output whose logarithm rowLoss takes
// directly, far above where float32 turns subnormal and loses digits.
const minLogP = 1e-30

// logSumExp returns log Σ e^z, accumulated in float64 after subtracting the
// largest logit so that nothing overflows.
func logSumExp(z []float32) float64 {
	m := z[0]
	for _, v := range z[1:] {
		m = max(m, v)
	}
	var e float64
	for _, v := range z {
		e += float64(exp32(v - m))
	}
	return float64(m) + math.Log(e)
}

// lossGrad writes into g the gradient of the batch-mean loss for rows
// samples of cols outputs p with targets y. For cross-entropy with its
// matching activation this is the fused ∂L/∂z = p − y (scaled), and it
// reports true; for MSE it is ∂L/∂p, still to go through the activation.
func lossGrad(l Loss, g, p, y []float32, rows, cols int) (fused bool) {
	scale := 1 / float32(rows)
	switch l {
	case BinaryCrossEntropy:
		scale /= float32(cols)
	case MSE:
		scale *= 2 / float32(cols)
	}
	for j, v := range p {
		g[j] = (v - y[j]) * scale
	}
	return l != MSE
}
