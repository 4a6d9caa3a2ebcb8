//go:build !purego

package simd

func init() {
	// CPUID.(EAX=7,ECX=0):ECX bit 10; AVX-512F and the OS support for its
	// registers are what the AVX512 level already requires
	if _, avx512 := x86Features(); avx512 {
		if _, _, ecx7, _ := cpuid(7, 0); ecx7&(1<<10) != 0 {
			crcFold = crcFoldAVX512
		}
	}
}

//go:noescape
func crcFoldAVX512(state uint32, p []byte) (lo, hi uint64)
