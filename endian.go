package nn

import (
	"encoding/binary"
	"math"
	"unsafe"
)

// littleEndianHost is true where float32 memory already has the file's
// byte order, so decoding is a plain copy. Tests turn it off to check the
// portable path.
var littleEndianHost = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// decodeF32 sets v[i] to the little-endian float32 at p[4i:]; len(p) is
// 4·len(v).
func decodeF32(v []float32, p []byte) {
	if littleEndianHost && len(v) > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 4*len(v)), p)
		return
	}
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(p[4*i:]))
	}
}

// finite32 reports whether every little-endian float32 in p is finite.
func finite32(p []byte) bool { return allFinite(p, 0x7f800000_7f800000, 0x00800000_00800000) }

// finite16 reports whether every little-endian half in p is finite.
func finite16(p []byte) bool { return allFinite(p, 0x7c00_7c00_7c00_7c00, 0x0400_0400_0400_0400) }

// allFinite checks the floating-point lanes of little-endian 64-bit words:
// exp masks each lane's exponent and one is its lowest bit. Adding one to a
// masked exponent carries into the lane's top bit, exp+one, exactly when
// the exponent is all ones (infinity or NaN), so whole words are checked
// without a branch. A short tail is padded with zeros, which are finite.
func allFinite(p []byte, exp, one uint64) bool {
	var acc, acc1, acc2, acc3 uint64
	i := 0
	for ; i+32 <= len(p); i += 32 {
		q := p[i : i+32 : i+32]
		acc |= binary.LittleEndian.Uint64(q)&exp + one
		acc1 |= binary.LittleEndian.Uint64(q[8:])&exp + one
		acc2 |= binary.LittleEndian.Uint64(q[16:])&exp + one
		acc3 |= binary.LittleEndian.Uint64(q[24:])&exp + one
	}
	acc |= acc1 | acc2 | acc3
	for ; i+8 <= len(p); i += 8 {
		acc |= binary.LittleEndian.Uint64(p[i:])&exp + one
	}
	var tail [8]byte
	copy(tail[:], p[i:])
	acc |= binary.LittleEndian.Uint64(tail[:])&exp + one
	return acc&(exp+one) == 0
}
