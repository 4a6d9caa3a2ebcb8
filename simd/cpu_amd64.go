//go:build !purego

package simd

// cpuid executes CPUID with EAX = leaf and ECX = sub.
//
//go:noescape
func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// xgetbv0 reads XCR0, the register of CPU state the OS saves on a switch.
//
//go:noescape
func xgetbv0() (eax, edx uint32)

// x86Features reports whether the CPU and the OS support AVX2 with FMA, and
// AVX-512F. The OS part matters: a CPU may have the instructions while the
// kernel does not save their registers, and then they must not be used.
func x86Features() (avx2, avx512 bool) {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false, false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const (
		fma     = 1 << 12
		osxsave = 1 << 27
		avx     = 1 << 28
	)
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false, false
	}

	// XCR0: bits 1-2 are the SSE and AVX registers, 5-7 the AVX-512 mask
	// registers and the upper halves of ZMM0-15 and all of ZMM16-31
	xcr0, _ := xgetbv0()
	osAVX := xcr0&0x6 == 0x6
	osAVX512 := osAVX && xcr0&0xe0 == 0xe0

	_, ebx7, _, _ := cpuid(7, 0)
	const (
		avx2Bit    = 1 << 5
		avx512fBit = 1 << 16
	)
	avx2 = osAVX && ebx7&avx2Bit != 0
	avx512 = avx2 && osAVX512 && ebx7&avx512fBit != 0
	return avx2, avx512
}
