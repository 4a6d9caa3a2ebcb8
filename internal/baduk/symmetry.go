package baduk

// Symmetry is one of the 8 symmetries of the square board (rotations and
// reflections). Identity is 0; bit 4 transposes (swaps row and column)
// first, then bit 1 mirrors the columns and bit 2 mirrors the rows.
type Symmetry uint8

// Symmetries is the number of board symmetries.
const Symmetries = 8

// Identity leaves every point where it is.
const Identity Symmetry = 0

var (
	symTable [Symmetries][Points]Point
	symInv   [Symmetries]Symmetry
)

func init() {
	for s := range Symmetry(Symmetries) {
		for p := range Point(Points) {
			r, c := p.Row(), p.Col()
			if s&4 != 0 {
				r, c = c, r
			}
			if s&1 != 0 {
				c = Size - 1 - c
			}
			if s&2 != 0 {
				r = Size - 1 - r
			}
			symTable[s][p] = At(r, c)
		}
	}
	for s := range Symmetry(Symmetries) {
		for t := range Symmetry(Symmetries) {
			if symTable[t][symTable[s][1]] == 1 && symTable[t][symTable[s][Size]] == Size {
				symInv[s] = t
			}
		}
	}
}

// Apply maps a point to its image; Pass and NoPoint map to themselves.
func (s Symmetry) Apply(p Point) Point {
	if !p.OnBoard() {
		return p
	}
	return symTable[s&7][p]
}

// Inverse returns the symmetry that undoes s.
func (s Symmetry) Inverse() Symmetry { return symInv[s&7] }
