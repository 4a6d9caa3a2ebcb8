// Package simd holds the single-precision matrix kernels that the layers of
// nn run on: one GEMM entry point covering the transposes backprop needs, a
// matrix-vector path for a batch of one, and the vector helpers used on the
// hot path of training and prediction.
//
// # Kernels
//
// Gemm packs A and B into contiguous panels sized for the L2 and L1 caches
// and runs a register-blocked micro-kernel over them. The micro-kernel is
// chosen once, at start-up, from the instruction sets the CPU and the
// operating system support:
//
//   - [AVX512]: amd64 with AVX-512F, a 12×32 tile in 24 ZMM accumulators,
//     and a 4×32 one for the rows past the last full tile;
//   - [AVX2]: amd64 with AVX2 and FMA, a 6×16 tile in 12 YMM accumulators;
//   - [NEON]: arm64, an 8×8 tile in 16 vector accumulators;
//   - [Generic]: portable Go, a 4×4 tile, used on every other target
//     (js/wasm among them) and everywhere when built with -tags purego.
//
// [SetLevel] forces a lower level, which is how the tests reach every kernel
// on one machine. The environment variable NNSIMD (generic, avx2, avx512,
// neon) does the same for a whole process, for example to run a program's
// tests on the AVX2 path of an AVX-512 machine; a name the machine cannot
// run, or that is not a level, leaves the choice made from the CPU, which
// [CurrentLevel] reports.
//
// A batch of one or two rows takes a matrix-vector path instead, which
// streams the weights once in storage order.
//
// # Vector helpers
//
// The passes around the products run here too: [AddBias], [AddBiasReLU]
// and [SumRows] for the bias of a dense layer, [ReLU], [Softmax], [Exp] for
// the sigmoids, [Dot], [Axpy] and [Scale], and [Adam] with [AddIfFinite]
// for an optimiser step. Exp, Adam, AddBiasReLU and Scale give the same bits
// at every level, and so do the exponentials inside Softmax.
//
// # Threads
//
// Products of more than about 16 million floating-point operations
// (parallelFlops) are split across goroutines, at most GOMAXPROCS of them or the cap set by
// [SetMaxThreads]. Smaller products run on the calling goroutine and start
// none. Every goroutine started by a call has ended when the call returns.
// Starting them costs two small allocations per split product (closure and
// wait group); only products of that size are split, and
// with SetMaxThreads(1) no call allocates once its scratch space is pooled.
//
// All functions are safe for concurrent use.
package simd

// Gemm computes C = alpha·op(A)·op(B) + beta·C on row-major matrices, where
// op(A) is m×k, op(B) is k×n and C is m×n. transA and transB select the
// transposed operand: A is stored k×m when transA is set, B is stored n×k when
// transB is set. lda, ldb and ldc are the row strides of the stored matrices.
// When beta is zero, C is overwritten without being read, so NaN in C does not
// propagate.
//
// Gemm panics if a dimension is negative, a stride is smaller than the width
// of its stored matrix, or a slice is too short for the shape it is given.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	gemm(current(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemm is Gemm on checked arguments with the kernels of kn.
func gemm(kn *kernel, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}

	// quick return: nothing to multiply, only C to scale
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	if kn.whole != nil && alpha == 1 && beta == 0 && kn.whole(transA, transB, m, n, k, a, lda, b, ldb, c, ldc) {
		return
	}

	// TODO(nn): a product of fewer than 16 columns (a 10-class output
	// layer) still pads its tiles to 16 and runs at about 60% of OpenBLAS;
	// computing Cᵀ = op(B)ᵀ·op(A)ᵀ with a tile stored transposed would put
	// the long side of C in the vector lanes.
	if kn.narrow != nil && (n <= kn.nr/2 || m <= kn.mr/2 && m > 2) {
		kn = kn.narrow
	}

	if r := shortRows(kn, m, n, k); r > 0 {
		top := m - r
		gemm(kn, transA, transB, top, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		rest := a[top:] // transposed A: rows of op(A) are columns
		if !transA {
			rest = a[top*lda:]
		}
		gemm(kn.short, transA, transB, r, n, k, alpha, rest, lda, b, ldb, beta, c[top*ldc:], ldc)
		return
	}
	switch {
	case m <= 2:
		// one or two rows: B read once per row beats tiles mostly empty
		for i := 0; i < m; i++ {
			// row i of op(A): a column of the stored A when transposed,
			// whose row i*lda may lie past the end of a
			ai := a[i:]
			if !transA {
				ai = a[i*lda:]
			}
			gemvRow(kn, transA, transB, n, k, alpha, ai, lda, b, ldb, beta, c[i*ldc:])
		}
	case n == 1 && !transA:
		gemvCol(kn, transB, m, k, alpha, a, lda, b, ldb, beta, c, ldc)
	default:
		gemmParallel(kn, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

// shortRows returns how many of the last rows of an m×n×k product to
// compute with the shorter tiles of kn.short, or 0. Those are the rows past
// the last full tile (all of them if there is none), which would fill a
// tile of kn only in part, when the shorter tiles save more than
// splitWaste multiply-adds.
func shortRows(kn *kernel, m, n, k int) int {
	r := m % kn.mr
	if kn.short == nil || r == 0 ||
		int64(kn.mr-roundUp(r, kn.short.mr))*int64(n)*int64(k) < splitWaste {
		return 0
	}
	return r
}

// splitWaste is the number of multiply-adds that computing the rows past
// the last full tile with shorter tiles must save for Gemm to do so: some
// 130,000 floating-point operations, about a microsecond, the cost of the
// second call. (BenchmarkGemmLayer: a 128×10 layer's dX product at batch
// 256 lost some 5% when split with no such bound.)
const splitWaste = 1 << 16

// checkGemm panics with a message naming the bad argument of a Gemm call.
func checkGemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic("simd: negative dimension")
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	checkMatrix("A", ar, ac, a, lda)
	checkMatrix("B", br, bc, b, ldb)
	checkMatrix("C", m, n, c, ldc)
}

// checkMatrix panics unless s can hold a rows×cols matrix with row stride ld.
func checkMatrix(name string, rows, cols int, s []float32, ld int) {
	if ld < max(cols, 1) {
		panic("simd: stride of " + name + " smaller than its width")
	}
	if rows == 0 || cols == 0 {
		return
	}
	if len(s) < (rows-1)*ld+cols {
		panic("simd: slice " + name + " too short for its shape")
	}
}

// scaleC sets C = beta·C, writing zeros without reading C when beta is zero.
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}
