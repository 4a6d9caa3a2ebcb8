package simd

import (
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
)

// Level names a family of kernels, one per instruction set.
type Level int

// The kernel levels, from the portable one up.
const (
	Generic Level = iota // portable Go
	AVX2                 // amd64 AVX2 and FMA
	AVX512               // amd64 AVX-512F
	NEON                 // arm64 Advanced SIMD
)

var levelNames = [...]string{Generic: "generic", AVX2: "avx2", AVX512: "avx512", NEON: "neon"}

// String returns the lower-case name of l, as accepted by NNSIMD.
func (l Level) String() string {
	if l >= 0 && int(l) < len(levelNames) {
		return levelNames[l]
	}
	return "level(" + strconv.Itoa(int(l)) + ")"
}

// kernel is the set of routines of one level. tile and the vector routines
// are always set; tileHalf, gemvN, gemvRows, transpose8, transpose4 and
// narrow may be nil, and the portable code then does their work.
type kernel struct {
	level      Level
	mr, nr     int // micro-tile rows and columns
	kc, mc, nc int // cache blocks: depth, rows of A, columns of B

	// tile sets C[i*ldc+j] = alpha·Σ_p a[p*mr+i]·b[p*ldb+j] + beta·C[i*ldc+j]
	// for i < mr, j < nr, p < k; C is not read when beta is zero. ldb is nr
	// for a packed sliver of B.
	tile func(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

	// tileHalf, if set, is tile on the left mr×nr/2 half, for a last sliver
	// of B with no more than nr/2 real columns.
	tileHalf func(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

	// gemvN sets y[j] = Σ_p x[p]·b[p*ldb+j] for p < k and j below the
	// column it returns: it covers n with blocks of gemvWide columns while
	// they fit, then with blocks of gemvVec.
	gemvN             func(k, n int, x, b []float32, ldb int, y []float32) int
	gemvWide, gemvVec int

	// gemvRows, if set, sets y[j] = Σ_p x[p]·b[p*ldb+j] for all j < n, p < k
	// sweeping rows of B in storage order; it serves products of at least
	// 32 columns, where it beats the column blocks of gemvN.
	gemvRows func(k, n int, x, b []float32, ldb int, y []float32)

	// whole, if set, computes a whole product C = op(A)·op(B) of the shapes
	// it takes and reports whether it did; it is offered only products with
	// alpha 1 and beta 0. The js/wasm host kernels (kernel_js.go) use it.
	whole func(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) bool

	dot  func(x, y []float32) float32
	axpy func(alpha float32, x, y []float32)

	// expSum sets dst[i] = e^(x[i]−shift) with the bits of exp32 and
	// returns the sum of those values; dst must be as long as x. It is Exp
	// with shift 0, and the middle pass of Softmax.
	expSum func(dst, x []float32, shift float32) float32

	// max returns the largest element of a non-empty x; with a NaN among
	// them the result may be NaN or not. scale is Scale and biasReLU one
	// row of AddBiasReLU, c as long as bias.
	max      func(x []float32) float32
	scale    func(alpha float32, x []float32)
	biasReLU func(bias, c []float32)

	// nonFinite is the check of AddIfFinite. (The Adam step is called
	// directly, see adam, so that its constants stay on the stack.)
	nonFinite func(p, d []float32) float32

	// transpose8 and transpose4, if set, set dst[r*ldd+c] = src[c*lds+r]
	// for c < 8 (or 4) and r below depth rounded down to a multiple of 8
	// (or 4); packing uses them where it must transpose.
	transpose8, transpose4 func(dst []float32, ldd int, src []float32, lds, depth int)

	// narrow, if set, is the kernel for products with at most nr/2 columns,
	// or with three to mr/2 rows, whose tiles would be mostly padding here.
	narrow *kernel

	// short, if set, is this kernel with shorter tiles, for the rows past
	// the last full tile of a product.
	short *kernel
}

// kernels lists the levels this machine can run, lowest first. The arch
// files append to it in their init functions.
var kernels = []*kernel{genericKernel}

// active is the kernel Gemm uses; it is set once at start-up and changed only
// by SetLevel.
var active atomic.Pointer[kernel]

func init() {
	best := kernels[len(kernels)-1]
	if name := os.Getenv("NNSIMD"); name != "" {
		for _, kn := range kernels {
			if strings.EqualFold(name, kn.level.String()) {
				best = kn
			}
		}
	}
	active.Store(best)
}

func current() *kernel { return active.Load() }

// Levels returns the kernel levels this machine supports, lowest first.
func Levels() []Level {
	ls := make([]Level, len(kernels))
	for i, kn := range kernels {
		ls[i] = kn.level
	}
	return ls
}

// CurrentLevel returns the level Gemm and the vector helpers run at.
func CurrentLevel() Level { return current().level }

// ErrLevel is returned by SetLevel for a level the machine cannot run.
var ErrLevel = errors.New("simd: kernel level not supported on this machine")

// SetLevel makes every later call use the kernels of level l and returns the
// level in force before. It exists to test and measure the lower levels;
// programs normally leave the choice made at start-up.
func SetLevel(l Level) (Level, error) {
	for _, kn := range kernels {
		if kn.level == l {
			return active.Swap(kn).level, nil
		}
	}
	return CurrentLevel(), ErrLevel
}

var maxThreads atomic.Int64

// SetMaxThreads caps the goroutines one large product is split across and
// returns the previous cap. n <= 0 removes the cap, leaving GOMAXPROCS as the
// bound.
func SetMaxThreads(n int) int {
	return int(maxThreads.Swap(int64(max(n, 0))))
}

// threads returns how many goroutines may share one product.
func threads() int {
	t := runtime.GOMAXPROCS(0)
	if c := int(maxThreads.Load()); c > 0 && c < t {
		t = c
	}
	return t
}
