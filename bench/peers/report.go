package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/nnrt/nn/bench/spec"
)

// report gathers everything the markdown shows.
type report struct {
	start       time.Time
	elapsed     time.Duration
	command     string
	quick       bool
	peers       []peer
	unavailable map[string]string
	data        *datasets
	tables      []*table
	mnist       map[string]spec.Result
	versions    map[string]string
}

// column is one figure of the tables.
type column struct {
	result string // result name in the runner output
	title  string
	faster func(nn, peer float64) float64 // how many times faster nn is
}

func higherIsBetter(nn, p float64) float64 { return nn / p }
func lowerIsBetter(nn, p float64) float64  { return p / nn }

var columns = []column{
	{spec.Board, "board: train samples/s", higherIsBetter},
	{spec.Digits, "digits: train samples/s", higherIsBetter},
	{spec.Flowers, "flowers: total s", lowerIsBetter},
	{spec.Predict1, "predict batch 1: µs", lowerIsBetter},
	{spec.Predict256, "predict batch 256: samples/s", higherIsBetter},
}

func (r *report) markdown() string {
	var b strings.Builder
	title := "nn peer comparison"
	if r.quick {
		title += " (quick mode: smaller works, one round; not for the README)"
	}
	fmt.Fprintf(&b, "## %s\n\n", title)
	m := machine()
	fmt.Fprintf(&b, "- date: %s\n", r.start.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "- command: `%s` (ran in %s)\n", r.command, r.elapsed.Round(time.Second))
	fmt.Fprintf(&b, "- machine: %s\n", m[0])
	fmt.Fprintf(&b, "- toolchains: %s\n", m[1])
	fmt.Fprintf(&b, "- peers: %s\n", r.versionList())
	fmt.Fprintf(&b, "- data: board %s; digits %s; flowers %s\n",
		r.data.board.source, r.data.digits.source, r.data.flowers.source)
	b.WriteString("- works: board 361-256-361 (batch 32, 1000 samples, 10 epochs, SGD 0.01); " +
		"digits 784-128-10 (batch 64, 60000 samples, 1 epoch, Adam 0.001); " +
		"flowers 4-16-3 (batch 16, 150 samples, 200 epochs, Adam 0.01); " +
		"predict: the board network, softmax output. ReLU hidden layer, softmax + cross-entropy, seed 1 everywhere.\n\n")
	b.WriteString("Each cell: the peer's figure, then how many times faster nn is " +
		"(rates nn/peer, times peer/nn; above 1× nn is faster). Medians over rounds. " +
		"Single-thread training figures count the runner's CPU time (user+system), not wall-clock time, " +
		"so that other users of the machine do not lower them; predictions and the two-thread table " +
		"are wall-clock (median per call for predictions).\n\n")

	var notes []string
	for _, t := range r.tables {
		notes = r.writeTable(&b, t, notes)
	}
	if len(r.mnist) > 0 {
		r.writeMNIST(&b)
	}
	if t := r.table(1); t != nil {
		r.writeFloors(&b, t)
	}

	b.WriteString("Notes:\n\n")
	b.WriteString("- † stopped by the time budget before the full work: the rate is over the samples done " +
		"(flowers: total time extrapolated from the epochs done).\n")
	for _, p := range r.peers {
		if p.note != "" {
			fmt.Fprintf(&b, "- %s: %s.\n", p.name, p.note)
		}
	}
	for i, n := range notes {
		fmt.Fprintf(&b, "- [%d] %s\n", i+1, n)
	}
	b.WriteString("\n")
	return b.String()
}

func (r *report) versionList() string {
	var parts []string
	for _, p := range r.peers {
		v := r.versions[p.name]
		if p.name == "fann" && v == "" {
			v = fannVersion()
		}
		if v == "" {
			continue
		}
		parts = append(parts, p.name+" = "+v)
	}
	return strings.Join(parts, "; ")
}

func (r *report) table(threads int) *table {
	for _, t := range r.tables {
		if t.threads == threads {
			return t
		}
	}
	return nil
}

// writeTable prints one thread count's table and returns notes with any
// new n/a reasons appended.
func (r *report) writeTable(b *strings.Builder, t *table, notes []string) []string {
	heading := "Single thread (GOMAXPROCS=1, torch.set_num_threads(1), OPENBLAS/OMP/MKL_NUM_THREADS=1)"
	if t.threads > 1 {
		heading = fmt.Sprintf("%d threads (GOMAXPROCS=%d, torch.set_num_threads(%d), OPENBLAS/OMP/MKL_NUM_THREADS=%d)",
			t.threads, t.threads, t.threads, t.threads)
	}
	fmt.Fprintf(b, "### %s\n\n", heading)
	fmt.Fprintf(b, "%d round(s); %s.", t.rounds, t.load)
	if t.threads > 1 {
		b.WriteString(" Wall-clock figures: other users of the machine lower them, most of all for " +
			"libraries whose threads spin-wait at barriers (PyTorch's OpenMP).")
	}
	b.WriteString("\n\n")
	b.WriteString("| peer |")
	for _, c := range columns {
		b.WriteString(" " + c.title + " |")
	}
	b.WriteString("\n|---|")
	for range columns {
		b.WriteString("---:|")
	}
	b.WriteString("\n")

	note := func(reason string) string {
		for i, n := range notes {
			if n == reason {
				return fmt.Sprintf("n/a [%d]", i+1)
			}
		}
		notes = append(notes, reason)
		return fmt.Sprintf("n/a [%d]", len(notes))
	}

	for _, p := range r.peers {
		fmt.Fprintf(b, "| %s |", p.name)
		for _, c := range columns {
			b.WriteString(" " + r.cell(t, p.name, c, note) + " |")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	return notes
}

func (r *report) cell(t *table, name string, c column, note func(string) string) string {
	if why, ok := r.unavailable[name]; ok {
		return note(name + ": " + why)
	}
	v, ok := median(t.cells[name], c.result)
	if !ok {
		why := resultError(t.cells[name], c.result)
		if why == "" {
			why = t.errs[name]
		}
		if why == "" {
			why = "no result"
		}
		return note(fmt.Sprintf("%s %s: %s", name, c.result, why))
	}
	s := format(v)
	if partial(t.cells[name], c.result) {
		s += "†"
	}
	if name == "nn" {
		if c.result == spec.Predict1 {
			if a, ok := allocs(t.cells[name], c.result); ok {
				s += fmt.Sprintf(" (%.3g allocs)", a)
			}
		}
		return "**" + s + "**"
	}
	if nv, ok := median(t.cells["nn"], c.result); ok && v > 0 {
		s += fmt.Sprintf(" (%s×)", ratio(c.faster(nv, v)))
	}
	return s
}

func (r *report) writeMNIST(b *strings.Builder) {
	b.WriteString("### MNIST test accuracy, 784-128-10, 5 epochs, Adam 0.001, batch 64\n\n")
	b.WriteString("One thread each; peers that would take more than the MNIST budget at their measured " +
		"digits rate are skipped.\n\n")
	b.WriteString("| peer | test accuracy | training s (wall-clock) |\n|---|---:|---:|\n")
	for _, p := range r.peers {
		res, ok := r.mnist[p.name]
		switch {
		case !ok:
			continue
		case res.Error != "":
			fmt.Fprintf(b, "| %s | n/a (%s) | |\n", p.name, res.Error)
		default:
			fmt.Fprintf(b, "| %s | %.4f | %s |\n", p.name, res.Value, format(res.Seconds))
		}
	}
	b.WriteString("\n")
}

// writeFloors checks the single-thread figures against the floors nn
// must reach.
func (r *report) writeFloors(b *strings.Builder, t *table) {
	b.WriteString("### Floors (single thread)\n\n| floor | measured | met |\n|---|---:|:---:|\n")
	get := func(peer, res string) (float64, bool) { return median(t.cells[peer], res) }
	row := func(floor string, v float64, ok bool, unit string, pass func(float64) bool) {
		if !ok {
			fmt.Fprintf(b, "| %s | n/a | — |\n", floor)
			return
		}
		met := "no"
		switch {
		case pass == nil:
			met = "—"
		case pass(v):
			met = "yes"
		}
		fmt.Fprintf(b, "| %s | %s%s | %s |\n", floor, format(v), unit, met)
	}
	faster := func(res, peer string, f func(float64, float64) float64) (float64, bool) {
		n, ok1 := get("nn", res)
		p, ok2 := get(peer, res)
		if !ok1 || !ok2 || p == 0 || n == 0 {
			return 0, false
		}
		return f(n, p), true
	}
	atLeast := func(x float64) func(float64) bool { return func(v float64) bool { return v >= x } }

	v, ok := faster(spec.Board, "pytorch", higherIsBetter)
	row("board training ≥ 1.5× PyTorch", v, ok, "×", atLeast(1.5))
	v, ok = faster(spec.Board, "go-deep", higherIsBetter)
	row("board training ≥ 20× go-deep", v, ok, "×", atLeast(20))
	v, ok = faster(spec.Digits, "pytorch", higherIsBetter)
	row("digits training ≥ 1.2× PyTorch", v, ok, "×", atLeast(1.2))
	v, ok = faster(spec.Flowers, "pytorch", lowerIsBetter)
	row("flowers ≥ 10× PyTorch", v, ok, "×", atLeast(10))
	v, ok = faster(spec.Flowers, "fann", lowerIsBetter)
	row("flowers vs FANN (no floor; above 1× nn is faster)", v, ok, "×", nil)
	v, ok = get("nn", spec.Predict1)
	row("predict batch 1 ≤ 10 µs", v, ok, " µs", func(v float64) bool { return v <= 10 })
	v, ok = faster(spec.Predict1, "pytorch", lowerIsBetter)
	row("predict batch 1 ≥ 2× PyTorch", v, ok, "×", atLeast(2))
	v, ok = allocs(t.cells["nn"], spec.Predict1)
	row("predict batch 1 allocates nothing", v, ok, " allocs/call", func(v float64) bool { return v == 0 })
	v, ok = faster(spec.Predict256, "pytorch", higherIsBetter)
	row("predict batch 256 ≥ PyTorch", v, ok, "×", atLeast(1))
	if res, ok := r.mnist["nn"]; ok && res.Error == "" {
		row("MNIST 5 epochs test accuracy ≥ 0.97", res.Value, true, "", atLeast(0.97))
	} else {
		row("MNIST 5 epochs test accuracy ≥ 0.97", 0, false, "", atLeast(0.97))
	}
	b.WriteString("\n")
}

// median returns the median value of the named result over rounds.
func median(rs []spec.Result, name string) (float64, bool) {
	var v []float64
	for _, r := range rs {
		if r.Work == name && r.Error == "" && r.Value > 0 && !math.IsInf(r.Value, 0) {
			v = append(v, r.Value)
		}
	}
	if len(v) == 0 {
		return 0, false
	}
	sort.Float64s(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2], true
	}
	return (v[n/2-1] + v[n/2]) / 2, true
}

func partial(rs []spec.Result, name string) bool {
	for _, r := range rs {
		if r.Work == name && r.Partial {
			return true
		}
	}
	return false
}

// allocs returns the largest allocation count per call reported.
func allocs(rs []spec.Result, name string) (float64, bool) {
	var a float64
	found := false
	for _, r := range rs {
		if r.Work == name && r.Error == "" {
			a = max(a, r.Allocs)
			found = true
		}
	}
	return a, found
}

func resultError(rs []spec.Result, name string) string {
	for _, r := range rs {
		if r.Error != "" && (r.Work == name || r.Work == "*" ||
			(r.Work == spec.Predict && strings.HasPrefix(name, spec.Predict))) {
			return r.Error
		}
	}
	return ""
}

// format prints three significant figures, with thousands separators for
// large values.
func format(v float64) string {
	switch {
	case v >= 999.5:
		p := math.Pow(10, math.Floor(math.Log10(v))-2)
		n := int64(math.Round(v/p) * p)
		s := fmt.Sprint(n)
		var out []byte
		for i := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				out = append(out, ',')
			}
			out = append(out, s[i])
		}
		return string(out)
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.3g", v)
	}
}

func ratio(x float64) string {
	if x >= 10 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.2f", x)
}
