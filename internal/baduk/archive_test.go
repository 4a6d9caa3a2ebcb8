package baduk

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestWalkFolderAndTarGz(t *testing.T) {
	var fromDir []string
	err := Walk("testdata", func(name string, data []byte, err error) error {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		fromDir = append(fromDir, filepath.Base(name))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.sgf"))
	if len(fromDir) != len(files) || len(files) < 10 {
		t.Fatalf("walked %d files, want the %d in testdata", len(fromDir), len(files))
	}

	// the same files in a .tar.gz, plus a folder entry, a non-SGF file and
	// one record over the size limit
	arc := filepath.Join(t.TempDir(), "games.tar.gz")
	f, err := os.Create(arc)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	add := func(name string, data []byte) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.WriteHeader(&tar.Header{Name: "games/", Mode: 0o755, Typeflag: tar.TypeDir}); err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		add("games/"+filepath.Base(name), data)
	}
	add("games/notes.txt", []byte("not a game"))
	add("games/huge.sgf", make([]byte, MaxRecord+1))
	for _, c := range []interface{ Close() error }{tw, zw, f} {
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	var fromTar []string
	var failed []string
	err = Walk(arc, func(name string, data []byte, err error) error {
		if err != nil {
			failed = append(failed, name)
			return nil
		}
		fromTar = append(fromTar, strings.TrimPrefix(name, "games/"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(fromTar, fromDir) {
		t.Errorf("archive gave %v, folder gave %v", fromTar, fromDir)
	}
	if !slices.Equal(failed, []string{"games/huge.sgf"}) {
		t.Errorf("unreadable records %v, want games/huge.sgf", failed)
	}

	// ErrStopWalk ends the walk quietly; other errors come back
	n := 0
	err = Walk(arc, func(string, []byte, error) error { n++; return ErrStopWalk })
	if err != nil || n != 1 {
		t.Errorf("stop: %d calls, error %v", n, err)
	}
	boom := errors.New("boom")
	if err := Walk("testdata", func(string, []byte, error) error { return boom }); err != boom {
		t.Errorf("error from fn: %v, want boom", err)
	}
}

func TestWalkBadPaths(t *testing.T) {
	for _, path := range []string{"testdata/missing.tar.gz", "testdata/README.md"} {
		if err := Walk(path, func(string, []byte, error) error { return nil }); err == nil {
			t.Errorf("Walk(%s): no error", path)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.tar.gz")
	if err := os.WriteFile(bad, []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Walk(bad, func(string, []byte, error) error { return nil }); err == nil {
		t.Error("Walk of a file that is not gzip: no error")
	}
}

// sharedGames is the game collection kept beside the repository; it may not
// be copied into it.
const sharedGames = "../../../shared/data/go-games/tom-9d-sgf.tar.gz"

// TestSharedGamesReplay parses and replays the first games of the shared
// collection, whose records are all legal.
func TestSharedGamesReplay(t *testing.T) {
	if _, err := os.Stat(sharedGames); err != nil {
		t.Skipf("shared game records not found at %s (they live outside the repository): %v", sharedGames, err)
	}
	games, moves := 0, 0
	err := Walk(sharedGames, func(name string, data []byte, err error) error {
		if err != nil {
			return err
		}
		g, err := ParseSGF(data)
		if err != nil {
			return errors.Join(errors.New(name), err)
		}
		var f Features
		err = g.Replay(func(b *Board, m Move) error {
			pos := NewPosition(b, m)
			f.Load(&pos)
			if m.P != Pass && !f.On(PlaneLegal, m.P) {
				t.Errorf("%s move %d: played move %v not on the legal plane", name, b.MoveNumber()+1, m.P)
			}
			moves++
			return nil
		})
		if err != nil {
			return errors.Join(errors.New(name), err)
		}
		if games++; games == 500 {
			return ErrStopWalk
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if games != 500 || moves < 500*60 {
		t.Errorf("%d games, %d moves", games, moves)
	}
}
