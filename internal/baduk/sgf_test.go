package baduk

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func readGame(t testing.TB, name string) *Game {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	g, err := ParseSGF(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return g
}

// pts turns SGF letter pairs into points.
func pts(t *testing.T, names ...string) []Point {
	t.Helper()
	var out []Point
	for _, n := range names {
		p, err := (&sgfParser{}).point(n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func TestParseSGFMoves(t *testing.T) {
	g := readGame(t, "capture.sgf")
	if g.Date != "2011-03-04" || g.Year() != 2011 {
		t.Errorf("date %q year %d, want 2011-03-04 and 2011", g.Date, g.Year())
	}
	want := []Move{
		{Black, At(0, 0)}, {White, At(1, 0)}, {Black, At(0, 1)}, {White, At(1, 1)},
		{Black, At(15, 15)}, {White, At(0, 2)}, {Black, At(0, 0)},
	}
	if !slices.Equal(g.Moves, want) {
		t.Errorf("moves %v, want %v", g.Moves, want)
	}
}

func TestParseSGFPasses(t *testing.T) {
	g := readGame(t, "passes.sgf")
	want := []Move{{Black, At(3, 15)}, {White, Pass}, {Black, Pass}, {White, At(15, 3)}}
	if !slices.Equal(g.Moves, want) {
		t.Errorf("moves %v, want %v", g.Moves, want)
	}
}

func TestParseSGFSetup(t *testing.T) {
	g := readGame(t, "setup.sgf")
	p := pts(t, "dd", "pp", "dp", "dq", "qd")
	want := []Move{{Black, p[0]}, {Black, p[1]}, {Black, p[2]}, {Black, p[3]}, {White, p[4]}, {Empty, p[3]}}
	if !slices.Equal(g.Setup, want) {
		t.Errorf("setup %v, want %v", g.Setup, want)
	}
	if g.First != White {
		t.Errorf("first player %v, want white", g.First)
	}
	var boards []string
	err := g.Replay(func(b *Board, m Move) error {
		if b.ToPlay() != m.C {
			t.Errorf("move %v: board gives the move to %v", m, b.ToPlay())
		}
		boards = append(boards, b.String())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b := NewBoard()
	for _, s := range []Move{{Black, p[0]}, {Black, p[1]}, {Black, p[2]}, {White, p[4]}} {
		if err := b.Setup(s.C, s.P); err != nil {
			t.Fatal(err)
		}
	}
	if boards[0] != b.String() {
		t.Errorf("board before the first move:\n%s\nwant\n%s", boards[0], b)
	}
}

func TestParseSGFVariations(t *testing.T) {
	g := readGame(t, "variations.sgf")
	want := pts(t, "pd", "dp", "pp")
	var got []Point
	for _, m := range g.Moves {
		got = append(got, m.P)
	}
	if !slices.Equal(got, want) {
		t.Errorf("main line %v, want %v", got, want)
	}
}

func TestParseSGFErrors(t *testing.T) {
	for _, name := range []string{"broken.sgf", "badpoint.sgf", "size9.sgf"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseSGF(data)
		if !errors.Is(err, ErrSGF) {
			t.Errorf("%s: error %v, want one wrapping ErrSGF", name, err)
		}
	}
	for _, text := range []string{
		"", "garbage", "(", "(;", "()", "(;B[aa]", "(;B[aa]W[bb])", "(;b[aa])",
		"(;B)", "(;B[aa];W[bb]\\", "(;AB[aa:zz])", "(;B[aa];AB[bb])", "(;PL[X])",
		"(;B[a])", "(;B[aa]" + string(make([]byte, 10)) + ")",
	} {
		if _, err := ParseSGF([]byte(text)); !errors.Is(err, ErrSGF) {
			t.Errorf("ParseSGF(%q): error %v, want one wrapping ErrSGF", text, err)
		}
	}
}

func TestParseSGFDeepNesting(t *testing.T) {
	var data []byte
	for range 5000 {
		data = append(data, "(;B[aa]"...)
	}
	for range 5000 {
		data = append(data, ')')
	}
	if _, err := ParseSGF(data); !errors.Is(err, ErrSGF) {
		t.Errorf("deeply nested variations: error %v, want ErrSGF", err)
	}
}

func FuzzParseSGF(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.sgf"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ParseSGF(data)
		if err != nil {
			return
		}
		// every parsed game replays without a panic, legal or not
		_ = g.Replay(func(b *Board, m Move) error {
			var f Features
			pos := NewPosition(b, m)
			f.Load(&pos)
			return nil
		})
	})
}
