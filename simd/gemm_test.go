package simd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// forEachLevel runs f once per kernel level this machine supports.
func forEachLevel(t *testing.T, f func(t *testing.T, kn *kernel)) {
	for _, kn := range kernels {
		t.Run("level="+kn.level.String(), func(t *testing.T) {
			prev, err := SetLevel(kn.level)
			if err != nil {
				t.Fatal(err)
			}
			defer SetLevel(prev)
			f(t, kn)
		})
	}
}

// smallBlocks returns a copy of kn whose cache blocks hold only a few
// micro-tiles, so modest shapes cross every blocking loop.
func smallBlocks(kn *kernel) *kernel {
	s := *kn
	s.kc, s.mc, s.nc = 7, 2*kn.mr, 2*kn.nr
	return &s
}

// gemmCase is one product with its strides and scalars.
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	lda, ldb, ldc  int
	alpha, beta    float32
	nanC           bool // fill C with NaN (only with beta 0)
}

func (g gemmCase) String() string {
	return fmt.Sprintf("tA=%v,tB=%v,m=%d,n=%d,k=%d,lda=%d,ldb=%d,ldc=%d,alpha=%g,beta=%g",
		g.transA, g.transB, g.m, g.n, g.k, g.lda, g.ldb, g.ldc, g.alpha, g.beta)
}

// randCase draws strides, scalars and NaN filling for the given shape.
func randCase(r *rand.Rand, transA, transB bool, m, n, k int) gemmCase {
	g := gemmCase{transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1}
	ac, bc := k, n
	if transA {
		ac = m
	}
	if transB {
		bc = k
	}
	g.lda, g.ldb, g.ldc = ac, bc, n
	if r.IntN(2) == 0 {
		g.lda += 1 + r.IntN(5)
		g.ldb += 1 + r.IntN(5)
		g.ldc += 1 + r.IntN(5)
	}
	switch r.IntN(4) {
	case 0:
		g.nanC = true
	case 1:
		g.beta = 0.5
	case 2:
		g.alpha, g.beta = -1.5, 1
	}
	return g
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

// check runs g through kn and compares C with a float64 reference, and
// checks that A, B and the padding of C are left alone.
func (g gemmCase) check(t *testing.T, r *rand.Rand, kn *kernel) {
	t.Helper()
	// operands as short as Gemm allows: the last row without its padding
	ar, ac, br, bc := g.m, g.k, g.k, g.n
	if g.transA {
		ar, ac = g.k, g.m
	}
	if g.transB {
		br, bc = g.n, g.k
	}
	a := randSlice(r, (ar-1)*g.lda+ac)
	b := randSlice(r, (br-1)*g.ldb+bc)
	c := randSlice(r, (g.m-1)*g.ldc+g.n)
	if g.nanC {
		for i := range c {
			c[i] = float32(math.NaN())
		}
	}
	a0, b0, c0 := append([]float32(nil), a...), append([]float32(nil), b...), append([]float32(nil), c...)

	gemm(kn, g.transA, g.transB, g.m, g.n, g.k, g.alpha, a, g.lda, b, g.ldb, g.beta, c, g.ldc)

	var worst float64
	for i := 0; i < g.m; i++ {
		for j := 0; j < g.n; j++ {
			var s, abs float64
			for p := 0; p < g.k; p++ {
				ai, bi := i*g.lda+p, p*g.ldb+j
				if g.transA {
					ai = p*g.lda + i
				}
				if g.transB {
					bi = j*g.ldb + p
				}
				av, bv := a[ai], b[bi]
				s += float64(av) * float64(bv)
				abs += math.Abs(float64(av) * float64(bv))
			}
			want := float64(g.alpha) * s
			bound := math.Abs(float64(g.alpha)) * abs
			if g.beta != 0 {
				want += float64(g.beta) * float64(c0[i*g.ldc+j])
				bound += math.Abs(float64(g.beta) * float64(c0[i*g.ldc+j]))
			}
			got := float64(c[i*g.ldc+j])
			diff := math.Abs(got - want)
			tol := 4e-7*float64(g.k+2)*bound + 1e-30
			if !(diff <= tol) {
				t.Fatalf("%v: C[%d,%d] = %g, want %g (diff %g > %g)", g, i, j, got, want, diff, tol)
			}
			worst = max(worst, diff/tol)
		}
		for j := g.n; j < g.ldc && i*g.ldc+j < len(c); j++ {
			if c[i*g.ldc+j] != c0[i*g.ldc+j] && !g.nanC {
				t.Fatalf("%v: padding C[%d,%d] changed", g, i, j)
			}
		}
	}
	for i := range a {
		if a[i] != a0[i] {
			t.Fatalf("%v: A[%d] changed", g, i)
		}
	}
	for i := range b {
		if b[i] != b0[i] {
			t.Fatalf("%v: B[%d] changed", g, i)
		}
	}
}

// TestGemmSizes covers every size from 1 to 67 in each dimension, with the
// other two drawn at random, in all four transpose combinations.
func TestGemmSizes(t *testing.T) {
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		r := rand.New(rand.NewPCG(1, uint64(kn.level)))
		for s := 1; s <= 67; s++ {
			for tr := 0; tr < 4; tr++ {
				tA, tB := tr&1 != 0, tr&2 != 0
				o1, o2 := 1+r.IntN(67), 1+r.IntN(67)
				randCase(r, tA, tB, s, o1, o2).check(t, r, kn)
				randCase(r, tA, tB, o1, s, o2).check(t, r, kn)
				randCase(r, tA, tB, o1, o2, s).check(t, r, kn)
			}
		}
	})
}

// TestGemmBlocking shrinks the cache blocks so that products of a few dozen
// rows and columns cross every blocking loop and every edge.
func TestGemmBlocking(t *testing.T) {
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		r := rand.New(rand.NewPCG(2, uint64(kn.level)))
		small := smallBlocks(kn)
		for range 60 {
			m, n, k := 2+r.IntN(100), 2+r.IntN(5*kn.nr), 1+r.IntN(40)
			randCase(r, r.IntN(2) == 0, r.IntN(2) == 0, m, n, k).check(t, r, small)
		}
	})
}

// TestGemmLarge covers products past the real cache blocks, which also take
// the multi-goroutine path (three goroutines, so that bands are uneven), and
// checks that no goroutine outlives the call.
func TestGemmLarge(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	before := runtime.NumGoroutine()
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		r := rand.New(rand.NewPCG(3, uint64(kn.level)))
		// every split direction with every transpose, and the dW = Xᵀ·dZ
		// product of a 361-input layer at batch 32, whose row split once
		// sliced the transposed A past its end
		shapes := []struct {
			m, n, k        int
			transA, transB bool
		}{
			{300, 290, 270, false, false}, {33, 700, 300, true, false},
			{700, 40, 280, false, true}, {40, 600, 290, true, true},
			{361, 256, 32, true, false},
		}
		if testing.Short() {
			shapes = shapes[4:]
		}
		for _, s := range shapes {
			randCase(r, s.transA, s.transB, s.m, s.n, s.k).check(t, r, kn)
		}
	})
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Errorf("%d goroutines after the products, %d before", runtime.NumGoroutine(), before)
}

// TestSplit checks that small products stay on the calling goroutine and
// large ones use every goroutine allowed.
func TestSplit(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	kn := current()
	for _, s := range [][3]int{{32, 256, 64}, {32, 128, 200}, {4, 4096, 64}, {64, 64, 64}} {
		if got, _, _ := split(kn, s[0], s[1], s[2]); got != 1 {
			t.Errorf("%d×%d×%d: %d goroutines, want 1", s[0], s[1], s[2], got)
		}
	}
	if p := runtime.GOMAXPROCS(0); p < 4 {
		t.Skipf("GOMAXPROCS stays %d on %s, so large products cannot split", p, runtime.GOOS)
	}
	if got, _, _ := split(kn, 1024, 1024, 1024); got != 4 {
		t.Errorf("1024³: %d goroutines, want 4", got)
	}
	defer SetMaxThreads(SetMaxThreads(2))
	if got, _, _ := split(kn, 1024, 1024, 1024); got != 2 {
		t.Errorf("1024³ capped at 2: %d goroutines", got)
	}
}

// TestSetMaxThreads checks the cap is kept and a capped product is right.
func TestSetMaxThreads(t *testing.T) {
	prev := SetMaxThreads(1)
	defer SetMaxThreads(prev)
	if got := threads(); got != 1 {
		t.Fatalf("threads() = %d with a cap of 1", got)
	}
	r := rand.New(rand.NewPCG(4, 0))
	randCase(r, false, false, 200, 200, 200).check(t, r, current())
	SetMaxThreads(0)
	if got, want := threads(), runtime.GOMAXPROCS(0); got != want {
		t.Fatalf("threads() = %d without a cap, want GOMAXPROCS %d", got, want)
	}
}

// TestGemmQuick covers the paths that do no multiplication.
func TestGemmQuick(t *testing.T) {
	c := []float32{float32(math.NaN()), 2, 3, 4}
	Gemm(false, false, 2, 2, 0, 1, nil, 1, nil, 2, 0, c, 2)
	for i, v := range c {
		if v != 0 {
			t.Fatalf("k=0, beta=0: C[%d] = %g, want 0", i, v)
		}
	}
	c = []float32{1, 2, 3, 4}
	a := []float32{1, 1, 1, 1}
	Gemm(false, false, 2, 2, 2, 0, a, 2, a, 2, 3, c, 2)
	for i, v := range c {
		if want := float32(3 * (i + 1)); v != want {
			t.Fatalf("alpha=0, beta=3: C[%d] = %g, want %g", i, v, want)
		}
	}
}

// TestGemmPanics checks that malformed calls name their fault instead of
// reading out of bounds.
func TestGemmPanics(t *testing.T) {
	s := make([]float32, 12)
	cases := []struct {
		name string
		call func()
	}{
		{"negative", func() { Gemm(false, false, -1, 2, 2, 1, s, 2, s, 2, 0, s, 2) }},
		{"lda", func() { Gemm(false, false, 2, 2, 3, 1, s, 2, s, 2, 0, s, 2) }},
		{"short B", func() { Gemm(false, true, 2, 5, 3, 1, s, 3, s, 3, 0, s, 5) }},
		{"short C", func() { Gemm(true, false, 3, 5, 2, 1, s, 3, s, 5, 0, s[:10], 5) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.call()
		})
	}
}

func TestSetLevel(t *testing.T) {
	if _, err := SetLevel(Level(99)); err != ErrLevel {
		t.Fatalf("SetLevel(99) = %v, want ErrLevel", err)
	}
	ls := Levels()
	if ls[0] != Generic {
		t.Fatalf("Levels() = %v, want generic first", ls)
	}
	if got, want := CurrentLevel(), ls[len(ls)-1]; got != want && got != Generic {
		t.Errorf("start-up level %v, want the best, %v", got, want)
	}
}

// TestGemmVector covers the matrix-vector paths (m == 1 and n == 1) at
// widths on both sides of every vector block of the kernels.
func TestGemmVector(t *testing.T) {
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		r := rand.New(rand.NewPCG(5, uint64(kn.level)))
		widths := []int{1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 127, 128, 129, 143, 255, 257, 361}
		for _, w := range widths {
			for tr := 0; tr < 4; tr++ {
				tA, tB := tr&1 != 0, tr&2 != 0
				k := 1 + r.IntN(70)
				randCase(r, tA, tB, 1, w, k).check(t, r, kn)
				randCase(r, tA, tB, w, 1, k).check(t, r, kn)
			}
		}
	})
}

// TestNNSIMD starts this test binary again with NNSIMD set and checks the
// level the child reports.
func TestNNSIMD(t *testing.T) {
	if os.Getenv("NNSIMD_CHILD") != "" {
		fmt.Printf("level=%v\n", CurrentLevel())
		return
	}
	if testing.Short() {
		t.Skip("starts subprocesses")
	}
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("starts subprocesses, which " + runtime.GOOS + " cannot")
	}
	best := Levels()[len(Levels())-1]
	cases := map[string]Level{"generic": Generic, "GENERIC": Generic, "no-such-level": best}
	for _, l := range Levels() {
		cases[l.String()] = l
	}
	for env, want := range cases {
		cmd := exec.Command(os.Args[0], "-test.run=^TestNNSIMD$")
		cmd.Env = append(os.Environ(), "NNSIMD="+env, "NNSIMD_CHILD=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("NNSIMD=%s: %v", env, err)
		}
		if !strings.Contains(string(out), "level="+want.String()+"\n") {
			t.Errorf("NNSIMD=%s: child printed %q, want level=%v", env, out, want)
		}
	}
}

// TestGemmShortRows covers products whose last rows go to the shorter
// tiles of kernel.short: every count of rows past the last full tile, after
// none, one or two full tiles, with every transpose, on the levels that
// have such tiles. (Products of up to mr/2 rows take the narrow kernel
// first.)
func TestGemmShortRows(t *testing.T) {
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		if kn.short == nil {
			t.Skipf("no shorter tiles at level %v", kn.level)
		}
		r := rand.New(rand.NewPCG(5, uint64(kn.level)))
		const n, k = 70, 1000
		for m := 1; m < 3*kn.mr; m++ {
			want := m % kn.mr
			if roundUp(want, kn.short.mr) == kn.mr {
				want = 0 // the shorter tiles would save nothing
			}
			if got := shortRows(kn, m, n, k); got != want {
				t.Fatalf("shortRows(%d×%d×%d) = %d, want %d", m, n, k, got, want)
			}
			if m > kn.mr/2 && m%kn.mr != 0 {
				for tr := 0; tr < 4; tr++ {
					randCase(r, tr&1 != 0, tr&2 != 0, m, n, k).check(t, r, kn)
				}
			}
		}
		if got := shortRows(kn, 2*kn.mr+1, 10, 10); got != 0 {
			t.Errorf("a small product takes %d rows to the shorter tiles", got)
		}
	})
}
