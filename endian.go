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

// finite32 reports whether every little-endian float32 in p (len(p) a
// multiple of 4) is finite. Masking the exponent and adding one to it
// carries into the lane's top bit exactly when the exponent is all ones,
// so two values are checked per 64-bit word without a branch.
func finite32(p []byte) bool {
	const exp, one = 0x7f800000_7f800000, 0x00800000_00800000
	var acc uint64
	i := 0
	for ; i+8 <= len(p); i += 8 {
		acc |= binary.LittleEndian.Uint64(p[i:])&exp + one
	}
	if i < len(p) {
		acc |= uint64(binary.LittleEndian.Uint32(p[i:])&0x7f800000 + 0x00800000)
	}
	return acc&0x80000000_80000000 == 0
}

// finite16 is finite32 for little-endian halves, four per word (len(p) a
// multiple of 2).
func finite16(p []byte) bool {
	const exp, one = 0x7c00_7c00_7c00_7c00, 0x0400_0400_0400_0400
	var acc uint64
	i := 0
	for ; i+8 <= len(p); i += 8 {
		acc |= binary.LittleEndian.Uint64(p[i:])&exp + one
	}
	for ; i < len(p); i += 2 {
		acc |= uint64(binary.LittleEndian.Uint16(p[i:])&0x7c00 + 0x0400)
	}
	return acc&0x8000_8000_8000_8000 == 0
}
