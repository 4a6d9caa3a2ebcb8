//go:build js && wasm

// Command nnwasm is nn compiled for JavaScript engines. It is not run
// directly: the ES module nn.mjs instantiates it and wraps the functions it
// exports in a promise-based API with typed arrays.
//
// Start-up protocol: nn.mjs puts a callback on globalThis under a fresh name
// and passes that name as the program's first argument. main hands the
// callback an object holding the exported functions and then waits for calls
// for as long as the page or process lives.
//
// BUG(nn): Go's WebAssembly target emits no SIMD instructions (Go 1.26).
// Single-sample prediction gets around it through the WebAssembly SIMD
// kernel of wasm/kernels, which nn.mjs loads; batched products (training,
// batch prediction) still run the scalar Go kernels, so on a 361-256-361
// network wasm/bench measures training between about 0.4 and 1.2 times the
// samples per second of TensorFlow.js's wasm backend, depending on the load
// of the machine. A SIMD matrix-matrix kernel in the same module is the next
// step.
package main

import (
	"os"
	"syscall/js"
)

func main() {
	if len(os.Args) < 2 {
		os.Stderr.WriteString("nnwasm: start it through nn.mjs, which passes the name of its ready callback\n")
		os.Exit(2)
	}
	ready := js.Global().Get(os.Args[1])
	if ready.Type() != js.TypeFunction {
		os.Stderr.WriteString("nnwasm: globalThis." + os.Args[1] + " is not a function\n")
		os.Exit(2)
	}
	obj := jsObject.New()
	for name, h := range exports {
		obj.Set(name, export(name, h))
	}
	ready.Invoke(obj)
	select {}
}
