package baduk

import "testing"

func TestSymmetries(t *testing.T) {
	seen := map[[3]Point]bool{}
	for s := range Symmetry(Symmetries) {
		img := map[Point]bool{}
		for p := range Point(Points) {
			q := s.Apply(p)
			if !q.OnBoard() || img[q] {
				t.Fatalf("symmetry %d is not a permutation at %v", s, p)
			}
			img[q] = true
			if s.Inverse().Apply(q) != p {
				t.Fatalf("symmetry %d: inverse does not undo it at %v", s, p)
			}
			// neighbours stay neighbours
			for _, n := range neighbors[p] {
				if n == NoPoint {
					break
				}
				d := abs(q.Row()-s.Apply(n).Row()) + abs(q.Col()-s.Apply(n).Col())
				if d != 1 {
					t.Fatalf("symmetry %d breaks the neighbours %v %v", s, p, n)
				}
			}
		}
		key := [3]Point{s.Apply(0), s.Apply(1), s.Apply(Size)}
		if seen[key] {
			t.Errorf("symmetry %d repeats another", s)
		}
		seen[key] = true
		if s.Apply(Pass) != Pass || s.Apply(NoPoint) != NoPoint {
			t.Errorf("symmetry %d moves pass or no-point", s)
		}
	}
	if Identity.Apply(At(2, 5)) != At(2, 5) {
		t.Error("identity moves a point")
	}
	if Symmetry(4).Apply(At(2, 5)) != At(5, 2) {
		t.Error("symmetry 4 does not transpose")
	}
}
