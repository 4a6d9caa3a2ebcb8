package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nnrt/nn"
	"github.com/nnrt/nn/internal/baduk"
)

// sharedGames is the game collection kept beside the repository; its
// licence is unclear, so it is read from there and never copied in.
const sharedGames = "../../../shared/data/go-games/tom-9d-sgf.tar.gz"

var modelPath = flag.String("baduk.model", "", "trained model for the scoring benchmarks (default: an untrained network of the default shape)")

func needGames(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(sharedGames); err != nil {
		t.Skipf("shared game records not found at %s (they are kept outside the repository): %v", sharedGames, err)
	}
}

func TestRandomCheck(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-random-boards", "200", "-random-epochs", "3"}, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"200 random boards", "meaningless by construction", "3 epochs, batch 32"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-split", "year"}, {"-epochs", "0"}, {"-lr-end", "2"}, {"stray"},
		{"-data", "testdata-missing"}, {"-data", "../../internal/baduk/testdata", "-hidden", "64,x"},
		{"-data", "../../internal/baduk/testdata", "-planes", "own,nope"},
	} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%q): no error", args)
		}
	}
}

// TestTrainOnHandWrittenGames runs the whole pipeline on the few records
// in internal/baduk/testdata: the broken ones are reported by name and
// skipped, the rest train, and the model round-trips through its file.
func TestTrainOnHandWrittenGames(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.nn")
	var out, log bytes.Buffer
	o, err := parseFlags([]string{
		"-data", "../../internal/baduk/testdata", "-split", "random", "-test-frac", "0.3", "-seed", "3",
		"-hidden", "400", "-epochs", "2", "-batch", "4", "-out", model, "-pattern-positions", "50",
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	res, err := learn(context.Background(), o, &out, &log)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	for _, name := range []string{"broken.sgf", "badpoint.sgf", "size9.sgf", "ko-retake.sgf", "suicide.sgf"} {
		if !strings.Contains(log.String(), name) {
			t.Errorf("skipped record %s not reported:\n%s", name, log.String())
		}
	}
	if res.train.positions == 0 || res.eval.n == 0 {
		t.Errorf("trained on %d positions, evaluated %d", res.train.positions, res.eval.n)
	}
	for _, want := range []string{"held out", "top-5", "positions/s", "model saved", "A B C D E F G H J K L M N O P Q R S T"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	// the saved model gives the same scores as the one in memory
	pl, err := loadPolicy(model)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := baduk.ParsePlanes(o.planes); pl.patterns == nil || pl.planes != want {
		t.Fatalf("loaded planes %v, pattern table %v", pl.planes, pl.patterns != nil)
	}
	pos := positionsOf(t, "../../internal/baduk/testdata/ko.sgf")
	if a := scoreAll(t, pl, pos); len(a) != len(pos) {
		t.Fatalf("%d positions scored, want %d", len(a), len(pos))
	}

	// evaluating the saved model on the same split gives the same figures
	o.model, o.out = model, ""
	again, err := learn(context.Background(), o, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if again.eval.n != res.eval.n || again.eval.top1 != res.eval.top1 || again.eval.top5 != res.eval.top5 {
		t.Errorf("saved model: %+v, trained model: %+v", again.eval, res.eval)
	}
	if again.train.positions != 0 {
		t.Errorf("-model trained on %d positions, want none", again.train.positions)
	}
}

// positionsOf replays one record.
func positionsOf(t testing.TB, path string) []baduk.Position {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g, err := baduk.ParseSGF(data)
	if err != nil {
		t.Fatal(err)
	}
	var out []baduk.Position
	err = g.Replay(func(b *baduk.Board, m baduk.Move) error {
		out = append(out, baduk.NewPosition(b, m))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// scoreAll returns the masked move probabilities of every position and
// checks that illegal points get none.
func scoreAll(t *testing.T, pl *policy, pos []baduk.Position) [][]float32 {
	t.Helper()
	f := pl.features()
	x := make([]float32, pl.planes.Inputs())
	mask := make([]bool, baduk.Points)
	var out [][]float32
	for i := range pos {
		f.Load(&pos[i])
		f.Planes(x, pl.planes, baduk.Identity)
		f.Legal(mask, baduk.Identity)
		prob := make([]float32, baduk.Points)
		if err := pl.net.PredictMaskedInto(prob, x, mask); err != nil {
			t.Fatal(err)
		}
		for p, ok := range mask {
			if !ok && prob[p] != 0 {
				t.Fatalf("position %d: illegal point %v has probability %v", i, baduk.Point(p), prob[p])
			}
		}
		out = append(out, prob)
	}
	return out
}

// TestLearnBeatsBaseline trains briefly on a slice of the shared games and
// checks that the network beats the most-common-point-per-move-number
// baseline on held-out games.
func TestLearnBeatsBaseline(t *testing.T) {
	needGames(t)
	if testing.Short() {
		t.Skip("reads, counts patterns and trains for about 20 seconds")
	}
	o, err := parseFlags([]string{
		"-data", sharedGames, "-read", "300", "-split", "random", "-test-frac", "0.1", "-test-games", "0",
		"-planes", "own,opp,last1,last2,pattern", "-hidden", "400", "-time", "10s", "-chunk", "1024",
		"-pattern-positions", "20000", "-out", "", "-show", "0",
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := learn(context.Background(), o, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", out.String())
	if res.eval.n < 1000 {
		t.Fatalf("only %d held-out positions", res.eval.n)
	}
	if res.eval.top1 <= res.baseline1+0.05 || res.eval.top5 <= res.baseline5+0.10 {
		t.Errorf("held-out top-1 %.2f%%, top-5 %.2f%%; baseline %.2f%%, %.2f%%: want the network clearly ahead",
			100*res.eval.top1, 100*res.eval.top5, 100*res.baseline1, 100*res.baseline5)
	}
}

// benchPolicy is the trained model named by -baduk.model, or an untrained
// network of the default shape: scoring costs the same either way.
func benchPolicy(b *testing.B) *policy {
	if *modelPath != "" {
		pl, err := loadPolicy(*modelPath)
		if err != nil {
			b.Fatal(err)
		}
		return pl
	}
	o, err := parseFlags(nil, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	planes, err := baduk.ParsePlanes(o.planes)
	if err != nil {
		b.Fatal(err)
	}
	hidden, err := parseHidden(o.hidden)
	if err != nil {
		b.Fatal(err)
	}
	pl, err := newPolicy(planes, hidden, baduk.NewPatterns(), 1)
	if err != nil {
		b.Fatal(err)
	}
	return pl
}

// BenchmarkScore scores one position as an engine would: input planes,
// legal mask, masked softmax over all 361 points and the top 5, for one
// board (batch=1, no allocation) and for the 8 symmetric images of a board
// in one batch call (ns/position is the cost per image). net=only leaves
// out building the planes.
func BenchmarkScore(b *testing.B) {
	pl := benchPolicy(b)
	pos := positionsOf(b, "../../internal/baduk/testdata/ko.sgf")[10]
	f := pl.features()
	in := pl.planes.Inputs()
	x := nn.NewMatrix(baduk.Symmetries, in)
	out := nn.NewMatrix(baduk.Symmetries, baduk.Points)
	masks := make([][]bool, baduk.Symmetries)
	for i := range masks {
		masks[i] = make([]bool, baduk.Points)
	}
	top := make([]int, 0, 5)
	b.Logf("network %d inputs, layers %v", in, pl.net.Layers())

	b.Run("batch=1/net=only", func(b *testing.B) {
		f.Load(&pos)
		f.Planes(x.Row(0), pl.planes, baduk.Identity)
		f.Legal(masks[0], baduk.Identity)
		b.ReportAllocs()
		for b.Loop() {
			if err := pl.net.PredictMaskedInto(out.Row(0), x.Row(0), masks[0]); err != nil {
				b.Fatal(err)
			}
			top = nn.TopK(top, out.Row(0), 5)
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/position")
	})
	b.Run("batch=1/net=with-planes", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f.Load(&pos)
			f.Planes(x.Row(0), pl.planes, baduk.Identity)
			f.Legal(masks[0], baduk.Identity)
			if err := pl.net.PredictMaskedInto(out.Row(0), x.Row(0), masks[0]); err != nil {
				b.Fatal(err)
			}
			top = nn.TopK(top, out.Row(0), 5)
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/position")
	})
	b.Run("batch=8-symmetries/net=with-planes", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f.Load(&pos)
			for s := range baduk.Symmetry(baduk.Symmetries) {
				f.Planes(x.Row(int(s)), pl.planes, s)
				f.Legal(masks[s], s)
			}
			if err := pl.net.PredictBatchMaskedInto(out, x, masks); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/baduk.Symmetries, "µs/position")
	})
}
