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
