// Command gemm compares the single-precision matrix product of nn with
// OpenBLAS (through numpy) and gonum on one thread, in the same run, then
// gives nn's training rate and single-sample prediction time on the
// 361-256-361 network of the board example.
//
//	cd bench && go run ./gemm [-rounds 5] [-clock cpu|wall] [-only gemm|net] [-python /usr/bin/python3]
//
// Every round times all shapes with each library in turn, so that a burst of
// load on a shared machine hits all three alike; the table gives the median
// over the rounds. By default the clock is the CPU time of the process, which
// a busy machine disturbs less than the wall clock (both sides run on one
// thread, so the two agree on an idle machine). numpy must be installed for the chosen python (Debian:
// apt-get install python3-numpy), and runs with OPENBLAS_NUM_THREADS=1.
package main

import (
	"bufio"
	_ "embed"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/nnrt/nn/simd"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

//go:embed openblas.py
var openblasScript string

// shape is one product C(m×n) = A(m×k)·B(k×n) and its label in the table.
type shape struct {
	name    string
	m, n, k int
}

func shapes() []shape {
	var s []shape
	for _, n := range []int{64, 128, 256, 512, 1024} {
		s = append(s, shape{fmt.Sprintf("square %d", n), n, n, n})
	}
	for _, l := range [][2]int{{361, 256}, {256, 361}, {784, 128}, {128, 10}} {
		for _, batch := range []int{1, 32, 256} {
			s = append(s, shape{fmt.Sprintf("batch %d, %d→%d", batch, l[0], l[1]), batch, l[1], l[0]})
		}
	}
	s = append(s, shape{"edge 32×256×64", 32, 256, 64}, shape{"edge 33×257×65", 33, 257, 65})
	return s
}

func main() {
	rounds := flag.Int("rounds", 5, "rounds over all shapes; the median is reported")
	python := flag.String("python", "/usr/bin/python3", "python with numpy")
	clock := flag.String("clock", "cpu", "cpu (process CPU time) or wall")
	only := flag.String("only", "", "gemm (the GEMM table) or net (the network figures); both by default")
	flag.Parse()
	switch *clock {
	case "cpu":
		now = cpuTime
	case "wall":
		now = wallTime
	default:
		fmt.Fprintf(os.Stderr, "gemm: -clock %q: want cpu or wall\n", *clock)
		os.Exit(2)
	}

	// one thread for everything: gonum and nn split large products otherwise
	runtime.GOMAXPROCS(1)
	simd.SetMaxThreads(1)

	if *only != "" && *only != "gemm" && *only != "net" {
		fmt.Fprintf(os.Stderr, "gemm: -only %q: want gemm or net\n", *only)
		os.Exit(2)
	}
	if *only != "net" {
		gemmTable(*rounds, *python, *clock)
	}
	if *only != "gemm" {
		if err := printNet(*rounds); err != nil {
			fmt.Fprintln(os.Stderr, "gemm:", err)
			os.Exit(1)
		}
	}
}

// gemmTable times every shape with the three libraries and prints the
// markdown table.
func gemmTable(rounds int, python, clock string) {
	ss := shapes()
	times := map[string][][]float64{"nn": nil, "openblas": nil, "gonum": nil}
	for lib := range times {
		times[lib] = make([][]float64, len(ss))
	}
	for r := 0; r < rounds; r++ {
		fmt.Fprintf(os.Stderr, "round %d of %d\n", r+1, rounds)
		ob, err := timeOpenBLAS(python, clock, ss)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gemm:", err)
			os.Exit(1)
		}
		for i, s := range ss {
			times["openblas"][i] = append(times["openblas"][i], ob[i])
			times["nn"][i] = append(times["nn"][i], timeGo(s, nnGemm))
			times["gonum"][i] = append(times["gonum"][i], timeGo(s, gonumGemm))
		}
	}

	fmt.Printf("Single thread, median of %d rounds, %s clock, nn level %v, %s/%s.\n\n",
		rounds, clock, simd.CurrentLevel(), runtime.GOOS, runtime.GOARCH)
	fmt.Println("| shape (m×n×k) | nn GFLOPS | OpenBLAS GFLOPS | gonum GFLOPS | nn / OpenBLAS | nn / gonum |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: |")
	for i, s := range ss {
		flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
		g := func(lib string) float64 { return flops / median(times[lib][i]) / 1e9 }
		fmt.Printf("| %s (%d×%d×%d) | %.1f | %.1f | %.1f | %.2f | %.1f |\n", s.name, s.m, s.n, s.k,
			g("nn"), g("openblas"), g("gonum"), g("nn")/g("openblas"), g("nn")/g("gonum"))
	}
}

func median(v []float64) float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	return v[len(v)/2]
}

// gemmFunc computes C = A·B on row-major operands.
type gemmFunc func(m, n, k int, a, b, c []float32)

func nnGemm(m, n, k int, a, b, c []float32) {
	simd.Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
}

func gonumGemm(m, n, k int, a, b, c []float32) {
	gonum.Implementation{}.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 0, c, n)
}

// timeGo returns the seconds one product of s takes with f: the median of
// five timings, each averaged over calls lasting about 20 ms, as the python
// side does.
func timeGo(s shape, f gemmFunc) float64 {
	r := rand.New(rand.NewPCG(1, 2))
	a, b, c := make([]float32, s.m*s.k), make([]float32, s.k*s.n), make([]float32, s.m*s.n)
	for i := range a {
		a[i] = float32(r.NormFloat64())
	}
	for i := range b {
		b[i] = float32(r.NormFloat64())
	}
	f(s.m, s.n, s.k, a, b, c)
	reps := 1
	run := func() float64 {
		start := now()
		for range reps {
			f(s.m, s.n, s.k, a, b, c)
		}
		return now() - start
	}
	for {
		if el := run(); el > 0.02 {
			break
		}
		reps *= 2
	}
	samples := make([]float64, 5)
	for i := range samples {
		samples[i] = run() / float64(reps)
	}
	return median(samples)
}

// now returns the time in seconds on the chosen clock.
var now = cpuTime

func wallTime() float64 { return float64(time.Now().UnixNano()) / 1e9 }

// cpuTime returns the user and system CPU time of the process.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// timeOpenBLAS runs the embedded numpy script on all shapes.
func timeOpenBLAS(python, clock string, ss []shape) ([]float64, error) {
	cmd := exec.Command(python, "-c", openblasScript, clock)
	cmd.Env = append(os.Environ(), "OPENBLAS_NUM_THREADS=1", "OMP_NUM_THREADS=1")
	var in strings.Builder
	for _, s := range ss {
		fmt.Fprintf(&in, "%d %d %d\n", s.m, s.n, s.k)
	}
	cmd.Stdin = strings.NewReader(in.String())
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s with numpy (apt-get install python3-numpy): %w", python, err)
	}
	var res []float64
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		var m, n, k int
		var sec float64
		if _, err := fmt.Sscan(sc.Text(), &m, &n, &k, &sec); err != nil {
			return nil, fmt.Errorf("numpy output %q: %w", sc.Text(), err)
		}
		res = append(res, sec)
	}
	if len(res) != len(ss) {
		return nil, fmt.Errorf("numpy timed %d shapes, want %d", len(res), len(ss))
	}
	return res, nil
}
