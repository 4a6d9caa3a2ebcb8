package baduk

import (
	"errors"
	"maps"
	"testing"
)

// transformed returns g with every point moved by s.
func transformed(g *Game, s Symmetry) *Game {
	h := *g
	h.Setup, h.Moves = nil, nil
	for _, m := range g.Setup {
		h.Setup = append(h.Setup, Move{m.C, s.Apply(m.P)})
	}
	for _, m := range g.Moves {
		h.Moves = append(h.Moves, Move{m.C, s.Apply(m.P)})
	}
	return &h
}

func TestPatternKeySymmetric(t *testing.T) {
	g := readGame(t, "features.sgf")
	var base []Position
	if err := g.Replay(func(b *Board, m Move) error { base = append(base, NewPosition(b, m)); return nil }); err != nil {
		t.Fatal(err)
	}
	var f, h Features
	f.Load(&base[3])
	keys := map[uint32]bool{}
	for p := range Point(Points) {
		if f.On(PlaneLegal, p) {
			keys[f.patternKey(p)] = true
		}
	}
	// the corner, the edge, the empty middle and the stones make several
	// distinct patterns
	if len(keys) < 10 {
		t.Errorf("%d distinct patterns, want at least 10", len(keys))
	}
	for s := range Symmetry(Symmetries) {
		var moved []Position
		err := transformed(g, s).Replay(func(b *Board, m Move) error { moved = append(moved, NewPosition(b, m)); return nil })
		if err != nil {
			t.Fatal(err)
		}
		h.Load(&moved[3])
		for p := range Point(Points) {
			if f.On(PlaneLegal, p) && f.patternKey(p) != h.patternKey(s.Apply(p)) {
				t.Fatalf("symmetry %d: key of %v differs from the key of its image", s, p)
			}
		}
	}
}

func TestCanonical(t *testing.T) {
	// a corner point: W and N off the board (cells 0,1,2,6,7), E empty,
	// SE own with 1 liberty, S opponent with 3+
	k := uint32(ringEdge | ringEdge<<3 | ringEdge<<6 | ringEmpty<<9 | ringOwn<<12 | (ringOpp+2)<<15 | ringEdge<<18 | ringEdge<<21)
	c := canonical(k)
	if canonical(c) != c {
		t.Errorf("canonical is not idempotent")
	}
	rot := (k<<6 | k>>18) & (1<<24 - 1)
	if canonical(rot) != c {
		t.Errorf("a rotated pattern has another key")
	}
	// E and S swapped is the image in the diagonal mirror: the same key
	other := uint32(ringEdge | ringEdge<<3 | ringEdge<<6 | (ringOpp+2)<<9 | ringOwn<<12 | ringEmpty<<15 | ringEdge<<18 | ringEdge<<21)
	if canonical(other) != c {
		t.Errorf("the diagonal mirror image has another key")
	}
	notSym := uint32(ringEdge | ringEdge<<3 | ringEdge<<6 | (ringOpp+2)<<9 | ringEmpty<<12 | ringOwn<<15 | ringEdge<<18 | ringEdge<<21)
	if canonical(notSym) == c {
		t.Errorf("a different pattern has the same key")
	}
}

func TestPatternsCountAndValue(t *testing.T) {
	tab := NewPatterns()
	var f Features
	for _, name := range []string{"ko.sgf", "capture.sgf", "features.sgf"} {
		for _, pos := range positions(t, name) {
			f.Load(&pos)
			tab.Add(&f, pos.Move)
		}
	}
	if tab.Len() < 20 {
		t.Fatalf("%d patterns, want at least 20", tab.Len())
	}
	var played, seen uint32
	for _, c := range tab.counts {
		played += c[0]
		seen += c[1]
	}
	if played != 13+7+4 {
		t.Errorf("%d moves counted, want 24", played)
	}
	if seen < 24*300 {
		t.Errorf("%d legal points counted, want more than 300 a position", seen)
	}

	// counting in two halves and merging gives the same table
	half1, half2 := NewPatterns(), NewPatterns()
	for i, pos := range positions(t, "ko.sgf") {
		f.Load(&pos)
		if i%2 == 0 {
			half1.Add(&f, pos.Move)
		} else {
			half2.Add(&f, pos.Move)
		}
	}
	whole := NewPatterns()
	for _, pos := range positions(t, "ko.sgf") {
		f.Load(&pos)
		whole.Add(&f, pos.Move)
	}
	half1.Merge(half2)
	if !maps.Equal(half1.counts, whole.counts) {
		t.Error("merged halves differ from the whole")
	}

	// a pattern played every time scores higher than one never played
	hi, lo := uint32(1), uint32(2)
	tab.counts[hi] = [2]uint32{1000, 1000}
	tab.counts[lo] = [2]uint32{0, 100000}
	if vh, vl, vu := tab.value(hi), tab.value(lo), tab.value(3); !(vh > vu && vu > vl && vh <= 1 && vl >= 0) {
		t.Errorf("values: always played %v, unseen %v, never played %v", vh, vu, vl)
	}
	delete(tab.counts, hi)
	delete(tab.counts, lo)

	// the plane carries the values on legal points only
	f.UsePatterns(tab)
	pos := positions(t, "features.sgf")[3]
	f.Load(&pos)
	x := make([]float32, PlaneSet(1<<PlanePattern).Inputs())
	f.Planes(x, 1<<PlanePattern, Identity)
	for p := range Point(Points) {
		want := float32(0)
		if f.On(PlaneLegal, p) {
			want = tab.value(f.patternKey(p))
		}
		if x[p] != want || x[p] < 0 || x[p] > 1 {
			t.Fatalf("pattern plane at %v: %v, want %v", p, x[p], want)
		}
	}

	// the binary form round-trips
	data, err := tab.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	back := NewPatterns()
	if err := back.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if back.Len() != tab.Len() {
		t.Fatalf("%d patterns back, want %d", back.Len(), tab.Len())
	}
	for k, c := range tab.counts {
		if back.counts[k] != c {
			t.Fatalf("key %#x: %v back, want %v", k, back.counts[k], c)
		}
	}
	for _, bad := range [][]byte{nil, []byte("nnBP\x02\x00\x00\x00\x00"), data[:len(data)-1], append(data[:len(data):len(data)], 0)} {
		if err := back.UnmarshalBinary(bad); !errors.Is(err, ErrPatterns) {
			t.Errorf("UnmarshalBinary(%d bytes): %v, want ErrPatterns", len(bad), err)
		}
	}
	swapped := append([]byte(nil), data...)
	copy(swapped[9:21], data[21:33])
	copy(swapped[21:33], data[9:21])
	if err := back.UnmarshalBinary(swapped); !errors.Is(err, ErrPatterns) {
		t.Errorf("keys out of order: %v, want ErrPatterns", err)
	}
}

func TestMeta(t *testing.T) {
	tab := NewPatterns()
	var f Features
	for _, pos := range positions(t, "ko.sgf") {
		f.Load(&pos)
		tab.Add(&f, pos.Move)
	}
	set := PlaneSet(1<<PlaneOwn | 1<<PlanePattern)
	meta, err := EncodeMeta(set, tab)
	if err != nil {
		t.Fatal(err)
	}
	get := func(k string) (string, bool) { v, ok := meta[k]; return v, ok }
	planes, back, err := DecodeMeta(get)
	if err != nil || planes != set || back == nil || back.Len() != tab.Len() {
		t.Fatalf("DecodeMeta: %v %v %v", planes, back, err)
	}

	for name, bad := range map[string]map[string]string{
		"no planes":   {},
		"bad planes":  {MetaPlanes: "own,nope"},
		"no table":    {MetaPlanes: "own,pattern"},
		"not base64":  {MetaPlanes: "own,pattern", MetaPatterns: "!!"},
		"not a table": {MetaPlanes: "own,pattern", MetaPatterns: "AAAA"},
	} {
		if _, _, err := DecodeMeta(func(k string) (string, bool) { v, ok := bad[k]; return v, ok }); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	planes, back, err = DecodeMeta(func(k string) (string, bool) { v, ok := map[string]string{MetaPlanes: "own"}[k]; return v, ok })
	if err != nil || planes != 1<<PlaneOwn || back != nil {
		t.Errorf("planes without a table: %v %v %v", planes, back, err)
	}
}

func BenchmarkPatternsAdd(b *testing.B) {
	pos := positions(b, "ko.sgf")[10]
	tab := NewPatterns()
	var f Features
	f.Load(&pos)
	b.ReportAllocs()
	for b.Loop() {
		tab.Add(&f, pos.Move)
	}
}
