//go:build wasm || 386 || arm || mips || mipsle

package nn

// maxParams bounds the weights and biases of one network where memory is a
// 32-bit address space (WebAssembly and 32-bit processors): 256 MiB of
// float32, so that the network, its gradient, the optimiser's two moments
// and a model file fit in it together. Above that the Go runtime stops the
// whole program with "out of memory" instead of returning an error.
//
// TODO(nn): the bound is per network; many large networks in one
// WebAssembly instance can still exhaust its memory together.
const maxParams = 1 << 26
