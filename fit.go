package nn

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"time"
)

// TrainConfig sets up [Network.Fit]. Zero fields take the defaults noted,
// except BatchSize, which must be set.
type TrainConfig struct {
	Epochs    int  // passes over the training set; 0 means 1
	BatchSize int  // rows per update, >= 1 (required); the last partial batch is used
	NoShuffle bool // keep the row order instead of reshuffling every epoch

	Optimizer Optimizer // zero value means Adam(0.001)
	Schedule  Schedule  // learning-rate schedule; zero value keeps it constant
	ClipNorm  float32   // if > 0, scale gradients so their global L2 norm is at most this

	// ValidationSplit holds out this fraction of the rows, chosen after a
	// shuffle drawn from the network's seed alone, to validate on: every
	// Fit call on the same rows holds out the same ones. ValX and ValY give
	// an explicit validation set instead. Use one or the other.
	ValidationSplit float64
	ValX, ValY      *Matrix

	// Patience stops training after this many epochs without a lower
	// validation loss (training loss when there is no validation set) and
	// restores the weights of the best epoch. 0 turns early stopping off.
	Patience int

	// Progress receives one Keras-like line per epoch; nil is silent.
	// Write errors are ignored.
	Progress io.Writer

	// OnEpoch is called after every epoch. Returning ErrStop ends training
	// without an error; any other error ends it and is returned.
	OnEpoch func(EpochStats) error

	// TopK adds top-k accuracy to the metrics when > 0.
	TopK int
}

// EpochStats are the metrics of one epoch. Training metrics are averaged
// over the epoch's batches as they were trained (dropout active);
// validation metrics use the weights at the end of the epoch.
type EpochStats struct {
	Epoch                         int // 1-based, within this Fit call
	Loss, Accuracy, TopK          float64
	ValLoss, ValAccuracy, ValTopK float64
	HasVal                        bool
	Elapsed                       time.Duration
}

// History is what [Network.Fit] returns: the stats of every epoch run,
// the epoch with the lowest monitored loss (1-based; validation loss when
// there is a validation set) and whether training stopped early.
type History struct {
	Epochs    []EpochStats
	BestEpoch int
	Stopped   bool
}

// normalize fills in defaults and reports invalid settings.
func (c *TrainConfig) normalize() error {
	if c.Epochs == 0 {
		c.Epochs = 1
	}
	if c.Optimizer.Kind == 0 {
		c.Optimizer = Adam(0.001)
	}
	switch {
	case c.Epochs < 0:
		return errorf(ErrConfig, "epochs %d, want >= 1", c.Epochs)
	case c.BatchSize < 1:
		return errorf(ErrConfig, "batch size %d, want >= 1 (set TrainConfig.BatchSize)", c.BatchSize)
	case !(c.ValidationSplit >= 0 && c.ValidationSplit < 1):
		return errorf(ErrConfig, "validation split %v, want 0 <= split < 1", c.ValidationSplit)
	case c.ValidationSplit > 0 && (c.ValX != nil || c.ValY != nil):
		return errorf(ErrConfig, "both a validation split and an explicit validation set given")
	case (c.ValX == nil) != (c.ValY == nil):
		return errorf(ErrConfig, "ValX and ValY must be given together")
	case c.Patience < 0 || c.TopK < 0:
		return errorf(ErrConfig, "patience %d and top-k %d must be >= 0", c.Patience, c.TopK)
	case !(c.ClipNorm >= 0) || math.IsInf(float64(c.ClipNorm), 0):
		return errorf(ErrConfig, "clip norm %v, want a finite value >= 0", c.ClipNorm)
	}
	if err := c.Optimizer.validate(); err != nil {
		return err
	}
	return c.Schedule.validate()
}

// trainer holds the buffers of the training path, sized for a batch of
// rows samples. Per layer i: z[i] holds pre-activations (the mask for
// dropout), a[i] outputs, d[i] the gradient of the loss by a[i].
type trainer struct {
	rows    int
	x, y    []float32 // batch inputs (rows×in) and targets (rows×out)
	z, a, d [][]float32
	grad    []float32 // laid out like Network.params
	zeroOne bool      // 0/1 targets of a tanh or sign output (see tally)
}

// trainerFor returns training buffers for batches of up to rows samples,
// reusing the previous ones when they are large enough.
func (n *Network) trainerFor(rows int) *trainer {
	if t := n.train; t != nil && t.fits(n, rows) {
		return t
	}
	t := &trainer{rows: rows, x: make([]float32, rows*n.in), y: make([]float32, rows*n.OutputSize())}
	for _, l := range n.layers {
		t.z = append(t.z, make([]float32, rows*l.out))
		t.a = append(t.a, make([]float32, rows*l.out))
		t.d = append(t.d, make([]float32, rows*l.out))
	}
	t.grad = make([]float32, len(n.params))
	n.train = t
	return t
}

// fits reports whether t has room for rows samples of network n (whose
// layers may have been replaced since t was made, by loading a model).
func (t *trainer) fits(n *Network, rows int) bool {
	if t.rows < rows || len(t.grad) != len(n.params) || len(t.z) != len(n.layers) || len(t.x) < rows*n.in ||
		len(t.y) < rows*n.OutputSize() {
		return false
	}
	for i, l := range n.layers {
		if len(t.z[i]) < rows*l.out {
			return false
		}
	}
	return true
}

// gather copies the given rows of x (scaled) and y (one-hot when y holds
// labels) into the batch buffers.
func (n *Network) gather(t *trainer, x, y Matrix, rows []int, labels bool) {
	in, out := n.in, n.OutputSize()
	for i, r := range rows {
		dst, src := t.x[i*in:(i+1)*in], x.Data[r*in:(r+1)*in]
		if n.scaler != nil {
			n.scaler.transformRow(dst, src)
		} else {
			copy(dst, src)
		}
		yd := t.y[i*out : (i+1)*out]
		if labels {
			clear(yd)
			yd[int(y.Data[r])] = 1
		} else {
			copy(yd, y.Data[r*out:(r+1)*out])
		}
	}
}

// forwardTrain runs the batch of r rows in t through the layers with
// dropout active.
func (n *Network) forwardTrain(t *trainer, r int) {
	x := t.x[:r*n.in]
	for i := range n.layers {
		l := &n.layers[i]
		c := r * l.out
		z, a := t.z[i][:c], t.a[i][:c]
		switch {
		case l.kind == DenseLayer:
			l.forward(a, z, x, r)
		case l.rate == 0:
			copy(a, x)
		default:
			dropoutMask(z, l.rate, n.pcg)
			scale(a, x, z)
		}
		x = a
	}
}

// backwardTrain writes into t.grad the gradient of the batch-mean loss
// (penalties excluded) after forwardTrain on r rows.
func (n *Network) backwardTrain(t *trainer, r int) {
	last := len(n.layers) - 1
	for i := last; i >= 0; i-- {
		l := &n.layers[i]
		c := r * l.out
		z, a, d := t.z[i][:c], t.a[i][:c], t.d[i][:c]
		var x, dx []float32
		if i > 0 {
			x, dx = t.a[i-1][:r*l.in], t.d[i-1][:r*l.in]
		} else {
			x = t.x[:r*l.in]
		}
		if l.kind == DropoutLayer {
			switch {
			case dx == nil:
			case l.rate == 0:
				copy(dx, d)
			default:
				scale(dx, d, z)
			}
			continue
		}

		// ∂L/∂z goes into z, or stays in d when the loss gradient is fused.
		dz := z
		if i == last && lossGrad(n.loss, d, a, t.y[:c], r, l.out) {
			dz = d
		} else {
			activationGrad(l.act, l.alpha, z, z, a, d, l.out)
		}
		nw := l.in * l.out
		l.backward(dx, t.grad[l.off:l.off+nw], t.grad[l.off+nw:l.off+nw+l.out], dz, x, r)
	}
}

// lossError reports a batch whose loss is not finite: when an output row
// is not, it adds which layer overflowed for that training row (found by
// running it again without dropout).
func (n *Network) lossError(loss float64, outputs []float32, x Matrix, rows []int, epoch, batch, batches int) error {
	err := stepError(fmt.Sprintf("loss is %v", loss), epoch, batch, batches)
	j := firstNonFinite(outputs)
	if j < 0 {
		return err
	}
	out := n.OutputSize()
	row := rows[j/out]
	why := n.nonFiniteOutput(x.Data[row*n.in:(row+1)*n.in], row, j%out, outputs[j], false)
	return errorf(ErrDiverged, "%s: %s", detail(err), detail(why))
}

// stepError describes where training failed.
func stepError(what string, epoch, batch, batches int) error {
	return errorf(ErrDiverged, "%s at epoch %d, batch %d of %d; the weights are those before this batch", what, epoch, batch, batches)
}

// trainBatch runs one update on rows of x and y and adds the batch's
// metrics to tl; epoch, batch and batches name the step in errors. It
// allocates nothing once t exists.
func (n *Network) trainBatch(t *trainer, x, y Matrix, rows []int, labels bool, cfg *TrainConfig, lr float32, tl *tally,
	epoch, batch, batches int) error {
	r := len(rows)
	n.gather(t, x, y, rows, labels)
	n.forwardTrain(t, r)

	last, out := len(n.layers)-1, n.OutputSize()
	bt := tally{zeroOne: t.zeroOne}
	n.tallyRows(&bt, t.z[last][:r*out], t.a[last][:r*out], t.y[:r*out], cfg.TopK)
	if math.IsNaN(bt.loss) || math.IsInf(bt.loss, 0) {
		return n.lossError(bt.loss, t.a[last][:r*out], x, rows, epoch, batch, batches)
	}
	tl.add(bt)

	n.backwardTrain(t, r)
	n.penalize(t.grad)
	ss := squaredNorm(t.grad, cfg.ClipNorm > 0)
	if math.IsNaN(ss) || math.IsInf(ss, 0) {
		return stepError(fmt.Sprintf("gradient norm is %v", math.Sqrt(ss)), epoch, batch, batches)
	}
	gs := float32(1)
	if norm := math.Sqrt(ss); cfg.ClipNorm > 0 && norm > float64(cfg.ClipNorm) {
		gs = float32(float64(cfg.ClipNorm) / norm)
	}
	if why := n.update(t.grad, cfg.Optimizer, lr, gs, ss); why != "" {
		return stepError(why, epoch, batch, batches)
	}
	return nil
}

// Fit trains the network on inputs x and targets y.
//
// Targets are class indices when y has one column and the network more
// than one output; otherwise rows of OutputSize() floats (one-hot, soft
// labels, 0/1 for a sigmoid output, or regression values). Every input and
// target is checked first: a wrong width, a label out of range, a NaN or
// infinity, an input the scaler overflows, a target outside the loss's
// domain (outside [0, 1] for binary cross-entropy; a row that is not a
// probability distribution for categorical cross-entropy), an empty set or
// a context already done is an error and the network is left unchanged.
//
// Each epoch shuffles the rows with the network's generator and trains
// mini-batches, the last one possibly smaller. If the loss or gradient stops
// being finite, Fit returns an error wrapping [ErrDiverged] that names the
// epoch and batch, and the network keeps the weights from before that batch.
// A cancelled ctx stops training between batches and returns ctx.Err(),
// with the weights as trained so far; a ctx already done when Fit starts
// leaves the network exactly as it was. The history covers the epochs
// completed, also when an error is returned.
func (n *Network) Fit(ctx context.Context, x, y Matrix, cfg TrainConfig) (*History, error) {
	if err := n.usable(); err != nil {
		return nil, err
	}
	if !n.training.CompareAndSwap(false, true) {
		return nil, errorf(ErrConfig, "Fit is already running on this network")
	}
	defer n.training.Store(false)
	if ctx == nil {
		ctx = context.Background()
	}
	if err := cfg.normalize(); err != nil {
		return nil, err
	}
	labels, err := n.checkData("training", x, y)
	if err != nil {
		return nil, err
	}
	var valX, valY Matrix
	var valLabels bool
	hasVal := cfg.ValX != nil
	if hasVal {
		valX, valY = *cfg.ValX, *cfg.ValY
		if valLabels, err = n.checkData("validation", valX, valY); err != nil {
			return nil, err
		}
	}
	nTrain := x.Rows
	if cfg.ValidationSplit > 0 {
		nTrain = int(math.Floor(float64(x.Rows)*(1-cfg.ValidationSplit) + 1e-9))
		switch {
		case nTrain == 0:
			return nil, errorf(ErrEmpty, "training set is empty: a %v validation split of %d rows leaves no training rows", cfg.ValidationSplit, x.Rows)
		case nTrain == x.Rows:
			return nil, errorf(ErrEmpty, "validation set is empty: a %v validation split of %d rows holds out no rows", cfg.ValidationSplit, x.Rows)
		}
		hasVal = true
	}

	// A context already done trains nothing, so it changes nothing either:
	// not the generator, not the optimiser state.
	if err := ctx.Err(); err != nil {
		return &History{}, err
	}

	batch := min(cfg.BatchSize, nTrain)
	if err := reserve("training", n.trainingBytes(cfg, batch, x.Rows-nTrain, y.Cols)); err != nil {
		return &History{}, err
	}

	// Every check has passed; from here on the network changes.
	if err := n.ownParams(); err != nil {
		return &History{}, err
	}
	idx, valIdx := n.splitRows(x.Rows, nTrain, cfg.ValidationSplit > 0)
	if len(valIdx) > 0 {
		valX, valY, valLabels = takeRows(x, valIdx), takeRows(y, valIdx), labels
	}
	n.prepareOptimizer(cfg.Optimizer)
	n.learnTargets(y)
	t := n.trainerFor(batch)
	t.zeroOne = n.zeroOneTargets()
	batches := (nTrain + batch - 1) / batch
	var best []float32
	if cfg.Patience > 0 {
		best = make([]float32, len(n.params))
	}
	pr := newProgress(cfg.Progress, cfg.Epochs, batches, n.classifier(), cfg.TopK)

	// each epoch shuffles the rows from this order, so that it depends on
	// the generator alone and a Fit resumed from a checkpoint draws the
	// same orders
	var order []int
	if !cfg.NoShuffle {
		order = slices.Sorted(slices.Values(idx))
	}

	hist := &History{}
	bestLoss, wait := math.Inf(1), 0
	start := time.Now()
	for e := 1; e <= cfg.Epochs; e++ {
		epochStart := time.Now()
		lr := cfg.Schedule.lr(cfg.Optimizer.LR, n.epochs)
		if !cfg.NoShuffle {
			copy(idx, order)
			n.shuffle(idx)
		}
		var tl tally
		for b := range batches {
			if err := ctx.Err(); err != nil {
				return hist, err
			}
			rows := idx[b*batch : min((b+1)*batch, nTrain)]
			if err := n.trainBatch(t, x, y, rows, labels, &cfg, lr, &tl, e, b+1, batches); err != nil {
				return hist, err
			}
			pr.batch(e, b+1, tl.meanLoss(), epochStart)
		}
		n.epochs++

		st := EpochStats{Epoch: e, Loss: tl.meanLoss(), Accuracy: tl.accuracy(), TopK: tl.topKAccuracy(), HasVal: hasVal}
		if hasVal {
			vt := tally{zeroOne: t.zeroOne} // split as the training targets are
			if err := n.tallySet(&vt, valX, valY, valLabels, cfg.TopK); err != nil {
				return hist, wrapf(ErrDiverged, err, "validation after epoch %d", e)
			}
			st.ValLoss, st.ValAccuracy, st.ValTopK = vt.meanLoss(), vt.accuracy(), vt.topKAccuracy()
		}
		st.Elapsed = time.Since(epochStart)
		hist.Epochs = append(hist.Epochs, st)
		pr.epoch(st, time.Since(start))

		// Early stopping watches the validation loss when there is one.
		monitor := st.Loss
		if hasVal {
			monitor = st.ValLoss
		}
		if monitor < bestLoss {
			bestLoss, wait, hist.BestEpoch = monitor, 0, e
			copy(best, n.params)
		} else if wait++; cfg.Patience > 0 && wait >= cfg.Patience {
			hist.Stopped = true
		}
		if cfg.OnEpoch != nil {
			if err := cfg.OnEpoch(st); errors.Is(err, ErrStop) {
				hist.Stopped = true
			} else if err != nil {
				return hist, err
			}
		}
		if hist.Stopped {
			break
		}
	}
	if cfg.Patience > 0 && hist.BestEpoch > 0 {
		copy(n.params, best)
	}
	return hist, nil
}

// trainingBytes estimates the memory Fit allocates beyond what n already
// holds: training buffers for batches of rows samples unless the current
// ones serve, moments the optimiser does not have yet, the best weights
// for early stopping and a copy of valRows split-off rows (yCols targets
// each).
func (n *Network) trainingBytes(cfg TrainConfig, rows, valRows, yCols int) int64 {
	p, r := int64(len(n.params)), int64(rows)
	floats := int64(valRows) * int64(n.in+yCols)
	if t := n.train; t == nil || !t.fits(n, rows) {
		floats += p + r*int64(n.in+n.OutputSize())
		for _, l := range n.layers {
			floats += 3 * r * int64(l.out)
		}
	}
	if n.opt.Kind != cfg.Optimizer.Kind {
		floats += 2 * p // at most two moments
	}
	if cfg.Patience > 0 {
		floats += p
	}
	return 4 * floats
}

// splitRows returns the row indexes 0..rows-1 split into nTrain for
// training and the rest for validation. With shuffled set the order is
// drawn first, so rows sorted by class still give a validation set that
// holds every class. The order comes from the network's seed alone, not
// from its generator, so every Fit call on the same rows (a resumed or a
// continued run) holds out the same ones and never validates on rows an
// earlier call trained on.
func (n *Network) splitRows(rows, nTrain int, shuffled bool) (train, val []int) {
	var idx []int
	if shuffled {
		idx = permutation(rows, n.seed, valStream)
	} else {
		idx = make([]int, rows)
		for i := range idx {
			idx[i] = i
		}
	}
	return idx[:nTrain], idx[nTrain:]
}

// shuffle permutes idx with the network's generator (Fisher–Yates). It
// draws raw 64-bit values, so the order does not depend on how a Go
// release maps them to a range.
func (n *Network) shuffle(idx []int) {
	for i := len(idx) - 1; i > 0; i-- {
		j := int(n.pcg.Uint64() % uint64(i+1))
		idx[i], idx[j] = idx[j], idx[i]
	}
}

// takeRows copies the given rows of m into a new matrix.
func takeRows(m Matrix, rows []int) Matrix {
	out := NewMatrix(len(rows), m.Cols)
	for i, r := range rows {
		copy(out.Data[i*m.Cols:], m.Data[r*m.Cols:(r+1)*m.Cols])
	}
	return out
}

// classifier reports whether accuracy means something for this network.
func (n *Network) classifier() bool {
	last := n.layers[len(n.layers)-1]
	switch {
	case n.loss != MSE, last.out > 1:
		return true
	}
	return last.act == Sigmoid || last.act == Tanh || last.act == Step || last.act == Sign
}
