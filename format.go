package nn

import (
	"encoding/binary"
	"math"

	"github.com/nnrt/nn/simd"
)

// The byte layout of a model file. docs/FORMAT.md is the specification;
// this file is its reference implementation, independent of the Network
// type: it turns a model into bytes and bytes into a checked model.

const (
	formatVersion = 1
	headerSize    = 16 // magic, version, file length
	sectionHeader = 16 // kind, flags, payload length
	trailerSize   = 4  // CRC-32C
	align         = 16 // every section and weight array starts at a multiple of this

	archFixed  = 24 // architecture payload before the layer records
	layerBytes = 32 // one layer record
	weightsHdr = 16 // weights payload before the arrays
	tensorHdr  = 16 // optimiser tensor header

	// maxFileSize bounds the length a header may claim, so that arithmetic
	// on sizes never overflows, on 32-bit targets included.
	maxFileSize = math.MaxInt32 - 1
)

// magic opens every model file. The high first byte catches transfers that
// strip the eighth bit; the line endings catch newline translation.
var magic = [4]byte{0x89, 'N', 'N', 0x0a}

// Section kinds. The critical flag tells a reader that does not know a kind
// that it cannot use the file without it.
const (
	secArch    = 1
	secWeights = 2
	secMeta    = 3
	secOptim   = 4

	flagCritical = 1
)

// Weight encodings.
const (
	encFloat32 = 0
	encFloat16 = 1
	encInt8    = 2
)

// Layer kinds in the file. Activations, losses, initialisers and optimiser
// kinds are stored as the values of their Go constants, which are fixed.
const (
	layerDense   = uint8(DenseLayer)
	layerDropout = uint8(DropoutLayer)
)

// model is the content of a file, in file codes.
type model struct {
	inputs  uint32
	loss    uint8
	targets uint8 // Network.targets
	seed    uint64
	layers  []modelLayer

	enc    uint8
	params []denseParams // one per dense layer, in order

	// decoded: all parameters in the layout of Network.params, which
	// params then slices; lent when they lie in the caller's file bytes
	flat []float32
	lent bool

	meta  *modelMeta  // nil when the file has no metadata section
	optim *modelOptim // nil when the file has no optimiser section
}

type modelLayer struct {
	kind         uint8
	act          uint8
	init         uint8
	units        uint32
	alpha, rate  float32
	l1, l2       float32
	initA, initB float32
}

// denseParams holds a dense layer's weights in×out row-major (w[i*out+j]
// connects input i to unit j) and its out biases.
type denseParams struct {
	w, b []float32
}

type modelMeta struct {
	keys, values []string
	classes      []string
	mean, std    []float32 // input scaler; both empty when there is none
}

type modelOptim struct {
	kind                           uint8
	lr, mu, beta1, beta2, rho, eps float32
	step, epochs                   uint64
	rng                            []byte
	tensors                        [][]float32
}

// denseShapes returns the input and output width of every dense layer.
func (m *model) denseShapes() (in, out []int) {
	width := int(m.inputs)
	for _, l := range m.layers {
		if l.kind == layerDense {
			in = append(in, width)
			out = append(out, int(l.units))
			width = int(l.units)
		}
	}
	return in, out
}

type encoder struct{ b []byte }

func (e *encoder) u8(v uint8)    { e.b = append(e.b, v) }
func (e *encoder) u32(v uint32)  { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *encoder) u64(v uint64)  { e.b = binary.LittleEndian.AppendUint64(e.b, v) }
func (e *encoder) f32(v float32) { e.u32(math.Float32bits(v)) }
func (e *encoder) zeros(n int)   { e.b = append(e.b, make([]byte, n)...) }
func (e *encoder) pad()          { e.zeros(padTo(len(e.b)) - len(e.b)) }

func (e *encoder) str(s string) {
	e.u32(uint32(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) f32s(v []float32) {
	for _, x := range v {
		e.f32(x)
	}
}

// section appends a section whose payload body writes, and pads it.
func (e *encoder) section(kind, flags uint32, body func()) {
	e.u32(kind)
	e.u32(flags)
	at := len(e.b)
	e.u64(0)
	start := len(e.b)
	body()
	binary.LittleEndian.PutUint64(e.b[at:], uint64(len(e.b)-start))
	e.pad()
}

func padTo(n int) int { return (n + align - 1) &^ (align - 1) }

// encode returns the bytes of m. The weights must be finite and, for
// float16, within its range; the caller checks.
func encode(m *model) []byte {
	e := &encoder{b: make([]byte, 0, encodedSizeHint(m))}
	e.b = append(e.b, magic[:]...)
	e.u32(formatVersion)
	e.u64(0) // file length, set below

	e.section(secArch, flagCritical, func() { encodeArch(e, m) })
	e.section(secWeights, flagCritical, func() { encodeWeights(e, m) })
	if m.meta != nil {
		e.section(secMeta, flagCritical, func() { encodeMeta(e, m.meta) })
	}
	if m.optim != nil {
		e.section(secOptim, 0, func() { encodeOptim(e, m.optim) })
	}

	binary.LittleEndian.PutUint64(e.b[8:], uint64(len(e.b)+trailerSize))
	e.u32(simd.CRC32C(0, e.b))
	return e.b
}

func encodedSizeHint(m *model) int {
	n := 1024
	for _, p := range m.params {
		n += 4*len(p.w) + 8*len(p.b) + 3*align
	}
	if m.optim != nil {
		for _, t := range m.optim.tensors {
			n += 4*len(t) + tensorHdr + align
		}
	}
	return n
}

func encodeArch(e *encoder, m *model) {
	e.u32(m.inputs)
	e.u32(uint32(len(m.layers)))
	e.u8(m.loss)
	e.u8(m.targets)
	e.zeros(6)
	e.u64(m.seed)
	for _, l := range m.layers {
		e.u8(l.kind)
		e.u8(l.act)
		e.u8(l.init)
		e.u8(0)
		e.u32(l.units)
		for _, v := range []float32{l.alpha, l.rate, l.l1, l.l2, l.initA, l.initB} {
			e.f32(v)
		}
	}
}

func encodeWeights(e *encoder, m *model) {
	e.u32(uint32(m.enc))
	e.u32(uint32(len(m.params)))
	e.zeros(8)
	_, outs := m.denseShapes()
	for k, p := range m.params {
		switch m.enc {
		case encFloat32:
			e.f32s(p.w)
		case encFloat16:
			for _, x := range p.w {
				e.b = binary.LittleEndian.AppendUint16(e.b, f32ToF16(x))
			}
		case encInt8:
			scale := int8Scales(p.w, outs[k])
			e.f32s(scale)
			e.pad()
			e.b = appendInt8(e.b, p.w, scale)
		}
		e.pad()
		e.f32s(p.b)
		e.pad()
	}
}

// int8Scales returns, per unit j, the step that maps the largest |w[i][j]|
// to 127 (zero for a unit whose weights are all zero).
func int8Scales(w []float32, out int) []float32 {
	scale := make([]float32, out)
	for i, x := range w {
		scale[i%out] = max(scale[i%out], float32(math.Abs(float64(x))))
	}
	for j, s := range scale {
		s /= 127
		if math.IsInf(float64(127*s), 0) {
			// the quotient rounded up past MaxFloat32/127: round it down
			// so that the largest weight decodes finite
			s = math.Nextafter32(s, 0)
		}
		scale[j] = s
	}
	return scale
}

func appendInt8(b []byte, w, scale []float32) []byte {
	out := len(scale)
	for i, x := range w {
		var q float64
		if s := scale[i%out]; s != 0 {
			q = max(-127, min(127, math.RoundToEven(float64(x)/float64(s))))
		}
		b = append(b, byte(int8(q)))
	}
	return b
}

func encodeMeta(e *encoder, mm *modelMeta) {
	e.u32(uint32(len(mm.keys)))
	for i, k := range mm.keys {
		e.str(k)
		e.str(mm.values[i])
	}
	e.u32(uint32(len(mm.classes)))
	for _, c := range mm.classes {
		e.str(c)
	}
	e.u32(uint32(len(mm.mean)))
	e.f32s(mm.mean)
	e.f32s(mm.std)
}

func encodeOptim(e *encoder, o *modelOptim) {
	e.u8(o.kind)
	e.zeros(3)
	for _, v := range []float32{o.lr, o.mu, o.beta1, o.beta2, o.rho, o.eps} {
		e.f32(v)
	}
	e.u32(0)
	e.u64(o.step)
	e.u64(o.epochs)
	e.u32(uint32(len(o.rng)))
	e.u32(uint32(len(o.tensors)))
	e.b = append(e.b, o.rng...)
	e.pad()
	for _, t := range o.tensors {
		e.u64(uint64(len(t)))
		e.zeros(8)
		e.f32s(t)
		e.pad()
	}
}
