package baduk

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// A pattern describes an empty point by its 3×3 neighbourhood and where it
// lies. Each of the 8 surrounding cells is empty, an own or opponent stone
// whose group has 1, 2 or 3+ liberties, or off the board; the cells go
// clockwise from the top left, 3 bits each, into the low 24 bits of the
// key, which is the smallest among the 8 rotations and reflections of the
// neighbourhood, so that a pattern and its mirror images count as one.
// Above them: 2 bits for the line (distance to the edge, 0 to 3+), 3 for
// the distance to the latest move and 2 for the distance to the move
// before it (see distBucket), all unchanged by the symmetries.
const (
	ringEmpty = 0
	ringOwn   = 1 // +0, +1, +2 for 1, 2, 3+ liberties
	ringOpp   = 4 // likewise
	ringEdge  = 7
)

// ring lists the 8 cells around every point, clockwise from the top left,
// NoPoint off the board.
var ring [Points][8]Point

func init() {
	dr := [8]int{-1, -1, -1, 0, 1, 1, 1, 0}
	dc := [8]int{-1, 0, 1, 1, 1, 0, -1, -1}
	for p := range Point(Points) {
		for i := range 8 {
			r, c := p.Row()+dr[i], p.Col()+dc[i]
			if r < 0 || r >= Size || c < 0 || c >= Size {
				ring[p][i] = NoPoint
			} else {
				ring[p][i] = At(r, c)
			}
		}
	}
}

// canonical returns the smallest key among the 8 symmetric images of k.
// Turning the board a quarter moves every cell two places along the ring;
// the mirror image swaps the cells across the vertical axis.
func canonical(k uint32) uint32 {
	var m uint32
	for i := range 8 {
		j := (10 - i) % 8 // mirror: 0↔2, 3↔7, 4↔6, 1 and 5 stay
		m |= (k >> (3 * i) & 7) << (3 * j)
	}
	best := k
	for _, x := range [2]uint32{k, m} {
		for range 4 {
			x = (x<<6 | x>>18) & (1<<24 - 1)
			best = min(best, x)
		}
	}
	return best
}

// patternKey returns the canonical pattern key of point p of the loaded
// position.
func (f *Features) patternKey(p Point) uint32 {
	line := min(p.Row(), p.Col(), Size-1-p.Row(), Size-1-p.Col(), 3)
	return f.ringKey(p) | uint32(line)<<24 | distBucket(p, f.last[0], lastBuckets[:])<<26 | distBucket(p, f.last[1], last2Buckets[:])<<29
}

// The distance buckets of the latest and second latest move. The distance
// of two points is |dr|+|dc|+max(|dr|,|dc|): 2 for neighbours, 3 on the
// diagonal, 4 two steps away, 5 a knight's move away. Bucket i holds the
// distances up to buckets[i]; the last bucket means farther or no move.
var (
	lastBuckets  = [...]int{2, 3, 4, 5, 6, 8, 12}
	last2Buckets = [...]int{3, 5, 8}
)

func distBucket(p, q Point, buckets []int) uint32 {
	if !q.OnBoard() {
		return uint32(len(buckets))
	}
	dr, dc := abs(p.Row()-q.Row()), abs(p.Col()-q.Col())
	d := dr + dc + max(dr, dc)
	for i, b := range buckets {
		if d <= b {
			return uint32(i)
		}
	}
	return uint32(len(buckets))
}

// ringKey returns the canonical key of the 8 cells around p.
func (f *Features) ringKey(p Point) uint32 {
	var k uint32
	for i, q := range ring[p] {
		s := uint32(ringEdge)
		if q != NoPoint {
			switch f.cell[q] {
			case cellEmpty:
				s = ringEmpty
			case cellOwn:
				s = ringOwn + uint32(libPlane(f.libs[f.group[q]]))
			default:
				s = ringOpp + uint32(libPlane(f.libs[f.group[q]]))
			}
		}
		k |= s << (3 * i)
	}
	return canonical(k)
}

// Patterns counts, for every 3×3 pattern, how often a legal point with that
// pattern was seen and how often it was the move played. Learned from
// training games, it turns into the PlanePattern input: the smoothed
// frequency with which strong players play at such a point.
type Patterns struct {
	counts map[uint32][2]uint32 // key -> {played, seen}
}

// NewPatterns returns an empty table.
func NewPatterns() *Patterns { return &Patterns{counts: make(map[uint32][2]uint32)} }

// Len returns the number of distinct patterns counted.
func (t *Patterns) Len() int { return len(t.counts) }

// Add counts the legal points of the position loaded in f, and the move
// played there.
func (t *Patterns) Add(f *Features, move Point) {
	for p := range Point(Points) {
		if f.flags[p]&(1<<PlaneLegal) == 0 {
			continue
		}
		k := f.patternKey(p)
		c := t.counts[k]
		c[1]++
		if p == move {
			c[0]++
		}
		t.counts[k] = c
	}
}

// Merge adds the counts of u to t.
func (t *Patterns) Merge(u *Patterns) {
	for k, c := range u.counts {
		d := t.counts[k]
		t.counts[k] = [2]uint32{d[0] + c[0], d[1] + c[1]}
	}
}

// The prior of a pattern is (played+priorA)/(seen+priorB), so an unseen
// pattern gets about the average chance of a legal point (1 in 250); the
// plane holds 1 + ln(prior)/PatternScale clamped to [0, 1].
const (
	priorA = 0.4
	priorB = 100
)

// PatternScale is the log scale of the pattern plane: a value v stands for
// the frequency exp(PatternScale*(v-1)).
const PatternScale = 8

// value returns the plane value of pattern key k.
func (t *Patterns) value(k uint32) float32 {
	c := t.counts[k]
	prior := (float64(c[0]) + priorA) / (float64(c[1]) + priorB)
	return float32(min(1, max(0, 1+math.Log(prior)/PatternScale)))
}

// patternMagic starts the binary form of a table.
const patternMagic = "nnBP\x01"

// MarshalBinary encodes the table: the magic "nnBP", version 1, the number
// of patterns (uint32), then per pattern in increasing key order the key,
// the played count and the seen count (uint32 each), all little endian.
func (t *Patterns) MarshalBinary() ([]byte, error) {
	keys := make([]uint32, 0, len(t.counts))
	for k := range t.counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]byte, 0, len(patternMagic)+4+12*len(keys))
	out = append(out, patternMagic...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(keys)))
	for _, k := range keys {
		c := t.counts[k]
		out = binary.LittleEndian.AppendUint32(out, k)
		out = binary.LittleEndian.AppendUint32(out, c[0])
		out = binary.LittleEndian.AppendUint32(out, c[1])
	}
	return out, nil
}

// ErrPatterns is wrapped by the errors of UnmarshalBinary.
var ErrPatterns = errors.New("nn: baduk: bad pattern table")

// UnmarshalBinary decodes what MarshalBinary wrote, replacing the counts.
func (t *Patterns) UnmarshalBinary(data []byte) error {
	if len(data) < len(patternMagic)+4 || string(data[:len(patternMagic)]) != patternMagic {
		return fmt.Errorf("%w: no magic and version", ErrPatterns)
	}
	data = data[len(patternMagic):]
	n := binary.LittleEndian.Uint32(data)
	data = data[4:]
	if uint64(len(data)) != 12*uint64(n) {
		return fmt.Errorf("%w: %d patterns need %d bytes, have %d", ErrPatterns, n, 12*uint64(n), len(data))
	}
	counts := make(map[uint32][2]uint32, n)
	prev := int64(-1)
	for i := range int(n) {
		k := binary.LittleEndian.Uint32(data[12*i:])
		c := [2]uint32{binary.LittleEndian.Uint32(data[12*i+4:]), binary.LittleEndian.Uint32(data[12*i+8:])}
		if int64(k) <= prev || k&(1<<24-1) != canonical(k&(1<<24-1)) || c[0] > c[1] {
			return fmt.Errorf("%w: entry %d (key %#x, played %d, seen %d)", ErrPatterns, i, k, c[0], c[1])
		}
		prev = int64(k)
		counts[k] = c
	}
	t.counts = counts
	return nil
}

// Metadata keys under which a saved move predictor records how to build
// its input: the plane list (PlaneSet.String) and, when the planes include
// PlanePattern, the pattern table (MarshalBinary, in standard base64).
const (
	MetaPlanes   = "baduk.planes"
	MetaPatterns = "baduk.patterns"
)

// EncodeMeta returns the metadata values for planes and table (nil when
// the model needs none).
func EncodeMeta(planes PlaneSet, t *Patterns) (map[string]string, error) {
	meta := map[string]string{MetaPlanes: planes.String()}
	if t != nil {
		data, err := t.MarshalBinary()
		if err != nil {
			return nil, err
		}
		meta[MetaPatterns] = base64.StdEncoding.EncodeToString(data)
	}
	return meta, nil
}

// DecodeMeta reads back what EncodeMeta wrote through get, a lookup such
// as a network's Meta method. The table is nil when none was stored; a
// model whose planes include PlanePattern but that has no table is an
// error.
func DecodeMeta(get func(key string) (string, bool)) (PlaneSet, *Patterns, error) {
	text, ok := get(MetaPlanes)
	if !ok {
		return 0, nil, fmt.Errorf("nn: baduk: no %s metadata: not a move predictor saved with its planes", MetaPlanes)
	}
	planes, err := ParsePlanes(text)
	if err != nil {
		return 0, nil, err
	}
	text, ok = get(MetaPatterns)
	if !ok {
		if planes.Has(PlanePattern) {
			return 0, nil, fmt.Errorf("nn: baduk: the planes include %v but there is no %s metadata", PlanePattern, MetaPatterns)
		}
		return planes, nil, nil
	}
	data, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %s: %v", ErrPatterns, MetaPatterns, err)
	}
	t := NewPatterns()
	if err := t.UnmarshalBinary(data); err != nil {
		return 0, nil, err
	}
	return planes, t, nil
}
