package nn

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
)

// sectionAt returns the file offset of the payload of the first section of
// kind in file, and its length.
func sectionAt(t *testing.T, file []byte, kind uint32) (int, int) {
	t.Helper()
	off := headerSize
	for off+sectionHeader <= len(file)-trailerSize {
		k := binary.LittleEndian.Uint32(file[off:])
		size := int(binary.LittleEndian.Uint64(file[off+8:]))
		if k == kind {
			return off + sectionHeader, size
		}
		off = padTo(off + sectionHeader + size)
	}
	t.Fatalf("no section %d", kind)
	return 0, 0
}

// An int8 weight byte of -128 (0x80) times a scale just under the limit
// that keeps 127·scale finite overflows to -Inf: the file is refused, not
// loaded with an infinite weight.
func TestBreakInt8MinusOneTwentyEight(t *testing.T) {
	n, err := New(Input(1), Dense(1, Identity))
	mustNil(t, err)
	mustNil(t, n.SetWeights(0, [][]float32{{1}}, []float32{0}))
	var buf bytes.Buffer
	mustNil(t, n.Save(&buf, Int8))
	file := buf.Bytes()
	p, _ := sectionAt(t, file, secWeights)
	// payload: 16-byte header, scales (padded to 16), int8 weights, biases
	scale := float32(math.MaxFloat32 / 127)
	if float64(scale) > math.MaxFloat32/127 {
		scale = math.Nextafter32(scale, 0)
	}
	binary.LittleEndian.PutUint32(file[p+16:], math.Float32bits(scale))
	file[p+32] = 0x80
	file = refile(file[:len(file)-trailerSize])

	m, err := Load(bytes.NewReader(file))
	if err == nil {
		w, _, _ := m.Weights(0)
		t.Fatalf("int8 byte -128 with scale %v loads as weight %v, want ErrNonFinite", scale, w[0][0])
	}
	if !errors.Is(err, ErrNonFinite) && !errors.Is(err, ErrArchitecture) {
		t.Fatalf("got %v, want ErrNonFinite or ErrArchitecture", err)
	}
}

// breakLen is a reader whose Len claims far more bytes than it delivers.
type breakLen struct {
	io.Reader
	n int
}

func (r breakLen) Len() int { return r.n }

// hugeHeader returns the first bytes of a float32 file whose architecture
// (8192 inputs, 16384 units) needs 512 MiB of weights, with the header's
// length and the weights section length consistent with it, and nothing
// after the weights section header.
func hugeHeader() []byte {
	const in, out = 8192, 16384
	wsize, _ := weightsSize(encFloat32, []int{in}, []int{out})
	var b []byte
	b = append(b, magic[:]...)
	b = binary.LittleEndian.AppendUint32(b, formatVersion)
	size := headerSize + padTo(sectionHeader+archFixed+layerBytes) + sectionHeader + wsize + trailerSize
	b = binary.LittleEndian.AppendUint64(b, uint64(size))
	// architecture section
	b = binary.LittleEndian.AppendUint32(b, secArch)
	b = binary.LittleEndian.AppendUint32(b, flagCritical)
	b = binary.LittleEndian.AppendUint64(b, archFixed+layerBytes)
	b = binary.LittleEndian.AppendUint32(b, in)
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = append(b, make([]byte, 8)...)                // loss, targets, reserved
	b = binary.LittleEndian.AppendUint64(b, 1)       // seed
	b = append(b, layerDense, uint8(Identity), 5, 0) // dense, identity, Glorot uniform
	b = binary.LittleEndian.AppendUint32(b, out)     // units
	b = append(b, make([]byte, 24)...)               // alpha..init B
	b = append(b, make([]byte, padTo(len(b))-len(b))...)
	// weights section and payload header
	b = binary.LittleEndian.AppendUint32(b, secWeights)
	b = binary.LittleEndian.AppendUint32(b, flagCritical)
	b = binary.LittleEndian.AppendUint64(b, uint64(wsize))
	b = binary.LittleEndian.AppendUint32(b, encFloat32)
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = append(b, make([]byte, 8)...)
	return b
}

// A reader whose Len lies (claims 2 GiB, holds ~130 bytes) must not make
// Load allocate the 512 MiB that the header claims: memory must grow with
// the bytes actually received.
func TestBreakLyingLenAllocates(t *testing.T) {
	head := hugeHeader()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Load(breakLen{bytes.NewReader(head), math.MaxInt})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTruncated) {
		t.Errorf("got %v, want ErrTruncated", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("Load allocated %d MiB for a %d-byte input whose reader claims more", n>>20, len(head))
	}
}

// A reader whose Len under-states what it holds (Len is not the
// remaining length for every type that has one) makes Load refuse a
// complete model as truncated.
func TestBreakShortLenRefusesWholeModel(t *testing.T) {
	file, err := case5Net(t).MarshalBinary()
	mustNil(t, err)
	if _, err := Load(breakLen{bytes.NewReader(file), 10}); err != nil {
		t.Errorf("a complete model behind a reader whose Len says 10: %v", err)
	}
}

// Every entry point gives the same error kind for a damaged model
// followed by one more byte: the checksum fails, which must be reported in
// preference to any other error.
func TestBreakChecksumBeforeTrailing(t *testing.T) {
	file, err := case5Net(t).MarshalBinary()
	mustNil(t, err)
	bad := append(bytes.Clone(file), 'x')
	bad[40] ^= 1 // a bit in the architecture section: only the checksum can tell

	var recv Network
	path := filepath.Join(t.TempDir(), "m.nnm")
	mustNil(t, os.WriteFile(path, bad, 0o644))
	_, errLoad := Load(bytes.NewReader(bad))
	_, errFile := LoadFile(path)
	_, errInPlace := LoadInPlace(bad)
	errUnmarshal := recv.UnmarshalBinary(bad)
	for name, err := range map[string]error{"Load": errLoad, "LoadFile": errFile, "LoadInPlace": errInPlace, "UnmarshalBinary": errUnmarshal} {
		if !errors.Is(err, ErrChecksum) {
			t.Errorf("%s of a damaged model with a trailing byte: %v, want ErrChecksum", name, err)
		}
	}
}

// loadAll loads file through every entry point and returns the results by
// name.
func loadAll(t *testing.T, file []byte, path string) map[string]struct {
	n   *Network
	err error
} {
	t.Helper()
	out := map[string]struct {
		n   *Network
		err error
	}{}
	put := func(name string, n *Network, err error) {
		out[name] = struct {
			n   *Network
			err error
		}{n, err}
	}
	n, err := Load(bytes.NewReader(file))
	put("Load(bytes.Reader)", n, err)
	n, err = Load(struct{ io.Reader }{bytes.NewReader(file)})
	put("Load(plain)", n, err)
	n, err = Load(iotest.OneByteReader(bytes.NewReader(file)))
	put("Load(OneByteReader)", n, err)
	n, err = Load(iotest.DataErrReader(iotest.HalfReader(bytes.NewReader(file))))
	put("Load(DataErr+Half)", n, err)
	n, err = Load(bytes.NewBuffer(bytes.Clone(file)))
	put("Load(bytes.Buffer)", n, err)
	var u Network
	err = u.UnmarshalBinary(file)
	if err == nil {
		put("UnmarshalBinary", &u, nil)
	} else {
		put("UnmarshalBinary", nil, err)
	}
	n, err = LoadInPlace(bytes.Clone(file))
	put("LoadInPlace", n, err)
	odd := make([]byte, len(file)+1)[1:]
	copy(odd, file)
	n, err = LoadInPlace(odd)
	put("LoadInPlace(odd)", n, err)
	if path != "" {
		mustNil(t, os.WriteFile(path, file, 0o644))
		n, err = LoadFile(path)
		put("LoadFile", n, err)
	}
	return out
}

// checkLoaded fails unless every weight, moment and layer setting of n
// is finite (optimiser settings: TestBreakOptimiserNaNSettings).
func checkLoaded(t *testing.T, what string, n *Network) {
	t.Helper()
	if j := firstNonFinite(n.params); j >= 0 {
		t.Fatalf("%s: parameter %d is %v", what, j, n.params[j])
	}
	if j := firstNonFinite(n.m); j >= 0 {
		t.Fatalf("%s: moment m[%d] is %v", what, j, n.m[j])
	}
	if j := firstNonFinite(n.v); j >= 0 {
		t.Fatalf("%s: moment v[%d] is %v", what, j, n.v[j])
	}
	for i, l := range n.Layers() {
		if j := firstNonFinite([]float32{l.Alpha, l.Rate, l.L1, l.L2, l.Init.A, l.Init.B}); j >= 0 {
			t.Fatalf("%s: layer %d field %d is not finite: %+v", what, i, j, l)
		}
	}
}

// Every byte of several models, set to a few values with length and
// checksum repaired, gives the same outcome through every entry point, and
// a model that loads holds no NaN.
func TestBreakEntryPointsAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "m.nnm")
	var files [][]byte
	aligned, err := New(Input(4), Dense(4, Tanh), Dense(2, Softmax), Seed(3))
	mustNil(t, err)
	for _, n := range []*Network{richNet(t), aligned} {
		for _, enc := range []Encoding{Float32, Float16, Int8} {
			var buf bytes.Buffer
			mustNil(t, n.Save(&buf, enc, WithOptimizerState()))
			files = append(files, buf.Bytes())
		}
	}
	for fi, file := range files {
		for pos := headerSize; pos < len(file)-trailerSize; pos++ {
			for _, v := range []byte{0x00, 0xff, 0x7f, 0x80, file[pos] ^ 0x40, file[pos] + 1} {
				if v == file[pos] {
					continue
				}
				body := bytes.Clone(file[:len(file)-trailerSize])
				body[pos] = v
				mut := refile(body)
				p := ""
				if pos%7 == 0 {
					p = path
				}
				res := loadAll(t, mut, p)
				ref := res["Load(bytes.Reader)"]
				for name, r := range res {
					if modelErrorKind(r.err) != modelErrorKind(ref.err) {
						t.Fatalf("file %d, byte %d = %#x: %s gives %v, Load(bytes.Reader) %v", fi, pos, v, name, r.err, ref.err)
					}
					if r.err == nil {
						checkLoaded(t, name, r.n)
						if !sameModel(t, r.n, ref.n) {
							t.Fatalf("file %d, byte %d = %#x: %s gives another model", fi, pos, v, name)
						}
					} else if !isModelError(r.err) {
						t.Fatalf("file %d, byte %d = %#x: %s gives untyped %v", fi, pos, v, name, r.err)
					}
				}
			}
		}
	}
}

// useLent calls every method of a network whose weights lie in lent
// memory, reading and changing it. Nothing may panic; the caller checks
// the lent bytes.
func useLent(t *testing.T, n *Network, x Matrix) {
	t.Helper()
	out := n.OutputSize()
	y := NewMatrix(x.Rows, out)
	for i := range y.Rows {
		y.Data[i*out+i%out] = 1
	}
	dst := make([]float32, out)
	mask := make([]bool, out)
	mask[0] = true
	_, _ = n.Predict(x.Data[:x.Cols])
	_ = n.PredictInto(dst, x.Data[:x.Cols])
	_ = n.PredictLogitsInto(dst, x.Data[:x.Cols])
	_ = n.PredictMaskedInto(dst, x.Data[:x.Cols], mask)
	_, _ = n.PredictBatch(x)
	masks := make([][]bool, x.Rows)
	for i := range masks {
		masks[i] = mask
	}
	_ = n.PredictBatchMaskedInto(NewMatrix(x.Rows, out), x, masks)
	_, _ = n.Evaluate(x, y)
	_, _ = n.EvaluateK(x, y, 2)
	_, _ = n.MarshalBinary()
	_ = n.Save(io.Discard, Int8)
	_ = n.Save(io.Discard, Float16, WithOptimizerState())
	if w, b, err := n.Weights(0); err == nil {
		_ = n.SetWeights(0, w[:1], b) // wrong shape: changes nothing
		w[0][0] = float32(math.NaN())
		_ = n.SetWeights(0, w, b) // NaN: changes nothing
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _ = n.Fit(ctx, x, y, TrainConfig{Epochs: 1, BatchSize: 8})
	_, _ = n.Fit(context.Background(), x, y, TrainConfig{Epochs: 1, BatchSize: 8, OnEpoch: func(EpochStats) error { return ErrStop }})
	_, _ = n.Fit(context.Background(), x, y, TrainConfig{Epochs: 3, BatchSize: 8, Optimizer: SGD(1e30)})
}

// A caller who changes the lent bytes after LoadInPlace (its fault, as
// documented) gets wrong numbers or errors, but no crash; and a network
// that never trained or set weights leaves the bytes alone.
func TestBreakInPlaceDamagedLater(t *testing.T) {
	orig, x := inPlaceNet(t, 8, 16, 4)
	file, err := orig.MarshalBinary()
	mustNil(t, err)
	p, _ := sectionAt(t, file, secWeights)
	for _, bits := range []uint32{0x7fc00000, 0x7f800000, 0xff800000, 0x7f7fffff} {
		data := bytes.Clone(file)
		n, err := LoadInPlace(data)
		mustNil(t, err)
		if !n.lent {
			t.Skip("weights not used in place on this machine")
		}
		for off := p + weightsHdr; off < len(data)-trailerSize-16; off += 52 {
			binary.LittleEndian.PutUint32(data[off:], bits)
		}
		keep := bytes.Clone(data)
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("weights %#x written into the lent bytes after loading: panic %v", bits, r)
				}
			}()
			useLent(t, n, x)
		}()
		if !bytes.Equal(data, keep) {
			t.Fatalf("weights %#x: the network wrote into the lent bytes", bits)
		}
	}
}

// Networks sharing one lent buffer predict concurrently with each other
// and with Save; run with -race.
func TestBreakInPlaceConcurrentPredict(t *testing.T) {
	orig, x := inPlaceNet(t, 8, 16, 4)
	data, err := orig.MarshalBinary()
	mustNil(t, err)
	a, err := LoadInPlace(data)
	mustNil(t, err)
	b, err := LoadInPlace(data)
	mustNil(t, err)
	want, err := orig.PredictBatch(x)
	mustNil(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		n := a
		if g%2 == 1 {
			n = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				got, err := n.PredictBatch(x)
				if err != nil || !slices.Equal(got.Data, want.Data) {
					errs <- fmt.Errorf("concurrent prediction differs (%v)", err)
					return
				}
				if g == 0 {
					if err := n.Save(io.Discard); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	// training b (which copies first) while a predicts from the same bytes
	y := NewMatrix(x.Rows, 4)
	for i := range y.Rows {
		y.Data[4*i+i%4] = 1
	}
	c, err := LoadInPlace(data)
	mustNil(t, err)
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := c.Fit(context.Background(), x, y, TrainConfig{Epochs: 2, BatchSize: 8}); err != nil {
			errs <- err
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// optimFile returns a file of richNet with an optimiser section of
// kind whose six settings are set.
func optimFile(t *testing.T, kind uint8, settings [6]float32) []byte {
	t.Helper()
	var buf bytes.Buffer
	mustNil(t, richNet(t).Save(&buf, WithOptimizerState()))
	file := buf.Bytes()
	p, _ := sectionAt(t, file, secOptim)
	file[p] = kind
	for i, v := range settings {
		binary.LittleEndian.PutUint32(file[p+4+4*i:], math.Float32bits(v))
	}
	return refile(file[:len(file)-trailerSize])
}

// A NaN in an optimiser setting is refused whatever the optimiser kind:
// "never trained" (kind 0) and SGD do not use them, but the loaded network
// keeps them and writes them again.
func TestBreakOptimiserNaNSettings(t *testing.T) {
	nan := float32(math.NaN())
	for _, c := range []struct {
		kind     uint8
		settings [6]float32
	}{
		{0, [6]float32{nan, 0, 0, 0, 0, 0}},
		{0, [6]float32{0, float32(math.Inf(1)), 0, 0, 0, nan}},
		{uint8(OptSGD), [6]float32{0.1, nan, nan, nan, nan, nan}},
		{uint8(OptMomentum), [6]float32{0.1, 0.9, nan, 0, 0, 0}},
	} {
		n, err := Load(bytes.NewReader(optimFile(t, c.kind, c.settings)))
		if err == nil {
			t.Errorf("optimiser kind %d with settings %v loads as %+v, want an error", c.kind, c.settings, n.opt)
		} else if !isModelError(err) {
			t.Errorf("optimiser kind %d: untyped %v", c.kind, err)
		}
	}
}

// sectionsOf splits file into its sections, each with header and padding.
func sectionsOf(file []byte) [][]byte {
	var out [][]byte
	off := headerSize
	for off < len(file)-trailerSize {
		size := int(binary.LittleEndian.Uint64(file[off+8:]))
		end := padTo(off + sectionHeader + size)
		out = append(out, file[off:end])
		off = end
	}
	return out
}

// Sections in every order: a file whose weights come before its
// architecture is refused, any other order loads the same model; a
// duplicated section is refused; unknown sections anywhere are skipped
// unless critical. The same through every entry point.
func TestBreakSectionOrder(t *testing.T) {
	var buf bytes.Buffer
	mustNil(t, richNet(t).Save(&buf, WithOptimizerState()))
	file := buf.Bytes()
	ref, err := Load(bytes.NewReader(file))
	mustNil(t, err)
	secs := sectionsOf(file)
	if len(secs) != 4 {
		t.Fatalf("%d sections, want 4", len(secs))
	}
	unknown := func(flags uint32) []byte {
		s := binary.LittleEndian.AppendUint32(nil, 77)
		s = binary.LittleEndian.AppendUint32(s, flags)
		s = binary.LittleEndian.AppendUint64(s, 5)
		return append(s, "hello\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"...)
	}
	build := func(parts ...[]byte) []byte {
		body := bytes.Clone(file[:headerSize])
		for _, p := range parts {
			body = append(body, p...)
		}
		return refile(body)
	}
	check := func(name string, f []byte, want error) {
		t.Helper()
		for entry, r := range loadAll(t, f, filepath.Join(t.TempDir(), "m.nnm")) {
			switch {
			case want == nil && r.err != nil:
				t.Errorf("%s, %s: %v", name, entry, r.err)
			case want == nil && !sameModel(t, r.n, ref):
				t.Errorf("%s, %s: another model", name, entry)
			case want != nil && !errors.Is(r.err, want):
				t.Errorf("%s, %s: %v, want %v", name, entry, r.err, want)
			}
		}
	}
	perms := [][]int{}
	var permute func(p []int, k int)
	permute = func(p []int, k int) {
		if k == len(p) {
			perms = append(perms, slices.Clone(p))
			return
		}
		for i := k; i < len(p); i++ {
			p[k], p[i] = p[i], p[k]
			permute(p, k+1)
			p[k], p[i] = p[i], p[k]
		}
	}
	permute([]int{0, 1, 2, 3}, 0)
	for _, p := range perms {
		parts := [][]byte{}
		for _, i := range p {
			parts = append(parts, secs[i])
		}
		var want error
		if slices.Index(p, 1) < slices.Index(p, 0) {
			want = ErrArchitecture
		}
		check(fmt.Sprint("order ", p), build(parts...), want)
		// a non-critical unknown section between each pair
		var mixed [][]byte
		for _, s := range parts {
			mixed = append(mixed, unknown(0), s)
		}
		check(fmt.Sprint("order ", p, " with unknown sections"), build(append(mixed, unknown(0))...), want)
	}
	for i := range secs {
		check(fmt.Sprint("section ", i, " twice"), build(append(slices.Clone(secs), secs[i])...), ErrArchitecture)
	}
	check("critical unknown section", build(secs[0], secs[1], unknown(flagCritical), secs[2], secs[3]), ErrVersion)
	check("no weights", build(secs[0], secs[2], secs[3]), ErrArchitecture)
	check("no architecture", build(secs[2], secs[3]), ErrArchitecture)
	check("no sections", build(), ErrArchitecture)
}

// Every bit flip anywhere in a model, without repairing the checksum, is
// ErrChecksum through every entry point, except in the header (magic,
// version, length), which is read before the checksum.
func TestBreakEveryBitFlipIsChecksum(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	var buf bytes.Buffer
	mustNil(t, richNet(t).Save(&buf, Int8, WithOptimizerState()))
	file := buf.Bytes()
	for pos := headerSize; pos < len(file); pos++ {
		for bit := range 8 {
			f := bytes.Clone(file)
			f[pos] ^= 1 << bit
			p := ""
			if bit == 0 {
				p = filepath.Join(t.TempDir(), "m.nnm")
			}
			for name, r := range loadAll(t, f, p) {
				if !errors.Is(r.err, ErrChecksum) {
					t.Fatalf("byte %d bit %d: %s gives %v, want ErrChecksum", pos, bit, name, r.err)
				}
			}
		}
	}
}

// Training resumed from a checkpoint is bit-identical to training that
// never stopped, whichever entry point loads it, for a network whose
// weights LoadInPlace uses in place (dropout and shuffling draw from the
// saved generator).
func TestBreakResumeEveryEntryPoint(t *testing.T) {
	build := func() *Network {
		n, err := New(Input(8), Dense(16, ReLU, L1(1e-4), L2(1e-3)), Dropout(0.25), Dense(4, Softmax), Seed(21))
		mustNil(t, err)
		return n
	}
	_, x := inPlaceNet(t, 8, 16, 4)
	y := NewMatrix(x.Rows, 4)
	for i := range y.Rows {
		y.Data[4*i+(i*7)%4] = 1
	}
	path := filepath.Join(t.TempDir(), "ckpt.nnm")
	for _, opt := range []Optimizer{Adam(0.01), Momentum(0.05, 0.9), RMSProp(0.01), SGD(0.1)} {
		cfg := TrainConfig{Epochs: 3, BatchSize: 8, Optimizer: opt, ValidationSplit: 0.25,
			Schedule: StepDecay(2, 0.5), ClipNorm: 0.5}
		whole := build()
		cfg6 := cfg
		cfg6.Epochs = 6
		_, err := whole.Fit(context.Background(), x, y, cfg6)
		mustNil(t, err)

		part := build()
		_, err = part.Fit(context.Background(), x, y, cfg)
		mustNil(t, err)
		if slices.Equal(part.params, whole.params) {
			t.Fatalf("optimiser %v: three more epochs changed nothing", opt.Kind)
		}
		var buf bytes.Buffer
		mustNil(t, part.Save(&buf, WithOptimizerState()))
		file := buf.Bytes()
		keep := bytes.Clone(file)
		res := loadAll(t, file, path)
		for name, r := range res {
			if r.err != nil {
				t.Fatalf("%v, %s: %v", opt.Kind, name, r.err)
			}
			_, err := r.n.Fit(context.Background(), x, y, cfg)
			mustNil(t, err)
			if !slices.Equal(f32Bits(r.n.params), f32Bits(whole.params)) {
				t.Errorf("optimiser %v, %s: resumed training differs from training that never stopped", opt.Kind, name)
			}
		}
		if !bytes.Equal(file, keep) {
			t.Fatalf("optimiser %v: training a loaded network wrote into the file bytes", opt.Kind)
		}
	}
}

// Every 32-bit and 64-bit field of a model set to absurd values, with
// length and checksum repaired: a typed error or a model, the same through
// the entry points, and memory in proportion to the file (float32 values
// decoded from int8 take four times their bytes).
func TestBreakAbsurdFieldsMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	var files [][]byte
	for _, enc := range []Encoding{Float32, Float16, Int8} {
		var buf bytes.Buffer
		mustNil(t, richNet(t).Save(&buf, enc, WithOptimizerState()))
		files = append(files, buf.Bytes())
	}
	worst, worstWhat := 0.0, ""
	for fi, file := range files {
		body := file[:len(file)-trailerSize]
		try := func(pos int, mut []byte) {
			b := bytes.Clone(body)
			copy(b[pos:], mut)
			f := refile(b)
			for _, plain := range []bool{false, true} {
				var r io.Reader = bytes.NewReader(f)
				if plain {
					r = struct{ io.Reader }{r}
				}
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				n, err := Load(r)
				runtime.ReadMemStats(&after)
				if err != nil && !isModelError(err) {
					t.Fatalf("file %d, field at %d = % x: untyped %v", fi, pos, mut, err)
				}
				if err == nil {
					checkLoaded(t, "Load", n)
				}
				if ratio := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(f)); ratio > worst {
					worst, worstWhat = ratio, fmt.Sprintf("file %d, field at %d = % x, plain %v: %v", fi, pos, mut, plain, err)
				}
			}
		}
		for pos := headerSize; pos+4 <= len(body); pos += 4 {
			for _, v := range []uint32{0xffffffff, 0x7fffffff, 0x80000000, 0x00100000, 0xffff, 3} {
				try(pos, binary.LittleEndian.AppendUint32(nil, v))
			}
			if pos%8 == 0 {
				for _, v := range []uint64{1 << 62, 0x7ffffffe, 1 << 32} {
					try(pos, binary.LittleEndian.AppendUint64(nil, v))
				}
			}
		}
	}
	t.Logf("most memory allocated per file byte: %.1f (%s)", worst, worstWhat)
	if worst > 64 {
		t.Errorf("a load allocated %.0f bytes per file byte: %s", worst, worstWhat)
	}
}

// Only LoadInPlace may keep the caller's bytes: after UnmarshalBinary and
// Load from a bytes.Reader, a bytes.Buffer or a plain reader, scribbling
// over the bytes (a reused buffer) changes nothing in the network.
func TestBreakNoAliasOutsideInPlace(t *testing.T) {
	orig, x := inPlaceNet(t, 8, 16, 4)
	orig.SetClassNames([]string{"a", "b", "c", "d"})
	orig.SetMeta("k", "v")
	file, err := orig.MarshalBinary()
	mustNil(t, err)
	want, err := orig.PredictBatch(x)
	mustNil(t, err)
	type entry struct {
		name string
		load func(b []byte) (*Network, error)
	}
	for _, e := range []entry{
		{"UnmarshalBinary", func(b []byte) (*Network, error) { var n Network; return &n, n.UnmarshalBinary(b) }},
		{"Load(bytes.Reader)", func(b []byte) (*Network, error) { return Load(bytes.NewReader(b)) }},
		{"Load(bytes.Buffer)", func(b []byte) (*Network, error) { return Load(bytes.NewBuffer(b)) }},
		{"Load(plain)", func(b []byte) (*Network, error) { return Load(struct{ io.Reader }{bytes.NewReader(b)}) }},
	} {
		b := bytes.Clone(file)
		n, err := e.load(b)
		mustNil(t, err)
		for i := range b {
			b[i] = 0xff
		}
		got, err := n.PredictBatch(x)
		if err != nil || !slices.Equal(got.Data, want.Data) {
			t.Errorf("%s: the network changed with the caller's bytes (%v)", e.name, err)
		}
		if v, _ := n.Meta("k"); v != "v" || n.ClassNames()[3] != "d" {
			t.Errorf("%s: metadata changed with the caller's bytes", e.name)
		}
	}
}

// breakAfter delivers k bytes of r, then fails with err.
type breakAfter struct {
	r   io.Reader
	k   int
	err error
}

func (f *breakAfter) Read(p []byte) (int, error) {
	if f.k <= 0 {
		return 0, f.err
	}
	n, err := f.r.Read(p[:min(len(p), f.k)])
	f.k -= n
	if f.k <= 0 && err == nil {
		err = f.err // data and error together
	}
	return n, err
}

// A reader failing at every byte of a model: its own error (errors.Is) or,
// for an early end, ErrTruncated; a model when the failure comes with the
// model's last byte.
func TestBreakReaderFailsAnywhere(t *testing.T) {
	var buf bytes.Buffer
	mustNil(t, richNet(t).Save(&buf, Float16, WithOptimizerState()))
	file := buf.Bytes()
	boom := errors.New("disk on fire")
	for k := 0; k <= len(file); k++ {
		for _, e := range []error{boom, io.EOF, io.ErrUnexpectedEOF} {
			n, err := Load(&breakAfter{bytes.NewReader(file), k, e})
			switch {
			case k == len(file):
				if err != nil {
					t.Fatalf("error %v with the last byte: %v", e, err)
				}
				if n == nil {
					t.Fatal("no network")
				}
			case k < len(file) && err == nil:
				t.Fatalf("reader failing with %v after %d of %d bytes: a network", e, k, len(file))
			case e == boom && !errors.Is(err, boom):
				t.Fatalf("reader failing after %d bytes: %v, want its error", k, err)
			case e != boom && !errors.Is(err, ErrTruncated) && k >= len(magic):
				t.Fatalf("reader ending after %d bytes with %v: %v, want ErrTruncated", k, e, err)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "nn: ") {
				t.Fatalf("message without the nn: prefix: %q", err)
			}
		}
	}
}

// metaFile returns case5Net's file with a metadata section of k distinct
// 4-byte keys with empty values.
func metaFile(t *testing.T, k int) []byte {
	t.Helper()
	file, err := case5Net(t).MarshalBinary()
	mustNil(t, err)
	p := binary.LittleEndian.AppendUint32(nil, uint32(k))
	for i := range k {
		p = binary.LittleEndian.AppendUint32(p, 4)
		p = binary.LittleEndian.AppendUint32(p, uint32(i))
		p = binary.LittleEndian.AppendUint32(p, 0)
	}
	p = append(p, make([]byte, 8)...) // no class names, no scaler
	return withSection(file, secMeta, flagCritical, p)
}

// Memory for metadata stays bounded: the most keys a file may hold, each
// 4 bytes with an empty value, cost a bounded amount, and one more key is
// refused before any is built.
func TestBreakMetadataMemory(t *testing.T) {
	for _, k := range []int{maxMetaEntries, maxMetaEntries + 1} {
		f := metaFile(t, k)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		n, err := LoadInPlace(f)
		runtime.ReadMemStats(&after)
		total := after.TotalAlloc - before.TotalAlloc
		switch {
		case k <= maxMetaEntries && err != nil:
			t.Fatalf("%d keys: %v", k, err)
		case k <= maxMetaEntries && len(n.MetaKeys()) != k:
			t.Fatalf("%d keys loaded, want %d", len(n.MetaKeys()), k)
		case k > maxMetaEntries && !errors.Is(err, ErrArchitecture):
			t.Fatalf("%d keys: %v, want ErrArchitecture", k, err)
		case k > maxMetaEntries && total > uint64(len(f)):
			t.Errorf("refusing %d keys allocated %d bytes for a %d-byte file", k, total, len(f))
		case total > 32<<20:
			t.Errorf("%d keys in a %d-byte file: %d MiB allocated", k, len(f), total>>20)
		}
	}
}

// Whatever Save writes, Load reads: a network with more metadata keys
// than a file may hold is refused by Save, not written for Load to refuse.
func TestBreakSaveManyMetaKeys(t *testing.T) {
	n := case5Net(t)
	for i := range maxMetaEntries + 1 {
		n.SetMeta(fmt.Sprint(i), "")
	}
	var buf bytes.Buffer
	if err := n.Save(&buf); err != nil {
		return
	}
	if _, err := Load(&buf); err != nil {
		t.Errorf("Save of %d metadata keys succeeds, Load of its bytes fails: %v", maxMetaEntries+1, err)
	}
}

// Class names whose count cannot match the outputs are refused without
// building them: a 4-byte name would cost a 16-byte string header and
// more, a million of them tens of megabytes for a 4 MB file.
func TestBreakClassNamesCountBeforeAllocating(t *testing.T) {
	file, err := case5Net(t).MarshalBinary()
	mustNil(t, err)
	const k = 1 << 20
	p := binary.LittleEndian.AppendUint32(nil, 0)
	p = binary.LittleEndian.AppendUint32(p, k)
	p = append(p, make([]byte, 4*k)...)
	p = binary.LittleEndian.AppendUint32(p, 0)
	f := withSection(file, secMeta, flagCritical, p)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = LoadInPlace(f)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrArchitecture) {
		t.Errorf("%d class names for %d outputs: %v, want ErrArchitecture", k, case5Net(t).OutputSize(), err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > uint64(len(f))/4 {
		t.Errorf("refusing %d class names allocated %d MiB for a %d MiB file", k, n>>20, len(f)>>20)
	}
}

// Whatever Save writes, Load reads: in an int8 file of a weight at the
// largest float32, the scale max/127 rounded in float32 must still decode
// to finite weights.
func TestBreakInt8SaveOfLargestWeightLoads(t *testing.T) {
	for _, w := range []float32{math.MaxFloat32, -math.MaxFloat32, math.Nextafter32(math.MaxFloat32, 0), 3e38} {
		n, err := New(Input(1), Dense(1, Identity))
		mustNil(t, err)
		mustNil(t, n.SetWeights(0, [][]float32{{w}}, []float32{0}))
		var buf bytes.Buffer
		if err := n.Save(&buf, Int8); err != nil {
			continue // refusing to write is fine
		}
		if _, err := Load(&buf); err != nil {
			t.Errorf("weight %v: Save(Int8) succeeds, Load of its bytes fails: %v", w, err)
		}
	}
}

// zeroModel returns a valid file of one dense identity layer in×out whose
// weights, scales and biases are all zero, in encoding enc.
func zeroModel(in, out int, enc uint8) []byte {
	wsize, _ := weightsSize(enc, []int{in}, []int{out})
	var b []byte
	b = append(b, magic[:]...)
	b = binary.LittleEndian.AppendUint32(b, formatVersion)
	b = binary.LittleEndian.AppendUint64(b, 0) // refile sets the length
	b = binary.LittleEndian.AppendUint32(b, secArch)
	b = binary.LittleEndian.AppendUint32(b, flagCritical)
	b = binary.LittleEndian.AppendUint64(b, archFixed+layerBytes)
	b = binary.LittleEndian.AppendUint32(b, uint32(in))
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = append(b, make([]byte, 8)...)
	b = binary.LittleEndian.AppendUint64(b, 1)
	b = append(b, layerDense, uint8(Identity), uint8(InitZeros), 0)
	b = binary.LittleEndian.AppendUint32(b, uint32(out))
	b = append(b, make([]byte, 24)...)
	b = append(b, make([]byte, padTo(len(b))-len(b))...)
	b = binary.LittleEndian.AppendUint32(b, secWeights)
	b = binary.LittleEndian.AppendUint32(b, flagCritical)
	b = binary.LittleEndian.AppendUint64(b, uint64(wsize))
	b = binary.LittleEndian.AppendUint32(b, uint32(enc))
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = append(b, make([]byte, wsize-8)...)
	return refile(b)
}

// A file holding more parameters than the platform allows (maxParams:
// 2^26 on 32-bit and wasm) is refused before its weights are decoded into
// memory of their own: an int8 file of 500 MB (below the wasm bridge's 512
// MiB argument limit) would need 2 GB as float32, more than a 32-bit
// program can allocate. Run with GOARCH=386; a 64-bit limit would need a
// 1 GiB file.
func TestBreakTooManyParamsRefusedBeforeDecoding(t *testing.T) {
	if maxParams > 1<<26 {
		t.Skip("the platform limit needs a file of over 1 GiB here; run with GOARCH=386")
	}
	const in, out = 1 << 13, (maxParams >> 13) + 16 // just over maxParams
	f := zeroModel(in, out, encInt8)
	for name, load := range map[string]func() error{
		"LoadInPlace":        func() error { _, err := LoadInPlace(f); return err },
		"Load(bytes.Reader)": func() error { _, err := Load(bytes.NewReader(f)); return err },
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		err := load()
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrArchitecture) && !errors.Is(err, ErrConfig) {
			t.Errorf("%s: %d×%d int8 weights: %v, want a refusal", name, in, out, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > uint64(len(f)) {
			t.Errorf("%s: refusing %d parameters allocated %d MiB for a %d MiB file", name, in*out, n>>20, len(f)>>20)
		}
	}
}

// SaveFile replaces regular files only: a path that is a socket (as a FIFO
// or a device such as /dev/stdout would be) is not swapped for a regular
// file by the rename.
func TestBreakSaveFileKeepsSpecialFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Skipf("no unix socket here: %v", err)
	}
	defer l.Close()
	if st, err := os.Lstat(path); err != nil || st.Mode().Type() != os.ModeSocket {
		// js/wasm's network is simulated: its sockets are not files
		t.Skipf("the socket is not in the file system here (%v)", err)
	}
	n := case5Net(t)
	err = n.SaveFile(path)
	st, serr := os.Lstat(path)
	mustNil(t, serr)
	if err == nil && st.Mode().IsRegular() {
		t.Errorf("SaveFile replaced a socket by a regular file (mode %v)", st.Mode())
	}
}

// A nil *Network receiver gets an error from UnmarshalBinary, as from
// every other method that returns one, not a nil dereference.
func TestBreakUnmarshalIntoNil(t *testing.T) {
	file, err := case5Net(t).MarshalBinary()
	mustNil(t, err)
	var n *Network
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("UnmarshalBinary on a nil *Network panics: %v", r)
		}
	}()
	if _, err := n.MarshalBinary(); !errors.Is(err, ErrConfig) {
		t.Errorf("MarshalBinary on a nil *Network: %v, want ErrConfig", err)
	}
	if err := n.Save(io.Discard); !errors.Is(err, ErrConfig) {
		t.Errorf("Save on a nil *Network: %v, want ErrConfig", err)
	}
	if err := n.SaveFile(filepath.Join(t.TempDir(), "m.nnm")); !errors.Is(err, ErrConfig) {
		t.Errorf("SaveFile on a nil *Network: %v, want ErrConfig", err)
	}
	if err := n.UnmarshalBinary(file); !errors.Is(err, ErrConfig) {
		t.Errorf("UnmarshalBinary on a nil *Network: %v, want ErrConfig", err)
	}
}

// Many empty unknown sections cost time and memory in proportion to the
// file, not more: measured, and bounded loosely.
func TestBreakManyEmptySections(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	file, err := case5Net(t).MarshalBinary()
	mustNil(t, err)
	body := bytes.Clone(file[:len(file)-trailerSize])
	const k = 1 << 20
	for range k {
		body = binary.LittleEndian.AppendUint32(body, 99)
		body = binary.LittleEndian.AppendUint32(body, 0)
		body = binary.LittleEndian.AppendUint64(body, 0)
	}
	f := refile(body)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = LoadInPlace(f)
	runtime.ReadMemStats(&after)
	mustNil(t, err)
	per := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(f))
	t.Logf("%d empty sections, %d bytes: %.2f bytes allocated per file byte, %d allocations", k, len(f), per, after.Mallocs-before.Mallocs)
	if per > 8 {
		t.Errorf("%.1f bytes allocated per file byte", per)
	}
}

// A failing writer's error comes back from Save in the package's form
// ("nn: " and context), still matching the writer's error, as a failing
// reader's does from Load.
func TestBreakSaveWriterErrorWrapped(t *testing.T) {
	boom := errors.New("disk on fire")
	w := &breakWriter{err: boom}
	err := case5Net(t).Save(w)
	if !errors.Is(err, boom) {
		t.Fatalf("Save to a failing writer: %v, want its error", err)
	}
	if !strings.HasPrefix(err.Error(), "nn: ") {
		t.Errorf("Save to a failing writer returns %q, without the nn: prefix and context", err)
	}
}

type breakWriter struct{ err error }

func (w *breakWriter) Write(p []byte) (int, error) { return len(p) / 2, w.err }

// UnmarshalBinary leaves its receiver unchanged on every error: damaged
// files of another network never touch the one being unmarshalled into.
func TestBreakUnmarshalErrorKeepsReceiver(t *testing.T) {
	n := richNet(t)
	want, err := n.MarshalBinary()
	mustNil(t, err)
	other, err := case5Net(t).MarshalBinary()
	mustNil(t, err)
	failures := 0
	for pos := range other {
		for _, v := range []byte{0xff, other[pos] ^ 1} {
			bad := bytes.Clone(other)
			bad[pos] = v
			if pos >= headerSize && pos < len(other)-trailerSize && pos%3 == 0 {
				bad = refile(bad[:len(bad)-trailerSize])
			}
			if n.UnmarshalBinary(bad) == nil {
				mustNil(t, n.UnmarshalBinary(want))
				continue
			}
			failures++
			if got, err := n.MarshalBinary(); err != nil || !bytes.Equal(got, want) {
				t.Fatalf("byte %d = %#x: a failed UnmarshalBinary changed the receiver (%v)", pos, v, err)
			}
		}
	}
	if failures == 0 {
		t.Fatal("no damaged file failed")
	}
}

// In a stream of models a damaged one (intact header) is read to its
// declared end, so the next model can still be read.
func TestBreakStreamSkipsDamagedModel(t *testing.T) {
	good, err := case5Net(t).MarshalBinary()
	mustNil(t, err)
	bad := bytes.Clone(good)
	bad[len(bad)/2] ^= 0x10
	stream := slices.Concat(good, bad, good, []byte("tail"))
	for name, r := range map[string]io.Reader{
		"bytes.Reader": bytes.NewReader(stream),
		"plain":        struct{ io.Reader }{bytes.NewReader(stream)},
		"OneByte":      iotest.OneByteReader(bytes.NewReader(stream)),
	} {
		_, err1 := Load(r)
		_, err2 := Load(r)
		_, err3 := Load(r)
		rest, _ := io.ReadAll(r)
		if err1 != nil || !errors.Is(err2, ErrChecksum) || err3 != nil || string(rest) != "tail" {
			t.Errorf("%s: %v, %v, %v, rest %q; want nil, ErrChecksum, nil, \"tail\"", name, err1, err2, err3, rest)
		}
	}
}

// SaveFile through a loop of symbolic links is an error; only a link that
// leads to nothing yet is replaced by the file.
func TestBreakSaveFileLinkLoop(t *testing.T) {
	dir := t.TempDir()
	l1, l2 := filepath.Join(dir, "l1"), filepath.Join(dir, "l2")
	if err := os.Symlink(l2, l1); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	mustNil(t, os.Symlink(l1, l2))
	err := case5Net(t).SaveFile(l1)
	st, serr := os.Lstat(l1)
	mustNil(t, serr)
	if err == nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("SaveFile through a loop of links: %v; l1 is now %v, want an error and the link kept", err, st.Mode())
	}
}
