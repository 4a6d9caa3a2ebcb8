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
// BUG(nn): Go's WebAssembly target emits no SIMD instructions (Go 1.26), so
// the matrix products run in a small WebAssembly SIMD module
// (wasm/kernels) that nn.mjs loads beside the program and package simd
// calls. In an engine without WebAssembly SIMD, or with init's simd option
// off, they run the scalar Go kernels, about four times slower.
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
