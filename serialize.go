package nn

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"strings"
	"sync"
)

// ErrTrailingData reports bytes after the end of a model in a buffer or
// file that must hold exactly one model.
var ErrTrailingData = errors.New("data after end of model")

// Encoding selects how [Network.Save] stores weights. Biases, scales and
// every other number stay float32.
type Encoding uint8

// The weight encodings. Float32 is exact; Float16 (IEEE half precision,
// nearest) halves the file; Int8 (symmetric, one float32 scale per output
// unit: w ≈ q·max|w|/127) quarters it.
const (
	Float32 Encoding = encFloat32
	Float16 Encoding = encFloat16
	Int8    Encoding = encInt8
)

// SaveOption configures [Network.Save] and related methods: an [Encoding],
// or [WithOptimizerState].
type SaveOption interface{ applySave(*saveConfig) }

type saveConfig struct {
	enc   Encoding
	optim bool
}

func (e Encoding) applySave(c *saveConfig) { c.enc = e }

type optimOption struct{}

func (optimOption) applySave(c *saveConfig) { c.optim = true }

// WithOptimizerState also saves the optimiser, its moments and step count,
// the epochs trained and the state of the network's random generator, so
// that training resumed from a [Float32] file (as MarshalBinary writes)
// continues exactly as if it had never stopped; with [Float16] or [Int8]
// weights it resumes from the rounded weights. Without it a loaded network
// trains with fresh moments and a generator started from its seed.
func WithOptimizerState() SaveOption { return optimOption{} }

// BUG(nn): A checkpoint holds the network's state, not that of one Fit
// call: early stopping (Patience) counts afresh in a resumed Fit. Training
// without it resumes exactly, also with a ValidationSplit, whose rows
// depend on the seed alone.

// Save writes the network to w in the model file format. The default
// encoding is [Float32], with which a loaded network predicts bit for bit
// as n does on the same architecture (others may differ in the last bits,
// see the package documentation on reproducibility). Save fails, writing nothing, if a weight is not finite or, for
// [Float16], beyond ±65504 ([ErrConfig]). It may run while other
// goroutines predict, but not during Fit or a setter.
//
// The file (docs/FORMAT.md gives every byte) is little-endian:
//
//	offset  size  field
//	0       4     magic 89 4E 4E 0A
//	4       4     format version, 1
//	8       8     file length in bytes, trailer included
//	16      ...   sections, each: kind u32, flags u32, payload length u64,
//	              payload, zero padding to a multiple of 16
//	len-4   4     CRC-32C (Castagnoli) of bytes [0, len-4)
//
// Sections: 1 architecture, 2 weights, 3 metadata (class names, scaler,
// key/value strings), 4 optimiser state. A reader skips a kind it does not
// know unless its flags mark it critical. Weight arrays start at multiples
// of 16 bytes. Reading checks the magic, version and length, then reads the
// sections once, front to back, summing the checksum on the way; nothing
// is returned unless it matches, every count and size is compared with the
// bytes present before anything is allocated for it. An error of w is
// returned wrapped, so that errors.Is finds it.
func (n *Network) Save(w io.Writer, opts ...SaveOption) error {
	if w == nil {
		return errorf(ErrConfig, "save: the writer is nil")
	}
	b, err := n.marshal(opts)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return errorf(err, "save: %v", err)
	}
	return nil
}

// MarshalBinary returns the network as a [Float32] model file with its
// optimiser state, so that [Network.UnmarshalBinary] restores everything.
func (n *Network) MarshalBinary() ([]byte, error) {
	return n.marshal([]SaveOption{Float32, WithOptimizerState()})
}

// SaveFile writes the network to the file at path atomically: the bytes go
// to a temporary file in the same folder, which is synced and then renamed
// over path, so path holds either its old content or the whole new model,
// whatever happens during the save. If path is a symbolic link, the link
// stays and the file it leads to is replaced (in that file's folder).
func (n *Network) SaveFile(path string, opts ...SaveOption) error {
	b, err := n.marshal(opts)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// Load reads one model from r. It reads exactly the length that the file's
// header declares and no further, so a model may be followed by other data
// in a stream. Memory grows with the bytes actually read, never with sizes
// the file claims. Errors wrap [ErrBadMagic], [ErrVersion], [ErrChecksum],
// [ErrTruncated], [ErrArchitecture] or [ErrNonFinite], or come from r.
func Load(r io.Reader) (*Network, error) {
	if r == nil {
		return nil, errorf(ErrConfig, "load: the reader is nil")
	}
	return load(r, knownLength(r))
}

// knownLength returns how many bytes r holds, when it is one of the readers
// that can tell, or -1. Load reads a reader that holds the whole file
// straight into the network, knowing the sizes the file declares are there.
func knownLength(r io.Reader) int64 {
	switch r := r.(type) {
	case *bytes.Reader:
		return int64(r.Len())
	case *bytes.Buffer:
		return int64(r.Len())
	case *strings.Reader:
		return int64(r.Len())
	case *os.File:
		st, err := r.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return -1
		}
		at, err := r.Seek(0, io.SeekCurrent)
		if err != nil || at > st.Size() {
			return -1
		}
		return st.Size() - at
	}
	return -1
}

// LoadFile reads the model file at path. Bytes after the model are an
// error ([ErrTrailingData]).
func LoadFile(path string) (*Network, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errorf(err, "load %s: %v", path, err)
	}
	defer f.Close()
	n, err := load(f, knownLength(f))
	if err != nil {
		return nil, err
	}
	var one [1]byte
	switch k, err := f.Read(one[:]); {
	case k != 0:
		return nil, errorf(ErrTrailingData, "%s continues after its model", path)
	case err != nil && err != io.EOF:
		return nil, errorf(err, "load %s: %v", path, err)
	}
	return n, nil
}

// load reads one model from r, which holds known bytes when known ≥ 0. A
// reader known to hold the whole file is read straight into the network;
// any other is first read into memory, in chunks that grow with the bytes
// received.
func load(r io.Reader, known int64) (*Network, error) {
	head := make([]byte, headerSize)
	k, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, errorf(err, "reading model: %v", err)
	}
	size, err := checkHeader(head[:k])
	if err != nil {
		return nil, err
	}
	if known >= 0 {
		if known < int64(size) {
			return nil, errorf(ErrTruncated, "model file has %d bytes, its header says %d", known, size)
		}
		return readNetwork(newSource(head, size, nil, r))
	}
	data, err := readModel(r, head, size)
	if err != nil {
		return nil, err
	}
	// data is this call's own, so the weights may stay where they lie in
	// it, and be written there, unless most of it is something else (the
	// moments of a checkpoint, decoded apart) that would be kept alive
	s := newSource(head, size, data, nil)
	s.inPlace = true
	n, err := readNetwork(s)
	if err != nil {
		return nil, err
	}
	if n.lent && 8*len(n.params) < len(data) {
		if err := n.ownParams(); err != nil {
			return nil, err
		}
	}
	n.lent = false
	return n, nil
}

// LoadInPlace builds the network of the model file in data, which must
// hold exactly one model, and uses its float32 weights where they lie in
// data instead of copying them, as for a file mapped into memory or
// embedded in the program: loading then costs little more than reading
// data once. data must stay unchanged while the network uses it. The
// network never writes to data: [Network.Fit] and [Network.SetWeights]
// first copy the weights into memory of its own. Weights that cannot be
// used in place are copied as by [Network.UnmarshalBinary]: float16 and
// int8 files, big-endian machines, data not 4-byte aligned, and layouts
// whose arrays are separated by padding (a layer whose weight count, or,
// except in the last layer, unit count is not a multiple of 4).
func LoadInPlace(data []byte) (*Network, error) {
	s, err := frame(data)
	if err != nil {
		return nil, err
	}
	s.inPlace = true
	return readNetwork(s)
}

// UnmarshalBinary replaces n by the model in data, which must hold exactly
// one model file. On error n is unchanged. It must not run concurrently
// with any other method of n.
func (n *Network) UnmarshalBinary(data []byte) error {
	if n == nil {
		return errorf(ErrConfig, "unmarshal into a nil *Network")
	}
	m, err := unmarshal(data)
	if err != nil {
		return err
	}
	n.adopt(m)
	return nil
}

// Load reads at most as many bytes again as it holds (between minRead and
// maxRead at a time), so that a header claiming a huge length costs memory
// only in proportion to the bytes that really arrive.
const (
	minRead = 4 << 10
	maxRead = 1 << 20
)

// readModel reads the rest of a model of size bytes from r, whose first
// headerSize bytes were head, in chunks that grow with the bytes read.
func readModel(r io.Reader, head []byte, size int) ([]byte, error) {
	b := head
	for len(b) < size {
		step := min(size-len(b), max(minRead, min(len(b), maxRead)))
		if cap(b)-len(b) < step {
			// double, so that copying stays linear in the bytes read
			grown := make([]byte, len(b), min(size, max(2*cap(b), len(b)+step)))
			copy(grown, b)
			b = grown
		}
		k, err := io.ReadFull(r, b[len(b):len(b)+step])
		b = b[:len(b)+k]
		if err != nil {
			return nil, readError(err, size)
		}
	}
	return b, nil
}

// readError reports a failed read of a model of size bytes: the end of
// the input as truncation, anything else as the reader's error.
func readError(err error, size int) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errorf(ErrTruncated, "model file ends before its %d bytes", size)
	}
	return errorf(err, "reading model: %v", err)
}

// marshal checks n and returns its file bytes.
func (n *Network) marshal(opts []SaveOption) ([]byte, error) {
	var cfg saveConfig
	for _, o := range opts {
		if o != nil {
			o.applySave(&cfg)
		}
	}
	if cfg.enc > Int8 {
		return nil, errorf(ErrConfig, "unknown weight encoding %d", cfg.enc)
	}
	if err := n.usable(); err != nil {
		return nil, err
	}
	m, err := n.toModel(cfg)
	if err != nil {
		return nil, err
	}
	return encode(m), nil
}

// toModel describes n in file terms. The weight slices alias n.params.
func (n *Network) toModel(cfg saveConfig) (*model, error) {
	m := &model{inputs: uint32(n.in), loss: uint8(n.loss), targets: n.targets, seed: n.seed, enc: uint8(cfg.enc)}
	for i, l := range n.layers {
		rec := modelLayer{kind: uint8(l.kind), act: uint8(l.act), init: uint8(l.init.Kind),
			alpha: l.alpha, rate: l.rate, l1: l.l1, l2: l.l2, initA: l.init.A, initB: l.init.B}
		if l.kind == DenseLayer {
			rec.units = uint32(l.out)
			if err := checkValues(i, l.w, l.b, cfg.enc); err != nil {
				return nil, err
			}
			m.params = append(m.params, denseParams{w: l.w, b: l.b})
		}
		m.layers = append(m.layers, rec)
	}

	if err := n.checkClassNames(); err != nil {
		return nil, err
	}
	if len(n.meta) > maxMetaEntries {
		return nil, errorf(ErrConfig, "%d metadata entries: a model file holds at most %d", len(n.meta), maxMetaEntries)
	}
	if n.scaler != nil || len(n.classNames) > 0 || len(n.meta) > 0 {
		mm := &modelMeta{classes: n.classNames}
		for _, k := range n.MetaKeys() {
			mm.keys = append(mm.keys, k)
			mm.values = append(mm.values, n.meta[k])
		}
		if s := n.scaler; s != nil {
			if err := n.checkScaler(); err != nil {
				return nil, err
			}
			mm.mean, mm.std = s.Mean, s.Std
		}
		m.meta = mm
	}

	if cfg.optim {
		rng, err := n.pcg.MarshalBinary()
		if err != nil {
			return nil, errorf(ErrConfig, "saving the random generator: %v", err)
		}
		for i, t := range [][]float32{n.m, n.v} {
			if j := firstNonFinite(t); j >= 0 {
				return nil, errorf(ErrNonFinite, "optimiser moment %d, value %d is %s: a file holding it could not be loaded", i+1, j, describe(t[j]))
			}
		}
		o := n.opt
		m.optim = &modelOptim{kind: uint8(o.Kind), lr: o.LR, mu: o.Mu, beta1: o.Beta1, beta2: o.Beta2,
			rho: o.Rho, eps: o.Eps, step: uint64(n.step), epochs: uint64(n.epochs), rng: rng,
			tensors: [][]float32{n.m, n.v}}
	}
	return m, nil
}

// checkValues refuses weights that are not finite or that the encoding
// cannot store.
func checkValues(layer int, w, b []float32, enc Encoding) error {
	if k := firstNonFinite(w); k >= 0 {
		return errorf(ErrNonFinite, "layer %d: weight %d is %s", layer, k, describe(w[k]))
	}
	if k := firstNonFinite(b); k >= 0 {
		return errorf(ErrNonFinite, "layer %d: bias %d is %s", layer, k, describe(b[k]))
	}
	if enc == Float16 {
		for k, v := range w {
			if math.Abs(float64(v)) > 65504 {
				return errorf(ErrConfig, "layer %d: weight %d is %v, beyond the float16 range ±65504; save as Float32", layer, k, v)
			}
		}
	}
	return nil
}

// loadedParams hands New the parameters read from a model file, which it
// uses as they are, drawing nothing.
type loadedParams []float32

func (p loadedParams) apply(b *builder) { b.params = p }

// unmarshal decodes and checks data, exactly one model file, and builds
// its network.
func unmarshal(data []byte) (*Network, error) {
	s, err := frame(data)
	if err != nil {
		return nil, err
	}
	return readNetwork(s)
}

// frame checks that data holds exactly the file its header declares and
// returns a source for it.
func frame(data []byte) (*source, error) {
	size, err := checkHeader(data)
	if err != nil {
		return nil, err
	}
	if len(data) < size {
		return nil, errorf(ErrTruncated, "model file has %d bytes, its header says %d", len(data), size)
	}
	if len(data) > size {
		// a damaged model is reported as such before what follows it
		s := newSource(data, size, data[:size], nil)
		if err := s.finish(); err != nil {
			return nil, err
		}
		return nil, errorf(ErrTrailingData, "%d bytes follow the end of the model", len(data)-size)
	}
	return newSource(data, size, data, nil), nil
}

// readNetwork reads the model file of s and builds its network.
func readNetwork(s *source) (*Network, error) {
	m, err := decodeFile(s)
	if err != nil {
		return nil, err
	}
	return fromModel(m)
}

// fromModel builds the network that m describes, on m's parameters. New
// checks the architecture; every number is checked before it is used.
func fromModel(m *model) (*Network, error) {
	opts := []Option{Input(int(m.inputs)), Seed(m.seed), WithLoss(Loss(m.loss)), loadedParams(m.flat)}
	inits := make([]Initializer, len(m.layers))
	for i, l := range m.layers {
		if l.kind == layerDropout {
			opts = append(opts, Dropout(l.rate))
			continue
		}
		inits[i] = Initializer{Kind: InitKind(l.init), A: l.initA, B: l.initB}
		if err := inits[i].validate(); err != nil || inits[i].Kind == InitDefault {
			return nil, errorf(ErrArchitecture, "layer %d: initializer %d (%v, %v) is invalid", i, l.init, l.initA, l.initB)
		}
		opts = append(opts, Dense(int(l.units), Activation(l.act), L1(l.l1), L2(l.l2), Alpha(l.alpha)))
	}
	n, err := New(opts...)
	if err != nil {
		return nil, fileError("model file", err)
	}
	if m.targets > targetsPlusMinus {
		return nil, errorf(ErrArchitecture, "target encoding %d, want 0 to %d", m.targets, targetsPlusMinus)
	}
	n.targets, n.lent = m.targets, m.lent
	for i := range n.layers {
		if l := &n.layers[i]; l.kind == DenseLayer {
			l.init = inits[i]
		}
	}
	if m.meta != nil {
		if err := n.loadMeta(m.meta); err != nil {
			return nil, err
		}
	}
	if m.optim != nil {
		if err := n.loadOptim(m.optim); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// fileError reports err, met while building a network from a model file,
// as an [ErrArchitecture] whose message names where in the file it arose.
func fileError(where string, err error) error {
	return errorf(ErrArchitecture, "%s: %s", where, detail(err))
}

func (n *Network) loadMeta(mm *modelMeta) error {
	if len(mm.keys) > 0 {
		n.meta = make(map[string]string, len(mm.keys))
	}
	for i, k := range mm.keys {
		n.SetMeta(k, mm.values[i])
	}
	if len(mm.classes) > 0 {
		n.classNames = mm.classes
		if err := n.checkClassNames(); err != nil {
			return fileError("model file", err)
		}
	}
	if len(mm.mean) == 0 {
		return nil
	}
	if len(mm.mean) != n.in {
		return errorf(ErrArchitecture, "scaler has %d columns, the network %d inputs", len(mm.mean), n.in)
	}
	s := &Scaler{Mean: mm.mean, Std: mm.std}
	if err := s.check(); err != nil {
		return fileError("model file", err)
	}
	n.scaler = s
	return nil
}

func (n *Network) loadOptim(o *modelOptim) error {
	opt := Optimizer{Kind: OptKind(o.kind), LR: o.lr, Mu: o.mu, Beta1: o.beta1, Beta2: o.beta2, Rho: o.rho, Eps: o.eps}
	// settings the kind does not use are kept and saved again, so they
	// must be finite too
	if firstNonFinite([]float32{o.lr, o.mu, o.beta1, o.beta2, o.rho, o.eps}) >= 0 {
		return errorf(ErrNonFinite, "optimiser settings %+v: a value is not finite", opt)
	}

	// the moments each optimiser keeps, as in prepareOptimizer
	var wantM, wantV bool
	switch opt.Kind {
	case 0:
		// never trained: no state beyond the generator
	case OptMomentum, OptNesterov:
		wantM = true
	case OptAdam:
		wantM, wantV = true, true
	case OptRMSProp:
		wantV = true
	}
	if opt.Kind != 0 {
		if err := opt.validate(); err != nil {
			return fileError("model file optimiser", err)
		}
	}
	if len(o.tensors) != 2 {
		return errorf(ErrArchitecture, "optimiser state has %d tensors, want 2", len(o.tensors))
	}
	size := func(want bool) int {
		if want {
			return len(n.params)
		}
		return 0
	}
	for i, want := range []bool{wantM, wantV} {
		t := o.tensors[i]
		if len(t) != size(want) {
			return errorf(ErrArchitecture, "optimiser %d moment %d has %d values, want %d", opt.Kind, i+1, len(t), size(want))
		}
	}
	if o.step > math.MaxInt64 || o.epochs > math.MaxInt32 {
		return errorf(ErrArchitecture, "optimiser step %d or epoch count %d out of range", o.step, o.epochs)
	}
	if err := n.pcg.UnmarshalBinary(o.rng); err != nil {
		return errorf(ErrArchitecture, "random generator state: %v", err)
	}

	n.opt = opt
	n.m, n.v = nil, nil
	if wantM {
		n.m = o.tensors[0]
	}
	if wantV {
		n.v = o.tensors[1]
	}
	n.step, n.epochs = int64(o.step), int(o.epochs)
	return nil
}

// adopt moves the state of src, a network no one else holds, into n. Every
// field but the inference pool is taken; TestUnmarshalBinaryAdoptsAll
// catches a field added to Network and missed here.
func (n *Network) adopt(src *Network) {
	n.in, n.layers, n.loss = src.in, src.layers, src.loss
	n.seed, n.pcg, n.rng = src.seed, src.pcg, src.rng
	n.params = src.params
	n.opt, n.m, n.v, n.step, n.epochs = src.opt, src.m, src.v, src.step, src.epochs
	n.targets, n.lent = src.targets, src.lent
	n.scaler, n.classNames, n.meta = src.scaler, src.classNames, src.meta
	n.width, n.train = src.width, src.train
	n.pool = sync.Pool{}
}
