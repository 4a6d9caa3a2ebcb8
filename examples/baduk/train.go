package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"github.com/nnrt/nn"
	"github.com/nnrt/nn/internal/baduk"
)

// policy is a move predictor: the network and what turns a position into
// its input.
type policy struct {
	net      *nn.Network
	planes   baduk.PlaneSet
	patterns *baduk.Patterns // nil unless the planes include the pattern plane
}

// newPolicy builds a network with the given hidden layers (ReLU) and a
// 361-way softmax output.
//
// TODO(nn): the input is 0/1 except the pattern plane and mostly zero, yet
// scoring one board streams the whole first-layer matrix (3.7 MB for 1805
// inputs and 512 units); a first layer that adds up the weight rows of the
// nonzero inputs would score a board several times faster.
func newPolicy(planes baduk.PlaneSet, hidden []int, patterns *baduk.Patterns, seed uint64) (*policy, error) {
	opts := []nn.Option{nn.Input(planes.Inputs())}
	for _, h := range hidden {
		opts = append(opts, nn.Dense(h, nn.ReLU, nn.WithInit(nn.HeNormal())))
	}
	opts = append(opts, nn.Dense(baduk.Points, nn.Softmax), nn.Seed(seed))
	net, err := nn.New(opts...)
	if err != nil {
		return nil, err
	}
	names := make([]string, baduk.Points)
	for p := range baduk.Point(baduk.Points) {
		names[p] = pointName(p)
	}
	net.SetClassNames(names)
	return &policy{net: net, planes: planes, patterns: patterns}, nil
}

// warmStart sets the weights so that the untrained network already ranks
// moves by their pattern value: in every hidden layer, unit j copies the
// pattern value of point j (a ReLU passes the values in [0, 1] unchanged),
// and output j adds scale times it to its logit. With scale equal to the
// plane's log scale, the softmax starts as the pattern frequencies
// themselves. The other weights keep their random start, those into the
// output shrunk so that they start as small corrections; training then
// learns what the other planes add. It needs the pattern plane and hidden
// layers of at least 361 units; otherwise it reports false and changes
// nothing.
func (pl *policy) warmStart(scale float32) (bool, error) {
	layers := pl.net.Layers()
	if !pl.planes.Has(baduk.PlanePattern) {
		return false, nil
	}
	for _, l := range layers[:len(layers)-1] {
		if l.Out < baduk.Points {
			return false, nil
		}
	}
	off := 0
	for p := range baduk.PlanePattern {
		if pl.planes.Has(p) {
			off += baduk.Points
		}
	}
	for i := range layers {
		w, b, err := pl.net.Weights(i)
		if err != nil {
			return false, err
		}
		last := i == len(layers)-1
		for j := range baduk.Points {
			src := j
			if i == 0 {
				src = off + j
			}
			if last {
				for k := range w[j] {
					w[j][k] *= 0.1
				}
				w[j][src] = scale
				continue
			}
			clear(w[j])
			w[j][src], b[j] = 1, 0
		}
		if err := pl.net.SetWeights(i, w, b); err != nil {
			return false, err
		}
	}
	return true, nil
}

// pointName gives a point as Go players write it: column letter A–T
// without I, row number 19 at the top.
func pointName(p baduk.Point) string {
	const letters = "ABCDEFGHJKLMNOPQRST"
	return fmt.Sprintf("%c%d", letters[p.Col()], baduk.Size-p.Row())
}

// save writes the model in the library's format, with the plane list and
// the pattern table in its metadata (see baduk.EncodeMeta).
func (pl *policy) save(path string) error {
	meta, err := baduk.EncodeMeta(pl.planes, pl.patterns)
	if err != nil {
		return err
	}
	for k, v := range meta {
		pl.net.SetMeta(k, v)
	}
	return pl.net.SaveFile(path)
}

// loadPolicy reads a model written by save.
func loadPolicy(path string) (*policy, error) {
	net, err := nn.LoadFile(path)
	if err != nil {
		return nil, err
	}
	planes, patterns, err := baduk.DecodeMeta(net.Meta)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if net.InputSize() != planes.Inputs() || net.OutputSize() != baduk.Points {
		return nil, fmt.Errorf("nn: baduk example: %s takes %d inputs and gives %d outputs, want %d and %d",
			path, net.InputSize(), net.OutputSize(), planes.Inputs(), baduk.Points)
	}
	return &policy{net: net, planes: planes, patterns: patterns}, nil
}

// features returns a feature builder wired to the policy's pattern table.
func (pl *policy) features() *baduk.Features {
	f := new(baduk.Features)
	f.UsePatterns(pl.patterns)
	return f
}

// learnPatterns counts the 3×3 patterns of up to n training positions
// chosen at random, on every CPU.
func learnPatterns(train []baduk.Position, n int, rng *rand.Rand) *baduk.Patterns {
	idx := rng.Perm(len(train))[:min(n, len(train))]
	workers := max(1, min(runtime.GOMAXPROCS(0), len(idx)))
	tables := make([]*baduk.Patterns, workers)
	var wg sync.WaitGroup
	for w := range workers {
		tables[w] = baduk.NewPatterns()
		wg.Add(1)
		go func() {
			defer wg.Done()
			var f baduk.Features
			for _, i := range idx[w*len(idx)/workers : (w+1)*len(idx)/workers] {
				f.Load(&train[i])
				tables[w].Add(&f, train[i].Move)
			}
		}()
	}
	wg.Wait()
	for _, t := range tables[1:] {
		tables[0].Merge(t)
	}
	return tables[0]
}

// patternAccuracy ranks the legal points of each position by their pattern
// value alone and returns the top-1 and top-5 accuracy of that ranking.
func patternAccuracy(t *baduk.Patterns, pos []baduk.Position) (top1, top5 float64) {
	var f baduk.Features
	f.UsePatterns(t)
	const set = baduk.PlaneSet(1 << baduk.PlanePattern)
	x := make([]float32, set.Inputs())
	var top []int
	for i := range pos {
		f.Load(&pos[i])
		f.Planes(x, set, baduk.Identity)
		top = nn.TopK(top, x, 5)
		for k, p := range top {
			if baduk.Point(p) == pos[i].Move {
				top5++
				if k == 0 {
					top1++
				}
			}
		}
	}
	n := float64(max(len(pos), 1))
	return top1 / n, top5 / n
}

// batch is a block of input rows and class labels built from positions.
type batch struct {
	x, y nn.Matrix
}

// fill builds the inputs of positions pos[idx[i]], each moved by a random
// symmetry when augment is set, and their (equally moved) targets.
func (pl *policy) fill(b *batch, f *baduk.Features, pos []baduk.Position, idx []int32, augment bool, rng *rand.Rand) {
	in := pl.planes.Inputs()
	b.x = nn.Matrix{Rows: len(idx), Cols: in, Data: grow(b.x.Data, len(idx)*in)}
	b.y = nn.Matrix{Rows: len(idx), Cols: 1, Data: grow(b.y.Data, len(idx))}
	for i, j := range idx {
		s := baduk.Identity
		if augment {
			s = baduk.Symmetry(rng.IntN(baduk.Symmetries))
		}
		f.Load(&pos[j])
		f.Planes(b.x.Data[i*in:(i+1)*in], pl.planes, s)
		b.y.Data[i] = float32(s.Apply(pos[j].Move))
	}
}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// trainConfig sets up a training run.
type trainConfig struct {
	epochs  float64       // passes over the training positions
	budget  time.Duration // wall-clock limit for training (0: none)
	batch   int           // rows per update
	chunk   int           // rows per Fit call
	lr      float32       // Adam learning rate at the start
	lrEnd   float32       // fraction of lr reached at the end (linear decay)
	augment bool          // random symmetry per position
	seed    uint64
	log     io.Writer // a progress line per report interval (nil: silent)
	every   time.Duration
}

// trainStats describes a finished run.
type trainStats struct {
	positions int // training rows processed
	elapsed   time.Duration
	loss, acc float64 // over the last report interval
}

// train fits the policy on the training positions, chunk by chunk, with
// the inputs of the next chunk built while the current one trains. The
// learning rate falls linearly towards lr*lrEnd over the planned positions
// or the time budget, whichever ends first.
func (pl *policy) train(ctx context.Context, pos []baduk.Position, cfg trainConfig) (trainStats, error) {
	var st trainStats
	if len(pos) == 0 {
		return st, fmt.Errorf("nn: baduk example: no training positions")
	}
	start := time.Now()
	if cfg.budget > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.budget)
		defer cancel()
	}
	planned := int(cfg.epochs * float64(len(pos)))
	rng := rand.New(rand.NewPCG(cfg.seed, 0x7a1))

	// the order of the positions: a fresh permutation every epoch
	order := make([]int32, 0, len(pos))
	next := func(n int) []int32 {
		if len(order) == 0 {
			for _, i := range rng.Perm(len(pos)) {
				order = append(order, int32(i))
			}
		}
		n = min(n, len(order))
		out := order[:n]
		order = order[n:]
		return out
	}

	// a producer goroutine builds chunks; two batches take turns
	type job struct {
		b    *batch
		last bool
	}
	free := make(chan *batch, 2)
	free <- new(batch)
	free <- new(batch)
	ready := make(chan job, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		f := pl.features()
		prng := rand.New(rand.NewPCG(cfg.seed, 0xfea7))
		for made := 0; made < planned; {
			var b *batch
			select {
			case b = <-free:
			case <-done:
				return
			}
			idx := next(min(cfg.chunk, planned-made))
			pl.fill(b, f, pos, idx, cfg.augment, prng)
			made += len(idx)
			select {
			case ready <- job{b, made >= planned}:
			case <-done:
				return
			}
		}
	}()

	var lossSum, accSum float64
	var rows int
	lastReport := start
	for {
		var j job
		select {
		case j = <-ready:
		case <-ctx.Done():
			st.elapsed = time.Since(start)
			return st, nil
		}

		// linear decay by progress in positions or in time, whichever is further
		frac := float64(st.positions) / float64(planned)
		if cfg.budget > 0 {
			frac = max(frac, float64(time.Since(start))/float64(cfg.budget))
		}
		lr := cfg.lr * float32(1-(1-float64(cfg.lrEnd))*min(frac, 1))

		h, err := pl.net.Fit(ctx, j.b.x, j.b.y, nn.TrainConfig{
			Epochs: 1, BatchSize: cfg.batch, NoShuffle: true, Optimizer: nn.Adam(lr),
		})
		if err == context.DeadlineExceeded || err == context.Canceled {
			st.elapsed = time.Since(start)
			return st, nil
		}
		if err != nil {
			return st, err
		}
		st.positions += j.b.x.Rows
		e := h.Epochs[0]
		lossSum += e.Loss * float64(j.b.x.Rows)
		accSum += e.Accuracy * float64(j.b.x.Rows)
		rows += j.b.x.Rows
		free <- j.b

		if now := time.Now(); cfg.log != nil && (now.Sub(lastReport) >= cfg.every || j.last) {
			st.loss, st.acc = lossSum/float64(rows), accSum/float64(rows)
			el := now.Sub(start)
			fmt.Fprintf(cfg.log, "  %6.0fs  %9d positions (%.2f epochs)  %5.0f positions/s  lr %.2g  loss %.3f  train top-1 %.1f%%\n",
				el.Seconds(), st.positions, float64(st.positions)/float64(len(pos)),
				float64(st.positions)/el.Seconds(), lr, st.loss, 100*st.acc)
			lossSum, accSum, rows, lastReport = 0, 0, 0, now
		}
		if j.last {
			st.elapsed = time.Since(start)
			return st, nil
		}
	}
}

// evalStats are held-out results.
type evalStats struct {
	n          int
	top1, top5 float64
	loss       float64 // mean -ln p(move) under the legal mask
	elapsed    time.Duration
}

// evaluate scores every held-out position under its legal-move mask and
// counts how often the move played is the first choice or among the first
// five. With symmetries set it averages the 8 symmetric images of each
// board, scored in one batch call.
func (pl *policy) evaluate(pos []baduk.Position, symmetries bool) (evalStats, error) {
	start := time.Now()
	f := pl.features()
	in := pl.planes.Inputs()
	views := 1
	if symmetries {
		views = baduk.Symmetries
	}
	const rows = 256
	x := nn.NewMatrix(rows*views, in)
	out := nn.NewMatrix(rows*views, baduk.Points)
	masks := make([][]bool, rows*views)
	for i := range masks {
		masks[i] = make([]bool, baduk.Points)
	}
	prob := make([]float32, baduk.Points)
	var top []int
	var st evalStats
	for r0 := 0; r0 < len(pos); r0 += rows {
		r := min(rows, len(pos)-r0)
		for i := range r {
			f.Load(&pos[r0+i])
			for s := range views {
				k := i*views + s
				f.Planes(x.Row(k), pl.planes, baduk.Symmetry(s))
				f.Legal(masks[k], baduk.Symmetry(s))
			}
		}
		xs := nn.Matrix{Rows: r * views, Cols: in, Data: x.Data[:r*views*in]}
		os := nn.Matrix{Rows: r * views, Cols: baduk.Points, Data: out.Data[:r*views*baduk.Points]}
		if err := pl.net.PredictBatchMaskedInto(os, xs, masks[:r*views]); err != nil {
			return st, err
		}
		for i := range r {
			// map every view back to the board as it is and average
			clear(prob)
			for s := range views {
				row := os.Row(i*views + s)
				sym := baduk.Symmetry(s)
				for p := range baduk.Point(baduk.Points) {
					prob[p] += row[sym.Apply(p)] / float32(views)
				}
			}
			move := pos[r0+i].Move
			top = nn.TopK(top, prob, 5)
			for k, p := range top {
				if baduk.Point(p) == move {
					st.top5++
					if k == 0 {
						st.top1++
					}
				}
			}
			st.loss -= math.Log(max(float64(prob[move]), 1e-30))
		}
		st.n += r
	}
	st.top1 /= float64(st.n)
	st.top5 /= float64(st.n)
	st.loss /= float64(st.n)
	st.elapsed = time.Since(start)
	return st, nil
}
