package simd

import "math"

// finiteWide, where set, reports whether every element of x is finite;
// len(x) is a multiple of 32.
var finiteWide func(x []float32) bool

// Finite reports whether every element of x is finite, neither ±Inf nor
// NaN.
func Finite(x []float32) bool {
	n := 0
	if finiteWide != nil && current().level != Generic {
		n = len(x) &^ 31
		if n > 0 && !finiteWide(x[:n]) {
			return false
		}
	}
	for _, v := range x[n:] {
		// the exponent is all ones exactly for ±Inf and NaN
		if math.Float32bits(v)&0x7f800000 == 0x7f800000 {
			return false
		}
	}
	return true
}
