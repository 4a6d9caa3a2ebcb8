package nn

import "math"

// IEEE 754 binary16 ("half precision") conversions for the Float16 model
// encoding. A half has 1 sign bit, 5 exponent bits (bias 15) and 10 fraction
// bits; it holds normal values up to 65504 and subnormals down to 2^-24.

// f32ToF16 rounds f to the nearest half, ties to even. Values beyond the
// half range become infinities; NaN stays NaN (quiet, sign kept).
func f32ToF16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23) & 0xff
	man := b & 0x7fffff

	// infinities and NaN keep their kind
	if exp == 0xff {
		if man != 0 {
			return sign | 0x7e00
		}
		return sign | 0x7c00
	}

	// e is the biased half exponent; at 31 and above the value overflows
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}

	// subnormal half: the value is m·2^-24 with m = (1.man)·2^(e-1) shifted
	// right by 14-e; below e = -10 it is less than half the smallest
	// subnormal and rounds to zero
	if e <= 0 {
		if e < -10 {
			return sign
		}
		m := man | 0x800000
		shift := uint(14 - e)
		r := m >> shift
		rem := m & (1<<shift - 1)
		half := uint32(1) << (shift - 1)
		if rem > half || rem == half && r&1 == 1 {
			r++
		}
		return sign | uint16(r)
	}

	// normal half: drop 13 fraction bits; a carry out of the fraction
	// raises the exponent, and out of the largest exponent gives infinity
	r := uint32(e)<<10 | man>>13
	rem := man & 0x1fff
	if rem > 0x1000 || rem == 0x1000 && r&1 == 1 {
		r++
	}
	return sign | uint16(r)
}

// f16ToF32 widens a half to float32 exactly.
func f16ToF32(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	man := uint32(h & 0x3ff)
	switch exp {
	case 0:
		// zero or subnormal: man·2^-24, exact in float32
		f := float32(man) * (1.0 / (1 << 24))
		return math.Float32frombits(math.Float32bits(f) | sign)
	case 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | man<<13)
	}
	return math.Float32frombits(sign | (exp+112)<<23 | man<<13)
}
