package simd

// genericKernel is the portable level: a 4×4 tile whose sixteen sums the
// compiler keeps in registers on every target.
var genericKernel = &kernel{
	level: Generic,
	mr:    4, nr: 4,
	kc: 256, mc: 128, nc: 2048,
	tile:      tileGeneric,
	dot:       dotGeneric,
	axpy:      axpyGeneric,
	expSum:    expSumGeneric,
	max:       maxGeneric,
	scale:     scaleGeneric,
	biasReLU:  biasReLUGeneric,
	nonFinite: nonFiniteGeneric,
}

// tileGeneric is the portable micro-kernel; see kernel.tile.
func tileGeneric(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	var (
		c00, c01, c02, c03 float32
		c10, c11, c12, c13 float32
		c20, c21, c22, c23 float32
		c30, c31, c32, c33 float32
	)
	a = a[:4*k]
	for p := 0; p < k; p++ {
		a4, b4 := a[4*p:4*p+4:4*p+4], b[p*ldb:p*ldb+4:p*ldb+4]
		a0, a1, a2, a3 := a4[0], a4[1], a4[2], a4[3]
		b0, b1, b2, b3 := b4[0], b4[1], b4[2], b4[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	storeRow4(c[0:4:4], alpha, beta, c00, c01, c02, c03)
	storeRow4(c[ldc:ldc+4:ldc+4], alpha, beta, c10, c11, c12, c13)
	storeRow4(c[2*ldc:2*ldc+4:2*ldc+4], alpha, beta, c20, c21, c22, c23)
	storeRow4(c[3*ldc:3*ldc+4:3*ldc+4], alpha, beta, c30, c31, c32, c33)
}

// storeRow4 sets row = alpha·s + beta·row, not reading row when beta is 0.
func storeRow4(row []float32, alpha, beta, s0, s1, s2, s3 float32) {
	row = row[:4]
	if beta == 0 {
		row[0], row[1], row[2], row[3] = alpha*s0, alpha*s1, alpha*s2, alpha*s3
		return
	}
	row[0] = alpha*s0 + beta*row[0]
	row[1] = alpha*s1 + beta*row[1]
	row[2] = alpha*s2 + beta*row[2]
	row[3] = alpha*s3 + beta*row[3]
}

// dotGeneric returns Σ x[i]·y[i] over len(x) elements, in four independent
// sums so consecutive additions do not wait on each other.
func dotGeneric(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// maxGeneric returns the largest element of the non-empty x, skipping a
// NaN unless it comes first.
func maxGeneric(x []float32) float32 {
	m := x[0]
	for _, v := range x[1:] {
		if v > m {
			m = v
		}
	}
	return m
}

// scaleGeneric sets x[i] *= alpha.
func scaleGeneric(alpha float32, x []float32) {
	for i := range x {
		x[i] *= alpha
	}
}

// biasReLUGeneric sets c[i] = max(c[i]+bias[i], 0) over len(bias) elements.
func biasReLUGeneric(bias, c []float32) {
	c = c[:len(bias)]
	for j, b := range bias {
		c[j] = max(c[j]+b, 0)
	}
}

// axpyGeneric sets y[i] += alpha·x[i] over len(x) elements.
func axpyGeneric(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}
