package nn

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// modelErrors are the sentinels a damaged file may produce.
var modelErrors = []error{ErrBadMagic, ErrVersion, ErrChecksum, ErrTruncated, ErrTrailingData, ErrArchitecture, ErrNonFinite}

func isModelError(err error) bool {
	for _, e := range modelErrors {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// case5Net is the 2-3-1 sigmoid network of issue 5, case 5.
func case5Net(t testing.TB, opts ...Option) *Network {
	t.Helper()
	opts = append([]Option{Input(2), Dense(3, Sigmoid), Dense(1, Sigmoid)}, opts...)
	n, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	mustNil(t, n.SetWeights(0, [][]float32{{-3.5945, -3.5996}, {-5.7360, -5.8344}, {-0.9592, -1.0322}}, []float32{5.2195, 2.0856, -0.6706}))
	mustNil(t, n.SetWeights(1, [][]float32{{7.1430, -7.7636, 0.7122}}, []float32{-3.2519}))
	return n
}

var xorInputs = [][]float32{{0, 0}, {0, 1}, {1, 0}, {1, 1}}

func mustNil(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func predictRows(t testing.TB, n *Network, xs [][]float32) [][]float32 {
	t.Helper()
	out := make([][]float32, len(xs))
	for i, x := range xs {
		y, err := n.Predict(x)
		mustNil(t, err)
		out[i] = y
	}
	return out
}

// firstDiff reports the first output whose bits differ, or -1, -1.
func firstDiff(a, b [][]float32) (int, int) {
	for i := range a {
		for j := range a[i] {
			if math.Float32bits(a[i][j]) != math.Float32bits(b[i][j]) {
				return i, j
			}
		}
	}
	return -1, -1
}

// Case 5: save and load keep every weight.
func TestCase5SaveLoad(t *testing.T) {
	n := case5Net(t)
	want := []float32{0.05668, 0.93352, 0.93315, 0.08824}
	before := predictRows(t, n, xorInputs)
	for i, y := range before {
		if math.Abs(float64(y[0]-want[i])) > 1e-5 {
			t.Errorf("predict %v = %.6f, want %.5f", xorInputs[i], y[0], want[i])
		}
	}

	var buf bytes.Buffer
	mustNil(t, n.Save(&buf))
	loaded, err := Load(bytes.NewReader(buf.Bytes()))
	mustNil(t, err)
	if i, j := firstDiff(before, predictRows(t, loaded, xorInputs)); i >= 0 {
		t.Errorf("Load: output %d,%d differs in its bits", i, j)
	}

	// the receiving network's own seed and shape do not matter
	for _, seed := range []uint64{0, 1, 99, math.MaxUint64} {
		recv, err := New(Input(5), Dense(7, ReLU), Dense(2, Softmax), Seed(seed))
		mustNil(t, err)
		mustNil(t, recv.UnmarshalBinary(buf.Bytes()))
		if i, j := firstDiff(before, predictRows(t, recv, xorInputs)); i >= 0 {
			t.Errorf("UnmarshalBinary into seed %d: output %d,%d differs", seed, i, j)
		}
	}
}

// Case 6: every prefix and every flipped payload byte fails with
// a typed error, no panic, and leaves no half-built model.
func TestCase6DamagedFiles(t *testing.T) {
	n := case5Net(t)
	n.SetClassNames([]string{"false", "true"})
	file, err := n.MarshalBinary()
	mustNil(t, err)

	// a receiver whose bytes must not change when a load fails
	recv := case5Net(t, Seed(5))
	recvBytes, err := recv.MarshalBinary()
	mustNil(t, err)
	check := func(what string, data []byte) {
		t.Helper()
		got, err := Load(bytes.NewReader(data))
		if err == nil || got != nil {
			t.Fatalf("%s: Load = %v, %v; want nil and an error", what, got, err)
		}
		if !isModelError(err) {
			t.Fatalf("%s: untyped error %v", what, err)
		}
		if err := recv.UnmarshalBinary(data); !isModelError(err) {
			t.Fatalf("%s: UnmarshalBinary: %v", what, err)
		}
		if b, _ := recv.MarshalBinary(); !bytes.Equal(b, recvBytes) {
			t.Fatalf("%s: failed UnmarshalBinary changed the receiver", what)
		}
	}
	for k := 0; k < len(file); k++ {
		check("prefix of "+strconv.Itoa(k)+" bytes", file[:k])
	}
	for i := headerSize; i < len(file); i++ {
		c := bytes.Clone(file)
		c[i] ^= 0xff
		check("byte "+strconv.Itoa(i)+" flipped", c)
	}
}

// The trailing-bytes rule: a stream may go on after a model, and Load
// leaves it unread; a buffer or file must hold one model and no more.
func TestTrailingData(t *testing.T) {
	n := case5Net(t)
	file, err := n.MarshalBinary()
	mustNil(t, err)
	tail := []byte("next record")

	r := bytes.NewReader(append(bytes.Clone(file), tail...))
	if _, err := Load(r); err != nil {
		t.Fatalf("Load from a stream with more data: %v", err)
	}
	if rest, _ := io.ReadAll(r); !bytes.Equal(rest, tail) {
		t.Errorf("Load consumed past the model: %q left, want %q", rest, tail)
	}

	var recv Network
	if err := recv.UnmarshalBinary(append(bytes.Clone(file), tail...)); !errors.Is(err, ErrTrailingData) {
		t.Errorf("UnmarshalBinary with extra bytes: %v, want ErrTrailingData", err)
	}
	path := filepath.Join(t.TempDir(), "m.nnm")
	mustNil(t, os.WriteFile(path, append(bytes.Clone(file), tail...), 0o644))
	if _, err := LoadFile(path); !errors.Is(err, ErrTrailingData) {
		t.Errorf("LoadFile with extra bytes: %v, want ErrTrailingData", err)
	}
}

// Case 7: bytes are little-endian on every architecture.
func TestCase7ByteOrder(t *testing.T) {
	n, err := New(Input(1), Dense(1, Identity))
	mustNil(t, err)
	mustNil(t, n.SetWeights(0, [][]float32{{1.5}}, []float32{-2}))
	file, err := n.MarshalBinary()
	mustNil(t, err)

	// header 16, architecture section 16+56+8 padding, weights section
	// header 16, weights payload header 16: W at 128, b at 144
	if got := file[128:132]; !bytes.Equal(got, []byte{0x00, 0x00, 0xc0, 0x3f}) {
		t.Errorf("weight bytes % x, want 00 00 c0 3f", got)
	}
	if got := file[144:148]; !bytes.Equal(got, []byte{0x00, 0x00, 0x00, 0xc0}) {
		t.Errorf("bias bytes % x, want 00 00 00 c0", got)
	}
	loaded, err := Load(bytes.NewReader(file))
	mustNil(t, err)
	y, err := loaded.Predict([]float32{1})
	mustNil(t, err)
	if y[0] != -0.5 {
		t.Errorf("predict 1 = %v, want -0.5", y[0])
	}

	// float16 stores 1.5 as 3e00, int8 as 127 with scale 1.5/127
	var buf bytes.Buffer
	mustNil(t, n.Save(&buf, Float16))
	if got := buf.Bytes()[128:130]; !bytes.Equal(got, []byte{0x00, 0x3e}) {
		t.Errorf("float16 weight bytes % x, want 00 3e", got)
	}
	buf.Reset()
	mustNil(t, n.Save(&buf, Int8))
	if got := buf.Bytes()[144]; got != 127 {
		t.Errorf("int8 weight byte %d, want 127", got)
	}
}

// fileXOR returns the four XOR rows and their targets.
func fileXOR(t testing.TB) (x, y Matrix) {
	t.Helper()
	x, err := FromRows(xorInputs)
	mustNil(t, err)
	y, err = FromRows([][]float32{{0}, {1}, {1}, {0}})
	mustNil(t, err)
	return x, y
}

// resumeRun trains one network from build for 2·cfg.Epochs epochs, and
// another for cfg.Epochs, then through a save with optimiser state and a
// load (by reload), then cfg.Epochs more. It returns the weights and last
// epoch losses of both, and the weights at the checkpoint.
func resumeRun(t *testing.T, build func() *Network, cfg TrainConfig, reload func([]byte) *Network) (whole, resumed, checkpoint []float32, wholeLoss, resumedLoss float64) {
	t.Helper()
	x, y := fileXOR(t)
	fit := func(n *Network, epochs int) float64 {
		c := cfg
		c.Epochs = epochs
		h, err := n.Fit(context.Background(), x, y, c)
		mustNil(t, err)
		return h.Epochs[len(h.Epochs)-1].Loss
	}

	w := build()
	wholeLoss = fit(w, 2*cfg.Epochs)

	part := build()
	fit(part, cfg.Epochs)
	var buf bytes.Buffer
	mustNil(t, part.Save(&buf, WithOptimizerState()))
	r := reload(buf.Bytes())
	resumedLoss = fit(r, cfg.Epochs)
	return w.params, r.params, part.params, wholeLoss, resumedLoss
}

func loadBytes(t *testing.T) func([]byte) *Network {
	return func(b []byte) *Network {
		n, err := Load(bytes.NewReader(b))
		mustNil(t, err)
		return n
	}
}

// Case 8: training resumed from a checkpoint gives the same
// weights, bit for bit, as training that never stopped.
func TestCase8ResumedTraining(t *testing.T) {
	build := func() *Network {
		n, err := New(Input(2), Dense(2, Tanh), Dense(1, Sigmoid), Seed(11))
		mustNil(t, err)
		return n
	}
	cfg := TrainConfig{Epochs: 10, BatchSize: 4, Optimizer: Adam(0.01)}
	whole, resumed, checkpoint, _, _ := resumeRun(t, build, cfg, loadBytes(t))
	if !slices.Equal(f32Bits(whole), f32Bits(resumed)) {
		t.Errorf("resumed weights %v\nwant            %v", resumed, whole)
	}
	if slices.Equal(f32Bits(checkpoint), f32Bits(resumed)) {
		t.Errorf("the second 10 epochs changed nothing")
	}
}

// Shuffling, dropout and momentum all draw on state that a checkpoint must
// carry; small batches make the order matter.
func TestResumedTrainingWithShuffleAndDropout(t *testing.T) {
	build := func() *Network {
		n, err := New(Input(2), Dense(8, ReLU), Dropout(0.3), Dense(1, Sigmoid), Seed(3))
		mustNil(t, err)
		return n
	}
	unmarshal := func(b []byte) *Network {
		var n Network
		mustNil(t, n.UnmarshalBinary(b))
		return &n
	}
	for _, opt := range []Optimizer{SGD(0.1), Momentum(0.05, 0.9), Nesterov(0.05, 0.9), Adam(0.01), RMSProp(0.01)} {
		cfg := TrainConfig{Epochs: 6, BatchSize: 2, Optimizer: opt}
		whole, resumed, _, wl, rl := resumeRun(t, build, cfg, unmarshal)
		if !slices.Equal(f32Bits(whole), f32Bits(resumed)) {
			t.Errorf("optimizer %d: resumed weights differ from uninterrupted training", opt.Kind)
		}
		if wl != rl {
			t.Errorf("optimizer %d: last loss %v, want %v", opt.Kind, rl, wl)
		}
	}
}

// A freshly built network saved with its generator state trains exactly
// as the original does.
func TestSavedGeneratorMatchesOriginal(t *testing.T) {
	n, err := New(Input(2), Dense(4, Tanh), Dropout(0.5), Dense(1, Sigmoid), Seed(21))
	mustNil(t, err)
	b, err := n.MarshalBinary()
	mustNil(t, err)
	twin, err := Load(bytes.NewReader(b))
	mustNil(t, err)
	x, y := fileXOR(t)
	cfg := TrainConfig{Epochs: 5, BatchSize: 1}
	_, err = n.Fit(context.Background(), x, y, cfg)
	mustNil(t, err)
	_, err = twin.Fit(context.Background(), x, y, cfg)
	mustNil(t, err)
	if !slices.Equal(f32Bits(n.params), f32Bits(twin.params)) {
		t.Errorf("loaded twin trained differently")
	}
}

func f32Bits(v []float32) []uint32 {
	b := make([]uint32, len(v))
	for i, x := range v {
		b[i] = math.Float32bits(x)
	}
	return b
}

// richNet has every layer kind and metadata part.
func richNet(t testing.TB) *Network {
	t.Helper()
	n, err := New(Input(3),
		Dense(6, LeakyReLU, Alpha(0.2), L2(1e-4), WithInit(HeUniform())),
		Dropout(0.1),
		Dense(5, Tanh, L1(1e-5), WithInit(Normal(0, 0.3))),
		Dense(4, Softmax, WithInit(Uniform(-0.5, 0.5))),
		Seed(77))
	mustNil(t, err)
	n.SetClassNames([]string{"a", "b", "c", "ü"})
	n.SetMeta("trained-on", "synthetic")
	n.SetMeta("", "empty key")
	n.SetScaler(&Scaler{Mean: []float32{1, -2, 3}, Std: []float32{0.5, 2, 10}})
	return n
}

func randRows(rng *rand.Rand, rows, cols int) [][]float32 {
	xs := make([][]float32, rows)
	for i := range xs {
		xs[i] = make([]float32, cols)
		for j := range xs[i] {
			xs[i][j] = float32(rng.NormFloat64() * 3)
		}
	}
	return xs
}

// Round trip: identical architecture, metadata and, in float32, bit-identical
// predictions; the other encodings stay close.
func TestRoundTrip(t *testing.T) {
	n := richNet(t)
	xs := randRows(rand.New(rand.NewPCG(1, 1)), 50, 3)
	want := predictRows(t, n, xs)
	for _, enc := range []Encoding{Float32, Float16, Int8} {
		var buf bytes.Buffer
		mustNil(t, n.Save(&buf, enc))
		got, err := Load(&buf)
		mustNil(t, err)
		if !reflect.DeepEqual(got.Layers(), n.Layers()) {
			t.Errorf("enc %d: layers\n%+v\nwant\n%+v", enc, got.Layers(), n.Layers())
		}
		if got.Loss() != n.Loss() || !slices.Equal(got.ClassNames(), n.ClassNames()) ||
			!slices.Equal(got.MetaKeys(), n.MetaKeys()) || !reflect.DeepEqual(got.Scaler(), n.Scaler()) {
			t.Errorf("enc %d: metadata differs", enc)
		}
		for _, k := range n.MetaKeys() {
			a, _ := n.Meta(k)
			if b, ok := got.Meta(k); !ok || a != b {
				t.Errorf("enc %d: meta %q = %q, want %q", enc, k, b, a)
			}
		}
		out := predictRows(t, got, xs)
		if enc == Float32 {
			if i, j := firstDiff(want, out); i >= 0 {
				t.Errorf("float32: output %d,%d = %v, want %v", i, j, out[i][j], want[i][j])
			}
			continue
		}
		var mad float64
		for i := range want {
			for j := range want[i] {
				mad += math.Abs(float64(out[i][j] - want[i][j]))
			}
		}
		mad /= float64(len(want) * len(want[0]))
		if limit := map[Encoding]float64{Float16: 1e-3, Int8: 2e-2}[enc]; mad > limit {
			t.Errorf("enc %d: mean absolute output change %g > %g", enc, mad, limit)
		}
	}
}

// The size promise: a float32 file is its weight bytes plus a few hundred.
func TestFileOverhead(t *testing.T) {
	n, err := New(Input(361), Dense(256, ReLU), Dense(361, Softmax))
	mustNil(t, err)
	var buf bytes.Buffer
	mustNil(t, n.Save(&buf))
	weights := 4 * len(n.params)
	if over := buf.Len() - weights; over < 0 || over > 256 {
		t.Errorf("file of %d bytes for %d weight bytes: overhead %d", buf.Len(), weights, over)
	}
}

func TestSaveRefuses(t *testing.T) {
	n := case5Net(t)
	n.layers[0].w[1] = float32(math.NaN())
	var buf bytes.Buffer
	if err := n.Save(&buf); !errors.Is(err, ErrNonFinite) || buf.Len() != 0 {
		t.Errorf("NaN weight: %v, %d bytes written; want ErrNonFinite and nothing", err, buf.Len())
	}

	n = case5Net(t)
	n.layers[1].w[2] = 1e5
	if err := n.Save(&buf, Float16); !errors.Is(err, ErrConfig) {
		t.Errorf("weight 1e5 as float16: %v, want ErrConfig", err)
	}
	if err := n.Save(&buf, Encoding(9)); !errors.Is(err, ErrConfig) {
		t.Errorf("encoding 9: %v, want ErrConfig", err)
	}
	n.SetScaler(&Scaler{Mean: []float32{0}, Std: []float32{1}})
	if err := n.Save(&buf); !errors.Is(err, ErrShape) {
		t.Errorf("scaler of 1 column for 2 inputs: %v, want ErrShape", err)
	}

	var zero Network
	if _, err := zero.MarshalBinary(); !errors.Is(err, ErrConfig) {
		t.Errorf("zero Network: %v, want ErrConfig", err)
	}

	n = case5Net(t)
	if err := n.Save(&failAfter{w: io.Discard, n: 10}); !errors.Is(err, errDiskFull) {
		t.Errorf("failing writer: %v, want its error", err)
	}
}

// SaveFile replaces a model atomically; a save that fails half way leaves
// the old file loadable and unchanged.
func TestSaveFileAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "model.nnm")
	old := case5Net(t)
	mustNil(t, old.SaveFile(path))
	oldBytes, err := os.ReadFile(path)
	mustNil(t, err)

	next := richNet(t)
	b, err := next.MarshalBinary()
	mustNil(t, err)
	err = writeFileAtomic(path, func(w io.Writer) error {
		_, err := (&failAfter{w: w, n: len(b) / 2}).Write(b)
		return err
	})
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("got %v, want the writer's error", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, oldBytes) {
		t.Fatal("old model changed after a failed save")
	}
	loaded, err := LoadFile(path)
	mustNil(t, err)
	if i, j := firstDiff(predictRows(t, old, xorInputs), predictRows(t, loaded, xorInputs)); i >= 0 {
		t.Fatalf("old model predicts differently at %d,%d", i, j)
	}

	mustNil(t, next.SaveFile(path, Float16))
	loaded, err = LoadFile(path)
	mustNil(t, err)
	if loaded.InputSize() != 3 {
		t.Errorf("after a good save the file holds a %d-input model, want 3", loaded.InputSize())
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "absent.nnm")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absent file: %v", err)
	}
}

// A header that claims a gigabyte costs a few kilobytes when only a few
// bytes follow: from a reader of known length nothing is read past the
// header, from any other reader chunks grow with the bytes received.
func TestLoadClaimedLengthNotAllocated(t *testing.T) {
	b := make([]byte, 64)
	copy(b, magic[:])
	binary.LittleEndian.PutUint32(b[4:], formatVersion)
	binary.LittleEndian.PutUint64(b[8:], 1<<30)
	readers := map[string]func() io.Reader{
		"bytes.Reader": func() io.Reader { return bytes.NewReader(b) },
		"plain reader": func() io.Reader { return iotest.HalfReader(bytes.NewReader(b)) },
	}
	for name, r := range readers {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Load(r())
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTruncated) {
			t.Fatalf("%s: got %v, want ErrTruncated", name, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 4*minRead {
			t.Errorf("%s: Load allocated %d bytes for a 64-byte input", name, n)
		}
	}
}

// A reader whose Len method counts something else than its bytes is read
// as one of unknown length: a file that declares 256 MB of weights after
// a valid architecture costs memory only for the bytes that arrive.
func TestLoadLenIsNoPromise(t *testing.T) {
	b := encode(&model{inputs: 1, layers: []modelLayer{{kind: layerDense, units: 1, init: uint8(InitZeros)}},
		params: []denseParams{{w: []float32{1.5}, b: []float32{-2}}}})
	arch := bytes.Index(b, binary.LittleEndian.AppendUint32([]byte{secArch, 0, 0, 0, flagCritical, 0, 0, 0}, archFixed+layerBytes))
	weights := bytes.Index(b, []byte{secWeights, 0, 0, 0, flagCritical, 0, 0, 0})
	if arch < 0 || weights < 0 {
		t.Fatal("sections not found")
	}
	binary.LittleEndian.PutUint32(b[arch+sectionHeader:], 1<<13)
	binary.LittleEndian.PutUint32(b[arch+sectionHeader+archFixed+4:], 1<<13)
	size, ok := weightsSize(encFloat32, []int{1 << 13}, []int{1 << 13})
	if !ok {
		t.Fatal("weightsSize refused 8192×8192")
	}
	binary.LittleEndian.PutUint64(b[weights+8:], uint64(size))
	binary.LittleEndian.PutUint64(b[8:], uint64(weights+sectionHeader+size+trailerSize))
	b = b[:weights+sectionHeader+weightsHdr]

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Load(lyingLen{bytes.NewReader(b)})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTruncated) {
		t.Fatalf("got %v, want ErrTruncated", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("Load allocated %d bytes for a %d-byte input", n, len(b))
	}
}

type lyingLen struct{ io.Reader }

func (lyingLen) Len() int { return 1 << 30 }

// Load from an *os.File starts where the file is and leaves the rest of it
// unread, as from any stream.
func TestLoadFromFileOffset(t *testing.T) {
	n := richNet(t)
	model, err := n.MarshalBinary()
	mustNil(t, err)
	path := filepath.Join(t.TempDir(), "stream")
	mustNil(t, os.WriteFile(path, slices.Concat([]byte("prefix"), model, []byte("suffix")), 0o644))
	f, err := os.Open(path)
	mustNil(t, err)
	defer f.Close()
	if _, err := f.Seek(6, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	m, err := Load(f)
	mustNil(t, err)
	if !slices.Equal(f32Bits(m.params), f32Bits(n.params)) {
		t.Error("parameters differ")
	}
	rest, err := io.ReadAll(f)
	if err != nil || string(rest) != "suffix" {
		t.Errorf("after the model the file holds %q (%v), want \"suffix\"", rest, err)
	}
}

// UnmarshalBinary must take over every field of the loaded network: a
// field that Load sets and UnmarshalBinary misses stays zero in a zero
// receiver.
func TestUnmarshalBinaryAdoptsAll(t *testing.T) {
	n := richNet(t)
	rng := rand.New(rand.NewPCG(4, 4))
	x, err := FromRows(randRows(rng, 20, 3))
	mustNil(t, err)
	labels := make([]int, 20)
	for i := range labels {
		labels[i] = i % 4
	}
	_, err = n.Fit(context.Background(), x, Classes(labels), TrainConfig{Epochs: 2, BatchSize: 32, Optimizer: Adam(0.01)})
	mustNil(t, err)
	b, err := n.MarshalBinary()
	mustNil(t, err)
	want, err := Load(bytes.NewReader(b))
	mustNil(t, err)
	var got Network
	mustNil(t, got.UnmarshalBinary(b))

	gv, wv := reflect.ValueOf(&got).Elem(), reflect.ValueOf(want).Elem()
	for i := range gv.NumField() {
		if !wv.Field(i).IsZero() && gv.Field(i).IsZero() {
			t.Errorf("field %s not adopted", gv.Type().Field(i).Name)
		}
	}
	if i, _ := firstDiff(predictRows(t, want, [][]float32{{1, 2, 3}}), predictRows(t, &got, [][]float32{{1, 2, 3}})); i >= 0 {
		t.Errorf("UnmarshalBinary and Load predict differently")
	}
}

// Without optimiser state a loaded network starts afresh: generator at its
// seed, no moments, no steps.
func TestLoadWithoutStateStartsFromSeed(t *testing.T) {
	n := richNet(t)
	x, err := FromRows(randRows(rand.New(rand.NewPCG(2, 2)), 8, 3))
	mustNil(t, err)
	_, err = n.Fit(context.Background(), x, Classes([]int{0, 1, 2, 3, 0, 1, 2, 3}), TrainConfig{Epochs: 2, BatchSize: 32})
	mustNil(t, err)
	var buf bytes.Buffer
	mustNil(t, n.Save(&buf))
	m, err := Load(&buf)
	mustNil(t, err)
	got, _ := m.pcg.MarshalBinary()
	want, _ := rand.NewPCG(77, pcgStream).MarshalBinary()
	if !bytes.Equal(got, want) {
		t.Errorf("generator state %x, want the fresh seed-77 state %x", got, want)
	}
	if m.step != 0 || m.epochs != 0 || m.m != nil || m.v != nil || m.opt.Kind != 0 {
		t.Errorf("optimiser state carried without WithOptimizerState: step %d, epochs %d", m.step, m.epochs)
	}
}

// Load assembles a large model from a reader that returns a few bytes at
// a time, across its growing chunks.
func TestLoadSlowReader(t *testing.T) {
	n, err := New(Input(361), Dense(256, ReLU), Dense(361, Softmax))
	mustNil(t, err)
	file, err := n.MarshalBinary()
	mustNil(t, err)
	m, err := Load(iotest.HalfReader(iotest.DataErrReader(bytes.NewReader(file))))
	mustNil(t, err)
	if !slices.Equal(f32Bits(m.params), f32Bits(n.params)) {
		t.Error("parameters differ after a slow read")
	}
	if _, err := Load(iotest.TimeoutReader(bytes.NewReader(file))); !errors.Is(err, iotest.ErrTimeout) {
		t.Errorf("failing reader: %v, want its error", err)
	}
}

// An explicit validation set draws nothing from the generator, so training
// with one resumes exactly too.
func TestResumedTrainingWithValidationSet(t *testing.T) {
	build := func() *Network {
		n, err := New(Input(2), Dense(4, Tanh), Dense(1, Sigmoid), Seed(8))
		mustNil(t, err)
		return n
	}
	vx, vy := fileXOR(t)
	cfg := TrainConfig{Epochs: 5, BatchSize: 2, Optimizer: Momentum(0.1, 0.9), ValX: &vx, ValY: &vy}
	whole, resumed, _, wl, rl := resumeRun(t, build, cfg, loadBytes(t))
	if !slices.Equal(f32Bits(whole), f32Bits(resumed)) || wl != rl {
		t.Errorf("resumed training with a validation set differs: loss %v, want %v", rl, wl)
	}
}

// Save's own limits and errors: no more metadata entries than a file may
// hold, a writer's error wrapped so that errors.Is finds it, and a nil
// receiver for UnmarshalBinary is an error, not a panic.
func TestSaveLimitsAndErrors(t *testing.T) {
	n := case5Net(t)
	for i := range maxMetaEntries + 1 {
		n.SetMeta(strconv.Itoa(i), "")
	}
	var buf bytes.Buffer
	if err := n.Save(&buf); !errors.Is(err, ErrConfig) || buf.Len() != 0 {
		t.Errorf("%d metadata entries: got %v and %d bytes, want ErrConfig and nothing written", maxMetaEntries+1, err, buf.Len())
	}

	fire := errors.New("disk on fire")
	err := case5Net(t).Save(failingWriter{fire})
	if !errors.Is(err, fire) || !strings.HasPrefix(err.Error(), "nn: save: ") {
		t.Errorf("failing writer: got %v, want it wrapped as nn: save: ...", err)
	}

	b, err := case5Net(t).MarshalBinary()
	mustNil(t, err)
	var none *Network
	if err := none.UnmarshalBinary(b); !errors.Is(err, ErrConfig) {
		t.Errorf("UnmarshalBinary into a nil *Network: got %v, want ErrConfig", err)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write(p []byte) (int, error) { return len(p) / 2, w.err }
