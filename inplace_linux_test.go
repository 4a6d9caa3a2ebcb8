//go:build linux

package nn

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

// A model file mapped read-only is used in place, and neither training nor
// SetWeights writes to it (a write would kill the test with a fault).
func TestLoadInPlaceReadOnlyMapping(t *testing.T) {
	orig, x := inPlaceNet(t, 8, 16, 3)
	path := filepath.Join(t.TempDir(), "model.nn")
	if err := orig.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Skipf("cannot map %s: %v", path, err)
	}
	defer syscall.Munmap(data)

	n, err := LoadInPlace(data)
	if err != nil {
		t.Fatal(err)
	}
	if n.lent != littleEndianHost || inside(n.params, data) != littleEndianHost {
		t.Fatalf("mapped weights used in place: %v, want %v (on a little-endian machine)", n.lent, littleEndianHost)
	}
	want, _ := orig.PredictBatch(x)
	if got, err := n.PredictBatch(x); err != nil || !slices.Equal(got.Data, want.Data) {
		t.Fatalf("predictions from the mapped file differ (%v)", err)
	}
	w, b, err := n.Weights(1)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.SetWeights(1, w, b); err != nil {
		t.Fatal(err)
	}
	m, err := LoadInPlace(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Fit(context.Background(), x, want, TrainConfig{Epochs: 1, BatchSize: 8}); err != nil {
		t.Fatal(err)
	}
}
