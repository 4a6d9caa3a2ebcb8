package nn

import "math"

// Perceptron is Rosenblatt's single neuron: it answers +1 when W·x + B > 0
// and -1 otherwise. It is trained by its own rule, not by gradient descent
// (see [Perceptron.Train]), and can only learn classes that a hyperplane
// separates. For anything else, build a [Network].
type Perceptron struct {
	W []float32 // one weight per input
	B float32   // bias
}

// NewPerceptron returns a perceptron with the given number of inputs and
// all weights and the bias zero.
func NewPerceptron(inputs int) *Perceptron {
	return &Perceptron{W: make([]float32, max(inputs, 0))}
}

// Train applies the perceptron learning rule to the rows of x with labels
// y, each +1 or -1. It visits the rows in order; on each mistake, a row
// where y·(W·x + B) ≤ 0, it adds y·x to W and y to B. It stops after the
// first epoch (pass over all rows) without a mistake, or after maxEpochs.
// It returns the number of epochs run and whether the last one was free of
// mistakes. If the classes can be split by a hyperplane, the rule is
// guaranteed to get there in a finite number of updates (Novikoff, 1962);
// if they cannot, as for XOR, it never converges.
//
// Training starts from the current W and B. Bad input (labels other than
// ±1, a width that does not match W, NaN or infinite values in x, W or B)
// is reported before anything changes. An update that would push a weight past the
// float32 range, or a sum W·x + B that is NaN because products of
// opposite sign overflow, stops training with [ErrDiverged] and leaves the
// last finite weights.
func (p *Perceptron) Train(x Matrix, y []float32, maxEpochs int) (epochs int, converged bool, err error) {
	if err := p.checkBatch(x, y); err != nil {
		return 0, false, err
	}
	if maxEpochs < 1 {
		return 0, false, errorf(ErrConfig, "perceptron: maxEpochs is %d, want at least 1", maxEpochs)
	}

	for epochs < maxEpochs {
		epochs++
		mistakes := 0
		for i := range x.Rows {
			xi := x.Row(i)
			a := p.activation(xi)
			if a != a {
				return epochs, false, errorf(ErrDiverged,
					"perceptron: epoch %d, row %d: W·x + B is NaN (products of opposite sign overflow float32)", epochs, i)
			}
			if y[i]*a > 0 {
				continue
			}
			mistakes++
			if !p.update(xi, y[i]) {
				return epochs, false, errorf(ErrDiverged,
					"perceptron: epoch %d, row %d: weights overflow float32", epochs, i)
			}
		}
		if mistakes == 0 {
			return epochs, true, nil
		}
	}
	return epochs, false, nil
}

// Predict returns +1 if W·x + B > 0 and -1 otherwise. A nil perceptron,
// NaN or infinite weights or inputs, and a sum that is NaN because
// products of opposite sign overflow float32, are errors.
func (p *Perceptron) Predict(x []float32) (float32, error) {
	if err := p.checkWeights(); err != nil {
		return 0, err
	}
	if len(x) != len(p.W) {
		return 0, errorf(ErrShape, "perceptron: input has %d values, want %d", len(x), len(p.W))
	}
	if j := firstNonFinite(x); j >= 0 {
		return 0, errorf(ErrNonFinite, "perceptron: input column %d is %s", j, describe(x[j]))
	}
	a := p.activation(x)
	switch {
	case a != a:
		return 0, errorf(ErrNonFinite, "perceptron: W·x + B is NaN (products of opposite sign overflow float32)")
	case a > 0:
		return 1, nil
	}
	return -1, nil
}

// checkWeights reports a nil perceptron or a weight or bias that is NaN or
// infinite (W and B are exported, so anything may be in them).
func (p *Perceptron) checkWeights() error {
	if p == nil {
		return errorf(ErrConfig, "perceptron is nil: make one with NewPerceptron")
	}
	if j := firstNonFinite(p.W); j >= 0 {
		return errorf(ErrNonFinite, "perceptron: weight %d is %s", j, describe(p.W[j]))
	}
	if p.B-p.B != 0 {
		return errorf(ErrNonFinite, "perceptron: bias is %s", describe(p.B))
	}
	return nil
}

// activation is W·x + B. Each product is rounded to float32 before it is
// added (the conversion forbids a fused multiply-add), so that every
// architecture gives the same sum, and an overflowing product gives Inf.
func (p *Perceptron) activation(x []float32) float32 {
	a := p.B
	for j, w := range p.W {
		a += float32(w * x[j])
	}
	return a
}

// update adds y·x to W and y to B. If a weight would overflow, it changes
// nothing and returns false.
func (p *Perceptron) update(x []float32, y float32) bool {
	for j, w := range p.W {
		if math.IsInf(float64(w+float32(y*x[j])), 0) {
			return false
		}
	}
	for j := range p.W {
		p.W[j] += y * x[j]
	}
	p.B += y
	return true
}

// checkBatch reports training data the perceptron cannot use.
func (p *Perceptron) checkBatch(x Matrix, y []float32) error {
	if err := p.checkWeights(); err != nil {
		return err
	}
	if err := x.check("perceptron: x"); err != nil {
		return err
	}
	if x.Rows == 0 {
		return errorf(ErrEmpty, "perceptron: x has no rows")
	}
	if x.Cols != len(p.W) {
		return errorf(ErrShape, "perceptron: x has %d columns, want %d", x.Cols, len(p.W))
	}
	if len(y) != x.Rows {
		return errorf(ErrShape, "perceptron: %d labels for %d rows", len(y), x.Rows)
	}
	if err := nonFinite("perceptron: x", x); err != nil {
		return err
	}
	for i, v := range y {
		if v != 1 && v != -1 {
			return errorf(ErrLabel, "perceptron: label of row %d is %v, want +1 or -1", i, v)
		}
	}
	return nil
}
