package nn

import (
	"encoding/binary"
	"math"
	"testing"
)

func TestFiniteChecks(t *testing.T) {
	specials := []float32{float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	for n := 0; n <= 20; n++ {
		for bad := -1; bad < n; bad++ {
			for _, s := range specials {
				p32 := make([]byte, 4*n)
				p16 := make([]byte, 2*n)
				for i := range n {
					v := float32(i) - 3.5
					if i == bad {
						v = s
					}
					binary.LittleEndian.PutUint32(p32[4*i:], math.Float32bits(v))
					binary.LittleEndian.PutUint16(p16[2*i:], f32ToF16(v))
				}
				want := bad < 0
				if got := finite32(p32); got != want {
					t.Errorf("finite32 of %d values, bad at %d (%v) = %v", n, bad, s, got)
				}
				if got := finite16(p16); got != want {
					t.Errorf("finite16 of %d values, bad at %d (%v) = %v", n, bad, s, got)
				}
			}
		}
	}
	// the largest finite values and the most negative finite exponent pass
	if !finite32(binary.LittleEndian.AppendUint32(nil, math.Float32bits(-math.MaxFloat32))) || !finite16([]byte{0xff, 0x7b, 0xff, 0xfb}) {
		t.Error("largest finite values rejected")
	}
}

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
