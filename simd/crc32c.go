package simd

import "hash/crc32"

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// crcFold, where set, returns a 16-byte block whose CRC-32C continued from
// state zero is that of p continued from state (the complement of a
// crc32 value); len(p) is at least crcFoldMin and a multiple of 64.
var crcFold func(state uint32, p []byte) (lo, hi uint64)

// crcFoldMin is the shortest input worth folding.
const crcFoldMin = 256

// CRC32C returns the CRC-32C (Castagnoli) of p continued from crc, the same
// value as crc32.Update(crc, crc32.MakeTable(crc32.Castagnoli), p). Where
// the CPU can multiply carry-less across 512-bit registers, long inputs run
// at memory speed rather than at the 8 bytes per cycle of the CRC32
// instruction that hash/crc32 uses.
func CRC32C(crc uint32, p []byte) uint32 {
	if len(p) < crcFoldMin || crcFold == nil || current().level != AVX512 {
		return crc32.Update(crc, castagnoli, p)
	}
	n := len(p) &^ 63
	lo, hi := crcFold(^crc, p[:n])
	// the folded block is summed from state zero, a byte at a time (a
	// slice of a local array would escape into hash/crc32)
	state := uint32(0)
	for _, w := range [2]uint64{lo, hi} {
		for range 8 {
			state = castagnoli[byte(state)^byte(w)] ^ state>>8
			w >>= 8
		}
	}
	return crc32.Update(^state, castagnoli, p[n:])
}
