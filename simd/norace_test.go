//go:build !race

package simd

// racing is set under the race detector, whose instrumentation allocates.
const racing = false
