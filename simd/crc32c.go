package simd

import (
	"encoding/binary"
	"hash/crc32"
)

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
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], lo)
	binary.LittleEndian.PutUint64(b[8:], hi)
	// the folded block continues from state zero, which is crc ^uint32(0)
	return crc32.Update(crc32.Update(^uint32(0), castagnoli, b[:]), castagnoli, p[n:])
}
