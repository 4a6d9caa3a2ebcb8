package nn

import (
	"math/rand/v2"

	"github.com/nnrt/nn/simd"
)

// layer is one stage of a Network: dense (fully connected) or dropout.
// Fields are plain values so the model file can write and rebuild them.
type layer struct {
	kind    LayerKind
	in, out int        // widths; equal for dropout
	act     Activation // dense only
	alpha   float32    // leaky ReLU slope
	rate    float32    // dropout rate
	l1, l2  float32    // penalties on w
	init    Initializer

	// w is in×out row-major (so a batch forward is X·W) and b has out
	// values; both are windows of Network.params starting at off.
	w, b []float32
	off  int
}

// Shapes in this file: a batch has r rows; x is r×in, z and a are r×out.

// forward computes z = x·W + b and a = act(z) for r rows. a may alias z.
func (l *layer) forward(a, z, x []float32, r int) {
	simd.Gemm(false, false, r, l.out, l.in, 1, x, l.in, l.w, l.out, 0, z, l.out)
	simd.AddBias(r, l.out, l.b, z, l.out)
	activate(l.act, l.alpha, a, z, l.out)
}

// backward takes dz = ∂L/∂z for r rows and the layer input x, and writes
// the weight and bias gradients gw (in×out) and gb (out). If dx is not nil
// it also writes ∂L/∂x = dz·Wᵀ into it.
func (l *layer) backward(dx, gw, gb, dz, x []float32, r int) {
	simd.Gemm(true, false, l.in, l.out, r, 1, x, l.in, dz, l.out, 0, gw, l.out)
	clear(gb)
	simd.SumRows(r, l.out, dz, l.out, gb)
	if dx != nil {
		simd.Gemm(false, true, r, l.in, l.out, 1, dz, l.out, l.w, l.out, 0, dx, l.in)
	}
}

// dropoutMask fills mask with 0 (dropped, probability rate) or exactly
// 1/(1−rate) (kept), drawing from src. A draw is the top 24 bits of a raw
// 64-bit value, so masks do not depend on how a Go release makes floats.
func dropoutMask(mask []float32, rate float32, src *rand.PCG) {
	keep := 1 / (1 - rate)
	for j := range mask {
		if float32(src.Uint64()>>40)*0x1p-24 < rate {
			mask[j] = 0
		} else {
			mask[j] = keep
		}
	}
}

// scale writes dst[j] = x[j]·mask[j].
func scale(dst, x, mask []float32) {
	for j, m := range mask {
		dst[j] = x[j] * m
	}
}
