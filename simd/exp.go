package simd

import "math"

// Limits and constants of exp32. Past expHi e^x overflows float32; below
// expLo it rounds to zero. ln2hi + ln2lo is ln 2 split so that n·ln2hi is
// exact for the n that occur.
const (
	expHi = 88.73
	expLo = -104
	log2e = 1.44269504088896341
	ln2hi = 0.693359375
	ln2lo = -2.12194440e-4
)

// expPoly holds the coefficients c6 … c1 of the polynomial for e^r on
// |r| ≤ ln2/2: e^r ≈ 1 + r + r²·(c1 + c2·r + … + c6·r⁵).
var expPoly = [6]float32{1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1}

// Exp sets dst[i] = e^x[i] for every element of x, within 2 ulp of the exact
// value for normal results. Inputs above 88.73 give +Inf, inputs below −104
// give 0 and NaN stays NaN; no input yields a wrong finite value. dst may be
// x itself. It panics if dst is shorter than x.
func Exp(dst, x []float32) {
	if len(dst) < len(x) {
		panic("simd: Exp: dst shorter than x")
	}
	current().expSum(dst[:len(x)], x, 0) // x − 0 is x for every x, −0 and NaN included
}

// Softmax sets dst to the softmax of x: dst[i] = e^(x[i]−m) / Σ_j e^(x[j]−m)
// with m the largest element. Subtracting m keeps every exponent at or below
// 0, so nothing overflows, and the largest element's term is exactly 1. The
// exponentials are those of Exp, bit for bit, at every level; the order of
// the sum, and so the last bit of the result, depends on the level. A NaN
// or +Inf in x makes every element of dst NaN, and so does an x that is all
// −Inf; otherwise an element −Inf gets 0. dst may be x itself. It panics if
// dst is shorter than x.
func Softmax(dst, x []float32) {
	if len(dst) < len(x) {
		panic("simd: Softmax: dst shorter than x")
	}
	if len(x) == 0 {
		return
	}
	kn := current()
	dst = dst[:len(x)]
	m := kn.max(x)
	s := kn.expSum(dst, x, m)
	kn.scale(1/s, dst)
}

// expSumGeneric is the portable kernel.expSum.
func expSumGeneric(dst, x []float32, shift float32) float32 {
	dst = dst[:len(x)]
	var s float32
	for i, v := range x {
		e := exp32(v - shift)
		dst[i] = e
		s += e
	}
	return s
}

// exp32 returns e^x by the classic reduction x = n·ln2 + r, |r| ≤ ln2/2, a
// polynomial for e^r and a scaling by 2^n through the exponent bits, in two
// factors when 2^n alone is not a normal float32. Every product is rounded
// on its own (the float32 conversions forbid fused multiply-adds), so the
// vector versions can give the same bits.
func exp32(x float32) float32 {
	switch {
	case x != x:
		return x
	case x > expHi:
		return float32(math.Inf(1))
	case x < expLo:
		return 0
	}
	fn := float32(math.Floor(float64(float32(x*log2e) + 0.5)))
	n := int32(fn)
	r := x - float32(fn*ln2hi) - float32(fn*ln2lo)

	p := expPoly[0]
	for _, c := range expPoly[1:] {
		p = float32(p*r) + c
	}
	p = float32(float32(p*r)*r) + r + 1

	s := min(max(n, -126), 127)
	return float32(p*math.Float32frombits(uint32(s+127)<<23)) * math.Float32frombits(uint32(n-s+127)<<23)
}
