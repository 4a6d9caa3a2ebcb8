package simd

import "math"

// adamConsts holds the scalars of one Adam step in the order the assembly
// loads them.
type adamConsts struct {
	gscale, beta1, omb1, beta2, omb2, c1, c2, negLR, eps float32
}

// Adam runs one step of the Adam optimiser over every element of g. With
// x = g[i]·gscale it sets
//
//	m[i] = beta1·m[i] + (1−beta1)·x
//	v[i] = beta2·v[i] + (1−beta2)·x·x
//	g[i] = −lr·(m[i]·c1) / (√(v[i]·c2) + eps)
//
// where c1 = 1/(1−beta1ᵗ) and c2 = 1/(1−beta2ᵗ) correct the bias of step t.
// The step is written over the gradient, ready for [AddIfFinite]. No
// multiply-add is fused at any level, so every level gives the same bits.
// It panics if m or v is shorter than g.
func Adam(g, m, v []float32, lr, beta1, beta2, eps, c1, c2, gscale float32) {
	if len(m) < len(g) || len(v) < len(g) {
		panic("simd: Adam: moments shorter than the gradient")
	}
	c := adamConsts{
		gscale: gscale,
		beta1:  beta1, omb1: 1 - beta1,
		beta2: beta2, omb2: 1 - beta2,
		c1: c1, c2: c2,
		negLR: -lr, eps: eps,
	}
	adam(current().level, g, m[:len(g)], v[:len(g)], &c)
}

// adamGeneric is the portable Adam step; see Adam.
func adamGeneric(g, m, v []float32, c *adamConsts) {
	m, v = m[:len(g)], v[:len(g)]
	for i, x := range g {
		x *= c.gscale
		mi := float32(c.beta1*m[i]) + float32(c.omb1*x)
		vi := float32(c.beta2*v[i]) + float32(float32(c.omb2*x)*x)
		m[i], v[i] = mi, vi
		g[i] = float32(c.negLR*float32(mi*c.c1)) / (float32(math.Sqrt(float64(vi*c.c2))) + c.eps)
	}
}

// AddIfFinite adds d to p element by element when every sum is finite and
// reports whether it did; otherwise p is left unchanged. It is the last
// stage of an optimiser step, which must not write NaN or ±Inf into the
// weights. It panics if p is shorter than d.
func AddIfFinite(p, d []float32) bool {
	if len(p) < len(d) {
		panic("simd: AddIfFinite: p shorter than d")
	}
	kn := current()
	p = p[:len(d)]
	if kn.nonFinite(p, d) != 0 {
		return false
	}
	kn.axpy(1, d, p)
	return true
}

// nonFiniteGeneric returns the sum of (p[i]+d[i])·0: zero when every sum is
// finite, NaN otherwise.
func nonFiniteGeneric(p, d []float32) float32 {
	d = d[:len(p)]
	var s float32
	for i, x := range p {
		s += (x + d[i]) * 0
	}
	return s
}
