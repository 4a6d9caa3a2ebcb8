//go:build !(wasm || 386 || arm || mips || mipsle)

package nn

// maxParams bounds the weights and biases of one network: 4 GiB of
// float32, and training holds up to four more vectors of that size.
const maxParams = 1 << 30

// reserve checks that bytes more memory may be allocated for what. With a
// 64-bit address space the operating system decides; it always may.
func reserve(string, int64) error { return nil }
