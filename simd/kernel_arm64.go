//go:build !purego

package simd

// TODO(nn): Exp, Softmax, AddBiasReLU, Adam and the transposing pack run
// the portable Go loops on arm64; NEON versions would follow the AVX2 ones.
func init() {
	kernels = append(kernels, &kernel{
		level: NEON,
		mr:    8, nr: 8,
		kc: 256, mc: 128, nc: 2048,
		tile:      tileNEON,
		gemvN:     gemvNNEON,
		gemvWide:  32,
		gemvVec:   4,
		dot:       dotNEONAll,
		axpy:      axpyNEONAll,
		expSum:    expSumGeneric,
		max:       maxGeneric,
		scale:     scaleGeneric,
		biasReLU:  biasReLUGeneric,
		nonFinite: nonFiniteGeneric,
	})
}

// tileNEON is the 8×8 micro-kernel; see kernel.tile. The assembly computes
// the bare sums, straight into C in the common case alpha 1, beta 0.
func tileNEON(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	if alpha == 1 && beta == 0 {
		tileNEONRaw(k, a, b, ldb, c, ldc)
		return
	}
	var t [64]float32
	tileNEONRaw(k, a, b, ldb, t[:], 8)
	for i := 0; i < 8; i++ {
		row := c[i*ldc : i*ldc+8]
		for j, s := range t[i*8 : i*8+8] {
			if beta == 0 {
				row[j] = alpha * s
			} else {
				row[j] = alpha*s + beta*row[j]
			}
		}
	}
}

// tileNEONRaw sets C[i*ldc+j] = Σ_p a[p*8+i]·b[p*ldb+j] for i, j < 8, p < k.
//
//go:noescape
func tileNEONRaw(k int, a, b []float32, ldb int, c []float32, ldc int)

// gemvNNEON sets y[j] = Σ_p x[p]·b[p*ldb+j] for p < k, over blocks of 32
// columns and then of 4 while they fit in n, and returns the columns covered.
// k must be positive.
//
//go:noescape
func gemvNNEON(k, n int, x, b []float32, ldb int, y []float32) int

// dotNEONAll is Dot with four vectors of partial sums, the last few
// elements in Go.
func dotNEONAll(x, y []float32) float32 {
	n := len(x) &^ 15
	var acc [16]float32
	dotNEON(x[:n], y, &acc)
	s := dotGeneric(x[n:], y[n:])
	for _, v := range acc {
		s += v
	}
	return s
}

// dotNEON stores in acc four vectors of partial sums of x[i]·y[i] over the
// first len(x)&^15 elements; y must be as long as x.
//
//go:noescape
func dotNEON(x, y []float32, acc *[16]float32)

// axpyNEONAll is Axpy sixteen elements at a time, the last few in Go.
func axpyNEONAll(alpha float32, x, y []float32) {
	n := len(x) &^ 15
	axpyNEON(alpha, x[:n], y)
	axpyGeneric(alpha, x[n:], y[n:])
}

// axpyNEON sets y[i] += alpha·x[i] for the first len(x)&^15 elements; y must
// be as long as x.
//
//go:noescape
func axpyNEON(alpha float32, x, y []float32)
