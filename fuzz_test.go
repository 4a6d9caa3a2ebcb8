package nn

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds returns valid files of every encoding, with and without
// metadata and optimiser state, and the golden files.
func fuzzSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	nets := []*Network{case5Net(t), richNet(t)}
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
