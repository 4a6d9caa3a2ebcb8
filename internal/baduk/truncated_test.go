package baduk

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A cut archive (a partial download) hands the records before the cut to
// fn and then the damage as a bad record, instead of failing the walk.
func TestWalkTruncatedTarGz(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20 {
		// a comment of random letters keeps the archive from compressing
		// to nothing, so a cut lands between records
		c := make([]byte, 2000)
		for j := range c {
			c[j] = byte('a' + r.IntN(26))
		}
		data := []byte(fmt.Sprintf("(;GM[1]SZ[19]C[%s];B[pd])", c))
		if err := tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("g%02d.sgf", i), Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cut := filepath.Join(dir, "cut.tar.gz")
	if err := os.WriteFile(cut, buf.Bytes()[:buf.Len()/2], 0o644); err != nil {
		t.Fatal(err)
	}
	good, bad := 0, 0
	var last error
	err := Walk(cut, func(name string, data []byte, err error) error {
		if err != nil {
			bad++
			last = err
			return nil
		}
		if !strings.HasPrefix(string(data), "(;GM[1]") {
			t.Errorf("%s: %.20q", name, data)
		}
		good++
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	if good < 5 || good >= 20 || bad < 1 || bad > 2 {
		t.Errorf("%d good and %d bad records from half an archive of 20", good, bad)
	}
	if last == nil || !strings.Contains(last.Error(), "cut.tar.gz is truncated or damaged after") {
		t.Errorf("last error %v", last)
	}

	// an empty file has no records to keep: the walk fails, saying why
	empty := filepath.Join(dir, "empty.tar.gz")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err = Walk(empty, func(string, []byte, error) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "empty.tar.gz is empty or not a gzip archive") {
		t.Errorf("Walk(empty) = %v", err)
	}
}
