//go:build js && wasm

package simd

import (
	"syscall/js"
	"unsafe"
)

// Go emits no SIMD instructions for WebAssembly. A host that can run wasm
// SIMD may put, under the global name hostKernels and before the program
// starts, the exports of a kernel module that works on this program's own
// memory (nn.mjs does so with wasm/kernels/gemv.wat). The portable kernel
// then sends its matrix-vector products and whole products with alpha 1 and
// beta 0 there; without one, or outside a host that offers it (go test
// under Node), everything stays in Go.
const hostKernels = "nnSIMDKernels"

func init() {
	k := js.Global().Get(hostKernels)
	if k.Type() != js.TypeObject {
		return
	}
	gemv := k.Get("gemv")
	if gemv.Type() != js.TypeFunction {
		return
	}
	genericKernel.gemvN = func(k, n int, x, b []float32, ldb int, y []float32) int {
		if k > 0 && n > 0 {
			// the module checks no bounds: make out-of-range slices fail here
			_, _, _ = x[k-1], b[(k-1)*ldb+n-1], y[n-1]
		}
		gemv.Invoke(k, n, address(x), address(b), ldb, address(y))
		return n
	}
	genericKernel.gemvWide, genericKernel.gemvVec = 16, 16

	xn, nt := k.Get("gemm_xn"), k.Get("gemm_nt")
	if xn.Type() != js.TypeFunction || nt.Type() != js.TypeFunction {
		return
	}
	genericKernel.whole = func(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) bool {
		// Gemm has checked the slices against the shapes already
		switch {
		case transA && transB:
			return false
		case transB:
			nt.Invoke(m, n, k, address(a), lda, address(b), ldb, address(c), ldc)
		case n < 16:
			return false
		case transA:
			xn.Invoke(m, n, k, address(a), 1, lda, address(b), ldb, address(c), ldc)
		default:
			xn.Invoke(m, n, k, address(a), lda, 1, address(b), ldb, address(c), ldc)
		}
		return true
	}
}

// address is the byte offset of s's first element in the WebAssembly memory.
// The Go collector does not move heap objects, and s stays live for the call.
func address(s []float32) int {
	return int(uintptr(unsafe.Pointer(unsafe.SliceData(s))))
}
