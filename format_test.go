package nn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"testing"

	"github.com/nnrt/nn/simd"
)

// sampleModel returns a 3-5-(dropout)-2 model in file codes with every
// optional part filled.
func sampleModel(enc uint8) *model {
	rng := rand.New(rand.NewPCG(7, 8))
	m := &model{
		inputs: 3, loss: 2, seed: 42, enc: enc,
		layers: []modelLayer{
			{kind: layerDense, act: 5, init: 6, units: 5, l2: 1e-4},
			{kind: layerDropout, rate: 0.25},
			{kind: layerDense, act: 7, init: 4, units: 2, l1: 1e-3},
		},
		meta: &modelMeta{
			keys: []string{"author", ""}, values: []string{"nn", "empty key"},
			classes: []string{"cat", "dog"},
			mean:    []float32{1, 2, 3}, std: []float32{0.5, 1, 2},
		},
		optim: &modelOptim{kind: 3, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8,
			step: 17, epochs: 3, rng: []byte{1, 2, 3, 4, 5}},
	}
	in, out := m.denseShapes()
	for k := range in {
		p := denseParams{w: make([]float32, in[k]*out[k]), b: make([]float32, out[k])}
		for i := range p.w {
			p.w[i] = float32(rng.NormFloat64())
		}
		for i := range p.b {
			p.b[i] = float32(rng.NormFloat64())
		}
		m.params = append(m.params, p)
		m.optim.tensors = append(m.optim.tensors, append([]float32(nil), p.w...), append([]float32(nil), p.b...))
	}
	return m
}

// decode is unmarshal short of building a network: it checks and parses
// data into a model.
func decode(data []byte) (*model, error) {
	s, err := frame(data)
	if err != nil {
		return nil, err
	}
	return decodeFile(s)
}

// refile rebuilds a file from a body whose sections were edited: it fixes
// the length field and the checksum.
func refile(body []byte) []byte {
	b := append([]byte(nil), body...)
	binary.LittleEndian.PutUint64(b[8:], uint64(len(b)+trailerSize))
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
}

// withSection returns file with one more section appended.
func withSection(file []byte, kind, flags uint32, payload []byte) []byte {
	body := append([]byte(nil), file[:len(file)-trailerSize]...)
	body = binary.LittleEndian.AppendUint32(body, kind)
	body = binary.LittleEndian.AppendUint32(body, flags)
	body = binary.LittleEndian.AppendUint64(body, uint64(len(payload)))
	body = append(body, payload...)
	body = append(body, make([]byte, padTo(len(body))-len(body))...)
	return refile(body)
}

func TestFormatRoundTrip(t *testing.T) {
	for _, enc := range []uint8{encFloat32, encFloat16, encInt8} {
		m := sampleModel(enc)
		b := encode(m)
		if len(b)%align != trailerSize {
			t.Errorf("enc %d: length %d is not a multiple of %d plus the trailer", enc, len(b), align)
		}
		got, err := decode(b)
		if err != nil {
			t.Fatalf("enc %d: %v", enc, err)
		}
		// weights come back exact in float32 and within the
		// encoding's step otherwise; everything else is exact
		for k := range m.params {
			for i, w := range m.params[k].w {
				g := got.params[k].w[i]
				tol := map[uint8]float64{encFloat32: 0, encFloat16: math.Abs(float64(w)) / 1024, encInt8: 4.0 / 127 / 2}[enc]
				if math.Abs(float64(g-w)) > tol {
					t.Errorf("enc %d: layer %d weight %d = %g, want %g ± %g", enc, k, i, g, w, tol)
				}
			}
			if !reflect.DeepEqual(got.params[k].b, m.params[k].b) {
				t.Errorf("enc %d: layer %d biases %v, want %v", enc, k, got.params[k].b, m.params[k].b)
			}
		}
		got.params, m.params, got.flat = nil, nil, nil
		if !reflect.DeepEqual(got, m) {
			t.Errorf("enc %d: decoded\n%+v\nwant\n%+v", enc, got, m)
		}
	}
}

// Weight arrays start at multiples of 16 bytes from the file start, so a
// reader can map them in place.
func TestFormatAlignment(t *testing.T) {
	m := sampleModel(encFloat32)
	b := encode(m)
	w := m.params[0].w
	first := binary.LittleEndian.AppendUint32(nil, math.Float32bits(w[0]))
	at := bytes.Index(b, first)
	if at < 0 || at%align != 0 {
		t.Fatalf("first weight at offset %d, want a multiple of %d", at, align)
	}
	for i, x := range w {
		if got := math.Float32frombits(binary.LittleEndian.Uint32(b[at+4*i:])); got != x {
			t.Fatalf("weight %d at offset %d is %g, want %g", i, at+4*i, got, x)
		}
	}
}

func TestFormatEveryPrefixFails(t *testing.T) {
	for _, enc := range []uint8{encFloat32, encFloat16, encInt8} {
		b := encode(sampleModel(enc))
		for n := 0; n < len(b); n++ {
			_, err := decode(b[:n])
			if !errors.Is(err, ErrTruncated) {
				t.Fatalf("enc %d: prefix of %d/%d bytes: got %v, want ErrTruncated", enc, n, len(b), err)
			}
		}
	}
}

func TestFormatEveryByteFlipFails(t *testing.T) {
	b := encode(sampleModel(encInt8))
	for i := range b {
		for _, bit := range []byte{0x01, 0x80} {
			c := bytes.Clone(b)
			c[i] ^= bit
			_, err := decode(c)
			if err == nil {
				t.Fatalf("flipping bit %#x of byte %d loads without error", bit, i)
			}
			if !errors.Is(err, ErrChecksum) && !errors.Is(err, ErrBadMagic) && !errors.Is(err, ErrVersion) &&
				!errors.Is(err, ErrTruncated) && !errors.Is(err, ErrTrailingData) {
				t.Fatalf("flipping bit %#x of byte %d: untyped error %v", bit, i, err)
			}
			if i >= headerSize && !errors.Is(err, ErrChecksum) {
				t.Fatalf("flipping bit %#x of byte %d: got %v, want ErrChecksum", bit, i, err)
			}
		}
	}
}

func TestFormatHeaderErrors(t *testing.T) {
	good := encode(sampleModel(encFloat32))
	edit := func(f func(b []byte)) []byte {
		b := bytes.Clone(good)
		f(b)
		return b
	}
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"magic prefix", good[:2], ErrTruncated},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), ErrBadMagic},
		{"text", []byte("hello"), ErrBadMagic},
		{"one wrong byte", []byte{0x89, 'N', 'X'}, ErrBadMagic},
		{"version 2", edit(func(b []byte) { b[4] = 2 }), ErrVersion},
		{"version 0", edit(func(b []byte) { b[4] = 0 }), ErrVersion},
		{"huge length", edit(func(b []byte) { binary.LittleEndian.PutUint64(b[8:], 1e12) }), ErrTruncated},
		{"length too small", edit(func(b []byte) { binary.LittleEndian.PutUint64(b[8:], 8) }), ErrTruncated},
		// the model its length declares is damaged, which is reported before
		// the bytes that follow it
		{"length short by 16", edit(func(b []byte) { binary.LittleEndian.PutUint64(b[8:], uint64(len(b)-16)) }), ErrChecksum},
		{"trailing byte", append(bytes.Clone(good), 0), ErrTrailingData},
		{"checksum", edit(func(b []byte) { b[len(b)-1] ^= 1 }), ErrChecksum},
	}
	for _, c := range cases {
		_, err := decode(c.data)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

func TestFormatUnknownSections(t *testing.T) {
	m := sampleModel(encFloat16)
	good := encode(m)

	// an unknown optional section is skipped
	b := withSection(good, 99, 0, []byte("from a later version"))
	got, err := decode(b)
	if err != nil {
		t.Fatalf("unknown optional section: %v", err)
	}
	if !reflect.DeepEqual(got, mustDecode(t, good)) {
		t.Errorf("unknown optional section changed the model")
	}

	// an unknown critical one is refused
	b = withSection(good, 99, flagCritical, []byte{1})
	if _, err := decode(b); !errors.Is(err, ErrVersion) {
		t.Errorf("unknown critical section: got %v, want ErrVersion", err)
	}

	// a known section twice is refused
	b = withSection(good, secMeta, flagCritical, make([]byte, 12))
	if _, err := decode(b); !errors.Is(err, ErrArchitecture) {
		t.Errorf("duplicate metadata: got %v, want ErrArchitecture", err)
	}
}

func mustDecode(t *testing.T, b []byte) *model {
	t.Helper()
	m, err := decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A file whose checksum is right but whose architecture claims far more
// weights than it holds is refused before anything is allocated for them.
func TestFormatAbsurdSizes(t *testing.T) {
	tiny := &model{inputs: 1, layers: []modelLayer{{kind: layerDense, units: 1}},
		params: []denseParams{{w: []float32{1.5}, b: []float32{-2}}}}
	b := encode(tiny)
	arch := bytes.Index(b, binary.LittleEndian.AppendUint32([]byte{secArch, 0, 0, 0, flagCritical, 0, 0, 0}, archFixed+layerBytes))
	if arch < 0 {
		t.Fatal("architecture section not found")
	}
	payload := arch + sectionHeader
	cases := []struct {
		name string
		edit func(b []byte)
		want error
	}{
		// 10^6 inputs × 10^6 units = 10^12 weights in a file of ~100 bytes
		{"10^12 weights", func(b []byte) {
			binary.LittleEndian.PutUint32(b[payload:], 1e6)
			binary.LittleEndian.PutUint32(b[payload+archFixed+4:], 1e6)
		}, ErrArchitecture},
		{"2^32-1 units", func(b []byte) { binary.LittleEndian.PutUint32(b[payload+archFixed+4:], math.MaxUint32) }, ErrArchitecture},
		{"zero inputs", func(b []byte) { binary.LittleEndian.PutUint32(b[payload:], 0) }, ErrArchitecture},
		{"zero units", func(b []byte) { binary.LittleEndian.PutUint32(b[payload+archFixed+4:], 0) }, ErrArchitecture},
		{"2^32-1 layers", func(b []byte) { binary.LittleEndian.PutUint32(b[payload+4:], math.MaxUint32) }, ErrArchitecture},
		{"layer kind 9", func(b []byte) { b[payload+archFixed] = 9 }, ErrArchitecture},
		{"section of 2^63 bytes", func(b []byte) { binary.LittleEndian.PutUint64(b[arch+8:], 1<<63) }, ErrTruncated},
	}
	for _, c := range cases {
		e := bytes.Clone(b)
		c.edit(e)
		e = refile(e[:len(e)-trailerSize])
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := decode(e)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
		// the model record and the error message, nothing for the claim
		if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
			t.Errorf("%s: %d bytes allocated", c.name, n)
		}
	}
}

// Counts inside metadata and optimiser sections are checked against the
// bytes left before anything is allocated for them.
func TestFormatAbsurdCounts(t *testing.T) {
	m := sampleModel(encFloat32)
	m.optim = nil
	m.meta = &modelMeta{}
	b := encode(m)
	meta := bytes.Index(b, binary.LittleEndian.AppendUint32([]byte{secMeta, 0, 0, 0, flagCritical, 0, 0, 0}, 12))
	if meta < 0 {
		t.Fatal("metadata section not found")
	}
	for _, at := range []int{0, 4, 8} {
		e := bytes.Clone(b)
		binary.LittleEndian.PutUint32(e[meta+sectionHeader+at:], math.MaxUint32)
		e = refile(e[:len(e)-trailerSize])
		if _, err := decode(e); !errors.Is(err, ErrTruncated) {
			t.Errorf("metadata count at %d set to 2^32-1: got %v, want ErrTruncated", at, err)
		}
	}
}

// BenchmarkLoad compares loading a float32 model of about N MB with a
// plain copy of the same bytes, with a copy into fresh memory (which any
// load that returns weights of its own must also pay for) and with the
// CRC-32C of the bytes alone. impl=in-place is LoadInPlace, which uses the
// weights where they lie; impl=loadfile reads the model from a file, as
// impl=readfile (os.ReadFile) reads its bytes.
func BenchmarkLoad(b *testing.B) {
	for _, units := range []int{512, 2048} {
		n, err := New(Input(units), Dense(units, Identity))
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := n.Save(&buf); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		size := "size=" + strconv.Itoa(len(data)>>20) + "MB"

		b.Run(size+"/impl=copy", func(b *testing.B) {
			dst := make([]byte, len(data))
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				copy(dst, data)
			}
		})
		b.Run(size+"/impl=alloc-copy", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				dst := make([]byte, len(data))
				copy(dst, data)
			}
		})
		b.Run(size+"/impl=crc32c", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				simd.CRC32C(0, data)
			}
		})
		b.Run(size+"/impl=unmarshal", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var m Network
				if err := m.UnmarshalBinary(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(size+"/impl=in-place", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := LoadInPlace(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		path := filepath.Join(b.TempDir(), "model.nnm")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(size+"/impl=readfile", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := os.ReadFile(path); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(size+"/impl=loadfile", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := LoadFile(path); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(size+"/impl=load", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Load(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(size+"/impl=load-unknown-length", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Load(struct{ io.Reader }{bytes.NewReader(data)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Values that decode to infinities are refused even under a right
// checksum: a NaN bias, an infinite float16 weight, an int8 scale whose
// product with 127 overflows.
func TestFormatNonFiniteValues(t *testing.T) {
	m := &model{inputs: 1, layers: []modelLayer{{kind: layerDense, units: 1, init: uint8(InitZeros)}},
		params: []denseParams{{w: []float32{1.5}, b: []float32{-2}}}}
	cases := []struct {
		name string
		enc  uint8
		at   int // file offset of the value to replace
		v    []byte
	}{
		{"NaN bias", encFloat32, 144, binary.LittleEndian.AppendUint32(nil, 0x7fc00000)},
		{"infinite weight", encFloat32, 128, binary.LittleEndian.AppendUint32(nil, 0x7f800000)},
		{"float16 infinity", encFloat16, 128, []byte{0x00, 0x7c}},
		{"int8 scale 1e38", encInt8, 128, binary.LittleEndian.AppendUint32(nil, math.Float32bits(1e38))},
	}
	for _, c := range cases {
		m.enc = c.enc
		b := encode(m)
		copy(b[c.at:], c.v)
		b = refile(b[:len(b)-trailerSize])
		if _, err := decode(b); !errors.Is(err, ErrNonFinite) {
			t.Errorf("%s: got %v, want ErrNonFinite", c.name, err)
		}
		// and so does loading
		if _, err := unmarshal(b); !errors.Is(err, ErrNonFinite) {
			t.Errorf("%s: unmarshal gives %v, want ErrNonFinite", c.name, err)
		}
	}
}

// Metadata costs far more as Go strings than as file bytes, so the entries
// are bounded, and class names are counted against the outputs before any
// is built.
func TestFormatMetadataBounds(t *testing.T) {
	base := func() *model {
		m := sampleModel(encFloat32)
		m.optim = nil
		m.meta = &modelMeta{}
		return m
	}
	m := base()
	for i := range maxMetaEntries + 1 {
		m.meta.keys = append(m.meta.keys, strconv.Itoa(i))
		m.meta.values = append(m.meta.values, "")
	}
	if _, err := decode(encode(m)); !errors.Is(err, ErrArchitecture) {
		t.Errorf("%d metadata entries: got %v, want ErrArchitecture", maxMetaEntries+1, err)
	}
	m.meta.keys, m.meta.values = m.meta.keys[:maxMetaEntries], m.meta.values[:maxMetaEntries]
	if got, err := decode(encode(m)); err != nil || len(got.meta.keys) != maxMetaEntries {
		t.Errorf("%d metadata entries: %v", maxMetaEntries, err)
	}

	m = base()
	m.meta.classes = make([]string, 1<<20) // the network has 2 outputs
	b := encode(m)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := decode(b)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrArchitecture) {
		t.Errorf("a million class names for 2 outputs: got %v, want ErrArchitecture", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > uint64(len(b)) {
		t.Errorf("refusing %d class names allocated %d bytes for a %d-byte file", 1<<20, n, len(b))
	}
}

// Optimiser settings that the kind does not use are still kept and saved
// again, so a non-finite one is refused like any other.
func TestFormatOptimiserSettingsFinite(t *testing.T) {
	for i, field := range []string{"lr", "mu", "beta1", "beta2", "rho", "eps"} {
		m := sampleModel(encFloat32)
		m.optim.kind = uint8(OptSGD)
		m.optim.tensors = [][]float32{nil, nil}
		*[]*float32{&m.optim.lr, &m.optim.mu, &m.optim.beta1, &m.optim.beta2, &m.optim.rho, &m.optim.eps}[i] = float32(math.NaN())
		if _, err := unmarshal(encode(m)); !errors.Is(err, ErrNonFinite) {
			t.Errorf("SGD state with %s NaN: got %v, want ErrNonFinite", field, err)
		}
	}
}

// The int8 scale of a unit whose largest weight is ±MaxFloat32 rounds
// down, so that the file the writer produces decodes finite.
func TestFormatInt8LargestWeight(t *testing.T) {
	for _, w := range []float32{math.MaxFloat32, -math.MaxFloat32} {
		m := &model{inputs: 1, enc: encInt8, layers: []modelLayer{{kind: layerDense, units: 1, init: uint8(InitZeros)}},
			params: []denseParams{{w: []float32{w}, b: []float32{0}}}}
		got, err := decode(encode(m))
		if err != nil {
			t.Fatalf("weight %v: %v", w, err)
		}
		if g := got.params[0].w[0]; math.IsInf(float64(g), 0) || math.Abs(float64(g-w)) > math.MaxFloat32/127/2 {
			t.Errorf("weight %v decodes to %v", w, g)
		}
	}
}

// Float32 arrays outside the weights section (scaler statistics,
// optimiser moments) are checked for non-finite values as well.
func TestFormatNonFiniteArrays(t *testing.T) {
	m := sampleModel(encFloat32)
	m.meta.mean[1] = float32(math.Inf(1))
	if _, err := decode(encode(m)); !errors.Is(err, ErrNonFinite) {
		t.Errorf("infinite scaler mean: got %v, want ErrNonFinite", err)
	}
	m = sampleModel(encFloat32)
	m.optim.tensors[1][2] = float32(math.NaN())
	if _, err := decode(encode(m)); !errors.Is(err, ErrNonFinite) {
		t.Errorf("NaN optimiser moment: got %v, want ErrNonFinite", err)
	}
}
