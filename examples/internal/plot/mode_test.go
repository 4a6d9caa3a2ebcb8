package plot

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// A saved picture is readable by others, not private like the temporary
// file it was written to.
func TestSaveMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits")
	}
	path := filepath.Join(t.TempDir(), "p.png")
	if err := Save(path, New(4, 4, 0, 1, 0, 1).Img); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want -rw-r--r--", st.Mode().Perm())
	}
}
