package baduk

import (
	"errors"
	"fmt"
	"strings"
)

// ErrSGF is wrapped by every error ParseSGF returns.
var ErrSGF = errors.New("nn: sgf")

// maxDepth bounds the nesting of variations so a hostile file cannot
// exhaust the stack.
const maxDepth = 1000

// Game is the main line of one SGF game record.
type Game struct {
	Date   string // DT, as written
	Komi   string // KM, as written
	Result string // RE, as written
	Setup  []Move // AB, AW and AE of the first node; AE has color Empty
	First  Color  // PL of the first node, or Empty when absent
	Moves  []Move // B and W nodes in order; passes have point Pass
}

// Year returns the year of the game's date (the first four digits of DT),
// or 0 when the date does not start with one.
func (g *Game) Year() int {
	if len(g.Date) < 4 {
		return 0
	}
	y := 0
	for _, c := range g.Date[:4] {
		if c < '0' || c > '9' {
			return 0
		}
		y = y*10 + int(c-'0')
	}
	return y
}

// ParseSGF reads the first game of an SGF collection and keeps its main
// line (the first variation at every branch). It accepts 19×19 games only.
// Setup stones are supported in the first node; setup after that, moves
// with bad coordinates and syntax errors are reported with the byte offset.
// Variations other than the main line are checked for syntax and dropped.
func ParseSGF(data []byte) (*Game, error) {
	p := &sgfParser{s: data, g: new(Game)}
	p.space()
	if !p.more() {
		return nil, p.errorf("no game tree")
	}
	if err := p.tree(true, 0); err != nil {
		return nil, err
	}
	return p.g, nil
}

type sgfParser struct {
	s     []byte
	i     int
	g     *Game
	nodes int // nodes of the main line seen so far
}

func (p *sgfParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: offset %d: %s", ErrSGF, p.i, fmt.Sprintf(format, args...))
}

func (p *sgfParser) more() bool { return p.i < len(p.s) }

func (p *sgfParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			p.i++
		default:
			return
		}
	}
}

// tree reads "(" sequence tree* ")". Only the first child of a main-line
// tree is main line too.
func (p *sgfParser) tree(main bool, depth int) error {
	if depth > maxDepth {
		return p.errorf("variations nested deeper than %d", maxDepth)
	}
	if !p.more() || p.s[p.i] != '(' {
		return p.errorf("want '('")
	}
	p.i++
	p.space()
	if !p.more() || p.s[p.i] != ';' {
		return p.errorf("game tree without a node")
	}
	for p.space(); p.more() && p.s[p.i] == ';'; p.space() {
		p.i++
		if err := p.node(main); err != nil {
			return err
		}
	}
	for child := 0; p.more() && p.s[p.i] == '('; child++ {
		if err := p.tree(main && child == 0, depth+1); err != nil {
			return err
		}
		p.space()
	}
	if !p.more() || p.s[p.i] != ')' {
		return p.errorf("want ')'")
	}
	p.i++
	return nil
}

// node reads the properties of one node and applies those of the main line.
func (p *sgfParser) node(main bool) error {
	var moved bool
	for p.space(); p.more(); p.space() {
		c := p.s[p.i]
		if c < 'A' || c > 'Z' {
			if c >= 'a' && c <= 'z' {
				return p.errorf("property name must be upper case")
			}
			break
		}
		start := p.i
		for p.more() && p.s[p.i] >= 'A' && p.s[p.i] <= 'Z' {
			p.i++
		}
		id := string(p.s[start:p.i])
		p.space()
		if !p.more() || p.s[p.i] != '[' {
			return p.errorf("property %s has no value", id)
		}
		for p.space(); p.more() && p.s[p.i] == '['; p.space() {
			v, err := p.value()
			if err != nil {
				return err
			}
			if !main {
				continue
			}
			switch id {
			case "B", "W":
				if moved {
					return p.errorf("two moves in one node")
				}
				moved = true
				if err := p.move(id, v); err != nil {
					return err
				}
			default:
				if err := p.prop(id, v); err != nil {
					return err
				}
			}
		}
	}
	if main {
		p.nodes++
	}
	return nil
}

// value reads "[...]" and returns the text with escapes removed.
func (p *sgfParser) value() (string, error) {
	p.i++ // '['
	var sb strings.Builder
	for p.more() {
		c := p.s[p.i]
		p.i++
		switch c {
		case ']':
			return sb.String(), nil
		case '\\':
			if !p.more() {
				return "", p.errorf("escape at end of input")
			}
			sb.WriteByte(p.s[p.i])
			p.i++
		default:
			sb.WriteByte(c)
		}
	}
	return "", p.errorf("value not closed by ']'")
}

func (p *sgfParser) move(id, v string) error {
	c := Black
	if id == "W" {
		c = White
	}
	if v == "" || v == "tt" {
		p.g.Moves = append(p.g.Moves, Move{c, Pass})
		return nil
	}
	pt, err := p.point(v)
	if err != nil {
		return err
	}
	p.g.Moves = append(p.g.Moves, Move{c, pt})
	return nil
}

func (p *sgfParser) prop(id, v string) error {
	switch id {
	case "SZ":
		if strings.TrimSpace(v) != "19" {
			return p.errorf("board size %q, only 19 is supported", v)
		}
	case "DT":
		p.g.Date = v
	case "KM":
		p.g.Komi = v
	case "RE":
		p.g.Result = v
	case "PL":
		if p.nodes > 0 {
			return nil // who plays next only matters before the first move
		}
		switch v {
		case "B", "b":
			p.g.First = Black
		case "W", "w":
			p.g.First = White
		default:
			return p.errorf("PL[%s] is not B or W", v)
		}
	case "AB", "AW", "AE":
		if p.nodes > 0 {
			return p.errorf("%s after the first node is not supported", id)
		}
		c := Empty
		switch id {
		case "AB":
			c = Black
		case "AW":
			c = White
		}
		return p.setup(c, v)
	}
	return nil
}

// setup adds one point, or a rectangle "aa:cc", of setup stones.
func (p *sgfParser) setup(c Color, v string) error {
	from, to, ok := strings.Cut(v, ":")
	if !ok {
		to = from
	}
	a, err := p.point(from)
	if err != nil {
		return err
	}
	b, err := p.point(to)
	if err != nil {
		return err
	}
	r0, r1 := min(a.Row(), b.Row()), max(a.Row(), b.Row())
	c0, c1 := min(a.Col(), b.Col()), max(a.Col(), b.Col())
	for r := r0; r <= r1; r++ {
		for col := c0; col <= c1; col++ {
			p.g.Setup = append(p.g.Setup, Move{c, At(r, col)})
		}
	}
	return nil
}

// point decodes two SGF letters "a".."s" (column, then row).
func (p *sgfParser) point(v string) (Point, error) {
	if len(v) != 2 || v[0] < 'a' || v[0] >= 'a'+Size || v[1] < 'a' || v[1] >= 'a'+Size {
		return NoPoint, p.errorf("bad point %q", v)
	}
	return At(int(v[1]-'a'), int(v[0]-'a')), nil
}

// Replay plays the game from the empty board and calls fn with the board
// before each move and the move itself. fn must not keep b. An illegal move
// stops the replay with an error naming the move number (fn has then seen
// the positions before it, so a caller that wants whole games only keeps
// them once Replay returns nil); an error from fn stops it too.
func (g *Game) Replay(fn func(b *Board, m Move) error) error {
	b := NewBoard()
	for _, s := range g.Setup {
		if err := b.Setup(s.C, s.P); err != nil {
			return err
		}
	}
	if g.First != Empty {
		b.SetToPlay(g.First)
	}
	for i, m := range g.Moves {
		if err := fn(b, m); err != nil {
			return err
		}
		if err := b.Play(m); err != nil {
			return fmt.Errorf("move %d (%v %v): %w", i+1, m.C, m.P, err)
		}
	}
	return nil
}
