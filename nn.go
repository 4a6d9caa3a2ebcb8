package nn

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
)

// Network is a multi-layer perceptron: an input width followed by dense and
// dropout layers. Build one with [New].
//
// Prediction and evaluation methods may be called from any number of
// goroutines at once. Fit, SetWeights and the other setters change the
// network and must not run concurrently with any other method; a second
// Fit started while one runs returns an error.
type Network struct {
	in     int     // input width
	layers []layer // in order from input to output; the last one is dense
	loss   Loss

	// rng draws initial weights, shuffles and dropout masks. Its state
	// (pcg) is part of a checkpoint: restoring it resumes training
	// bit-identically.
	seed uint64
	pcg  *rand.PCG
	rng  *rand.Rand

	// params holds every weight and bias, layer by layer: the layer's W
	// (in×out, row-major) then its b (out). Each layer's w and b are windows
	// of it, so optimisers and clipping see one flat vector. lent is set
	// while params lies in memory lent by the caller (LoadInPlace), which
	// must not be written: ownParams copies it first.
	params []float32
	lent   bool

	// Optimiser state for params: opt is the optimiser it belongs to (zero
	// Kind before the first Fit), m and v its per-parameter moments (m is the
	// velocity for momentum, v the mean square for RMSProp; nil when unused),
	// step the number of updates applied and epochs the epochs trained.
	opt    Optimizer
	m, v   []float32
	step   int64
	epochs int

	// targets is how training saw the targets of a single tanh or sign
	// output (targetsZeroOne or targetsPlusMinus), so that accuracy splits
	// any later set the same way; kept in model files.
	targets uint8

	scaler     *Scaler
	classNames []string
	meta       map[string]string

	width    int         // largest layer width, input included
	pool     sync.Pool   // *workspace for inference
	train    *trainer    // training buffers, nil before the first Fit
	training atomic.Bool // set while Fit runs, to refuse a second one
}

// Option configures [New]. Build options with [Input], [Dense], [Dropout],
// [Seed] and [WithLoss].
type Option interface{ apply(*builder) }

type optionFunc func(*builder)

func (f optionFunc) apply(b *builder) { f(b) }

// DenseOption configures one dense layer: [WithInit], [L1], [L2], [Alpha].
type DenseOption interface{ applyDense(*layer) }

type denseOptionFunc func(*layer)

func (f denseOptionFunc) applyDense(l *layer) { f(l) }

// builder collects options for New.
type builder struct {
	in       int
	haveIn   bool
	layers   []layer
	loss     Loss
	haveLoss bool
	seed     uint64
	err      error
	params   []float32 // set when loading: the parameters, nothing drawn
}

// fail records the first configuration error.
func (b *builder) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// maxUnits bounds a layer's width, and maxParams (set per platform) the
// weight count, so that a mistyped size gives an error instead of
// exhausting memory.
const maxUnits = 1 << 24

// Input sets the number of input features. It must come before the layers.
func Input(n int) Option {
	return optionFunc(func(b *builder) {
		switch {
		case b.haveIn:
			b.fail(errorf(ErrConfig, "Input given twice"))
		case len(b.layers) > 0:
			b.fail(errorf(ErrConfig, "Input must come before the layers"))
		case n < 1 || n > maxUnits:
			b.fail(errorf(ErrConfig, "input width %d, want 1 to %d", n, maxUnits))
		}
		b.in, b.haveIn = n, true
	})
}

// Dense adds a fully connected layer of units outputs followed by act.
func Dense(units int, act Activation, opts ...DenseOption) Option {
	return optionFunc(func(b *builder) {
		l := layer{kind: DenseLayer, out: units, act: act, alpha: 0.01}
		for _, o := range opts {
			if o != nil {
				o.applyDense(&l)
			}
		}
		i := len(b.layers)
		switch {
		case units < 1 || units > maxUnits:
			b.fail(errorf(ErrConfig, "layer %d (dense): %d units, want 1 to %d", i, units, maxUnits))
		case !act.valid():
			b.fail(errorf(ErrConfig, "layer %d (dense): unknown activation %d", i, act))
		case firstNonFinite([]float32{l.alpha, l.l1, l.l2}) >= 0 || l.l1 < 0 || l.l2 < 0:
			b.fail(errorf(ErrConfig, "layer %d (dense): L1 %v and L2 %v must be finite and >= 0, alpha %v finite", i, l.l1, l.l2, l.alpha))
		}
		if err := l.init.validate(); err != nil {
			b.fail(errorf(ErrConfig, "layer %d (dense): %v", i, err))
		}
		b.layers = append(b.layers, l)
	})
}

// Dropout adds inverted dropout: while training, each value is zeroed with
// probability rate and the others are scaled by exactly 1/(1−rate); at
// inference the layer passes values through unchanged.
func Dropout(rate float32) Option {
	return optionFunc(func(b *builder) {
		if !(rate >= 0 && rate < 1) {
			b.fail(errorf(ErrConfig, "layer %d (dropout): rate %v, want 0 <= rate < 1", len(b.layers), rate))
		}
		b.layers = append(b.layers, layer{kind: DropoutLayer, rate: rate})
	})
}

// Seed sets the seed of the network's own random generator (PCG from
// math/rand/v2), which draws the initial weights, the shuffles and the
// dropout masks. The default seed is 1. Global math/rand state is never used.
func Seed(s uint64) Option {
	return optionFunc(func(b *builder) { b.seed = s })
}

// WithLoss sets the loss instead of the default chosen from the output
// layer (softmax: categorical cross-entropy; one sigmoid output: binary
// cross-entropy; otherwise MSE).
func WithLoss(l Loss) Option {
	return optionFunc(func(b *builder) { b.loss, b.haveLoss = l, true })
}

// WithInit sets the weight initialiser of a dense layer.
func WithInit(i Initializer) DenseOption {
	return denseOptionFunc(func(l *layer) { l.init = i })
}

// L1 adds v·Σ|w| over the layer's weights (not biases) to the training loss.
func L1(v float32) DenseOption { return denseOptionFunc(func(l *layer) { l.l1 = v }) }

// L2 adds v·Σw² over the layer's weights (not biases) to the training loss.
func L2(v float32) DenseOption { return denseOptionFunc(func(l *layer) { l.l2 = v }) }

// Alpha sets the slope of a leaky ReLU for negative inputs (default 0.01).
func Alpha(a float32) DenseOption { return denseOptionFunc(func(l *layer) { l.alpha = a }) }

// pcgStream is the second PCG word; the seed gives the first.
const pcgStream = 0x6e6e2d7263672d31

// New builds a network from options, drawing its weights from the seed.
//
//	net, err := nn.New(nn.Input(4), nn.Dense(16, nn.ReLU), nn.Dense(3, nn.Softmax), nn.Seed(42))
func New(opts ...Option) (*Network, error) {
	b := builder{seed: 1}
	for _, o := range opts {
		if o != nil {
			o.apply(&b)
		}
	}
	if b.err != nil {
		return nil, b.err
	}
	switch {
	case !b.haveIn:
		return nil, errorf(ErrConfig, "no Input option: the input width is unknown")
	case len(b.layers) == 0:
		return nil, errorf(ErrConfig, "no layers: add at least one Dense")
	case b.layers[len(b.layers)-1].kind != DenseLayer:
		return nil, errorf(ErrConfig, "layer %d (dropout) is last: the output layer must be dense", len(b.layers)-1)
	}

	// Wire the widths and lay the parameters out in one block.
	n := &Network{in: b.in, layers: b.layers, seed: b.seed, width: b.in}
	width, size := b.in, 0
	for i := range n.layers {
		l := &n.layers[i]
		l.in = width
		if l.kind == DropoutLayer {
			l.out = width
			continue
		}
		if l.out > (maxParams-size)/(l.in+1) { // in·out + out, without overflow on 32-bit ints
			return nil, errorf(ErrConfig, "layer %d (dense %d->%d): too many weights: a network holds at most %d parameters (%d MiB) on this platform",
				i, l.in, l.out, maxParams, maxParams>>18)
		}
		size += l.in*l.out + l.out
		width = l.out
		n.width = max(n.width, width)
	}
	switch {
	case b.params == nil:
		if err := reserve("a network of "+strconv.Itoa(size)+" parameters", 4*int64(size)); err != nil {
			return nil, err
		}
		n.params = make([]float32, size)
	case len(b.params) != size:
		return nil, errorf(ErrConfig, "%d loaded parameters for a network of %d", len(b.params), size)
	default:
		n.params = b.params // the loader reserved them, or uses them in place
	}
	n.bindParams()

	// Pick and check the loss against the output activation.
	last := n.layers[len(n.layers)-1]
	n.loss = defaultLoss(last.act, last.out)
	if b.haveLoss {
		n.loss = b.loss
	}
	switch {
	case int(n.loss) >= len(lossNames):
		return nil, errorf(ErrConfig, "unknown loss %d", n.loss)
	case n.loss == CategoricalCrossEntropy && last.act != Softmax:
		return nil, errorf(ErrConfig, "categorical cross-entropy needs a softmax output layer, layer %d is %s", len(n.layers)-1, last.act)
	case n.loss == BinaryCrossEntropy && last.act != Sigmoid:
		return nil, errorf(ErrConfig, "binary cross-entropy needs a sigmoid output layer, layer %d is %s", len(n.layers)-1, last.act)
	}

	// Draw the weights and set the biases.
	n.pcg = rand.NewPCG(n.seed, pcgStream)
	n.rng = rand.New(n.pcg)
	if b.params != nil {
		return n, nil
	}
	for i := range n.layers {
		l := &n.layers[i]
		if l.kind != DenseLayer {
			continue
		}
		bias := l.init.defaultBias(l.act)
		l.init = l.init.resolve(l.act)
		l.init.fill(l.w, l.in, l.out, n.rng)
		if j := firstNonFinite(l.w); j >= 0 {
			// a normal with a finite but huge mean or deviation can draw past float32
			return nil, errorf(ErrConfig, "layer %d (dense %d->%d): the initializer (kind %d, %v, %v) drew weight %d as %s; use smaller parameters",
				i, l.in, l.out, l.init.Kind, l.init.A, l.init.B, j, describe(l.w[j]))
		}
		for j := range l.b {
			l.b[j] = bias
		}
	}
	return n, nil
}

// ownParams gives n parameters in memory of its own before they change,
// if they lie in memory lent by the caller.
func (n *Network) ownParams() error {
	if !n.lent {
		return nil
	}
	if err := reserve("a copy of lent parameters", 4*int64(len(n.params))); err != nil {
		return err
	}
	n.params = slices.Clone(n.params)
	n.bindParams()
	n.lent = false
	return nil
}

// bindParams points each dense layer's w and b at its part of n.params.
func (n *Network) bindParams() {
	off := 0
	for i := range n.layers {
		l := &n.layers[i]
		if l.kind != DenseLayer {
			continue
		}
		l.off = off
		l.w = n.params[off : off+l.in*l.out : off+l.in*l.out]
		off += l.in * l.out
		l.b = n.params[off : off+l.out : off+l.out]
		off += l.out
	}
}

// usable reports a Network that [New] or loading did not build: a nil
// pointer or a zero value, which has no layers. Every method that returns
// an error checks it first.
func (n *Network) usable() error {
	if n == nil || len(n.layers) == 0 {
		return errorf(ErrConfig, "network has no layers: build it with New or load a model")
	}
	return nil
}

// InputSize returns the number of input features (0 for a network without
// layers).
func (n *Network) InputSize() int {
	if n == nil {
		return 0
	}
	return n.in
}

// OutputSize returns the width of the output layer (0 for a network
// without layers).
func (n *Network) OutputSize() int {
	if n == nil || len(n.layers) == 0 {
		return 0
	}
	return n.layers[len(n.layers)-1].out
}

// Loss returns the loss the network trains with.
func (n *Network) Loss() Loss {
	if n == nil {
		return MSE
	}
	return n.loss
}

// LayerKind tells dense layers from dropout layers.
type LayerKind uint8

// The layer kinds. Values are stored in model files; do not reorder.
const (
	DenseLayer LayerKind = iota
	DropoutLayer
)

// String returns "dense" or "dropout".
func (k LayerKind) String() string {
	if k == DenseLayer {
		return "dense"
	}
	return "dropout"
}

// LayerInfo describes one layer. Init is the initialiser actually used
// (never InitDefault).
type LayerInfo struct {
	Kind    LayerKind
	In, Out int
	Act     Activation
	Alpha   float32 // leaky ReLU slope
	Rate    float32 // dropout rate
	L1, L2  float32
	Init    Initializer
}

// Layers describes the layers from input to output. Layer indexes used by
// [Network.Weights] and in error messages are positions in this list.
func (n *Network) Layers() []LayerInfo {
	if n == nil {
		return nil
	}
	out := make([]LayerInfo, len(n.layers))
	for i, l := range n.layers {
		out[i] = LayerInfo{Kind: l.kind, In: l.in, Out: l.out, Act: l.act, Alpha: l.alpha,
			Rate: l.rate, L1: l.l1, L2: l.l2, Init: l.init}
	}
	return out
}

// denseAt returns dense layer i or an error naming what is there instead.
func (n *Network) denseAt(i int) (*layer, error) {
	if err := n.usable(); err != nil {
		return nil, err
	}
	if i < 0 || i >= len(n.layers) {
		return nil, errorf(ErrConfig, "layer %d does not exist (the network has %d layers)", i, len(n.layers))
	}
	if n.layers[i].kind != DenseLayer {
		return nil, errorf(ErrConfig, "layer %d is a dropout layer and has no weights", i)
	}
	return &n.layers[i], nil
}

// Weights returns a copy of dense layer i's weights as w[unit][input] and
// its biases.
func (n *Network) Weights(i int) (w [][]float32, b []float32, err error) {
	l, err := n.denseAt(i)
	if err != nil {
		return nil, nil, err
	}
	w = make([][]float32, l.out)
	for u := range w {
		w[u] = make([]float32, l.in)
		for k := range w[u] {
			w[u][k] = l.w[k*l.out+u]
		}
	}
	return w, slices.Clone(l.b), nil
}

// SetWeights replaces dense layer i's weights, given as w[unit][input], and
// its biases. Shapes must match the layer and every value must be finite;
// otherwise nothing changes.
func (n *Network) SetWeights(i int, w [][]float32, b []float32) error {
	l, err := n.denseAt(i)
	if err != nil {
		return err
	}
	if len(w) != l.out || len(b) != l.out {
		return errorf(ErrShape, "layer %d (dense %d->%d): got %d weight rows and %d biases, want %d and %d",
			i, l.in, l.out, len(w), len(b), l.out, l.out)
	}
	for u, r := range w {
		if len(r) != l.in {
			return errorf(ErrShape, "layer %d (dense %d->%d): weight row %d has %d values, want %d", i, l.in, l.out, u, len(r), l.in)
		}
		if k := firstNonFinite(r); k >= 0 {
			return errorf(ErrNonFinite, "layer %d: weight [%d][%d] is %s", i, u, k, describe(r[k]))
		}
	}
	if k := firstNonFinite(b); k >= 0 {
		return errorf(ErrNonFinite, "layer %d: bias %d is %s", i, k, describe(b[k]))
	}
	if err := n.ownParams(); err != nil {
		return err
	}
	for u, r := range w {
		for k, v := range r {
			l.w[k*l.out+u] = v
		}
	}
	copy(l.b, b)
	return nil
}

// SetScaler makes the network standardise every input with s (inside Fit,
// Predict and Evaluate), so callers pass raw features. nil removes it.
func (n *Network) SetScaler(s *Scaler) { n.scaler = s }

// Scaler returns the input scaler, or nil.
func (n *Network) Scaler() *Scaler {
	if n == nil {
		return nil
	}
	return n.scaler
}

// SetClassNames records names for the output classes (kept in model files):
// one per output, or two for a single output (its classes 0 and 1), or
// none. Saving a network with another number of names is an error, and so
// is loading such a file, so that ClassNames of a loaded network can be
// indexed by any class.
func (n *Network) SetClassNames(names []string) { n.classNames = slices.Clone(names) }

// checkClassNames reports a number of class names that does not fit the
// output layer.
func (n *Network) checkClassNames() error {
	c, out := len(n.classNames), n.OutputSize()
	if c == 0 || c == out || out == 1 && c == 2 {
		return nil
	}
	return errorf(ErrShape, "%d class names for %d outputs, want one per output (two for a single output) or none", c, out)
}

// ClassNames returns a copy of the class names, or nil.
func (n *Network) ClassNames() []string {
	if n == nil {
		return nil
	}
	return slices.Clone(n.classNames)
}

// SetMeta stores a string under key (kept in model files). A model file
// holds at most 65536 entries: Save refuses more.
func (n *Network) SetMeta(key, value string) {
	if n.meta == nil {
		n.meta = make(map[string]string)
	}
	n.meta[key] = value
}

// Meta returns the value stored under key.
func (n *Network) Meta(key string) (string, bool) {
	if n == nil {
		return "", false
	}
	v, ok := n.meta[key]
	return v, ok
}

// MetaKeys returns the metadata keys in sorted order.
func (n *Network) MetaKeys() []string {
	if n == nil {
		return nil
	}
	keys := make([]string, 0, len(n.meta))
	for k := range n.meta {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
