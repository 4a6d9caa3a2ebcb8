// Package spec is the contract between the peer comparison driver and its
// runners: the work to do (read from a JSON file), the data files it names
// and the JSON lines a runner prints back. Runners in other languages
// (bench/runners/*.py, *.c, bench/js/*.mjs) follow the same contract.
//
// A data file holds little-endian values with no header: float32 for
// inputs (rows x inputs), int32 class indices for labels (rows).
package spec

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Names of the works.
const (
	Board   = "board"   // 361-256-361 training, samples/s
	Digits  = "digits"  // 784-128-10 training, samples/s
	Flowers = "flowers" // 4-16-3 training, total seconds
	Predict = "predict" // board network inference: latency and batch rate
	MNIST   = "mnist"   // 784-128-10 on real MNIST: test accuracy
)

// Names of the results a runner prints; a training work reports under its
// own name.
const (
	Predict1   = "predict1"   // single-sample latency, median µs
	Predict256 = "predict256" // batch of 256, samples/s
)

// Spec is the whole job handed to one runner process.
type Spec struct {
	Threads int    `json:"threads"`
	Seed    uint64 `json:"seed"`
	Works   []Work `json:"works"`
}

// Work is one network and what to do with it. Budget bounds the timed
// part in seconds: a training run stops after the batch that passes it
// and reports a rate over what it did (Partial in the result).
type Work struct {
	Name      string  `json:"name"`
	Inputs    int     `json:"inputs"`
	Hidden    int     `json:"hidden"`
	Outputs   int     `json:"outputs"`
	Batch     int     `json:"batch"`
	Epochs    int     `json:"epochs"`
	Optimizer string  `json:"optimizer"` // "sgd" or "adam"
	LR        float64 `json:"lr"`
	X         string  `json:"x"`
	Y         string  `json:"y"`
	Rows      int     `json:"rows"`
	TestX     string  `json:"test_x,omitempty"`
	TestY     string  `json:"test_y,omitempty"`
	TestRows  int     `json:"test_rows,omitempty"`
	Warmup    int     `json:"warmup"` // batches (training) or calls (predict) before timing
	Budget    float64 `json:"budget"`
}

// Result is one JSON line printed by a runner.
type Result struct {
	Peer    string  `json:"peer"`
	Work    string  `json:"work"`
	Value   float64 `json:"value"`
	Unit    string  `json:"unit"`
	Samples int     `json:"samples,omitempty"` // training samples processed while timed
	Seconds float64 `json:"seconds,omitempty"` // timed seconds
	CPU     float64 `json:"cpu,omitempty"`     // CPU seconds (user+system) of the process over the timed part
	Partial bool    `json:"partial,omitempty"` // stopped by the budget before the full work
	Loss    float64 `json:"loss,omitempty"`    // mean training loss of the last epoch run
	Allocs  float64 `json:"allocs,omitempty"`  // heap allocations per call, where measurable
	Version string  `json:"version,omitempty"`
	Note    string  `json:"note,omitempty"`
	Error   string  `json:"error,omitempty"`
}

// FlatPath is where the flat form of the spec at path is written: the same
// name with the extension .txt.
func FlatPath(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".txt"
}

// Flat renders s for runners without a JSON parser (bench/runners/fann.c):
// one line per work, fields separated by spaces, "-" for an empty path:
//
//	name threads seed inputs hidden outputs batch epochs optimizer lr
//	rows warmup budget x y test_x test_y test_rows
func (s Spec) Flat() string {
	dash := func(p string) string {
		if p == "" {
			return "-"
		}
		return p
	}
	var b strings.Builder
	for _, w := range s.Works {
		fmt.Fprintf(&b, "%s %d %d %d %d %d %d %d %s %g %d %d %g %s %s %s %s %d\n",
			w.Name, s.Threads, s.Seed, w.Inputs, w.Hidden, w.Outputs, w.Batch, w.Epochs,
			dash(w.Optimizer), w.LR, w.Rows, w.Warmup, w.Budget,
			dash(w.X), dash(w.Y), dash(w.TestX), dash(w.TestY), w.TestRows)
	}
	return b.String()
}

// Read loads a spec file.
func Read(path string) (*Spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Spec
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("spec %s: %w", path, err)
	}
	return &s, nil
}

// Emit prints r as one JSON line on w.
func Emit(w io.Writer, r Result) {
	b, err := json.Marshal(r)
	if err != nil {
		b, _ = json.Marshal(Result{Peer: r.Peer, Work: r.Work, Error: err.Error()})
	}
	fmt.Fprintf(w, "%s\n", b)
}

// ReadF32 reads the first n float32 values of path.
func ReadF32(path string, n int) ([]float32, error) {
	b, err := readPrefix(path, 4*n)
	if err != nil {
		return nil, err
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}

// ReadLabels reads the first n int32 class indices of path.
func ReadLabels(path string, n int) ([]int, error) {
	b, err := readPrefix(path, 4*n)
	if err != nil {
		return nil, err
	}
	v := make([]int, n)
	for i := range v {
		v[i] = int(int32(binary.LittleEndian.Uint32(b[4*i:])))
	}
	return v, nil
}

func readPrefix(path string, size int) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < size {
		return nil, fmt.Errorf("%s: %d bytes, want at least %d", path, len(b), size)
	}
	return b[:size], nil
}

// WriteF32 writes v to path in the data file layout.
func WriteF32(path string, v []float32) error {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return os.WriteFile(path, b, 0o644)
}

// WriteLabels writes class indices to path in the data file layout.
func WriteLabels(path string, v []int) error {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(int32(x)))
	}
	return os.WriteFile(path, b, 0o644)
}

// Median returns the median of d (0 for none); d is reordered.
func Median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	n := len(d)
	if n%2 == 1 {
		return d[n/2]
	}
	return (d[n/2-1] + d[n/2]) / 2
}

// Runner is what a Go runner does for each kind of work; each returns
// the results without Peer and Version, which Main fills in.
type Runner struct {
	Train   func(w Work, seed uint64) ([]Result, error)
	Predict func(w Work, seed uint64) ([]Result, error)
	MNIST   func(w Work, seed uint64) ([]Result, error)
}

// Main is the body of a Go runner's main: it reads the spec named on the
// command line, runs every work and prints the results; errors become
// result lines, so the driver can show them.
func Main(peer, version string, r Runner) {
	if len(os.Args) != 2 {
		fmt.Fprintf(os.Stderr, "usage: %s SPEC.json\n", peer)
		os.Exit(2)
	}
	s, err := Read(os.Args[1])
	if err != nil {
		Emit(os.Stdout, Result{Peer: peer, Work: "*", Error: err.Error()})
		return
	}
	for _, w := range s.Works {
		run := r.Train
		switch w.Name {
		case Predict:
			run = r.Predict
		case MNIST:
			run = r.MNIST
		}
		rs, err := run(w, s.Seed)
		if err != nil {
			rs = []Result{{Work: w.Name, Error: err.Error()}}
		}
		for _, res := range rs {
			res.Peer, res.Version = peer, version
			Emit(os.Stdout, res)
		}
	}
}

// CPUTime returns the CPU time (user+system) the process has used.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// MedianCall calls f(0), f(1), ... for budget seconds and at least least
// times, timing each call, and returns the median time of a call.
func MedianCall(budget float64, least int, f func(i int)) time.Duration {
	var times []time.Duration
	deadline := time.Now().Add(time.Duration(budget * float64(time.Second)))
	for i := 0; time.Now().Before(deadline) || len(times) < least; i++ {
		t0 := time.Now()
		f(i)
		times = append(times, time.Since(t0))
	}
	return Median(times)
}

// BatchRate calls f for budget seconds and at least least times and
// returns the rate in rows per second as a Predict256 result, with the
// wall-clock and CPU seconds of the loop, so that the driver can restate
// it per CPU second.
func BatchRate(budget float64, least, rows int, f func()) Result {
	deadline := time.Now().Add(time.Duration(budget * float64(time.Second)))
	cpu0, start := CPUTime(), time.Now()
	calls := 0
	for ; time.Now().Before(deadline) || calls < least; calls++ {
		f()
	}
	wall := time.Since(start).Seconds()
	cpu := (CPUTime() - cpu0).Seconds()
	return Result{Work: Predict256, Value: float64(rows*calls) / wall, Unit: "samples/s", Seconds: wall, CPU: cpu}
}
