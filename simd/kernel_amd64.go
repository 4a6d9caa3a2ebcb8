//go:build !purego

package simd

import "math"

func init() {
	avx2, avx512 := x86Features()
	if !avx2 {
		return
	}
	k2 := &kernel{
		level: AVX2,
		mr:    6, nr: 16,
		kc: 256, mc: 144, nc: 3072,
		tile:       tileAVX2,
		gemvN:      gemvNAVX2,
		gemvWide:   64,
		gemvVec:    8,
		gemvRows:   gemvNRowsAVX2,
		dot:        dotAVX2,
		axpy:       axpyAVX2,
		expSum:     expSumAVX2All,
		max:        maxAVX2All,
		scale:      scaleAVX2All,
		biasReLU:   biasReLUAVX2All,
		nonFinite:  nonFiniteAVX2All,
		transpose8: transpose8AVX2,
		transpose4: transpose4AVX,
	}
	kernels = append(kernels, k2)
	if avx512 {
		k512 := &kernel{
			level: AVX512,
			mr:    12, nr: 32,
			kc: 256, mc: 144, nc: 3072,
			tile:       tileAVX512,
			tileHalf:   tileAVX512Half,
			gemvN:      gemvNAVX2,
			gemvWide:   64,
			gemvVec:    8,
			gemvRows:   gemvNRowsAVX512,
			dot:        dotAVX2,
			axpy:       axpyAVX2,
			expSum:     expSumAVX512Consts,
			max:        maxAVX512,
			scale:      scaleAVX512,
			biasReLU:   biasReLUAVX512,
			nonFinite:  nonFiniteAVX2All,
			transpose8: transpose8AVX2,
			transpose4: transpose4AVX,
			narrow:     k2,
		}
		short := *k512
		short.mr, short.tile, short.tileHalf, short.narrow = 4, tileAVX512Short, nil, nil
		k512.short = &short
		kernels = append(kernels, k512)
	}
}

// tileAVX2 is the 6×16 micro-kernel; see kernel.tile.
//
//go:noescape
func tileAVX2(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

// tileAVX512 is the 12×32 micro-kernel; see kernel.tile.
//
//go:noescape
func tileAVX512(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

// gemvNAVX2 sets y[j] = Σ_p x[p]·b[p*ldb+j] for p < k, over blocks of 64
// columns and then of 8 while they fit in n, and returns the columns covered.
// k must be positive.
//
//go:noescape
func gemvNAVX2(k, n int, x, b []float32, ldb int, y []float32) int

// dotAVX2 returns Σ x[i]·y[i] for i < len(x); y must be as long as x.
//
//go:noescape
func dotAVX2(x, y []float32) float32

// axpyAVX2 sets y[i] += alpha·x[i] for i < len(x); y must be as long as x.
//
//go:noescape
func axpyAVX2(alpha float32, x, y []float32)

// transpose8AVX2 sets dst[r*ldd+c] = src[c*lds+r] for c < 8, r < depth&^7.
//
//go:noescape
func transpose8AVX2(dst []float32, ldd int, src []float32, lds, depth int)

// adam runs the Adam step with the kernels of level l; see Adam.
func adam(l Level, g, m, v []float32, c *adamConsts) {
	if l == AVX2 || l == AVX512 {
		adamAVX2All(g, m, v, c)
		return
	}
	adamGeneric(g, m, v, c)
}

// adamAVX2All runs the Adam step in vector registers eight elements at a
// time and the last few in Go.
func adamAVX2All(g, m, v []float32, c *adamConsts) {
	n := len(g) &^ 7
	adamAVX2(g[:n], m, v, c)
	adamGeneric(g[n:], m[n:], v[n:], c)
}

// adamAVX2 is the Adam step on the first len(g)&^7 elements; m and v must be
// as long as g.
//
//go:noescape
func adamAVX2(g, m, v []float32, c *adamConsts)

// nonFiniteAVX2All is nonFiniteGeneric in vector registers.
func nonFiniteAVX2All(p, d []float32) float32 {
	n := len(p) &^ 7
	return nonFiniteAVX2(p[:n], d) + nonFiniteGeneric(p[n:], d[n:])
}

// nonFiniteAVX2 is nonFiniteGeneric on the first len(p)&^7 elements; d must
// be as long as p.
//
//go:noescape
func nonFiniteAVX2(p, d []float32) float32

// expConsts lists the constants of exp32 in the order expSumAVX2 and
// expSumAVX512 load them; the integer ones are stored by their bits.
var expConsts = [17]float32{
	log2e, 0.5, ln2hi, ln2lo, math.Float32frombits(127),
	expPoly[0], expPoly[1], expPoly[2], expPoly[3], expPoly[4], expPoly[5], 1,
	math.Float32frombits(127), math.Float32frombits(1<<32 - 126),
	expHi, expLo, float32(math.Inf(1)),
}

// expSumAVX2All is kernel.expSum in vector registers eight elements at a
// time and the last few in Go.
func expSumAVX2All(dst, x []float32, shift float32) float32 {
	n := len(x) &^ 7
	return expSumAVX2(dst, x[:n], shift, &expConsts) + expSumGeneric(dst[n:], x[n:], shift)
}

// expSumAVX2 is kernel.expSum on the first len(x)&^7 elements; dst must be
// as long as x.
//
//go:noescape
func expSumAVX2(dst, x []float32, shift float32, c *[17]float32) float32

// expSumAVX512Consts is kernel.expSum with the constants of exp32.
func expSumAVX512Consts(dst, x []float32, shift float32) float32 {
	return expSumAVX512(dst, x, shift, &expConsts)
}

// expSumAVX512 is kernel.expSum; dst must be as long as x.
//
//go:noescape
func expSumAVX512(dst, x []float32, shift float32, c *[17]float32) float32

// maxAVX2All is kernel.max eight elements at a time, the last few in Go.
func maxAVX2All(x []float32) float32 {
	n := len(x) &^ 7
	if n == 0 {
		return maxGeneric(x)
	}
	m := maxAVX2(x)
	for _, v := range x[n:] {
		if v > m {
			m = v
		}
	}
	return m
}

// maxAVX2 returns the largest of the first len(x)&^7 elements, at least 8.
//
//go:noescape
func maxAVX2(x []float32) float32

// maxAVX512 is kernel.max; x must not be empty.
//
//go:noescape
func maxAVX512(x []float32) float32

// scaleAVX2All is kernel.scale eight elements at a time, the last few in
// Go.
func scaleAVX2All(alpha float32, x []float32) {
	n := len(x) &^ 7
	scaleAVX2(alpha, x[:n])
	scaleGeneric(alpha, x[n:])
}

// scaleAVX2 sets x[i] *= alpha for the first len(x)&^7 elements.
//
//go:noescape
func scaleAVX2(alpha float32, x []float32)

// scaleAVX512 is kernel.scale.
//
//go:noescape
func scaleAVX512(alpha float32, x []float32)

// biasReLUAVX2All is kernel.biasReLU eight elements at a time, the last
// few in Go.
func biasReLUAVX2All(bias, c []float32) {
	n := len(bias) &^ 7
	c = c[:len(bias)]
	biasReLUAVX2(bias[:n], c)
	biasReLUGeneric(bias[n:], c[n:])
}

// biasReLUAVX2 is kernel.biasReLU on the first len(bias)&^7 elements; c must
// be as long as bias.
//
//go:noescape
func biasReLUAVX2(bias, c []float32)

// biasReLUAVX512 is kernel.biasReLU; c must be as long as bias.
//
//go:noescape
func biasReLUAVX512(bias, c []float32)

// transpose4AVX sets dst[r*ldd+c] = src[c*lds+r] for c < 4, r < depth&^3.
//
//go:noescape
func transpose4AVX(dst []float32, ldd int, src []float32, lds, depth int)

// gemvRowsAVX512 adds Σ_p x[p]·b[p*ldb+j] to y[j] for j < n, p < k&^3.
//
//go:noescape
func gemvRowsAVX512(k, n int, x, b []float32, ldb int, y []float32)

// gemvNRowsAVX512 sets y[j] = Σ_p x[p]·b[p*ldb+j] for j < n, p < k, four
// rows of B at a time.
func gemvNRowsAVX512(k, n int, x, b []float32, ldb int, y []float32) {
	y = y[:n]
	clear(y)
	gemvRowsAVX512(k, n, x, b, ldb, y)
	for p := k &^ 3; p < k; p++ {
		axpyAVX2(x[p], b[p*ldb:p*ldb+n], y)
	}
}

// gemvRowsAVX2 adds Σ_p x[p]·b[p*ldb+j] to y[j] for j < n&^7, p < k&^3.
//
//go:noescape
func gemvRowsAVX2(k, n int, x, b []float32, ldb int, y []float32)

// gemvNRowsAVX2 is gemvNRowsAVX512 in eight-wide vectors; the last n mod 8
// columns come from one more block of eight ending at column n. n must be
// at least 8.
func gemvNRowsAVX2(k, n int, x, b []float32, ldb int, y []float32) {
	y = y[:n]
	clear(y)
	gemvRowsAVX2(k, n, x, b, ldb, y)
	if w := n &^ 7; w < n {
		var t [8]float32
		gemvRowsAVX2(k, 8, x, b[n-8:], ldb, t[:])
		copy(y[w:], t[8-(n-w):])
	}
	for p := k &^ 3; p < k; p++ {
		axpyAVX2(x[p], b[p*ldb:p*ldb+n], y)
	}
}

// tileAVX512Half is tileAVX512 on the left 12×16 half of the tile.
//
//go:noescape
func tileAVX512Half(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

// tileAVX512Short is tileAVX512 with 4 rows; see kernel.tile.
//
//go:noescape
func tileAVX512Short(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)
