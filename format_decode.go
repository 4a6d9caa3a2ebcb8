package nn

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"unsafe"

	"github.com/nnrt/nn/simd"
)

// Reading model files. A file is read once, front to back: its checksum is
// summed on the way, and the weight arrays go straight into the network's
// parameters in cache-sized pieces, each checked for non-finite values
// while it is still in cache. No count or size is used before it is
// compared with the bytes present, and nothing read is handed out before
// the checksum over the whole file matches.

// decoder reads a payload. The first short read or bad value sets err and
// turns every later read into a no-op returning zero, so that a parser can
// read a whole record and check once.
type decoder struct {
	b    []byte
	off  int
	base int // file offset of b[0], for alignment and messages
	err  error
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
		d.fail(errorf(ErrTruncated, "%s needs %d bytes at offset %d, %d remain", what, n, d.base+d.off, len(d.b)-d.off))
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
	v := make([]float32, n)
	decodeF32(v, p)
	if !simd.Finite(v) {
		d.fail(errorf(ErrNonFinite, "%s at offset %d: a value is not finite", what, d.base+d.off-len(p)))
		return nil
	}
	return v
}

// skipPad skips to the next multiple of align from the file start.
func (d *decoder) skipPad() { d.take(padTo(d.base+d.off)-(d.base+d.off), "padding") }

// finish returns the decoder's error, or reports bytes of section kind's
// payload left unread as one.
func (d *decoder) finish(kind uint32) error {
	if d.err == nil && d.off != len(d.b) {
		d.fail(errorf(ErrArchitecture, "section %d has %d unread bytes", kind, len(d.b)-d.off))
	}
	return d.err
}

// verifyChunk is how many bytes of an array are read and checked at a
// time: few enough to stay in cache between the two.
const verifyChunk = 32 << 10

// source hands out the bytes of one model file in order and sums them into
// the checksum. A file in memory is sliced; a stream is read, and holds at
// least the whole file (the caller has made sure, so that sizes checked
// against the file length are safe to allocate).
type source struct {
	data    []byte    // the whole file, when it is in memory
	r       io.Reader // otherwise the stream, positioned at off
	scratch []byte    // stream: the buffer of the latest piece read
	off     int       // file offset of the next byte
	end     int       // offset of the trailer
	crc     uint32
	err     error // the first read failure; later reads return nil
	fault   error // the first request past the trailer, a parse error

	inPlace bool // the caller lends data: use float32 weights where they lie
	lent    bool // the weights being read are used in place
}

// failure returns the read failure or parse error that stopped reading.
func (s *source) failure() error {
	if s.err != nil {
		return s.err
	}
	return s.fault
}

// newSource starts reading a file of size bytes after its header, which is
// head; exactly one of data (the whole file) and r (the rest) is set.
func newSource(head []byte, size int, data []byte, r io.Reader) *source {
	return &source{data: data, r: r, off: headerSize, end: size - trailerSize, crc: simd.CRC32C(0, head[:headerSize])}
}

// fill reads len(p) bytes of the stream into p and sums them.
func (s *source) fill(p []byte) bool {
	if len(p) > s.end-s.off {
		return s.next(len(p)) != nil // refused, as a parse error
	}
	if _, err := io.ReadFull(s.r, p); err != nil {
		s.err = readError(err, s.end+trailerSize)
		return false
	}
	s.off += len(p)
	s.crc = simd.CRC32C(s.crc, p)
	return true
}

// next returns the following n bytes, summed, or nil when reading failed
// or n runs past the sections.
// From a stream they are valid until the next call.
func (s *source) next(n int) []byte {
	switch {
	case s.err != nil:
		return nil
	case n < 0 || n > s.end-s.off:
		if s.fault == nil {
			s.fault = errorf(ErrTruncated, "%d bytes wanted at offset %d, the sections end at %d", n, s.off, s.end)
		}
		return nil
	case s.data != nil:
		p := s.data[s.off : s.off+n]
		s.off += n
		s.crc = simd.CRC32C(s.crc, p)
		return p
	}
	if cap(s.scratch) < n {
		s.scratch = make([]byte, n)
	}
	p := s.scratch[:n]
	if !s.fill(p) {
		return nil
	}
	return p
}

// skip passes over n bytes, summing them.
func (s *source) skip(n int) {
	for n > 0 {
		k := min(n, verifyChunk)
		if s.next(k) == nil {
			return
		}
		n -= k
	}
}

// pad skips to the next multiple of align.
func (s *source) pad() { s.skip(padTo(s.off) - s.off) }

// decoder returns a decoder over the next n bytes.
func (s *source) decoder(n int) *decoder {
	at := s.off
	p := s.next(n)
	if p == nil && n != 0 {
		return &decoder{base: at, err: s.failure()}
	}
	return &decoder{b: p, base: at}
}

// lend returns the float32 arrays of the dense layers of the given shapes,
// which come next, where they lie in data, or nil unless the caller lends
// data and they lie as Network.params does: little-endian on a
// little-endian machine, 4-byte aligned, and back to back, which they are
// when no array but the last bias needs padding.
func (s *source) lend(in, out []int) []float32 {
	if !s.inPlace || s.data == nil || !littleEndianHost || uintptr(unsafe.Pointer(&s.data[0]))%4 != 0 {
		return nil
	}
	total := 0
	for k := range in {
		if in[k]*out[k]%(align/4) != 0 || k < len(in)-1 && out[k]%(align/4) != 0 {
			return nil
		}
		total += in[k]*out[k] + out[k]
	}
	s.lent = true
	return unsafe.Slice((*float32)(unsafe.Pointer(&s.data[s.off])), total)
}

// floats reads len(dst) little-endian float32 values into dst and reports
// whether every one is finite. A little-endian machine reads a stream
// straight into dst; weights used in place (lend) are only checked.
func (s *source) floats(dst []float32) bool {
	for i := 0; i < len(dst); i += verifyChunk / 4 {
		w := dst[i:min(len(dst), i+verifyChunk/4)]
		if s.lent {
			if s.next(4*len(w)) == nil {
				return true
			}
		} else if s.data == nil && littleEndianHost {
			if !s.fill(unsafe.Slice((*byte)(unsafe.Pointer(&w[0])), 4*len(w))) {
				return true
			}
		} else {
			p := s.next(4 * len(w))
			if p == nil {
				return true
			}
			decodeF32(w, p)
		}
		if !simd.Finite(w) {
			return false
		}
	}
	return true
}

// halves reads len(dst) little-endian float16 values into dst and reports
// whether every one is finite.
func (s *source) halves(dst []float32) bool {
	for i := 0; i < len(dst); i += verifyChunk / 2 {
		w := dst[i:min(len(dst), i+verifyChunk/2)]
		p := s.next(2 * len(w))
		if p == nil {
			return true
		}
		for t := range w {
			w[t] = f16ToF32(binary.LittleEndian.Uint16(p[2*t:]))
		}
		if !simd.Finite(w) {
			return false
		}
	}
	return true
}

// int8s reads len(dst) int8 weights into dst, each times the scale of its
// unit (dst is in×out row-major and scale has out values), and reports
// whether every product is finite: a finite scale times -128 or 127 may
// overflow.
func (s *source) int8s(dst, scale []float32) bool {
	for i := 0; i < len(dst); i += verifyChunk {
		w := dst[i:min(len(dst), i+verifyChunk)]
		p := s.next(len(w))
		if p == nil {
			return true
		}
		j := i % len(scale)
		for t, q := range p {
			w[t] = float32(int8(q)) * scale[j]
			if j++; j == len(scale) {
				j = 0
			}
		}
		if !simd.Finite(w) {
			return false
		}
	}
	return true
}

// decodeFile reads the rest of a model file from s and returns its model.
// Whatever else is wrong with a file whose checksum fails, it is reported
// as damaged; so after an error in the sections the rest of the file is
// still read and summed.
func decodeFile(s *source) (*model, error) {
	m, err := decodeSections(s)
	if cerr := s.finish(); cerr != nil {
		return nil, cerr
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// finish sums the rest of the sections and compares the checksum with the
// trailer's; it returns a read failure first.
func (s *source) finish() error {
	s.skip(s.end - s.off)
	var sum []byte
	if s.data != nil {
		sum = s.data[s.end:]
	} else if s.err == nil {
		sum = make([]byte, trailerSize)
		if _, rerr := io.ReadFull(s.r, sum); rerr != nil {
			s.err = readError(rerr, s.end+trailerSize)
		}
	}
	if s.err != nil {
		return s.err
	}
	if want := binary.LittleEndian.Uint32(sum); s.crc != want {
		return errorf(ErrChecksum, "model file checksum is %08x, stored %08x", s.crc, want)
	}
	return nil
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

// decodeSections parses the sections between header and trailer.
func decodeSections(s *source) (*model, error) {
	m := &model{}
	var seen [secOptim + 1]bool
	for s.off < s.end {
		h := s.decoder(sectionHeader)
		kind := h.u32("section kind")
		flags := h.u32("section flags")
		size := h.u64("section length")
		if h.err != nil {
			return nil, h.err
		}
		if size > uint64(s.end-s.off) {
			return nil, errorf(ErrTruncated, "section %d at offset %d claims %d bytes, %d remain", kind, s.off-sectionHeader, size, s.end-s.off)
		}
		if kind <= secOptim && kind != 0 {
			if seen[kind] {
				return nil, errorf(ErrArchitecture, "section %d appears twice", kind)
			}
			seen[kind] = true
		}
		var err error
		switch kind {
		case secArch:
			d := s.decoder(int(size))
			decodeArch(d, m)
			err = d.finish(kind)
		case secWeights:
			if !seen[secArch] {
				return nil, errorf(ErrArchitecture, "weights section before architecture section")
			}
			err = decodeWeights(s, m, int(size))
		case secMeta, secOptim:
			// the payload and what it decodes to: on 32-bit machines
			// that must fit the memory budget
			if err := reserve("a model file section", 2*int64(size)); err != nil {
				return nil, err
			}
			d := s.decoder(int(size))
			if kind == secMeta {
				outputs := 0
				if _, out := m.denseShapes(); len(out) > 0 {
					outputs = out[len(out)-1]
				}
				m.meta = decodeMeta(d, outputs)
			} else {
				m.optim = decodeOptim(d)
			}
			err = d.finish(kind)
		default:
			if flags&flagCritical != 0 {
				return nil, errorf(ErrVersion, "model file needs section kind %d, unknown to this reader", kind)
			}
			s.skip(int(size))
		}
		if err != nil {
			return nil, err
		}
		s.pad()
		if err := s.failure(); err != nil {
			return nil, err
		}
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

// decodeWeights reads the weights section of size bytes into m.flat, the
// layout of Network.params: each dense layer's W, then b.
func decodeWeights(s *source, m *model, size int) error {
	d := s.decoder(weightsHdr)
	enc := d.u32("weight encoding")
	count := d.u32("dense layer count")
	d.take(8, "reserved")
	if d.err != nil {
		return d.err
	}
	if enc > encInt8 {
		return errorf(ErrVersion, "weight encoding %d unknown to this reader", enc)
	}
	m.enc = uint8(enc)
	if err := m.checkShapes(); err != nil {
		return err
	}
	in, out := m.denseShapes()
	if int(count) != len(in) {
		return errorf(ErrArchitecture, "weights for %d dense layers, architecture has %d", count, len(in))
	}

	// the whole payload size follows from the architecture; compare it
	// before allocating anything
	if want, ok := weightsSize(m.enc, in, out); !ok || want != size {
		return errorf(ErrArchitecture, "weights section has %d bytes, architecture needs %d", size, want)
	}
	// New checks the same limit, but the parameters are allocated here
	total := 0
	for k := range in {
		if total += in[k]*out[k] + out[k]; total > maxParams {
			return errorf(ErrArchitecture, "dense layer %d (%d->%d): too many weights: a network holds at most %d parameters on this platform", k, in[k], out[k], maxParams)
		}
	}
	if m.enc == encFloat32 {
		m.flat = s.lend(in, out)
	}
	if m.flat == nil {
		if err := reserve("the weights of a model file", 4*int64(total)); err != nil {
			return err
		}
		m.flat = make([]float32, total)
	}
	m.lent = s.lent

	flat := m.flat
	for k := range in {
		w, b := flat[:in[k]*out[k]], flat[in[k]*out[k]:in[k]*out[k]+out[k]]
		flat = flat[len(w)+len(b):]
		m.params = append(m.params, denseParams{w: w, b: b})
		ok := true
		switch m.enc {
		case encFloat32:
			ok = s.floats(w)
		case encFloat16:
			ok = s.halves(w)
		case encInt8:
			sd := s.decoder(4 * out[k])
			scale := sd.f32s(out[k], "scales")
			if sd.err != nil {
				return sd.err
			}
			s.pad()
			ok = s.int8s(w, scale)
		}
		s.pad()
		if !ok {
			return errorf(ErrNonFinite, "dense layer %d: a weight is not finite", k)
		}
		if !s.floats(b) {
			return errorf(ErrNonFinite, "dense layer %d: a bias is not finite", k)
		}
		s.pad()
	}
	return s.failure()
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

// maxMetaEntries bounds the metadata entries of a file, each of which
// costs far more memory as Go strings in a map than its 8 bytes in a file.
const maxMetaEntries = 1 << 16

// decodeMeta reads a metadata section of a network with the given number of
// outputs, or 0 if the architecture is not known yet.
func decodeMeta(d *decoder, outputs int) *modelMeta {
	mm := &modelMeta{}
	n := d.count(8, "metadata entries")
	if n > maxMetaEntries {
		d.fail(errorf(ErrArchitecture, "%d metadata entries, at most %d are allowed", n, maxMetaEntries))
		return mm
	}
	mm.keys, mm.values = make([]string, 0, n), make([]string, 0, n)
	for range n {
		mm.keys = append(mm.keys, d.str("metadata key"))
		mm.values = append(mm.values, d.str("metadata value"))
	}
	// there are no class names, one per output, or two for one output
	// (checkClassNames); count them before building any
	n = d.count(4, "class names")
	fits := n == outputs || n == 2 && outputs == 1 || outputs == 0 && n <= maxMetaEntries
	if n != 0 && !fits {
		d.fail(errorf(ErrArchitecture, "%d class names for %d outputs", n, outputs))
		return mm
	}
	if n > 0 {
		mm.classes = make([]string, 0, n)
	}
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
