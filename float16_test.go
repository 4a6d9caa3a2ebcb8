package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestFloat16Known(t *testing.T) {
	cases := []struct {
		f float32
		h uint16
	}{
		{0, 0x0000},
		{float32(math.Copysign(0, -1)), 0x8000},
		{1, 0x3c00},
		{-2, 0xc000},
		{0.5, 0x3800},
		{1.5, 0x3e00},
		{65504, 0x7bff},
		{65520, 0x7c00}, // halfway to the next power: rounds to even, which is infinity
		{65519, 0x7bff},
		{1e9, 0x7c00},
		{-1e9, 0xfc00},
		{6.103515625e-05, 0x0400},        // smallest normal
		{5.960464477539063e-08, 0x0001},  // smallest subnormal
		{2.9802322387695312e-08, 0x0000}, // half of it: tie to even zero
		{2.9802326e-08, 0x0001},          // just above the tie
		{float32(math.Inf(1)), 0x7c00},
		{float32(math.Inf(-1)), 0xfc00},
		{1 + 1.0/2048, 0x3c00}, // tie between 1 and 1+2^-10: even
		{1 + 3.0/2048, 0x3c02}, // tie between 1+2^-10 and 1+2^-9: even
		{0.1, 0x2e66},
		{float32(math.Float32frombits(1)), 0}, // float32 subnormal
	}
	for _, c := range cases {
		if got := f32ToF16(c.f); got != c.h {
			t.Errorf("f32ToF16(%g) = %#04x, want %#04x", c.f, got, c.h)
		}
	}
	if h := f32ToF16(float32(math.NaN())); h&0x7c00 != 0x7c00 || h&0x3ff == 0 {
		t.Errorf("f32ToF16(NaN) = %#04x, not a NaN", h)
	}
}

// Every half widens to a float32 that narrows back to the same half.
func TestFloat16RoundTripAll(t *testing.T) {
	for i := 0; i < 1<<16; i++ {
		h := uint16(i)
		f := f16ToF32(h)
		if h&0x7c00 == 0x7c00 && h&0x3ff != 0 {
			if !math.IsNaN(float64(f)) {
				t.Fatalf("f16ToF32(%#04x) = %g, want NaN", h, f)
			}
			continue
		}
		if back := f32ToF16(f); back != h {
			t.Fatalf("f32ToF16(f16ToF32(%#04x) = %g) = %#04x", h, f, back)
		}
	}
}

// The narrowed value is the nearest half, ties to the even one, checked
// against the neighbours in float64.
func TestFloat16Nearest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		f := math.Float32frombits(rng.Uint32())
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) || math.Abs(float64(f)) > 65504 {
			continue
		}
		h := f32ToF16(f)
		got := float64(f16ToF32(h))
		d := math.Abs(got - float64(f))
		for _, n := range []uint16{h - 1, h + 1, h ^ 0x8000} {
			if n&0x7c00 == 0x7c00 {
				continue
			}
			dn := math.Abs(float64(f16ToF32(n)) - float64(f))
			if dn < d || dn == d && n&1 == 0 && h&1 == 1 && n&0x7fff != 0 {
				t.Fatalf("f32ToF16(%g) = %#04x (%g), but %#04x (%g) is nearer or even", f, h, got, n, f16ToF32(n))
			}
		}
	}
}
