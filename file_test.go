package nn

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// failAfter writes n bytes and then fails, like a disk that fills up.
type failAfter struct {
	w io.Writer
	n int
}

var errDiskFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, errDiskFull
	}
	f.n -= len(p)
	return f.w.Write(p)
}

func TestWriteFileAtomicFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.nnm")
	old := bytes.Repeat([]byte("old model "), 100)
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}

	// the new content fails half way
	next := bytes.Repeat([]byte("NEW"), 1000)
	err := writeFileAtomic(path, func(w io.Writer) error {
		_, err := (&failAfter{w: w, n: len(next) / 2}).Write(next)
		return err
	})
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("got %v, want the writer's error", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, old) {
		t.Fatalf("old file changed: %d bytes, want %d", len(got), len(old))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("folder holds %d entries after a failed save, want only the old file", len(entries))
	}

	// a complete write replaces it and keeps its mode
	if err := writeFileAtomic(path, func(w io.Writer) error { _, err := w.Write(next); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, next) {
		t.Fatalf("file holds %d bytes, want the new %d", len(got), len(next))
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode after replace: %v, %v; want 0600", st.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("folder holds %d entries after a save, want 1", len(entries))
	}
}

func TestWriteFileAtomicMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent", "model.nnm")
	err := writeFileAtomic(path, func(w io.Writer) error { return nil })
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v, want a not-exist error", err)
	}
}
