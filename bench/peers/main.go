// Command peers runs the same small-network work through nn and the
// libraries users would otherwise pick, and prints a markdown table of the
// figures and of how many times faster nn is than each.
//
// Run it from the bench folder, after bench/run has installed the peers:
//
//	go run ./peers          # full run, both tables and the MNIST check (< 15 min)
//	go run ./peers -quick   # one round, single thread, smaller works (1-2 min)
//
// Each peer's runner is a separate process that reads a spec file and
// prints JSON lines (package spec). Rounds interleave the peers, and the
// tables show the median over rounds, so that load from other users of
// the machine falls on every peer alike.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nnrt/nn/bench/spec"
)

func main() {
	quick := flag.Bool("quick", false, "one round, single thread, smaller works, no MNIST check")
	rounds := flag.Int("rounds", 3, "rounds per table (medians are taken over rounds)")
	threadList := flag.String("threads", "1,2", "thread counts, one table each")
	only := flag.String("peers", "", "comma-separated peers to run (default all)")
	shared := flag.String("data", "../../shared/data", "shared data folder (MNIST, iris)")
	mnistBudget := flag.Float64("mnist-budget", 60, "skip a peer's MNIST check when it would take longer (s)")
	out := flag.String("o", "", "also write the markdown to this file")
	keep := flag.Bool("keep", false, "keep the data, spec files and runners (to rerun one by hand)")
	flag.Parse()

	if *quick {
		*rounds = 1
		*threadList = "1"
	}
	threads, err := parseThreads(*threadList)
	if err != nil {
		fatal(err)
	}
	selected, err := selectPeers(*only)
	if err != nil {
		fatal(err)
	}
	start := time.Now()

	bench, err := os.Getwd()
	if err != nil {
		fatal(err)
	}
	if _, err := os.Stat(filepath.Join(bench, "spec", "spec.go")); err != nil {
		fatal(fmt.Errorf("run from the bench folder (cd bench && go run ./peers)"))
	}
	tmp, err := os.MkdirTemp("", "nn-peers-")
	if err != nil {
		fatal(err)
	}
	if *keep {
		progress("keeping %s", tmp)
	} else {
		defer os.RemoveAll(tmp)
		// An interrupt reaches the runner too (same process group); the
		// scratch folder goes with the driver.
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
		go func() {
			<-stop
			os.RemoveAll(tmp)
			os.Exit(130)
		}()
	}

	progress("preparing data")
	data, err := prepare(tmp, *shared, 1)
	if err != nil {
		fatal(err)
	}

	// Build or check every runner once.
	b := &builder{bench: bench, bin: tmp}
	cmds := map[string][]string{}
	unavailable := map[string]string{}
	for _, p := range selected {
		progress("preparing %s", p.name)
		cmd, err := p.prepare(b)
		if err != nil {
			unavailable[p.name] = err.Error()
			progress("  %s: n/a (%v)", p.name, err)
			continue
		}
		cmds[p.name] = cmd
	}

	rep := &report{
		start:       start,
		command:     commandLine(),
		quick:       *quick,
		peers:       selected,
		unavailable: unavailable,
		data:        data,
		versions:    map[string]string{},
	}
	ws := works(data, *quick)
	for _, t := range threads {
		tab := runTable(cmds, selected, ws, t, *rounds, tmp)
		rep.tables = append(rep.tables, tab)
		for _, res := range tab.cells {
			for _, r := range res {
				if r.Version != "" {
					rep.versions[r.Peer] = r.Version
				}
			}
		}
	}
	if !*quick && data.mnistTest != nil {
		rep.mnist = runMNIST(cmds, selected, data, rep.tables, *mnistBudget, tmp)
	}
	rep.elapsed = time.Since(start)

	md := rep.markdown()
	fmt.Print(md)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(md), 0o644); err != nil {
			fatal(err)
		}
	}
}

// works returns the four timed works with the data files filled in.
func works(d *datasets, quick bool) []spec.Work {
	board := spec.Work{
		Name: spec.Board, Inputs: 361, Hidden: 256, Outputs: 361,
		Batch: 32, Epochs: 10, Optimizer: "sgd", LR: 0.01,
		X: d.board.x, Y: d.board.y, Rows: d.board.rows, Warmup: 5, Budget: 2,
	}
	digits := spec.Work{
		Name: spec.Digits, Inputs: 784, Hidden: 128, Outputs: 10,
		Batch: 64, Epochs: 1, Optimizer: "adam", LR: 0.001,
		X: d.digits.x, Y: d.digits.y, Rows: d.digits.rows, Warmup: 5, Budget: 2.5,
	}
	flowers := spec.Work{
		Name: spec.Flowers, Inputs: 4, Hidden: 16, Outputs: 3,
		Batch: 16, Epochs: 200, Optimizer: "adam", LR: 0.01,
		X: d.flowers.x, Y: d.flowers.y, Rows: d.flowers.rows, Warmup: 5, Budget: 2,
	}
	predict := spec.Work{
		Name: spec.Predict, Inputs: 361, Hidden: 256, Outputs: 361,
		Batch: 256, Optimizer: "sgd", LR: 0.01, X: d.board.x, Rows: 256, Warmup: 200, Budget: 0.6,
	}
	if quick {
		board.Epochs, board.Budget = 3, 1
		digits.Rows, digits.Budget = 12800, 1
		flowers.Budget = 1
		predict.Budget = 0.3
	}
	return []spec.Work{board, digits, flowers, predict}
}

// table is the outcome of every round at one thread count.
type table struct {
	threads int
	rounds  int
	cells   map[string][]spec.Result // peer -> every result line of every round
	errs    map[string]string        // peer -> process failure
	load    load
}

func runTable(cmds map[string][]string, selected []peer, ws []spec.Work, threads, rounds int, tmp string) *table {
	tab := &table{threads: threads, rounds: rounds, cells: map[string][]spec.Result{}, errs: map[string]string{}}
	path := filepath.Join(tmp, fmt.Sprintf("spec-%d.json", threads))
	if err := writeSpec(path, spec.Spec{Threads: threads, Seed: 1, Works: ws}); err != nil {
		fatal(err)
	}
	var budget float64
	for _, w := range ws {
		budget += w.Budget
	}
	timeout := time.Duration(3*budget+90) * time.Second

	var names []string
	for _, p := range selected {
		if cmds[p.name] != nil {
			names = append(names, p.name)
		}
	}
	meter := startLoad()
	for r := range rounds {
		// Rotate the order each round so no peer always runs first.
		for i := range names {
			name := names[(i+r)%len(names)]
			t0 := time.Now()
			o := launch(cmds[name], path, threads, timeout)
			meter.add(o.cpu)
			for _, res := range o.results {
				if threads == 1 {
					res = perCPUSecond(res)
				}
				tab.cells[name] = append(tab.cells[name], res)
			}
			if o.err != nil {
				tab.errs[name] = o.err.Error()
			}
			progress("threads=%d round %d/%d %-9s %5.1fs%s", threads, r+1, rounds, name,
				time.Since(t0).Seconds(), errSuffix(o.err))
		}
	}
	tab.load = meter.stop()
	return tab
}

// perCPUSecond restates a single-thread training figure per CPU second of
// the runner instead of per wall-clock second, so that other users of the
// machine, who take the core away from the runner, do not lower it.
func perCPUSecond(r spec.Result) spec.Result {
	if r.CPU <= 0 || r.Seconds <= 0 {
		return r
	}
	switch r.Unit {
	case "samples/s":
		r.Value *= r.Seconds / r.CPU
	case "s":
		r.Value *= r.CPU / r.Seconds
	}
	return r
}

// wallRate is the median wall-clock rate, samples per second, of the named
// training result: what the machine gives now, load included.
func wallRate(rs []spec.Result, name string) (float64, bool) {
	var v []spec.Result
	for _, r := range rs {
		if r.Work == name && r.Error == "" && r.Seconds > 0 && r.Samples > 0 {
			v = append(v, spec.Result{Work: name, Value: float64(r.Samples) / r.Seconds})
		}
	}
	return median(v, name)
}

// runMNIST trains each peer for five epochs on MNIST and records its test
// accuracy, skipping peers whose measured digits rate
// says it would take longer than budget seconds.
func runMNIST(cmds map[string][]string, selected []peer, d *datasets, tabs []*table, budget float64, tmp string) map[string]spec.Result {
	w := spec.Work{
		Name: spec.MNIST, Inputs: 784, Hidden: 128, Outputs: 10,
		Batch: 64, Epochs: 5, Optimizer: "adam", LR: 0.001,
		X: d.digits.x, Y: d.digits.y, Rows: d.digits.rows,
		TestX: d.mnistTest.x, TestY: d.mnistTest.y, TestRows: d.mnistTest.rows,
	}
	// One thread: accuracy does not depend on it. The single-thread
	// table's wall-clock rates, load included, say how long each will take.
	ref := tabs[0]
	for _, t := range tabs {
		if t.threads == 1 {
			ref = t
		}
	}
	path := filepath.Join(tmp, "spec-mnist.json")
	if err := writeSpec(path, spec.Spec{Threads: ref.threads, Seed: 1, Works: []spec.Work{w}}); err != nil {
		fatal(err)
	}
	res := map[string]spec.Result{}
	for _, p := range selected {
		if cmds[p.name] == nil {
			continue
		}
		// nn always runs: its accuracy is a floor.
		est := budget
		if rate, ok := wallRate(ref.cells[p.name], spec.Digits); ok {
			est = float64(w.Epochs*w.Rows) / rate
		} else if p.name != "nn" {
			res[p.name] = spec.Result{Error: "no digits rate measured"}
			continue
		}
		if p.name != "nn" && est > budget {
			res[p.name] = spec.Result{Error: fmt.Sprintf("skipped: about %.0f s at its digits rate", est)}
			continue
		}
		t0 := time.Now()
		o := launch(cmds[p.name], path, ref.threads, time.Duration(3*est+120)*time.Second)
		progress("mnist %-9s %5.1fs%s", p.name, time.Since(t0).Seconds(), errSuffix(o.err))
		r := spec.Result{Error: "no result"}
		if o.err != nil {
			r.Error = o.err.Error()
		}
		for _, x := range o.results {
			if x.Work == spec.MNIST {
				r = x
			}
		}
		res[p.name] = r
	}
	return res
}

func parseThreads(s string) ([]int, error) {
	var ts []int
	for _, f := range strings.Split(s, ",") {
		t, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || t < 1 {
			return nil, fmt.Errorf("bad -threads %q", s)
		}
		ts = append(ts, t)
	}
	return ts, nil
}

func selectPeers(only string) ([]peer, error) {
	if only == "" {
		return peers, nil
	}
	var out []peer
	want := strings.Split(only, ",")
	for _, p := range peers {
		if slices.Contains(want, p.name) {
			out = append(out, p)
		}
	}
	if len(out) != len(want) {
		var names []string
		for _, p := range peers {
			names = append(names, p.name)
		}
		return nil, fmt.Errorf("-peers %q: known peers are %s", only, strings.Join(names, ","))
	}
	return out, nil
}

// commandLine names the command in the report; a wrapper script (bench/run)
// names itself in NN_BENCH_COMMAND.
func commandLine() string {
	if c := os.Getenv("NN_BENCH_COMMAND"); c != "" {
		return c
	}
	args := os.Args[1:]
	if len(args) == 0 {
		return "cd bench && go run ./peers"
	}
	return "cd bench && go run ./peers " + strings.Join(args, " ")
}

func errSuffix(err error) string {
	if err == nil {
		return ""
	}
	return " error: " + err.Error()
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "peers:", err)
	os.Exit(1)
}
