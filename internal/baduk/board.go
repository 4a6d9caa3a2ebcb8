// Package baduk holds what the Go (baduk) example needs besides the network:
// an SGF reader, a 19×19 board with captures, suicide and simple ko, the
// input planes a move predictor sees, and the eight symmetries of the board.
//
// Points are numbered row*19 + col, with row 0 at the top and col 0 at the
// left, as SGF letters run ("ab" is col 0, row 1). The same number is the
// class a move predictor outputs for a move at that point.
package baduk

import (
	"errors"
	"fmt"
	"strings"
)

// Size is the side of the board; Points is the number of points on it.
const (
	Size   = 19
	Points = Size * Size
)

// Color is the content of a point or the side of a player.
type Color uint8

// The colors. Empty is the zero value.
const (
	Empty Color = iota
	Black
	White
)

// Opponent returns the other player; Empty stays Empty.
func (c Color) Opponent() Color {
	switch c {
	case Black:
		return White
	case White:
		return Black
	}
	return Empty
}

func (c Color) String() string {
	switch c {
	case Black:
		return "black"
	case White:
		return "white"
	}
	return "empty"
}

// Point is a board index row*Size+col, or one of NoPoint and Pass.
type Point int16

const (
	// NoPoint marks the absence of a point: no ko, or no earlier move.
	NoPoint Point = -1
	// Pass is a move that puts no stone.
	Pass Point = -2
)

// At returns the point at row r and column c (both 0-based from the top left).
func At(r, c int) Point { return Point(r*Size + c) }

// Row and Col return the coordinates of an on-board point.
func (p Point) Row() int { return int(p) / Size }
func (p Point) Col() int { return int(p) % Size }

// OnBoard reports whether p is one of the 361 points.
func (p Point) OnBoard() bool { return p >= 0 && p < Points }

// String gives the point in SGF letters ("dd"), "pass" or "none".
func (p Point) String() string {
	switch {
	case p == Pass:
		return "pass"
	case !p.OnBoard():
		return "none"
	}
	return string([]byte{byte('a' + p.Col()), byte('a' + p.Row())})
}

// Move is a stone of color C put at P (or a pass).
type Move struct {
	C Color
	P Point
}

// History is the number of earlier moves a Board remembers.
const History = 4

// neighbors lists the up to four orthogonal neighbours of every point,
// ended by NoPoint when there are fewer.
var neighbors [Points][4]Point

func init() {
	for p := range Point(Points) {
		n := neighbors[p][:0]
		r, c := p.Row(), p.Col()
		if r > 0 {
			n = append(n, p-Size)
		}
		if c > 0 {
			n = append(n, p-1)
		}
		if c < Size-1 {
			n = append(n, p+1)
		}
		if r < Size-1 {
			n = append(n, p+Size)
		}
		for len(n) < 4 {
			n = append(n, NoPoint)
		}
	}
}

// Errors returned by Board.Play for illegal moves.
var (
	ErrOccupied = errors.New("nn: baduk: point is occupied")
	ErrSuicide  = errors.New("nn: baduk: suicide")
	ErrKo       = errors.New("nn: baduk: retakes a ko")
	ErrColor    = errors.New("nn: baduk: move has no color")
	ErrOffBoard = errors.New("nn: baduk: point is off the board")
)

// BUG(nn): Board enforces simple ko only; a longer cycle (positional
// superko, forbidden by some rule sets) is not detected.

// Board is a position: the stones, the ko point, the side to move and the
// last few moves. Start from NewBoard or Reset: the zero value is not a
// valid board. A Board holds no pointers, so it is copied by assignment.
type Board struct {
	cells  [Points]Color
	ko     Point // point the side to move may not play, or NoPoint
	toPlay Color
	last   [History]Point // last[0] is the latest move; NoPoint when none
	moves  int            // moves played (passes included)

	// flood-fill scratch, kept here so Play allocates nothing
	mark  [Points]uint32
	stamp uint32
	stack [Points]Point
}

// NewBoard returns an empty board with Black to move.
func NewBoard() *Board {
	b := new(Board)
	b.Reset()
	return b
}

// Reset empties the board and gives the move to Black.
func (b *Board) Reset() {
	*b = Board{ko: NoPoint, toPlay: Black}
	for i := range b.last {
		b.last[i] = NoPoint
	}
}

// At returns the content of point p.
func (b *Board) At(p Point) Color { return b.cells[p] }

// ToPlay returns the side to move.
func (b *Board) ToPlay() Color { return b.toPlay }

// Ko returns the point the side to move may not play because of simple ko,
// or NoPoint.
func (b *Board) Ko() Point { return b.ko }

// Last returns the i-th latest move's point (0 is the latest), NoPoint when
// there is none and Pass for a pass.
func (b *Board) Last(i int) Point { return b.last[i] }

// MoveNumber returns the number of moves played so far.
func (b *Board) MoveNumber() int { return b.moves }

// Setup puts a stone of color c at p (or empties it for Empty) without
// captures, as the SGF setup properties AB, AW and AE do. It clears the ko.
func (b *Board) Setup(c Color, p Point) error {
	if !p.OnBoard() {
		return fmt.Errorf("%w: %d", ErrOffBoard, p)
	}
	b.cells[p] = c
	b.ko = NoPoint
	return nil
}

// SetToPlay gives the move to c, as the SGF property PL does.
func (b *Board) SetToPlay(c Color) {
	b.toPlay = c
}

// Play puts a stone of color m.C at m.P, removes the opponent groups left
// without liberties and updates the ko point. A pass only changes the side
// to move. An illegal move (occupied point, suicide, ko retake) returns an
// error and leaves the board unchanged.
func (b *Board) Play(m Move) error {
	if m.C != Black && m.C != White {
		return ErrColor
	}
	if m.P == Pass {
		b.record(m)
		b.ko = NoPoint
		return nil
	}
	if !m.P.OnBoard() {
		return fmt.Errorf("%w: %d", ErrOffBoard, m.P)
	}
	p, opp := m.P, m.C.Opponent()
	if b.cells[p] != Empty {
		return fmt.Errorf("%w: %v", ErrOccupied, p)
	}

	// put the stone, then take every adjacent opponent group left without
	// a liberty
	b.cells[p] = m.C
	captured, capturedAt := 0, NoPoint
	for _, n := range neighbors[p] {
		if n == NoPoint {
			break
		}
		if b.cells[n] == opp && !b.hasLiberty(n) {
			captured += b.remove(n)
			capturedAt = n
		}
	}

	// a move that captures nothing and has no liberty is suicide
	if captured == 0 && !b.hasLiberty(p) {
		b.cells[p] = Empty
		return fmt.Errorf("%w: %v", ErrSuicide, p)
	}

	// taking back a ko at once is illegal when it takes just the one
	// stone (taking more changes the position, so it is allowed)
	if p == b.ko && m.C == b.toPlay && captured == 1 {
		b.cells[p], b.cells[capturedAt] = Empty, opp
		return fmt.Errorf("%w: %v", ErrKo, p)
	}

	// simple ko: a lone stone that took a lone stone and now has the
	// taken point as its only liberty
	b.ko = NoPoint
	if captured == 1 && b.loneWithOneLiberty(p) {
		b.ko = capturedAt
	}
	b.record(m)
	return nil
}

// record pushes m into the move history and hands the move to the opponent.
func (b *Board) record(m Move) {
	copy(b.last[1:], b.last[:History-1])
	b.last[0] = m.P
	b.moves++
	b.toPlay = m.C.Opponent()
}

// loneWithOneLiberty reports whether the stone at p has no friendly
// neighbour and exactly one empty neighbour.
func (b *Board) loneWithOneLiberty(p Point) bool {
	libs := 0
	for _, n := range neighbors[p] {
		if n == NoPoint {
			break
		}
		switch b.cells[n] {
		case Empty:
			libs++
		case b.cells[p]:
			return false
		}
	}
	return libs == 1
}

// nextStamp starts a new flood fill.
func (b *Board) nextStamp() uint32 {
	b.stamp++
	if b.stamp == 0 {
		b.mark = [Points]uint32{}
		b.stamp = 1
	}
	return b.stamp
}

// hasLiberty reports whether the group at p touches an empty point.
func (b *Board) hasLiberty(p Point) bool {
	c, s := b.cells[p], b.nextStamp()
	b.mark[p] = s
	b.stack[0] = p
	top := 1
	for top > 0 {
		top--
		q := b.stack[top]
		for _, n := range neighbors[q] {
			if n == NoPoint {
				break
			}
			switch b.cells[n] {
			case Empty:
				return true
			case c:
				if b.mark[n] != s {
					b.mark[n] = s
					b.stack[top] = n
					top++
				}
			}
		}
	}
	return false
}

// remove takes the group at p off the board and returns its size.
func (b *Board) remove(p Point) int {
	c := b.cells[p]
	b.cells[p] = Empty
	b.stack[0] = p
	top, n := 1, 0
	for top > 0 {
		top--
		q := b.stack[top]
		n++
		for _, r := range neighbors[q] {
			if r == NoPoint {
				break
			}
			if b.cells[r] == c {
				b.cells[r] = Empty
				b.stack[top] = r
				top++
			}
		}
	}
	return n
}

// String draws the board: X black, O white, . empty, with column letters
// A–T (no I) and row numbers 19–1 as Go players read them.
func (b *Board) String() string {
	return Draw(func(p Point) string {
		switch b.cells[p] {
		case Black:
			return "X"
		case White:
			return "O"
		}
		return "."
	})
}

// Draw lays out a board diagram with cell(p) giving the text of each point
// (one character keeps the columns aligned).
func Draw(cell func(Point) string) string {
	const letters = "ABCDEFGHJKLMNOPQRST"
	var sb strings.Builder
	header := func() {
		sb.WriteString("   ")
		for c := range Size {
			sb.WriteByte(' ')
			sb.WriteByte(letters[c])
		}
		sb.WriteByte('\n')
	}
	header()
	for r := range Size {
		fmt.Fprintf(&sb, "%2d ", Size-r)
		for c := range Size {
			sb.WriteByte(' ')
			sb.WriteString(cell(At(r, c)))
		}
		fmt.Fprintf(&sb, " %d\n", Size-r)
	}
	header()
	return sb.String()
}
