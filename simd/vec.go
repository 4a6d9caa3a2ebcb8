package simd

// Dot returns the sum of x[i]·y[i] over the elements of x. It panics if y
// is shorter than x.
func Dot(x, y []float32) float32 {
	if len(y) < len(x) {
		panic("simd: Dot: y shorter than x")
	}
	return current().dot(x, y[:len(x)])
}

// Axpy sets y[i] += alpha·x[i] for every element of x, the update step of
// the optimisers. It panics if y is shorter than x.
func Axpy(alpha float32, x, y []float32) {
	if len(y) < len(x) {
		panic("simd: Axpy: y shorter than x")
	}
	current().axpy(alpha, x, y[:len(x)])
}

// Scale sets x[i] *= alpha for every element of x.
func Scale(alpha float32, x []float32) {
	current().scale(alpha, x)
}

// AddBias adds bias[j] to column j of the m×n matrix C with row stride ldc:
// the bias pass of a dense layer after its GEMM. It panics if bias has fewer
// than n elements or C is too short.
func AddBias(m, n int, bias []float32, c []float32, ldc int) {
	checkRows("AddBias", m, n, bias, c, ldc)
	axpy := current().axpy
	for i := 0; i < m; i++ {
		axpy(1, bias[:n], c[i*ldc:i*ldc+n])
	}
}

// AddBiasReLU sets C[i*ldc+j] = max(C[i*ldc+j]+bias[j], 0) on the m×n
// matrix C, the bias and activation passes of a ReLU layer in one sweep.
// NaN stays NaN. It panics as AddBias does.
func AddBiasReLU(m, n int, bias []float32, c []float32, ldc int) {
	checkRows("AddBiasReLU", m, n, bias, c, ldc)
	biasReLU := current().biasReLU
	for i := 0; i < m; i++ {
		biasReLU(bias[:n], c[i*ldc:i*ldc+n])
	}
}

// ReLU sets x[i] = max(x[i], 0). NaN stays NaN.
func ReLU(x []float32) {
	for i, v := range x {
		x[i] = max(v, 0)
	}
}

// SumRows adds the rows of the m×n matrix C to dst: dst[j] += Σ_i
// C[i*ldc+j], the bias gradient of a dense layer. It panics if dst has fewer
// than n elements or C is too short.
func SumRows(m, n int, c []float32, ldc int, dst []float32) {
	checkRows("SumRows", m, n, dst, c, ldc)
	axpy := current().axpy
	for i := 0; i < m; i++ {
		axpy(1, c[i*ldc:i*ldc+n], dst[:n])
	}
}

// checkRows panics unless v holds n elements and c an m×n matrix with row
// stride ldc.
func checkRows(fn string, m, n int, v, c []float32, ldc int) {
	if m < 0 || n < 0 {
		panic("simd: " + fn + ": negative dimension")
	}
	if len(v) < n {
		panic("simd: " + fn + ": vector shorter than a row")
	}
	checkMatrix("C", m, n, c, ldc)
}
