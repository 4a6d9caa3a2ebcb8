package nn

import (
	"encoding/binary"
	"math"
	"testing"
)

// The portable decoder, used on big-endian hosts, agrees with the copy.
func TestDecodeF32Portable(t *testing.T) {
	p := make([]byte, 4*5)
	want := []float32{1.5, -2, 0, float32(math.SmallestNonzeroFloat32), -math.MaxFloat32}
	for i, v := range want {
		binary.LittleEndian.PutUint32(p[4*i:], math.Float32bits(v))
	}
	for _, host := range []bool{true, false} {
		if host && !littleEndianHost {
			continue
		}
		saved := littleEndianHost
		littleEndianHost = host
		got := make([]float32, len(want))
		decodeF32(got, p)
		littleEndianHost = saved
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Errorf("little-endian host %v: value %d = %v, want %v", host, i, got[i], want[i])
			}
		}
	}
}
