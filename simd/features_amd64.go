//go:build !purego

package simd

// The kernels below sit outside the levels' tables: Finite and CRC32C use
// them at any level but Generic (CRC32C only at AVX512), when the CPU has
// the instructions.
func init() {
	avx2, avx512 := x86Features()
	if avx2 {
		finiteWide = finiteAVX2
	}
	// VPCLMULQDQ is CPUID.(EAX=7,ECX=0):ECX bit 10
	if _, _, ecx7, _ := cpuid(7, 0); avx512 && ecx7&(1<<10) != 0 {
		crcFold = crcFoldAVX512
	}
}

//go:noescape
func crcFoldAVX512(state uint32, p []byte) (lo, hi uint64)

//go:noescape
func finiteAVX2(x []float32) bool
