// Command baduk learns to predict the moves of strong Go (baduk) players
// from SGF game records and scores all 361 points of a board with the
// result, the way a game engine would use it.
//
//	go run ./examples/baduk -data ../shared/data/go-games/tom-9d-sgf.tar.gz
//
// It reads a .tar.gz of .sgf files, a folder of them or one file, replays
// every game with captures and ko, splits the games (not the positions)
// into training and held-out sets, trains a multi-layer perceptron on input
// planes built position by position, and reports held-out top-1 and top-5
// accuracy, the frequency baseline, positions per second and a board with
// the network's favourite moves. Without -data it runs a quick check on
// random boards instead.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nnrt/nn"
	"github.com/nnrt/nn/internal/baduk"
)

// options are the command-line settings.
type options struct {
	data            string
	read            int
	maxGames        int
	testGames       int
	split           string
	testYear        int
	testFrac        float64
	planes          string
	hidden          string
	epochs          float64
	budget          time.Duration
	batch           int
	chunk           int
	lr, lrEnd       float64
	augment         bool
	patternPos      int
	evalSymmetries  bool
	model           string
	warm            bool
	seed            uint64
	out             string
	show            int
	every           time.Duration
	randomBoards    int
	randomEpochs    int
	randomBatchSize int
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("baduk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.data, "data", "", "game records: a .tar.gz of .sgf files, a folder or one .sgf file (none: random-board quick check)")
	fs.IntVar(&o.read, "read", 0, "stop reading after this many records (0: all)")
	fs.IntVar(&o.maxGames, "max-games", 0, "training games kept, chosen at random (0: all)")
	fs.IntVar(&o.testGames, "test-games", 500, "held-out games kept, chosen at random (0: all)")
	fs.StringVar(&o.split, "split", "date", `"date": hold out the games of -test-year, train on earlier ones; "random": hold out -test-frac of the games`)
	fs.IntVar(&o.testYear, "test-year", 2011, "year of the held-out games with -split date")
	fs.Float64Var(&o.testFrac, "test-frac", 0.1, "fraction of held-out games with -split random")
	fs.StringVar(&o.planes, "planes", "own,opp,last1,last2,pattern", "input planes, comma-separated, or all: "+baduk.AllPlanes.String())
	fs.StringVar(&o.hidden, "hidden", "512", "hidden layer sizes, comma-separated")
	fs.Float64Var(&o.epochs, "epochs", 1, "passes over the training positions (fractions allowed)")
	fs.DurationVar(&o.budget, "time", 20*time.Minute, "training time budget (0: none)")
	fs.IntVar(&o.batch, "batch", 256, "positions per update")
	fs.IntVar(&o.chunk, "chunk", 4096, "positions whose inputs are built at a time")
	fs.Float64Var(&o.lr, "lr", 0.0001, "Adam learning rate at the start (small, so as to refine the warm start rather than wipe it)")
	fs.Float64Var(&o.lrEnd, "lr-end", 0.1, "learning rate at the end, as a fraction of -lr (linear decay)")
	fs.BoolVar(&o.augment, "augment", true, "move each training position by a random one of the 8 board symmetries")
	fs.IntVar(&o.patternPos, "pattern-positions", 1000000, "training positions the 3×3 pattern table is learned from")
	fs.BoolVar(&o.warm, "warm", true, "start the network as the pattern-frequency ranking (needs the pattern plane and hidden layers >= 361)")
	fs.StringVar(&o.model, "model", "", "evaluate this saved model on the held-out games instead of training one")
	fs.BoolVar(&o.evalSymmetries, "eval-symmetries", false, "also evaluate averaging the 8 symmetric images of each board")
	fs.Uint64Var(&o.seed, "seed", 1, "seed for the split, sampling, shuffling and weights")
	fs.StringVar(&o.out, "out", filepath.Join(os.TempDir(), "baduk.nn"), "where to save the trained model (empty: do not save)")
	fs.IntVar(&o.show, "show", 1, "held-out positions to draw with the network's top moves")
	fs.DurationVar(&o.every, "progress", 30*time.Second, "time between progress lines")
	fs.IntVar(&o.randomBoards, "random-boards", 1000, "boards in the random-board quick check")
	fs.IntVar(&o.randomEpochs, "random-epochs", 10, "epochs of the random-board quick check")
	fs.IntVar(&o.randomBatchSize, "random-batch", 32, "batch size of the random-board quick check")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("nn: baduk example: unexpected arguments %q", fs.Args())
	}
	if o.split != "date" && o.split != "random" {
		return nil, fmt.Errorf("nn: baduk example: -split %q, want date or random", o.split)
	}
	if o.epochs <= 0 || o.batch < 1 || o.chunk < 1 || o.lr <= 0 || o.lrEnd < 0 || o.lrEnd > 1 {
		return nil, fmt.Errorf("nn: baduk example: need -epochs > 0, -batch and -chunk >= 1, -lr > 0 and 0 <= -lr-end <= 1")
	}
	return o, nil
}

// parseHidden reads "1024,512" into layer sizes.
func parseHidden(text string) ([]int, error) {
	var sizes []int
	for part := range strings.SplitSeq(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("nn: baduk example: hidden layer size %q, want a positive integer", part)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if err != flag.ErrHelp {
			fmt.Fprintln(os.Stderr, err)
		}
		os.Exit(1)
	}
}

// result is what a run measured.
type result struct {
	baseline1, baseline5 float64
	pattern1, pattern5   float64
	train                trainStats
	eval, evalSym        evalStats
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.data == "" {
		return randomCheck(stdout, o)
	}
	_, err = learn(ctx, o, stdout, stderr)
	return err
}

// learn is the whole run on game records.
func learn(ctx context.Context, o *options, stdout, stderr io.Writer) (*result, error) {
	planes, err := baduk.ParsePlanes(o.planes)
	if err != nil {
		return nil, err
	}
	hidden, err := parseHidden(o.hidden)
	if err != nil {
		return nil, err
	}

	// read and split the games
	ds, err := load(loadConfig{
		path: o.data, read: o.read, split: o.split, testYear: o.testYear, testFrac: o.testFrac,
		seed: o.seed, log: stderr, trainCap: o.maxGames, testCap: o.testGames, skipLimit: 20,
	})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "read %d records in %.1fs: %d skipped, %d outside the split\n",
		ds.read, ds.elapsed.Seconds(), ds.skipped, ds.outside)
	fmt.Fprintf(stdout, "training: %d games, %d positions; held out: %d games, %d positions (split by %s)\n",
		ds.train.len(), len(ds.train.pos), ds.test.len(), len(ds.test.pos), o.split)
	res := &result{}
	res.baseline1, res.baseline5 = newBaseline(ds.train).accuracy(ds.test.pos)
	fmt.Fprintf(stdout, "baseline (most common point per move number): top-1 %.2f%%, top-5 %.2f%%\n",
		100*res.baseline1, 100*res.baseline5)

	var pl *policy
	if o.model != "" {
		if pl, err = loadPolicy(o.model); err != nil {
			return nil, err
		}
		shape := fmt.Sprint(pl.net.InputSize())
		for _, l := range pl.net.Layers() {
			shape += fmt.Sprintf(" -> %d %v", l.Out, l.Act)
		}
		fmt.Fprintf(stdout, "loaded %s: %s (planes %v)\n", o.model, shape, pl.planes)
	} else if pl, err = trainPolicy(ctx, o, ds, planes, hidden, res, stdout); err != nil {
		return nil, err
	}

	res.eval, err = pl.evaluate(ds.test.pos, false)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "held out (%d positions, legal moves only): top-1 %.2f%%, top-5 %.2f%%, loss %.3f; %.0f positions/s\n",
		res.eval.n, 100*res.eval.top1, 100*res.eval.top5, res.eval.loss, float64(res.eval.n)/res.eval.elapsed.Seconds())
	if o.evalSymmetries {
		res.evalSym, err = pl.evaluate(ds.test.pos, true)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(stdout, "held out, 8 symmetries averaged: top-1 %.2f%%, top-5 %.2f%%, loss %.3f; %.0f positions/s\n",
			100*res.evalSym.top1, 100*res.evalSym.top5, res.evalSym.loss, float64(res.evalSym.n)/res.evalSym.elapsed.Seconds())
	}

	for i := range min(o.show, ds.test.len()) {
		gi := i * ds.test.len() / o.show
		g := ds.test.game(gi)
		if err := pl.show(stdout, ds.test.names[gi], g[min(len(g)-1, 60)]); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// trainPolicy learns the pattern table (when the planes use it) and trains
// a network on the training games, then saves it to o.out.
func trainPolicy(ctx context.Context, o *options, ds *dataset, planes baduk.PlaneSet, hidden []int, res *result, stdout io.Writer) (*policy, error) {
	// the pattern table comes from training games only
	rng := rand.New(rand.NewPCG(o.seed, 0x9a7))
	var patterns *baduk.Patterns
	if planes.Has(baduk.PlanePattern) {
		t0 := time.Now()
		patterns = learnPatterns(ds.train.pos, o.patternPos, rng)
		fmt.Fprintf(stdout, "3×3 patterns: %d distinct, from %d training positions in %.1fs\n",
			patterns.Len(), min(o.patternPos, len(ds.train.pos)), time.Since(t0).Seconds())
		res.pattern1, res.pattern5 = patternAccuracy(patterns, ds.test.pos)
		fmt.Fprintf(stdout, "patterns alone (legal points ranked by pattern frequency): top-1 %.2f%%, top-5 %.2f%%\n",
			100*res.pattern1, 100*res.pattern5)
	}

	pl, err := newPolicy(planes, hidden, patterns, o.seed)
	if err != nil {
		return nil, err
	}
	if o.warm {
		ok, err := pl.warmStart(baduk.PatternScale)
		if err != nil {
			return nil, err
		}
		if ok {
			fmt.Fprintln(stdout, "warm start: the untrained network ranks moves by pattern frequency")
		} else {
			fmt.Fprintln(stdout, "no warm start: it needs the pattern plane and hidden layers of 361 units or more")
		}
	}
	fmt.Fprintf(stdout, "network: %d inputs (%d planes: %v) -> %s -> 361 softmax\n",
		planes.Inputs(), planes.Len(), planes, strings.ReplaceAll(o.hidden, ",", " -> "))
	fmt.Fprintf(stdout, "training: %.3g epochs or %v, batch %d, Adam lr %g falling to %g, symmetries %v\n",
		o.epochs, o.budget, o.batch, o.lr, o.lr*o.lrEnd, o.augment)
	if res.train, err = pl.train(ctx, ds.train.pos, trainConfig{
		epochs: o.epochs, budget: o.budget, batch: o.batch, chunk: o.chunk,
		lr: float32(o.lr), lrEnd: float32(o.lrEnd), augment: o.augment, seed: o.seed,
		log: stdout, every: o.every,
	}); err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "trained on %d positions in %.0fs: %.0f positions/s\n", res.train.positions,
		res.train.elapsed.Seconds(), float64(res.train.positions)/res.train.elapsed.Seconds())
	if o.out != "" {
		if err := pl.save(o.out); err != nil {
			return nil, err
		}
		fmt.Fprintf(stdout, "model saved to %s\n", o.out)
	}
	return pl, nil
}

// show draws a held-out position with the network's five favourite moves
// numbered 1–5 and the move played marked, then lists the probabilities.
func (pl *policy) show(w io.Writer, name string, pos baduk.Position) error {
	f := pl.features()
	f.Load(&pos)
	x := make([]float32, pl.planes.Inputs())
	f.Planes(x, pl.planes, baduk.Identity)
	mask := make([]bool, baduk.Points)
	f.Legal(mask, baduk.Identity)
	prob := make([]float32, baduk.Points)
	if err := pl.net.PredictMaskedInto(prob, x, mask); err != nil {
		return err
	}
	top := nn.TopK(nil, prob, 5)
	rank := map[baduk.Point]int{}
	for k, p := range top {
		rank[baduk.Point(p)] = k + 1
	}
	fmt.Fprintf(w, "\n%s, move %d, %s to play (X), last move marked with ( ):\n", name, pos.Number+1, colorToPlay(pos.Number))
	diagram := baduk.Draw(func(p baduk.Point) string {
		switch {
		case rank[p] > 0:
			return strconv.Itoa(rank[p])
		case f.On(baduk.PlaneOwn, p):
			return "X"
		case f.On(baduk.PlaneOpp, p):
			return "O"
		}
		return "."
	})
	fmt.Fprint(w, markLast(diagram, pos.Last[0]))
	for k, p := range top {
		played := ""
		if baduk.Point(p) == pos.Move {
			played = "  <- played"
		}
		fmt.Fprintf(w, "  %d. %-4s %5.1f%%%s\n", k+1, pointName(baduk.Point(p)), 100*prob[p], played)
	}
	if rank[pos.Move] == 0 {
		fmt.Fprintf(w, "  played: %s (%.1f%%)\n", pointName(pos.Move), 100*prob[pos.Move])
	}
	return nil
}

// colorToPlay guesses the side to move from the move number, as in an even
// game (Black first).
func colorToPlay(number int16) string {
	if number%2 == 0 {
		return "black"
	}
	return "white"
}

// markLast puts parentheses around the point p in a diagram from
// baduk.Draw (each point takes two columns: a space and the cell).
func markLast(diagram string, p baduk.Point) string {
	if !p.OnBoard() {
		return diagram
	}
	lines := strings.Split(diagram, "\n")
	line := []byte(lines[1+p.Row()])
	col := 3 + 2*p.Col() // the space before the cell
	line[col] = '('
	if col+2 < len(line) && line[col+2] == ' ' {
		line[col+2] = ')'
	}
	lines[1+p.Row()] = string(line)
	return strings.Join(lines, "\n")
}

// randomCheck trains on random boards with random labels: the pipeline
// runs end to end, and the accuracy it reports is meaningless by
// construction, since nothing links a board to its label.
func randomCheck(w io.Writer, o *options) error {
	n := o.randomBoards
	if n < 2 {
		return fmt.Errorf("nn: baduk example: -random-boards %d, want at least 2", n)
	}
	rng := rand.New(rand.NewPCG(o.seed, 0xb0a7d))
	x := nn.NewMatrix(n, baduk.Points)
	for i := range x.Data {
		x.Data[i] = float32(rng.IntN(3) - 1)
	}
	labels := make([]int, n)
	for i := range labels {
		labels[i] = rng.IntN(baduk.Points)
	}
	net, err := nn.New(nn.Input(baduk.Points), nn.Dense(256, nn.ReLU), nn.Dense(baduk.Points, nn.Softmax), nn.Seed(o.seed))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "no -data given: quick check on %d random boards (values -1, 0, 1) with random labels among %d classes\n", n, baduk.Points)
	fmt.Fprintf(w, "network 361 -> 256 -> 361 softmax, %d epochs, batch %d, 20%% held out\n", o.randomEpochs, o.randomBatchSize)
	t0 := time.Now()
	h, err := net.Fit(context.Background(), x, nn.Classes(labels), nn.TrainConfig{
		Epochs: o.randomEpochs, BatchSize: o.randomBatchSize, ValidationSplit: 0.2, TopK: 5, Progress: w,
	})
	if err != nil {
		return err
	}
	last := h.Epochs[len(h.Epochs)-1]
	el := time.Since(t0)
	fmt.Fprintf(w, "trained in %.2fs (%.0f positions/s): train top-1 %.1f%%, held-out top-1 %.1f%%, top-5 %.1f%% (chance: %.2f%% and %.2f%%)\n",
		el.Seconds(), float64(o.randomEpochs)*0.8*float64(n)/el.Seconds(), 100*last.Accuracy, 100*last.ValAccuracy, 100*last.ValTopK,
		100.0/baduk.Points, 500.0/baduk.Points)
	fmt.Fprintln(w, "These accuracies are meaningless by construction: the labels are random, so a network can only")
	fmt.Fprintln(w, "memorise the training boards, and held-out accuracy stays at chance. This only checks that the")
	fmt.Fprintln(w, "pipeline runs. Give -data a .tar.gz or folder of SGF games to learn real moves.")
	return nil
}
