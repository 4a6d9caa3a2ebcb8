package baduk

import (
	"fmt"
	"math"
	"strings"
)

// Position is a board seen by the side to move, packed into 106 bytes so
// that millions of them fit in memory: the stones (2 bits a point: empty,
// own, opponent), the ko point, the last moves and the move that was played.
type Position struct {
	stones [(Points + 3) / 4]byte
	Ko     Point          // point the side to move may not play, or NoPoint
	Last   [History]Point // Last[0] is the opponent's latest move
	Move   Point          // the move played from here, or Pass
	Number int16          // moves played before this one
}

// Cell values of a Position, from the side to move.
const (
	cellEmpty = 0
	cellOwn   = 1
	cellOpp   = 2
)

// NewPosition packs the board b as seen by the player of m, with m as the
// move played.
func NewPosition(b *Board, m Move) Position {
	pos := Position{Ko: NoPoint, Move: m.P, Number: int16(min(b.MoveNumber(), math.MaxInt16))}
	for p := range Point(Points) {
		var v byte
		switch b.At(p) {
		case m.C:
			v = cellOwn
		case m.C.Opponent():
			v = cellOpp
		default:
			continue
		}
		pos.stones[p>>2] |= v << (2 * (p & 3))
	}
	if m.C == b.ToPlay() {
		pos.Ko = b.Ko()
	}
	for i := range pos.Last {
		pos.Last[i] = b.Last(i)
	}
	return pos
}

func (pos *Position) cell(p Point) byte { return pos.stones[p>>2] >> (2 * (p & 3)) & 3 }

// Plane is one input plane: 361 values, one per point, each 0 or 1 except
// on PlanePattern.
type Plane uint8

// The planes, all from the side to move.
const (
	PlaneOwn       Plane = iota // own stone
	PlaneOpp                    // opponent stone
	PlaneEmpty                  // empty point
	PlaneOwnLib1                // own stone whose group has 1 liberty
	PlaneOwnLib2                // ... 2 liberties
	PlaneOwnLib3                // ... 3 or more liberties
	PlaneOppLib1                // opponent stone whose group has 1 liberty
	PlaneOppLib2                // ... 2 liberties
	PlaneOppLib3                // ... 3 or more liberties
	PlaneLast1                  // the latest move (the opponent's)
	PlaneLast2                  // the move before it
	PlaneLast3                  // the third latest
	PlaneLast4                  // the fourth latest
	PlaneLegal                  // legal move (empty, not suicide, not a ko retake)
	PlaneCapture                // legal move that captures
	PlaneSelfAtari              // legal move that leaves its own group with 1 liberty
	PlaneAtari                  // legal move that leaves an opponent group with 1 liberty
	PlaneEscape                 // legal move that extends an own group in atari
	PlaneNear                   // empty point at most 2 steps (|dr|+|dc|) from the latest move
	PlanePattern                // legal move: how often its 3×3 pattern is played (see Patterns); 0 to 1
	NumPlanes
)

var planeNames = [NumPlanes]string{
	"own", "opp", "empty",
	"ownlib1", "ownlib2", "ownlib3", "opplib1", "opplib2", "opplib3",
	"last1", "last2", "last3", "last4",
	"legal", "capture", "selfatari", "atari", "escape", "near", "pattern",
}

func (p Plane) String() string {
	if p < NumPlanes {
		return planeNames[p]
	}
	return fmt.Sprintf("plane(%d)", uint8(p))
}

// PlaneSet selects planes; the input vector holds the selected planes in
// the order of their constants, each as 361 values indexed by point.
type PlaneSet uint32

// AllPlanes selects every plane.
const AllPlanes = PlaneSet(1)<<NumPlanes - 1

// Has reports whether p is in the set.
func (s PlaneSet) Has(p Plane) bool { return s&(1<<p) != 0 }

// Len returns the number of planes in the set.
func (s PlaneSet) Len() int {
	n := 0
	for p := range NumPlanes {
		if s.Has(p) {
			n++
		}
	}
	return n
}

// Inputs returns the length of the input vector: Len()*361.
func (s PlaneSet) Inputs() int { return s.Len() * Points }

func (s PlaneSet) String() string {
	var names []string
	for p := range NumPlanes {
		if s.Has(p) {
			names = append(names, p.String())
		}
	}
	return strings.Join(names, ",")
}

// ParsePlanes reads a comma-separated list of plane names, or "all".
func ParsePlanes(text string) (PlaneSet, error) {
	if strings.TrimSpace(text) == "all" {
		return AllPlanes, nil
	}
	var s PlaneSet
	for name := range strings.SplitSeq(text, ",") {
		name = strings.TrimSpace(name)
		found := false
		for p := range NumPlanes {
			if planeNames[p] == name {
				s |= 1 << p
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("nn: baduk: unknown plane %q (known: %v)", name, AllPlanes)
		}
	}
	return s, nil
}

// Features turns positions into input planes and legal-move masks. It holds
// scratch space and an optional pattern table only, so one Features value
// serves any number of positions without allocating; it is not safe for
// concurrent use.
type Features struct {
	patterns *Patterns
	prior    [Points]float32 // PlanePattern values

	cell  [Points]byte
	last  [History]Point
	group [Points]int16 // group of a stone, -1 on empty points
	libs  [Points]int16 // liberties of each group
	size  [Points]int16 // stones of each group
	lib   [Points][2]Point
	flags [Points]uint32 // bit Plane set when the point is on that plane

	mark  [Points]uint32
	stamp uint32
	stack [Points]Point
}

// UsePatterns sets the table PlanePattern is read from; with none (nil,
// the default) that plane is all zero.
func (f *Features) UsePatterns(t *Patterns) { f.patterns = t }

// Load analyses pos: groups, liberties, legal moves and every plane.
func (f *Features) Load(pos *Position) {
	for p := range Point(Points) {
		f.cell[p] = pos.cell(p)
		f.group[p] = -1
		f.flags[p] = 0
	}
	f.last = pos.Last

	// groups and their liberties
	groups := int16(0)
	for p := range Point(Points) {
		if f.cell[p] != cellEmpty && f.group[p] < 0 {
			f.flood(p, groups)
			groups++
		}
	}

	for p := range Point(Points) {
		switch f.cell[p] {
		case cellOwn:
			f.flags[p] |= 1<<PlaneOwn | 1<<(PlaneOwnLib1+libPlane(f.libs[f.group[p]]))
		case cellOpp:
			f.flags[p] |= 1<<PlaneOpp | 1<<(PlaneOppLib1+libPlane(f.libs[f.group[p]]))
		default:
			f.flags[p] |= 1 << PlaneEmpty
			if p != pos.Ko || f.takesMoreThanOne(p) {
				f.flags[p] |= f.moveFlags(p)
			}
		}
	}
	for i, p := range pos.Last {
		if p.OnBoard() {
			f.flags[p] |= 1 << (PlaneLast1 + Plane(i))
		}
	}
	if last := pos.Last[0]; last.OnBoard() {
		for r := max(0, last.Row()-2); r <= min(Size-1, last.Row()+2); r++ {
			for c := max(0, last.Col()-2); c <= min(Size-1, last.Col()+2); c++ {
				if p := At(r, c); f.cell[p] == cellEmpty && abs(r-last.Row())+abs(c-last.Col()) <= 2 {
					f.flags[p] |= 1 << PlaneNear
				}
			}
		}
	}
	f.prior = [Points]float32{}
	if f.patterns != nil {
		for p := range Point(Points) {
			if f.flags[p]&(1<<PlaneLegal) != 0 {
				f.prior[p] = f.patterns.value(f.patternKey(p))
				f.flags[p] |= 1 << PlanePattern
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// libPlane returns 0, 1 or 2 for 1, 2 or 3+ liberties.
func libPlane(n int16) Plane {
	return Plane(min(n, 3) - 1)
}

// flood marks the group at p as group g and counts its liberties, keeping
// the first two.
func (f *Features) flood(p Point, g int16) {
	f.stamp++
	if f.stamp == 0 {
		f.mark = [Points]uint32{}
		f.stamp = 1
	}
	c, s := f.cell[p], f.stamp
	f.group[p] = g
	f.stack[0] = p
	top, libs, size := 1, int16(0), int16(0)
	f.lib[g] = [2]Point{NoPoint, NoPoint}
	for top > 0 {
		top--
		q := f.stack[top]
		size++
		for _, n := range neighbors[q] {
			if n == NoPoint {
				break
			}
			switch f.cell[n] {
			case cellEmpty:
				if f.mark[n] != s {
					f.mark[n] = s
					if libs < 2 {
						f.lib[g][libs] = n
					}
					libs++
				}
			case c:
				if f.group[n] < 0 {
					f.group[n] = g
					f.stack[top] = n
					top++
				}
			}
		}
	}
	f.libs[g] = libs
	f.size[g] = size
}

// takesMoreThanOne reports whether playing at the empty point p takes more
// than one opponent stone, which makes retaking a ko there legal.
func (f *Features) takesMoreThanOne(p Point) bool {
	var taken int16
	seen := [4]int16{-1, -1, -1, -1}
	for i, n := range neighbors[p] {
		if n == NoPoint {
			break
		}
		if f.cell[n] != cellOpp || f.libs[f.group[n]] != 1 {
			continue
		}
		g := f.group[n]
		if g != seen[0] && g != seen[1] && g != seen[2] {
			taken += f.size[g]
		}
		seen[i] = g
	}
	return taken > 1
}

// moveFlags returns the move planes of the empty point p (not the ko point):
// legal, capture, self-atari, atari and escape.
func (f *Features) moveFlags(p Point) uint32 {
	var (
		flags   uint32
		empty   int
		libSafe bool // an own neighbour group keeps a liberty besides p
		capture bool
		// liberties of the stone at p after the move, when few
		after    [2]Point
		nAfter   int
		manyLibs bool
	)
	add := func(q Point) {
		if q == p || q == NoPoint || manyLibs {
			return
		}
		for _, a := range after[:nAfter] {
			if a == q {
				return
			}
		}
		if nAfter == len(after) {
			manyLibs = true
			return
		}
		after[nAfter] = q
		nAfter++
	}
	for _, n := range neighbors[p] {
		if n == NoPoint {
			break
		}
		switch f.cell[n] {
		case cellEmpty:
			empty++
			add(n)
		case cellOwn:
			g := f.group[n]
			switch {
			case f.libs[g] == 1:
				flags |= 1 << PlaneEscape
			case f.libs[g] > 2:
				manyLibs = true
			}
			if f.libs[g] > 1 {
				libSafe = true
				add(f.lib[g][0])
				add(f.lib[g][1])
			}
		case cellOpp:
			switch f.libs[f.group[n]] {
			case 1:
				capture = true
			case 2:
				flags |= 1 << PlaneAtari
			}
		}
	}
	if empty == 0 && !libSafe && !capture {
		return 0 // suicide
	}
	flags |= 1 << PlaneLegal
	if capture {
		flags |= 1 << PlaneCapture
	} else if !manyLibs && nAfter == 1 {
		flags |= 1 << PlaneSelfAtari
	}
	return flags
}

// Planes writes the selected planes of the loaded position, moved by sym,
// into dst, which must hold set.Inputs() values.
func (f *Features) Planes(dst []float32, set PlaneSet, sym Symmetry) {
	dst = dst[:set.Inputs()]
	clear(dst)
	tab := &symTable[sym&7]
	off := 0
	for pl := range NumPlanes {
		if !set.Has(pl) {
			continue
		}
		bit := uint32(1) << pl
		row := dst[off : off+Points]
		for p := range Point(Points) {
			switch {
			case f.flags[p]&bit == 0:
			case pl == PlanePattern:
				row[tab[p]] = f.prior[p]
			default:
				row[tab[p]] = 1
			}
		}
		off += Points
	}
}

// Legal writes the legal-move mask of the loaded position, moved by sym,
// into mask (361 values).
func (f *Features) Legal(mask []bool, sym Symmetry) {
	mask = mask[:Points]
	tab := &symTable[sym&7]
	for p := range Point(Points) {
		mask[tab[p]] = f.flags[p]&(1<<PlaneLegal) != 0
	}
}

// On reports whether point p of the loaded position is on plane pl (for
// PlanePattern: has a pattern value, maybe 0); Pass and NoPoint are on none.
func (f *Features) On(pl Plane, p Point) bool {
	return p.OnBoard() && f.flags[p]&(1<<pl) != 0
}
