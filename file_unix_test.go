//go:build unix

package nn

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A new model file gets 0644 less the process umask, as os.WriteFile would
// give it; a replaced one keeps its mode.
func TestSaveFileMode(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	n := case5Net(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "new.nnm")
	if err := n.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != 0o600 {
		t.Errorf("new file under umask 077 has mode %v, want -rw-------", got)
	}

	kept := filepath.Join(dir, "kept.nnm")
	if err := os.WriteFile(kept, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(kept, 0o664); err != nil {
		t.Fatal(err)
	}
	if err := n.SaveFile(kept); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(kept); err != nil || st.Mode().Perm() != 0o664 {
		t.Errorf("replaced file has mode %v (%v), want its old -rw-rw-r--", st.Mode().Perm(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// SaveFile replaces regular files only: a named pipe at the path stays.
func TestSaveFileRefusesSpecialFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	err := case5Net(t).SaveFile(path)
	if !errors.Is(err, ErrConfig) {
		t.Errorf("SaveFile onto a named pipe: got %v, want ErrConfig", err)
	}
	if st, err := os.Lstat(path); err != nil || st.Mode().Type() != os.ModeNamedPipe {
		t.Errorf("the named pipe was replaced (%v)", err)
	}
	if err := case5Net(t).SaveFile(filepath.Dir(path)); !errors.Is(err, ErrConfig) {
		t.Errorf("SaveFile onto a folder: got %v, want ErrConfig", err)
	}
}

// Only a link that leads to nothing is replaced by the file; a loop of
// links is an error and stays as it was.
func TestSaveFileLinkLoop(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.Symlink(b, a); err != nil {
		t.Skipf("symlink: %v", err)
	}
	if err := os.Symlink(a, b); err != nil {
		t.Fatal(err)
	}
	if err := case5Net(t).SaveFile(a); err == nil {
		t.Error("SaveFile through a loop of links succeeded")
	}
	if st, err := os.Lstat(a); err != nil || st.Mode().Type() != os.ModeSymlink {
		t.Errorf("the link was replaced (%v)", err)
	}
}
