package baduk

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MaxRecord is the largest SGF file Walk reads; a game record is a few
// kilobytes, so anything bigger is refused rather than loaded.
const MaxRecord = 1 << 20

// ErrStopWalk, returned by the function given to Walk, ends the walk early
// without an error.
var ErrStopWalk = errors.New("nn: baduk: stop walk")

// Walk calls fn for every .sgf file in path, which is a .tar.gz (or .tgz)
// archive, a folder (searched recursively, in lexical order) or one .sgf
// file. A record that cannot be read (too big, say) is handed to fn with a
// non-nil err so the caller can report it and go on; fn's own error ends
// the walk and is returned, except ErrStopWalk, which ends it quietly. An
// archive that ends early or is damaged past its start is handed to fn the
// same way, under the archive's name, after the records before the damage.
func Walk(path string, fn func(name string, data []byte, err error) error) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("nn: baduk: %w", err)
	}
	switch {
	case st.IsDir():
		err = walkDir(path, fn)
	case strings.HasSuffix(path, ".tar.gz") || strings.HasSuffix(path, ".tgz"):
		err = walkTarGz(path, fn)
	case isSGF(path):
		err = walkFile(path, fn)
	default:
		return fmt.Errorf("nn: baduk: %s is not a folder, a .tar.gz or an .sgf file", path)
	}
	if errors.Is(err, ErrStopWalk) {
		return nil
	}
	return err
}

func isSGF(name string) bool { return strings.EqualFold(filepath.Ext(name), ".sgf") }

func walkFile(path string, fn func(string, []byte, error) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fn(path, nil, err)
	}
	defer f.Close()
	data, err := readRecord(f)
	return fn(path, data, err)
}

func walkDir(root string, fn func(string, []byte, error) error) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fn(path, nil, err)
		}
		if d.IsDir() || !isSGF(path) {
			return nil
		}
		return walkFile(path, fn)
	})
}

func walkTarGz(path string, fn func(string, []byte, error) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("nn: baduk: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("nn: baduk: %s is empty or not a gzip archive: %w", path, err)
	}
	tr := tar.NewReader(zr)
	for records := 0; ; {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			// A cut or damaged archive (a partial download, say) ends the
			// walk, but as a bad record: the caller keeps what came before.
			err = fmt.Errorf("nn: baduk: %s is truncated or damaged after %d records: %w", path, records, err)
			return fn(path, nil, err)
		}
		if h.Typeflag != tar.TypeReg || !isSGF(h.Name) {
			continue
		}
		data, err := readRecord(tr)
		records++
		if err := fn(h.Name, data, err); err != nil {
			return err
		}
	}
}

// readRecord reads at most MaxRecord bytes and fails on longer input.
func readRecord(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxRecord+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxRecord {
		return nil, fmt.Errorf("nn: baduk: record longer than %d bytes", MaxRecord)
	}
	return data, nil
}
