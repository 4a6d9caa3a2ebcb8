package baduk

import (
	"errors"
	"strings"
	"testing"
)

// replayAll replays a test record and returns the boards after every move
// (boards[i] is the board after move i+1) and the replay error.
func replayAll(t *testing.T, name string) ([]Board, error) {
	t.Helper()
	g := readGame(t, name)
	var after []Board
	err := g.Replay(func(b *Board, m Move) error {
		if len(after) > 0 && !same(b, &after[len(after)-1]) {
			t.Errorf("%s move %d: board handed to fn differs from the one after the previous move", name, b.MoveNumber()+1)
		}
		next := *b
		if err := next.Play(m); err == nil {
			after = append(after, next)
		}
		return nil
	})
	return after, err
}

// same reports whether two boards hold the same position (stones, ko,
// side to move, history), whatever their scratch space holds.
func same(a, b *Board) bool {
	return a.cells == b.cells && a.ko == b.ko && a.toPlay == b.toPlay && a.last == b.last && a.moves == b.moves
}

// stones lists the points holding c.
func stones(b *Board, c Color) string {
	var s []string
	for p := range Point(Points) {
		if b.At(p) == c {
			s = append(s, p.String())
		}
	}
	return strings.Join(s, " ")
}

func TestCapture(t *testing.T) {
	after, err := replayAll(t, "capture.sgf")
	if err != nil {
		t.Fatal(err)
	}
	// W[ca] takes the two black stones aa and ba
	if got, want := stones(&after[5], Black), "pp"; got != want {
		t.Errorf("black stones after W[ca]: %s, want %s", got, want)
	}
	if got, want := stones(&after[5], White), "ca ab bb"; got != want {
		t.Errorf("white stones after W[ca]: %s, want %s", got, want)
	}
	// taking two stones makes no ko
	if after[5].Ko() != NoPoint {
		t.Errorf("ko %v after a two-stone capture, want none", after[5].Ko())
	}
	// the taken point can be played again at once
	if got, want := stones(&after[6], Black), "aa pp"; got != want {
		t.Errorf("black stones after B[aa]: %s, want %s", got, want)
	}
}

func TestKo(t *testing.T) {
	after, err := replayAll(t, "ko.sgf")
	if err != nil {
		t.Fatal(err)
	}
	cb, bb := pts(t, "cb")[0], pts(t, "bb")[0]
	// move 9, B[bb], takes the white stone at cb: ko for White at cb
	b := &after[8]
	if b.At(cb) != Empty || b.At(bb) != Black {
		t.Fatalf("after B[bb]: cb %v bb %v, want empty and black", b.At(cb), b.At(bb))
	}
	if b.Ko() != cb || b.ToPlay() != White {
		t.Errorf("after B[bb]: ko %v for %v, want cb for white", b.Ko(), b.ToPlay())
	}
	// a move elsewhere lifts the ko
	if after[9].Ko() != NoPoint {
		t.Errorf("ko %v after a move elsewhere, want none", after[9].Ko())
	}
	// move 12, W[cb], retakes: ko for Black at bb
	b = &after[11]
	if b.At(bb) != Empty || b.At(cb) != White || b.Ko() != bb {
		t.Errorf("after W[cb]: bb %v cb %v ko %v, want empty, white, bb", b.At(bb), b.At(cb), b.Ko())
	}
	// black may not retake at once
	next := *b
	if err := next.Play(Move{Black, bb}); !errors.Is(err, ErrKo) {
		t.Errorf("immediate retake: %v, want ErrKo", err)
	}
	if !same(&next, b) {
		t.Error("illegal move changed the board")
	}
	if len(after) != 13 {
		t.Errorf("%d moves replayed, want 13", len(after))
	}
}

func TestKoRetakeRecord(t *testing.T) {
	after, err := replayAll(t, "ko-retake.sgf")
	if !errors.Is(err, ErrKo) || !strings.Contains(err.Error(), "move 10") {
		t.Errorf("replay error %v, want ErrKo at move 10", err)
	}
	if len(after) != 9 {
		t.Errorf("%d moves replayed, want 9", len(after))
	}
}

func TestSuicide(t *testing.T) {
	_, err := replayAll(t, "suicide.sgf")
	if !errors.Is(err, ErrSuicide) || !strings.Contains(err.Error(), "move 5") {
		t.Errorf("replay error %v, want ErrSuicide at move 5", err)
	}
}

func TestPasses(t *testing.T) {
	after, err := replayAll(t, "passes.sgf")
	if err != nil {
		t.Fatal(err)
	}
	b := &after[3]
	if got, want := stones(b, Black)+"/"+stones(b, White), "pd/dp"; got != want {
		t.Errorf("stones %s, want %s", got, want)
	}
	if b.Last(1) != Pass || b.Last(2) != Pass || b.Last(0) != At(15, 3) || b.MoveNumber() != 4 {
		t.Errorf("history %v %v %v after %d moves, want dp pass pass after 4",
			b.Last(0), b.Last(1), b.Last(2), b.MoveNumber())
	}
	if b.ToPlay() != Black {
		t.Errorf("to play %v, want black", b.ToPlay())
	}
}

func TestPlayErrors(t *testing.T) {
	b := NewBoard()
	if err := b.Play(Move{Black, At(3, 3)}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		m    Move
		want error
	}{
		{Move{White, At(3, 3)}, ErrOccupied},
		{Move{White, Point(Points)}, ErrOffBoard},
		{Move{White, NoPoint}, ErrOffBoard},
		{Move{Empty, At(4, 4)}, ErrColor},
	} {
		before := *b
		if err := b.Play(tc.m); !errors.Is(err, tc.want) {
			t.Errorf("Play(%v): %v, want %v", tc.m, err, tc.want)
		}
		if !same(b, &before) {
			t.Errorf("Play(%v) changed the board", tc.m)
		}
	}
	if err := b.Setup(Black, Pass); !errors.Is(err, ErrOffBoard) {
		t.Errorf("Setup(pass): %v, want ErrOffBoard", err)
	}
}

func TestBoardString(t *testing.T) {
	after, err := replayAll(t, "capture.sgf")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(after[6].String(), "\n")
	if got, want := lines[0], "    A B C D E F G H J K L M N O P Q R S T"; got != want {
		t.Errorf("header %q, want %q", got, want)
	}
	if got, want := lines[1], "19  X . O . . . . . . . . . . . . . . . . 19"; got != want {
		t.Errorf("top row %q, want %q", got, want)
	}
	if got, want := lines[16], " 4  . . . . . . . . . . . . . . . X . . . 4"; got != want {
		t.Errorf("row 4 %q, want %q", got, want)
	}
}

func BenchmarkReplay(b *testing.B) {
	g := readGame(b, "ko.sgf")
	b.ReportAllocs()
	for b.Loop() {
		if err := g.Replay(func(*Board, Move) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
