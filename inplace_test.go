package nn

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// inPlaceNet is a trained 8-16-3 network: every weight array and the
// hidden biases are multiples of 4 values, so its float32 file can be used
// in place.
func inPlaceNet(t *testing.T, shape ...int) (*Network, Matrix) {
	t.Helper()
	opts := []Option{Input(shape[0]), Seed(5)}
	for _, u := range shape[1 : len(shape)-1] {
		opts = append(opts, Dense(u, ReLU))
	}
	opts = append(opts, Dense(shape[len(shape)-1], Softmax))
	n, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := NewMatrix(64, shape[0]), NewMatrix(64, shape[len(shape)-1])
	for i := range x.Rows {
		for j := range x.Cols {
			x.Data[i*x.Cols+j] = float32(rng.NormFloat64())
		}
		y.Data[i*y.Cols+i%y.Cols] = 1
	}
	if _, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 3, BatchSize: 16}); err != nil {
		t.Fatal(err)
	}
	return n, x
}

// inside reports whether p's values lie in data's memory.
func inside(p []float32, data []byte) bool {
	a, lo := uintptr(unsafe.Pointer(&p[0])), uintptr(unsafe.Pointer(&data[0]))
	return a >= lo && a+4*uintptr(len(p)) <= lo+uintptr(len(data))
}

func TestLoadInPlace(t *testing.T) {
	orig, x := inPlaceNet(t, 8, 16, 3)
	data, err := orig.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	keep := bytes.Clone(data)
	n, err := LoadInPlace(data)
	if err != nil {
		t.Fatal(err)
	}
	// a big-endian machine copies them
	if n.lent != littleEndianHost || inside(n.params, data) != littleEndianHost {
		t.Fatalf("weights of an 8-16-3 float32 file used in place: %v, want %v", n.lent, littleEndianHost)
	}
	want, _ := orig.PredictBatch(x)
	got, err := n.PredictBatch(x)
	if err != nil || !slices.Equal(got.Data, want.Data) {
		t.Fatalf("predictions of the network used in place differ (%v)", err)
	}
	if b, _ := n.MarshalBinary(); !bytes.Equal(b, keep) {
		t.Error("the network used in place saves different bytes")
	}

	// changing the weights leaves data alone
	w, b, err := n.Weights(0)
	if err != nil {
		t.Fatal(err)
	}
	w[0][0] += 1
	if err := n.SetWeights(0, w, b); err != nil {
		t.Fatal(err)
	}
	if n.lent || inside(n.params, data) || !bytes.Equal(data, keep) {
		t.Fatal("SetWeights wrote into the lent file bytes")
	}

	// and so does training
	n, err = LoadInPlace(data)
	if err != nil {
		t.Fatal(err)
	}
	before := slices.Clone(n.params)
	y := NewMatrix(x.Rows, 3)
	for i := range y.Rows {
		y.Data[3*i+(i+1)%3] = 1
	}
	if _, err := n.Fit(context.Background(), x, y, TrainConfig{Epochs: 2, BatchSize: 8}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, keep) {
		t.Fatal("Fit wrote into the lent file bytes")
	}
	if slices.Equal(before, n.params) {
		t.Error("Fit on a network used in place changed no weight")
	}
}

// Where the weights cannot be used in place they are copied, and the
// network is the same.
func TestLoadInPlaceCopies(t *testing.T) {
	odd, _ := inPlaceNet(t, 3, 5, 2) // 15 weights: padding follows them
	aligned, x := inPlaceNet(t, 8, 16, 3)
	f32, _ := aligned.MarshalBinary()
	var buf bytes.Buffer
	if err := aligned.Save(&buf, Float16); err != nil {
		t.Fatal(err)
	}
	f16 := buf.Bytes()
	oddData, _ := odd.MarshalBinary()
	shifted := make([]byte, len(f32)+1)[1:] // data at an odd address
	copy(shifted, f32)
	for _, c := range []struct {
		name string
		data []byte
		x    Matrix
	}{
		{"padded layout", oddData, NewMatrix(2, 3)},
		{"float16", f16, x},
		{"odd address", shifted, x},
	} {
		n, err := LoadInPlace(c.data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if n.lent || inside(n.params, c.data) {
			t.Errorf("%s: weights used in place", c.name)
		}
		m, err := Load(bytes.NewReader(c.data))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := n.PredictBatch(c.x)
		want, _ := m.PredictBatch(c.x)
		if !slices.Equal(got.Data, want.Data) {
			t.Errorf("%s: LoadInPlace and Load predict differently", c.name)
		}
	}
}

// Damaged bytes fail as they do for UnmarshalBinary; a non-finite weight
// is found in place too.
func TestLoadInPlaceErrors(t *testing.T) {
	n, _ := inPlaceNet(t, 8, 16, 3)
	good, _ := n.MarshalBinary()
	for i := range good {
		c := bytes.Clone(good)
		c[i] ^= 0x40
		_, err := LoadInPlace(c)
		want := new(Network).UnmarshalBinary(c)
		if modelErrorKind(err) != modelErrorKind(want) || err == nil {
			t.Fatalf("byte %d flipped: LoadInPlace gives %v, UnmarshalBinary %v", i, err, want)
		}
	}
	nan := bytes.Clone(good)
	at := bytes.Index(nan, binary.LittleEndian.AppendUint32(nil, math.Float32bits(n.params[5])))
	binary.LittleEndian.PutUint32(nan[at:], 0x7fc00000)
	nan = refile(nan[:len(nan)-trailerSize])
	if _, err := LoadInPlace(nan); !errors.Is(err, ErrNonFinite) {
		t.Errorf("NaN weight: got %v, want ErrNonFinite", err)
	}
}

// A reader that does not tell its length is read into memory of Load's
// own; the network may keep its weights there and train them.
func TestLoadPlainReaderOwnsWeights(t *testing.T) {
	orig, x := inPlaceNet(t, 8, 16, 3)
	data, err := orig.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	n, err := Load(struct{ io.Reader }{bytes.NewReader(data)})
	if err != nil {
		t.Fatal(err)
	}
	if n.lent {
		t.Fatal("weights read into Load's own buffer are marked as lent")
	}
	want, _ := orig.PredictBatch(x)
	if got, err := n.PredictBatch(x); err != nil || !slices.Equal(got.Data, want.Data) {
		t.Fatalf("predictions differ (%v)", err)
	}
	if _, err := n.Fit(context.Background(), x, want, TrainConfig{Epochs: 1, BatchSize: 8}); err != nil {
		t.Fatal(err)
	}
}
