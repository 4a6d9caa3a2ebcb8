//go:build wasm || 386 || arm || mips || mipsle

package nn

import (
	"runtime"
	"runtime/metrics"
)

// maxParams bounds the weights and biases of one network where memory is a
// 32-bit address space (WebAssembly and 32-bit processors): 256 MiB of
// float32, so that the network, its gradient, the optimiser's two moments
// and a model file fit in it together. Above that the Go runtime stops the
// whole program with "out of memory" instead of returning an error.
const maxParams = 1 << 26

// heapBudget bounds the live heap after an allocation: the collector lets
// the heap grow to about twice the live data before it runs, and all of it
// must stay within the 4 GiB address space.
const heapBudget = 1536 << 20

// reserve checks that bytes more memory may be allocated for what without
// the live heap passing heapBudget, collecting garbage (networks no longer
// used) once before it refuses. Many networks alive at once in one
// WebAssembly instance get an error here instead of stopping it.
func reserve(what string, bytes int64) error {
	if liveHeap()+bytes <= heapBudget {
		return nil
	}
	runtime.GC()
	if live := liveHeap(); live+bytes > heapBudget {
		return errorf(ErrConfig, "%s needs %d MiB, but %d MiB of the %d MiB this platform allows are in use: release networks no longer needed",
			what, bytes>>20, live>>20, heapBudget>>20)
	}
	return nil
}

// liveHeap returns the bytes of heap objects, live or not yet swept.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}
