package nn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds returns valid files of every encoding, with and without
// metadata and optimiser state, and the golden files.
func fuzzSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	// the 4-4-2 network's float32 file can be used in place (LoadInPlace)
	aligned, err := New(Input(4), Dense(4, Tanh), Dense(2, Softmax), Seed(3))
	mustNil(t, err)
	nets := []*Network{case5Net(t), richNet(t), aligned}
	for _, n := range nets {
		for _, enc := range []Encoding{Float32, Float16, Int8} {
			for _, opts := range [][]SaveOption{{enc}, {enc, WithOptimizerState()}} {
				var buf bytes.Buffer
				mustNil(t, n.Save(&buf, opts...))
				seeds = append(seeds, buf.Bytes())
			}
		}
	}
	golden, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.nnm"))
	for _, path := range golden {
		b, err := os.ReadFile(path)
		mustNil(t, err)
		seeds = append(seeds, b)
	}
	return seeds
}

// FuzzLoad feeds Load arbitrary bytes. Since random bytes rarely carry a
// right checksum, each input is also tried with its length field and CRC
// repaired, which lets the fuzzer reach the section parsers. Every input
// must give a model or a typed error, never a panic; a model that loads
// must predict and save again.
func FuzzLoad(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
		f.Add(s[:len(s)/2])
		f.Add(s[:headerSize+sectionHeader+3])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tryLoad(t, data)
		if len(data) >= headerSize+trailerSize {
			body := bytes.Clone(data[:len(data)-trailerSize])
			copy(body, magic[:])
			binary.LittleEndian.PutUint32(body[4:], formatVersion)
			tryLoad(t, refile(body))
		}
	})
}

func tryLoad(t *testing.T, data []byte) {
	n, err := Load(bytes.NewReader(data))

	// a reader of unknown length is read into memory before decoding, one
	// that tells its length is decoded as it is read: same outcome
	n2, err2 := Load(struct{ io.Reader }{bytes.NewReader(data)})
	if modelErrorKind(err) != modelErrorKind(err2) {
		t.Fatalf("Load of a bytes.Reader gives %v, of a plain reader %v", err, err2)
	}
	if err == nil && !sameModel(t, n, n2) {
		t.Fatal("Load of a bytes.Reader and of a plain reader give different models")
	}
	// LoadInPlace takes exactly one model, which it may use where it lies
	if size, herr := checkHeader(data); herr == nil && size == len(data) {
		n3, err3 := LoadInPlace(data)
		if modelErrorKind(err) != modelErrorKind(err3) {
			t.Fatalf("Load gives %v, LoadInPlace %v", err, err3)
		}
		if err == nil && !sameModel(t, n, n3) {
			t.Fatal("Load and LoadInPlace give different models")
		}
	}
	if err != nil {
		if n != nil {
			t.Fatalf("Load returned a network with error %v", err)
		}
		if !isModelError(err) {
			t.Fatalf("untyped error: %v", err)
		}
		return
	}
	// a model that loads can be used (huge weights may overflow into an
	// error, but nothing may panic) and written again
	_, _ = n.Predict(make([]float32, n.InputSize()))
	b, err := n.MarshalBinary()
	if err != nil {
		t.Fatalf("a loaded model does not save: %v", err)
	}
	if _, err := Load(bytes.NewReader(b)); err != nil {
		t.Fatalf("a loaded model saves to a file that does not load: %v", err)
	}
}

// modelErrorKind returns the sentinel err wraps, or err itself.
func modelErrorKind(err error) error {
	for _, e := range modelErrors {
		if errors.Is(err, e) {
			return e
		}
	}
	return err
}

// sameModel reports whether a and b save to the same bytes.
func sameModel(t *testing.T, a, b *Network) bool {
	t.Helper()
	ab, erra := a.MarshalBinary()
	bb, errb := b.MarshalBinary()
	if erra != nil || errb != nil {
		t.Fatalf("a loaded model does not save: %v, %v", erra, errb)
	}
	return bytes.Equal(ab, bb)
}
