//go:build js && wasm

package main

import (
	"encoding/base64"
	"fmt"
	"strings"
	"syscall/js"

	"github.com/nnrt/nn"
	"github.com/nnrt/nn/internal/baduk"
)

// A Go (baduk) move predictor saved by examples/baduk carries in its
// metadata, under these keys, the input planes it was trained on and, when
// those include the pattern plane, its 3×3 pattern table. The keys must
// match examples/baduk/train.go.
const (
	metaPlanes   = "baduk.planes"
	metaPatterns = "baduk.patterns"
)

// policy is what scoring a board needs beside the network; built once per
// handle, on first use.
type policy struct {
	planes baduk.PlaneSet
	feat   baduk.Features
	x      []float32
	mask   []bool
	scores []float32
}

func newPolicy(net *nn.Network) (*policy, error) {
	text, ok := net.Meta(metaPlanes)
	if !ok {
		return nil, fmt.Errorf("nn: board: the model has no %s metadata; it was not saved by examples/baduk", metaPlanes)
	}
	planes, err := baduk.ParsePlanes(text)
	if err != nil {
		return nil, err
	}
	if net.InputSize() != planes.Inputs() || net.OutputSize() != baduk.Points {
		return nil, fmt.Errorf("nn: board: the model takes %d inputs and gives %d outputs, want %d and %d: %w",
			net.InputSize(), net.OutputSize(), planes.Inputs(), baduk.Points, nn.ErrShape)
	}
	pl := &policy{
		planes: planes,
		x:      make([]float32, planes.Inputs()),
		mask:   make([]bool, baduk.Points),
		scores: make([]float32, baduk.Points),
	}
	if text, ok := net.Meta(metaPatterns); ok {
		data, err := base64.StdEncoding.DecodeString(text)
		if err != nil {
			return nil, fmt.Errorf("nn: board: %s metadata: %v", metaPatterns, err)
		}
		t := baduk.NewPatterns()
		if err := t.UnmarshalBinary(data); err != nil {
			return nil, err
		}
		pl.feat.UsePatterns(t)
	}
	return pl, nil
}

// boardState is what board reports besides the scores.
type boardState struct {
	Stones []int  `json:"stones"` // per point: 0 empty, 1 black, 2 white
	Legal  []int  `json:"legal"`  // per point: 1 where the side to move may play
	ToPlay string `json:"toPlay"` // "black" or "white"
	Ko     int    `json:"ko"`     // point the side to move may not retake, or -1
}

// board(h, movesJSON, out) replays a game from the empty board (a JSON array
// of points row*19+col, -1 for a pass; black moves first, then turns
// alternate) and writes into out, a Uint8Array view of a Float32Array of
// 361, the model's probability for every point as the next move: illegal
// points get exactly 0. It returns the JSON boardState.
func board(args []js.Value) (any, error) {
	e, _, err := entryArg("board", args)
	if err != nil {
		return nil, err
	}
	s, err := stringArg("board", args, 1, "moves")
	if err != nil {
		return nil, err
	}
	var moves []int
	if err := decodeStrict("board moves", s, &moves); err != nil {
		return nil, err
	}
	out := arg(args, 2)
	if out.Type() != js.TypeObject || !out.InstanceOf(jsUint8Array) || out.Get("byteLength").Int() != 4*baduk.Points {
		return nil, fmt.Errorf("nn: board: argument 2 must be a Float32Array of %d scores", baduk.Points)
	}
	if e.policy == nil {
		if e.policy, err = newPolicy(e.net); err != nil {
			return nil, err
		}
	}
	pl := e.policy

	b := baduk.NewBoard()
	for i, m := range moves {
		p := baduk.Point(m)
		if m == -1 {
			p = baduk.Pass
		} else if m < 0 || m >= baduk.Points {
			return nil, fmt.Errorf("nn: board: move %d is %d, want a point from 0 to %d or -1 for a pass", i+1, m, baduk.Points-1)
		}
		if err := b.Play(baduk.Move{C: b.ToPlay(), P: p}); err != nil {
			// the rules' message already names the point and starts with "nn: "
			return nil, fmt.Errorf("nn: board: move %d is illegal: %s", i+1, strings.TrimPrefix(err.Error(), "nn: "))
		}
	}

	pos := baduk.NewPosition(b, baduk.Move{C: b.ToPlay(), P: baduk.Pass})
	pl.feat.Load(&pos)
	pl.feat.Planes(pl.x, pl.planes, baduk.Identity)
	pl.feat.Legal(pl.mask, baduk.Identity)
	st := boardState{
		Stones: make([]int, baduk.Points),
		Legal:  make([]int, baduk.Points),
		ToPlay: b.ToPlay().String(),
		Ko:     int(b.Ko()),
	}
	playable := false
	for p := range baduk.Point(baduk.Points) {
		st.Stones[p] = int(b.At(p))
		if pl.mask[p] {
			st.Legal[p] = 1
			playable = true
		}
	}
	clear(pl.scores)
	if playable {
		if err := e.net.PredictMaskedInto(pl.scores, pl.x, pl.mask); err != nil {
			return nil, err
		}
	}
	js.CopyBytesToJS(out, floatBytes(pl.scores))
	return marshal(st)
}
