package baduk

import (
	"slices"
	"strings"
	"testing"
)

// positions replays a test record and packs the position before every move.
func positions(t testing.TB, name string) []Position {
	t.Helper()
	var out []Position
	err := readGame(t, name).Replay(func(b *Board, m Move) error {
		out = append(out, NewPosition(b, m))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The position before B[aa] in features.sgf, Black to play:
//
//	   A B C D E
//	19 . O X O .
//	18 O X . . .
//	17 . . . . .
//	16 O . . . .
//
// plus black Q16 and white D4 far away. Every plane below was worked out
// by hand from this diagram.
func TestFeaturesHandComputed(t *testing.T) {
	pos := positions(t, "features.sgf")[3]
	if pos.Move != pts(t, "aa")[0] {
		t.Fatalf("target %v, want aa", pos.Move)
	}
	empty := "" // every other point
	want := map[Plane]string{
		PlaneOwn:       "ca bb pd",
		PlaneOpp:       "ba da ab ad dp",
		PlaneOwnLib1:   "ca",
		PlaneOwnLib2:   "bb",
		PlaneOwnLib3:   "pd",
		PlaneOppLib1:   "ba",
		PlaneOppLib2:   "da ab",
		PlaneOppLib3:   "ad dp",
		PlaneLast1:     "dp",
		PlaneLast2:     "pd",
		PlaneLast3:     "da",
		PlaneLast4:     "",
		PlaneCapture:   "aa",
		PlaneAtari:     "aa ea db ac",
		PlaneSelfAtari: "ac",
		PlaneEscape:    "cb",
		PlaneNear:      "dn co do eo bp cp ep fp cq dq eq dr",
		PlanePattern:   "", // no table
		PlaneEmpty:     empty,
		PlaneLegal:     empty,
	}
	var f Features
	f.Load(&pos)
	occupied := pts(t, "ca", "bb", "pd", "ba", "da", "ab", "ad", "dp")
	for pl, list := range want {
		var got []string
		for p := range Point(Points) {
			if f.On(pl, p) {
				got = append(got, p.String())
			}
		}
		if pl == PlaneEmpty || pl == PlaneLegal {
			if len(got) != Points-len(occupied) {
				t.Errorf("plane %v: %d points, want %d", pl, len(got), Points-len(occupied))
			}
			for _, p := range occupied {
				if f.On(pl, p) {
					t.Errorf("plane %v has occupied point %v", pl, p)
				}
			}
			continue
		}
		if g := strings.Join(got, " "); g != list {
			t.Errorf("plane %v: %q, want %q", pl, g, list)
		}
	}

	// the input vector: planes in order, 361 values each
	set := PlaneSet(1<<PlaneOwn | 1<<PlaneCapture)
	x := make([]float32, set.Inputs())
	for i := range x {
		x[i] = 7 // Planes must overwrite everything
	}
	f.Planes(x, set, Identity)
	var ones []int
	for i, v := range x {
		switch v {
		case 1:
			ones = append(ones, i)
		case 0:
		default:
			t.Fatalf("x[%d] = %v, want 0 or 1", i, v)
		}
	}
	wantOnes := []int{2, 20, int(At(3, 15)), Points + 0}
	slices.Sort(wantOnes)
	if !slices.Equal(ones, wantOnes) {
		t.Errorf("ones at %v, want %v", ones, wantOnes)
	}
}

func TestFeaturesKo(t *testing.T) {
	// before move 10 of ko.sgf White may not retake at cb
	pos := positions(t, "ko.sgf")[9]
	cb := pts(t, "cb")[0]
	if pos.Ko != cb {
		t.Fatalf("ko %v, want cb", pos.Ko)
	}
	var f Features
	f.Load(&pos)
	mask := make([]bool, Points)
	f.Legal(mask, Identity)
	if mask[cb] || f.On(PlaneLegal, cb) || f.On(PlaneCapture, cb) {
		t.Error("ko point is marked legal")
	}
	// the black stone that took is in atari, seen from White
	if !f.On(PlaneOppLib1, pts(t, "bb")[0]) {
		t.Error("black bb not on the opponent-in-atari plane")
	}
	// two moves later the ko is lifted and cb captures
	pos = positions(t, "ko.sgf")[11]
	f.Load(&pos)
	if pos.Ko != NoPoint || !f.On(PlaneLegal, cb) || !f.On(PlaneCapture, cb) {
		t.Errorf("after a move elsewhere: ko %v, cb legal %v capture %v; want none, true, true",
			pos.Ko, f.On(PlaneLegal, cb), f.On(PlaneCapture, cb))
	}
}

func TestFeaturesSuicideIllegal(t *testing.T) {
	// before move 6 of capture.sgf, White's ca takes two stones
	pos := positions(t, "capture.sgf")[5]
	var f Features
	f.Load(&pos)
	if !f.On(PlaneCapture, pts(t, "ca")[0]) {
		t.Error("ca does not capture")
	}
	b := NewBoard()
	for _, m := range []Move{{White, At(0, 1)}, {White, At(1, 0)}} {
		if err := b.Setup(m.C, m.P); err != nil {
			t.Fatal(err)
		}
	}
	// with white ab and ba, aa is suicide for Black
	pos = NewPosition(b, Move{Black, At(5, 5)})
	f.Load(&pos)
	if f.On(PlaneLegal, At(0, 0)) || !f.On(PlaneEmpty, At(0, 0)) {
		t.Error("suicide point aa marked legal, or not empty")
	}
	pos = NewPosition(b, Move{White, At(5, 5)})
	f.Load(&pos)
	if !f.On(PlaneLegal, At(0, 0)) || f.On(PlaneSelfAtari, At(0, 0)) {
		t.Error("for White, aa should be legal and not self-atari (its group keeps liberties)")
	}
}

func TestPlanesSymmetry(t *testing.T) {
	pos := positions(t, "features.sgf")[3]
	var f Features
	f.Load(&pos)
	id := make([]float32, AllPlanes.Inputs())
	f.Planes(id, AllPlanes, Identity)
	x := make([]float32, AllPlanes.Inputs())
	mask := make([]bool, Points)
	for s := range Symmetry(Symmetries) {
		f.Planes(x, AllPlanes, s)
		f.Legal(mask, s)
		for k := range int(NumPlanes) {
			for p := range Point(Points) {
				if x[k*Points+int(s.Apply(p))] != id[k*Points+int(p)] {
					t.Fatalf("symmetry %d plane %v point %v: moved value differs", s, Plane(k), p)
				}
			}
		}
		for p := range Point(Points) {
			if mask[s.Apply(p)] != (id[int(PlaneLegal)*Points+int(p)] == 1) {
				t.Fatalf("symmetry %d: legal mask at %v differs", s, p)
			}
		}
	}
}

func TestPlaneSet(t *testing.T) {
	s, err := ParsePlanes("own, opp,legal")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 3 || s.Inputs() != 3*Points || s.String() != "own,opp,legal" {
		t.Errorf("set %v: len %d inputs %d", s, s.Len(), s.Inputs())
	}
	all, err := ParsePlanes("all")
	if err != nil || all != AllPlanes || all.Len() != int(NumPlanes) {
		t.Errorf("all: %v %v", all, err)
	}
	if _, err := ParsePlanes("own,nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown plane: error %v", err)
	}
}

func TestPositionRoundTrip(t *testing.T) {
	// the packed position gives back the board it came from
	g := readGame(t, "ko.sgf")
	err := g.Replay(func(b *Board, m Move) error {
		pos := NewPosition(b, m)
		for p := range Point(Points) {
			want := byte(cellEmpty)
			switch b.At(p) {
			case m.C:
				want = cellOwn
			case m.C.Opponent():
				want = cellOpp
			}
			if pos.cell(p) != want {
				t.Fatalf("move %d point %v: cell %d, want %d", b.MoveNumber()+1, p, pos.cell(p), want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func BenchmarkFeatures(b *testing.B) {
	pos := positions(b, "ko.sgf")[10]
	var f Features
	x := make([]float32, AllPlanes.Inputs())
	b.ReportAllocs()
	for b.Loop() {
		f.Load(&pos)
		f.Planes(x, AllPlanes, Identity)
	}
}
