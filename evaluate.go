package nn

import "math"

// Metrics summarise a network's outputs on a data set. Loss is the mean
// training loss (penalties excluded). Accuracy compares the arg-max of
// output and target rows, or for one output thresholds both at 0.5; a
// tanh or sign output not trained on 0/1 targets splits at 0, with targets
// of 0 or less negative. TopK is the share of rows whose target class
// is among the k highest outputs (0 unless asked for); equal outputs rank
// by index, as in [TopK], so top-1 accuracy equals Accuracy. MSE and MAE
// compare outputs with target rows (one-hot for class indices). N counts
// the rows.
type Metrics struct {
	Loss, Accuracy, TopK, MSE, MAE float64
	N                              int
}

// Evaluate computes the metrics of the network on inputs x and targets y,
// given as for [Network.Fit]. It may run concurrently with predictions.
func (n *Network) Evaluate(x, y Matrix) (Metrics, error) {
	return n.EvaluateK(x, y, 0)
}

// EvaluateK is Evaluate with top-k accuracy for k > 0.
func (n *Network) EvaluateK(x, y Matrix, k int) (Metrics, error) {
	if k < 0 {
		return Metrics{}, errorf(ErrConfig, "top-k %d, want >= 0", k)
	}
	labels, err := n.checkData("evaluation", x, y)
	if err != nil {
		return Metrics{}, err
	}
	t := tally{zeroOne: n.zeroOneTargets()}
	if err := n.tallySet(&t, x, y, labels, k); err != nil {
		return Metrics{}, err
	}
	return Metrics{Loss: t.meanLoss(), Accuracy: t.accuracy(), TopK: t.topKAccuracy(),
		MSE: t.se / float64(t.n), MAE: t.ae / float64(t.n), N: t.n}, nil
}

// checkData validates inputs x and targets y of the named set and reports
// whether y holds class indices. Target rows must suit the loss: within
// [0, 1] for binary cross-entropy, probability rows (non-negative, summing
// to 1) for categorical cross-entropy.
func (n *Network) checkData(set string, x, y Matrix) (labels bool, err error) {
	if err := n.usable(); err != nil {
		return false, err
	}
	if !y.valid() {
		return false, y.check(set + " targets") // the name is built on this error path only
	}
	if x.Rows == 0 {
		return false, errorf(ErrEmpty, "%s set is empty (0 rows)", set)
	}
	if err := n.checkInputs(set, x); err != nil {
		return false, err
	}
	if err := n.checkScaled(set, x); err != nil {
		return false, err
	}
	if y.Rows != x.Rows {
		return false, errorf(ErrShape, "%s set has %d input rows but %d target rows", set, x.Rows, y.Rows)
	}
	last := len(n.layers) - 1
	out := n.layers[last].out
	labels = y.Cols == 1 && out > 1
	if !labels && y.Cols != out {
		return false, errorf(ErrShape, "layer %d (dense %d->%d): %s targets have %d columns, want %d (or 1 column of class indices)",
			last, n.layers[last].in, out, set, y.Cols, out)
	}
	for j, v := range y.Data {
		// row and column are divided out on the error paths only
		switch {
		case v-v != 0:
			return false, errorf(ErrNonFinite, "%s target row %d, column %d is %s", set, j/y.Cols, j%y.Cols, describe(v))
		case labels && (v != float32(math.Trunc(float64(v))) || v < 0 || v >= float32(out)):
			return false, errorf(ErrLabel, "%s target row %d: label %v is not a class index in [0, %d)", set, j/y.Cols, v, out)
		case n.loss == BinaryCrossEntropy && !(v >= 0 && v <= 1):
			return false, errorf(ErrLabel, "%s target row %d, column %d is %v, want 0 <= y <= 1 for binary cross-entropy", set, j/y.Cols, j%y.Cols, v)
		case n.loss == CategoricalCrossEntropy && !labels && v < 0:
			return false, errorf(ErrLabel, "%s target row %d, column %d is %v, want y >= 0 for categorical cross-entropy", set, j/y.Cols, j%y.Cols, v)
		}
	}
	if n.loss == CategoricalCrossEntropy && !labels {
		return false, checkDistributions(set, y)
	}
	return labels, nil
}

// checkDistributions reports a target row of the named set that does not
// sum to 1: categorical cross-entropy and its gradient p − y (through the
// softmax) hold only for probability rows, one-hot or soft.
func checkDistributions(set string, y Matrix) error {
	for r := range y.Rows {
		var sum float64
		for _, v := range y.Data[r*y.Cols : (r+1)*y.Cols] {
			sum += float64(v)
		}
		if math.Abs(sum-1) > 1e-3 {
			return errorf(ErrLabel, "%s target row %d sums to %v, want 1 for categorical cross-entropy (one-hot or soft class probabilities)", set, r, sum)
		}
	}
	return nil
}

// checkScaled reports an input row of the named set that the network's
// scaler turns into an infinity.
func (n *Network) checkScaled(set string, x Matrix) error {
	s := n.scaler
	if s == nil {
		return nil
	}
	t := make([]float32, n.in)
	for i := range x.Rows {
		src := x.Data[i*n.in : (i+1)*n.in]
		s.transformRow(t, src)
		if firstNonFinite(t) >= 0 { // the name is built on this path only
			return s.rowError(set+" input", i, src, t)
		}
	}
	return nil
}

// tally accumulates metrics over rows. zeroOne says that the targets of a
// single tanh or sign output are 0/1 rather than ±1, so that accuracy
// splits outputs and targets at 0.5 instead of 0.
type tally struct {
	n                           int
	loss, correct, topk, se, ae float64
	zeroOne                     bool
}

// Target encodings of a single tanh or sign output: 0/1 targets, which
// accuracy splits at 0.5 (at 0 both classes would be one), or ±1 targets,
// split at 0. Values are stored in model files; do not reorder.
const (
	targetsUnseen    uint8 = iota // never trained: split at 0 like ±1
	targetsZeroOne                // trained on targets that are all >= 0
	targetsPlusMinus              // trained on targets of which some are negative
)

// binaryOutput reports whether the network ends in one tanh or sign unit,
// whose accuracy depends on the target encoding.
func (n *Network) binaryOutput() bool {
	last := n.layers[len(n.layers)-1]
	return last.out == 1 && (last.act == Tanh || last.act == Sign)
}

// encodingOf returns how the targets y look: ±1 if some is negative,
// otherwise 0/1.
func encodingOf(y Matrix) uint8 {
	for _, v := range y.Data {
		if v < 0 {
			return targetsPlusMinus
		}
	}
	return targetsZeroOne
}

// learnTargets records the encoding of training targets y. Targets all >=
// 0 do not turn a network trained on ±1 targets into a 0/1 one: a set of
// positive examples alone is both.
func (n *Network) learnTargets(y Matrix) {
	if !n.binaryOutput() {
		return
	}
	if e := encodingOf(y); e == targetsPlusMinus || n.targets == targetsUnseen {
		n.targets = e
	}
}

// zeroOneTargets reports whether accuracy splits the single tanh or sign
// output at 0.5, because the network was trained on 0/1 targets, rather
// than at 0. Deciding by the training targets, never by the set at hand,
// scores a subset (one class alone, one row) as the whole set is.
func (n *Network) zeroOneTargets() bool {
	return n.binaryOutput() && n.targets == targetsZeroOne
}

func (t *tally) add(o tally) {
	t.n += o.n
	t.loss += o.loss
	t.correct += o.correct
	t.topk += o.topk
	t.se += o.se
	t.ae += o.ae
}

func (t *tally) meanLoss() float64 { return t.loss / float64(max(t.n, 1)) }
func (t *tally) accuracy() float64 { return t.correct / float64(max(t.n, 1)) }
func (t *tally) topKAccuracy() float64 {
	return t.topk / float64(max(t.n, 1))
}

// tallyRows adds the metrics of rows with logits z, outputs p and target
// rows y; k > 0 also counts top-k hits.
func (n *Network) tallyRows(t *tally, z, p, y []float32, k int) {
	last := n.layers[len(n.layers)-1]
	cols := last.out
	// a tanh or sign output not trained on 0/1 targets splits at 0, and
	// only targets above 0 are positive: a 0 target (0/1 data) is negative
	thr, atZero := float32(0.5), (last.act == Tanh || last.act == Sign) && !t.zeroOne
	if atZero {
		thr = 0
	}
	for i := 0; i+cols <= len(p); i += cols {
		zr, pr, yr := z[i:i+cols], p[i:i+cols], y[i:i+cols]
		t.n++
		t.loss += rowLoss(n.loss, zr, pr, yr)
		var se, ae float64
		for j, v := range pr {
			d := float64(v) - float64(yr[j])
			se += d * d
			ae += math.Abs(d)
		}
		t.se += se / float64(cols)
		t.ae += ae / float64(cols)
		if cols == 1 {
			positive := yr[0] >= thr
			if atZero {
				positive = yr[0] > 0
			}
			if (pr[0] >= thr) == positive {
				t.correct++
			}
			continue
		}
		c := argmax(yr)
		if argmax(pr) == c {
			t.correct++
		}
		if k > 0 {
			// ties rank by index, as in argmax and TopK, so top-1 is accuracy
			above := 0
			for j, v := range pr {
				if v > pr[c] || v == pr[c] && j < c {
					above++
				}
			}
			if above < k {
				t.topk++
			}
		}
	}
}

// tallySet adds the metrics of a whole set, pushed through the network in
// chunks without dropout. Outputs that overflow to NaN or an infinity stop
// it with an error naming the row and the layer.
func (n *Network) tallySet(t *tally, x, y Matrix, labels bool, k int) error {
	last := n.layers[len(n.layers)-1]
	out := last.out
	w := n.getWorkspace(min(x.Rows, chunkRows))
	defer n.pool.Put(w)
	for r0 := 0; r0 < x.Rows; r0 += chunkRows {
		r := min(chunkRows, x.Rows-r0)
		yr := y.Data[r0*y.Cols : (r0+r)*y.Cols]
		if labels {
			yr = w.y[:r*out]
			clear(yr)
			for i := range r {
				yr[i*out+int(y.Data[r0+i])] = 1
			}
		}
		z := n.infer(w, x.Data[r0*n.in:], r, true)
		p := w.p[:r*out]
		activate(last.act, last.alpha, p, z, out)
		if err := n.checkOutputs(z, x, r0, true); err != nil {
			return err
		}
		if err := n.checkOutputs(p, x, r0, false); err != nil {
			return err
		}
		n.tallyRows(t, z, p, yr, k)
	}
	return nil
}

// argmax returns the index of the largest value (the first on ties).
func argmax(v []float32) int {
	b := 0
	for j, x := range v {
		if x > v[b] {
			b = j
		}
	}
	return b
}
