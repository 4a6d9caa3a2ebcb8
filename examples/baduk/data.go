package main

import (
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"github.com/nnrt/nn"
	"github.com/nnrt/nn/internal/baduk"
)

// games holds the positions of a set of games, game after game, packed
// (106 bytes a position) so that millions fit in memory; input planes are
// built from them batch by batch.
type games struct {
	pos   []baduk.Position
	start []int // start[i] is the index in pos of game i's first position
	names []string
}

func (g *games) len() int { return len(g.start) }

// game returns the positions of game i.
func (g *games) game(i int) []baduk.Position {
	end := len(g.pos)
	if i+1 < len(g.start) {
		end = g.start[i+1]
	}
	return g.pos[g.start[i]:end]
}

func (g *games) add(name string, pos []baduk.Position) {
	g.start = append(g.start, len(g.pos))
	g.pos = append(g.pos, pos...)
	g.names = append(g.names, name)
}

// sample keeps n games chosen at random (all when n <= 0 or n >= len).
func (g *games) sample(n int, rng *rand.Rand) *games {
	if n <= 0 || n >= g.len() {
		return g
	}
	keep := rng.Perm(g.len())[:n]
	out := &games{}
	for _, i := range keep {
		out.add(g.names[i], g.game(i))
	}
	return out
}

// loadConfig says which records to read and how to split them.
type loadConfig struct {
	path      string
	read      int     // stop after this many records (0: all)
	split     string  // "date" (test = games of testYear) or "random"
	testYear  int     // for split "date"
	testFrac  float64 // for split "random"
	seed      uint64
	log       io.Writer // where skipped records are reported
	trainCap  int       // train games kept (0: all)
	testCap   int       // held-out games kept (0: all)
	skipLimit int       // skipped records reported one by one; the rest are counted
}

// dataset is the train and held-out games.
type dataset struct {
	train, test *games
	read        int // records read
	skipped     int // malformed or illegal records
	outside     int // records in neither set (other years, no date)
	elapsed     time.Duration
}

// load reads every record under cfg.path, replays it and files its
// positions (passes are not targets, so they are left out) under train or
// test by game, never splitting a game. A record that does not parse or
// replay is reported by name and skipped. Records are decoded on every
// CPU and filed in archive order, so a run is reproducible.
func load(cfg loadConfig) (*dataset, error) {
	start := time.Now()
	ds := &dataset{train: &games{}, test: &games{}}

	// the walk feeds records to the workers; a collector puts the decoded
	// games back in archive order
	type record struct {
		seq  int
		name string
		data []byte
		err  error
	}
	jobs := make(chan record, 64)
	done := make(chan decoded, 64)
	var decodedGames []decoded
	collected := make(chan struct{})
	go func() {
		for d := range done {
			for len(decodedGames) <= d.seq {
				decodedGames = append(decodedGames, decoded{})
			}
			decodedGames[d.seq] = d
		}
		close(collected)
	}()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				d := decode(r.name, r.data, r.err, cfg)
				d.seq = r.seq
				done <- d
			}
		}()
	}
	err := baduk.Walk(cfg.path, func(name string, data []byte, err error) error {
		if cfg.read > 0 && ds.read >= cfg.read {
			return baduk.ErrStopWalk
		}
		jobs <- record{ds.read, name, data, err}
		ds.read++
		return nil
	})
	close(jobs)
	wg.Wait()
	close(done)
	<-collected
	if err != nil {
		return nil, err
	}

	for i := range decodedGames {
		d := &decodedGames[i]
		switch {
		case d.err != nil:
			if ds.skipped++; ds.skipped <= cfg.skipLimit {
				fmt.Fprintf(cfg.log, "skipping %s: %v\n", d.name, d.err)
			}
		case d.side == sideOutside:
			ds.outside++
		case len(d.pos) == 0:
		case d.side == sideTest:
			ds.test.add(d.name, d.pos)
		default:
			ds.train.add(d.name, d.pos)
		}
		d.pos = nil // copied; let the collector's copy go
	}
	if ds.skipped > cfg.skipLimit {
		fmt.Fprintf(cfg.log, "... and %d more records skipped\n", ds.skipped-cfg.skipLimit)
	}
	rng := rand.New(rand.NewPCG(cfg.seed, 0x5eed))
	ds.train = ds.train.sample(cfg.trainCap, rng)
	ds.test = ds.test.sample(cfg.testCap, rng)
	ds.elapsed = time.Since(start)
	if ds.train.len() == 0 || ds.test.len() == 0 {
		return ds, fmt.Errorf("nn: baduk example: %d training and %d held-out games in %s; need both", ds.train.len(), ds.test.len(), cfg.path)
	}
	return ds, nil
}

// Which set a record goes to.
const (
	sideTrain = iota
	sideTest
	sideOutside
)

// decoded is one record after parsing and replay.
type decoded struct {
	seq  int
	name string
	side int
	pos  []baduk.Position
	err  error
}

// decode parses and replays one record and picks its side of the split.
func decode(name string, data []byte, err error, cfg loadConfig) decoded {
	d := decoded{name: name, err: err}
	if err != nil {
		return d
	}
	g, err := baduk.ParseSGF(data)
	if err != nil {
		d.err = err
		return d
	}
	switch {
	case cfg.split == "random" && hashFrac(name, cfg.seed) < cfg.testFrac:
		d.side = sideTest
	case cfg.split == "random":
		d.side = sideTrain
	case g.Year() == cfg.testYear:
		d.side = sideTest
	case g.Year() > 0 && g.Year() < cfg.testYear:
		d.side = sideTrain
	default:
		d.side = sideOutside
		return d
	}
	d.err = g.Replay(func(b *baduk.Board, m baduk.Move) error {
		if m.P != baduk.Pass {
			d.pos = append(d.pos, baduk.NewPosition(b, m))
		}
		return nil
	})
	return d
}

// hashFrac maps a record name to [0, 1), the same for the same name and
// seed, so a game lands on the same side of a random split every run.
func hashFrac(name string, seed uint64) float64 {
	h := fnv.New64a()
	var s [8]byte
	for i := range s {
		s[i] = byte(seed >> (8 * i))
	}
	h.Write(s[:])
	h.Write([]byte(name))
	return float64(h.Sum64()>>11) / (1 << 53)
}

// maxMoveNumber caps the move numbers the frequency baseline tells apart.
const maxMoveNumber = 400

// baseline is the "most common point for this move number" predictor
// learned from the training games: the floor any model must beat.
type baseline struct {
	best [maxMoveNumber + 1][5]baduk.Point
}

func newBaseline(train *games) *baseline {
	counts := make([][baduk.Points]int, maxMoveNumber+1)
	for i := range train.pos {
		p := &train.pos[i]
		counts[min(int(p.Number), maxMoveNumber)][p.Move]++
	}
	b := &baseline{}
	for n := range counts {
		scores := make([]float32, baduk.Points)
		for p, c := range counts[n] {
			scores[p] = float32(c)
		}
		for k, p := range nn.TopK(nil, scores, 5) {
			b.best[n][k] = baduk.Point(p)
		}
	}
	return b
}

// accuracy returns the baseline's top-1 and top-5 accuracy on positions.
func (b *baseline) accuracy(pos []baduk.Position) (top1, top5 float64) {
	var hit1, hit5 int
	for i := range pos {
		guess := b.best[min(int(pos[i].Number), maxMoveNumber)]
		for k, p := range guess {
			if p == pos[i].Move {
				hit5++
				if k == 0 {
					hit1++
				}
			}
		}
	}
	n := float64(max(len(pos), 1))
	return float64(hit1) / n, float64(hit5) / n
}
