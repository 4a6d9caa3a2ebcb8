package nn

import (
	"bytes"
	"encoding/binary"
	"math"

	"github.com/nnrt/nn/simd"
)

// Reading model files: no count or size is used before it is compared with
// the bytes present, and nothing decoded is handed out before the checksum
// over the whole file matches.

// decoder reads a payload. The first short read or bad value sets err and
// turns every later read into a no-op returning zero, so that a parser can
// read a whole record and check once.
type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// take returns the next n bytes, or nil after setting err when fewer remain.
func (d *decoder) take(n int, what string) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b)-d.off {
		d.fail(errorf(ErrTruncated, "%s needs %d bytes at offset %d, %d remain", what, n, d.off, len(d.b)-d.off))
		return nil
	}
	p := d.b[d.off : d.off+n]
	d.off += n
	return p
}

func (d *decoder) u8(what string) uint8 {
	if p := d.take(1, what); p != nil {
		return p[0]
	}
	return 0
}

func (d *decoder) u32(what string) uint32 {
	if p := d.take(4, what); p != nil {
		return binary.LittleEndian.Uint32(p)
	}
	return 0
}

func (d *decoder) u64(what string) uint64 {
	if p := d.take(8, what); p != nil {
		return binary.LittleEndian.Uint64(p)
	}
	return 0
}

func (d *decoder) f32(what string) float32 { return math.Float32frombits(d.u32(what)) }

// count reads a uint32 count of items of at least size bytes each and
// fails unless that many could fit in what remains, so that no caller
// allocates for items the payload cannot hold.
func (d *decoder) count(size int, what string) int {
	n := d.u32(what + " count")
	if d.err == nil && uint64(n)*uint64(size) > uint64(len(d.b)-d.off) {
		d.fail(errorf(ErrTruncated, "%d %s of at least %d bytes each do not fit in %d bytes", n, what, size, len(d.b)-d.off))
		return 0
	}
	return int(n)
}

func (d *decoder) str(what string) string {
	n := d.u32(what + " length")
	return string(d.take(int(min(n, math.MaxInt32)), what))
}

// f32s reads n little-endian float32 values, which must all be finite.
func (d *decoder) f32s(n int, what string) []float32 {
	p := d.take(4*n, what)
	if p == nil {
		return nil
	}
	if !finite32(p) {
		d.fail(errorf(ErrNonFinite, "%s at offset %d: a value is not finite", what, d.off-len(p)))
		return nil
	}
	v := make([]float32, n)
	decodeF32(v, p)
	return v
}

// skipPad skips to the next multiple of align from the payload start.
func (d *decoder) skipPad() { d.take(padTo(d.off)-d.off, "padding") }

// verifyChunk is how many bytes of an array are summed and decoded at a
// time: few enough to still be in cache for the second look.
const verifyChunk = 32 << 10

// verifier sums a file's checksum in file order, a piece at a time, so that
// the weights are summed as they are decoded instead of in a pass of their
// own. Nothing decoded may be handed out before finish succeeds.
type verifier struct {
	body []byte // the file without its trailer
	off  int    // length of the prefix summed so far
	crc  uint32
	want uint32 // the stored checksum
}

// frame checks data's header and length, which must be exactly one file,
// and returns a verifier for it.
func frame(data []byte) (*verifier, error) {
	n, err := checkHeader(data)
	if err != nil {
		return nil, err
	}
	if len(data) < n {
		return nil, errorf(ErrTruncated, "model file has %d bytes, its header says %d", len(data), n)
	}
	if len(data) > n {
		return nil, errorf(ErrTrailingData, "%d bytes follow the end of the model", len(data)-n)
	}
	return &verifier{body: data[:n-trailerSize], want: binary.LittleEndian.Uint32(data[n-trailerSize:])}, nil
}

// upTo adds the bytes up to offset end to the checksum.
func (v *verifier) upTo(end int) {
	v.crc = simd.CRC32C(v.crc, v.body[v.off:end])
	v.off = end
}

// finish sums the rest of the file and compares the checksum.
func (v *verifier) finish() error {
	v.upTo(len(v.body))
	if v.crc != v.want {
		return errorf(ErrChecksum, "model file checksum is %08x, stored %08x", v.crc, v.want)
	}
	return nil
}

// inChunks runs use(i, j) on consecutive ranges [i, j) of the count
// elements of size bytes stored at offset at, and after each adds the
// range's bytes (and any before them not yet summed) to the checksum while
// they are still in cache. It stops at the first use that returns false
// and returns false too.
func (v *verifier) inChunks(at, count, size int, use func(i, j int) bool) bool {
	step := verifyChunk / size
	for i := 0; i < count; i += step {
		j := min(count, i+step)
		ok := use(i, j)
		v.upTo(at + j*size)
		if !ok {
			return false
		}
	}
	return true
}

// checkHeader validates magic and version in the first headerSize bytes
// (or as many as there are) and returns the file length they declare.
func checkHeader(data []byte) (int, error) {
	k := min(len(data), len(magic))
	if !bytes.Equal(data[:k], magic[:k]) {
		return 0, errorf(ErrBadMagic, "not a model file (starts % x)", data[:k])
	}
	if len(data) < headerSize {
		return 0, errorf(ErrTruncated, "model file header needs %d bytes, have %d", headerSize, len(data))
	}
	if v := binary.LittleEndian.Uint32(data[4:]); v != formatVersion {
		return 0, errorf(ErrVersion, "model file format version %d, this reader knows %d", v, formatVersion)
	}
	n := binary.LittleEndian.Uint64(data[8:])
	if n < headerSize+trailerSize || n > maxFileSize || n%4 != 0 {
		return 0, errorf(ErrTruncated, "model file header declares an impossible length %d", n)
	}
	return int(n), nil
}

// decodeSections parses the checked sections between header and trailer.
func decodeSections(body []byte) (*model, error) {
	m := &model{}
	var seen [secOptim + 1]bool
	d := &decoder{b: body, off: headerSize}
	for d.off < len(body) && d.err == nil {
		kind := d.u32("section kind")
		flags := d.u32("section flags")
		size := d.u64("section length")
		if d.err != nil {
			break
		}
		if size > uint64(len(body)-d.off) {
			return nil, errorf(ErrTruncated, "section %d at offset %d claims %d bytes, %d remain", kind, d.off-sectionHeader, size, len(body)-d.off)
		}
		// a payload is read by its own decoder so that it cannot run past
		// its end; offsets stay relative to the file for alignment
		p := &decoder{b: body[:d.off+int(size)], off: d.off}
		if kind <= secOptim && kind != 0 {
			if seen[kind] {
				return nil, errorf(ErrArchitecture, "section %d appears twice", kind)
			}
			seen[kind] = true
		}
		switch kind {
		case secArch:
			decodeArch(p, m)
		case secWeights:
			if !seen[secArch] {
				return nil, errorf(ErrArchitecture, "weights section before architecture section")
			}
			decodeWeights(p, m)
		case secMeta:
			m.meta = decodeMeta(p)
		case secOptim:
			m.optim = decodeOptim(p)
		default:
			if flags&flagCritical != 0 {
				return nil, errorf(ErrVersion, "model file needs section kind %d, unknown to this reader", kind)
			}
			p.off = len(p.b)
		}
		if p.err != nil {
			return nil, p.err
		}
		if p.off != len(p.b) {
			return nil, errorf(ErrArchitecture, "section %d has %d unread bytes", kind, len(p.b)-p.off)
		}
		d.off = p.off
		d.skipPad()
	}
	if d.err != nil {
		return nil, d.err
	}
	if !seen[secArch] || !seen[secWeights] {
		return nil, errorf(ErrArchitecture, "model file lacks its architecture or weights section")
	}
	return m, nil
}

func decodeArch(d *decoder, m *model) {
	start := d.off
	m.inputs = d.u32("input size")
	n := d.u32("layer count")
	m.loss = d.u8("loss")
	m.targets = d.u8("target encoding")
	d.take(6, "reserved")
	m.seed = d.u64("seed")
	if d.err != nil {
		return
	}
	if want := archFixed + uint64(n)*layerBytes; want != uint64(len(d.b)-start) {
		d.fail(errorf(ErrArchitecture, "%d layer records need a section of %d bytes, it has %d", n, want, len(d.b)-start))
		return
	}
	m.layers = make([]modelLayer, n)
	for i := range m.layers {
		l := &m.layers[i]
		l.kind = d.u8("layer kind")
		l.act = d.u8("activation")
		l.init = d.u8("initialiser")
		d.u8("reserved")
		l.units = d.u32("units")
		l.alpha = d.f32("alpha")
		l.rate = d.f32("dropout rate")
		l.l1 = d.f32("L1")
		l.l2 = d.f32("L2")
		l.initA = d.f32("initialiser A")
		l.initB = d.f32("initialiser B")
	}
}

// weightsSize returns the payload length that the architecture implies
// for encoding enc, or false when it passes maxFileSize. Every array is
// padded, so the total stays a multiple of align.
func weightsSize(enc uint8, in, out []int) (int, bool) {
	per := uint64(4)
	switch enc {
	case encFloat16:
		per = 2
	case encInt8:
		per = 1
	}
	pad := func(x uint64) uint64 { return (x + align - 1) &^ (align - 1) }
	size := uint64(weightsHdr)
	for k := range in {
		// in and out are at most maxFileSize, so no product overflows
		n := uint64(in[k]) * uint64(out[k])
		if n > maxFileSize {
			return 0, false
		}
		size += pad(per*n) + pad(4*uint64(out[k]))
		if enc == encInt8 {
			size += pad(4 * uint64(out[k]))
		}
		if size > maxFileSize {
			return 0, false
		}
	}
	return int(size), true
}

func decodeWeights(d *decoder, m *model) {
	start := d.off
	enc := d.u32("weight encoding")
	count := d.u32("dense layer count")
	d.take(8, "reserved")
	if d.err != nil {
		return
	}
	if enc > encInt8 {
		d.fail(errorf(ErrVersion, "weight encoding %d unknown to this reader", enc))
		return
	}
	m.enc = uint8(enc)
	if err := m.checkShapes(); err != nil {
		d.fail(err)
		return
	}
	in, out := m.denseShapes()
	if int(count) != len(in) {
		d.fail(errorf(ErrArchitecture, "weights for %d dense layers, architecture has %d", count, len(in)))
		return
	}

	// the whole payload size follows from the architecture; compare it
	// before allocating anything
	want, ok := weightsSize(m.enc, in, out)
	if have := len(d.b) - start; !ok || want != have {
		d.fail(errorf(ErrArchitecture, "weights section has %d bytes, architecture needs %d", have, want))
		return
	}

	// record where each array lies; the values are checked as they are
	// decoded straight into the network's parameters (decodeParams)
	m.stored = make([]storedParams, len(in))
	for k := range in {
		n, p := in[k]*out[k], &m.stored[k]
		m.total += n + out[k]
		switch m.enc {
		case encFloat32:
			p.wAt = d.off
			p.w = d.take(4*n, "weights")
		case encFloat16:
			p.wAt = d.off
			p.w = d.take(2*n, "weights")
		case encInt8:
			p.scale = d.f32s(out[k], "scales")
			for j, v := range p.scale {
				// 127·scale must stay finite
				if math.Abs(float64(v)) > math.MaxFloat32/127 {
					d.fail(errorf(ErrNonFinite, "dense layer %d: int8 scale %d is %v, weights would overflow", k, j, v))
				}
			}
			d.skipPad()
			p.wAt = d.off
			p.w = d.take(n, "weights")
		}
		d.skipPad()
		p.bAt = d.off
		p.b = d.take(4*out[k], "biases")
		d.skipPad()
		if d.err != nil {
			return
		}
	}
}

// decodeParams decodes the stored weights into dst, which has m.total
// values and the layout of Network.params: each dense layer's W, then b.
// The arrays' bytes go through v on the way, so v must not have summed
// past the first of them. It fails on the first value that is not finite.
func (m *model) decodeParams(dst []float32, v *verifier) error {
	off := 0
	for k, p := range m.stored {
		var ok bool
		switch m.enc {
		case encFloat32:
			w := dst[off : off+len(p.w)/4]
			ok = v.inChunks(p.wAt, len(w), 4, func(i, j int) bool {
				decodeF32(w[i:j], p.w[4*i:4*j])
				return simd.Finite(w[i:j])
			})
			off += len(w)
		case encFloat16:
			w := dst[off : off+len(p.w)/2]
			ok = v.inChunks(p.wAt, len(w), 2, func(i, j int) bool {
				for t := i; t < j; t++ {
					w[t] = f16ToF32(binary.LittleEndian.Uint16(p.w[2*t:]))
				}
				return simd.Finite(w[i:j])
			})
			off += len(w)
		case encInt8:
			// 127·scale is finite (decodeWeights), and so is every weight
			w, out := dst[off:off+len(p.w)], len(p.scale)
			ok = v.inChunks(p.wAt, len(w), 1, func(i, j int) bool {
				for t := i; t < j; t++ {
					w[t] = float32(int8(p.w[t])) * p.scale[t%out]
				}
				return true
			})
			off += len(w)
		}
		if !ok {
			return errorf(ErrNonFinite, "dense layer %d: a weight is not finite", k)
		}
		b := dst[off : off+len(p.b)/4]
		if !v.inChunks(p.bAt, len(b), 4, func(i, j int) bool {
			decodeF32(b[i:j], p.b[4*i:4*j])
			return simd.Finite(b[i:j])
		}) {
			return errorf(ErrNonFinite, "dense layer %d: a bias is not finite", k)
		}
		off += len(b)
	}
	return nil
}

// checkShapes rejects layer records that cannot describe a network: the
// sizes must be positive and their products must fit the file limit.
func (m *model) checkShapes() error {
	if m.inputs == 0 || m.inputs > maxFileSize {
		return errorf(ErrArchitecture, "input size %d", m.inputs)
	}
	dense := 0
	for i, l := range m.layers {
		switch l.kind {
		case layerDense:
			if l.units == 0 || l.units > maxFileSize {
				return errorf(ErrArchitecture, "layer %d: %d units", i, l.units)
			}
			dense++
		case layerDropout:
		default:
			return errorf(ErrArchitecture, "layer %d: unknown layer kind %d", i, l.kind)
		}
	}
	if dense == 0 {
		return errorf(ErrArchitecture, "architecture has no dense layer")
	}
	return nil
}

func decodeMeta(d *decoder) *modelMeta {
	mm := &modelMeta{}
	n := d.count(8, "metadata entries")
	for range n {
		mm.keys = append(mm.keys, d.str("metadata key"))
		mm.values = append(mm.values, d.str("metadata value"))
	}
	n = d.count(4, "class names")
	for range n {
		mm.classes = append(mm.classes, d.str("class name"))
	}
	n = d.count(8, "scaler columns")
	mm.mean = d.f32s(n, "scaler means")
	mm.std = d.f32s(n, "scaler deviations")
	return mm
}

func decodeOptim(d *decoder) *modelOptim {
	o := &modelOptim{kind: d.u8("optimiser kind")}
	d.take(3, "reserved")
	for _, p := range []*float32{&o.lr, &o.mu, &o.beta1, &o.beta2, &o.rho, &o.eps} {
		*p = d.f32("optimiser setting")
	}
	d.u32("reserved")
	o.step = d.u64("step count")
	o.epochs = d.u64("epoch count")
	rngLen := d.u32("RNG state length")
	n := d.count(tensorHdr, "optimiser tensors")
	o.rng = append([]byte(nil), d.take(int(min(rngLen, math.MaxInt32)), "RNG state")...)
	d.skipPad()
	for range n {
		size := d.u64("tensor length")
		d.take(8, "reserved")
		if d.err == nil && size > uint64(len(d.b)-d.off)/4 {
			d.fail(errorf(ErrTruncated, "optimiser tensor of %d values does not fit in %d bytes", size, len(d.b)-d.off))
		}
		o.tensors = append(o.tensors, d.f32s(int(size), "optimiser tensor"))
		d.skipPad()
	}
	return o
}
