package nn

import (
	"fmt"
	"math"

	"github.com/nnrt/nn/simd"
)

// Activation is the function a dense layer applies to each output.
type Activation uint8

// The activations. Values are stored in model files; do not reorder.
const (
	Identity  Activation = iota // f(z) = z
	Step                        // 1 if z >= 0, else 0; zero gradient
	Sign                        // +1 if z >= 0, else -1; zero gradient
	Sigmoid                     // 1/(1+e^-z), exactly 0 or 1 when saturated
	Tanh                        // hyperbolic tangent
	ReLU                        // max(0, z)
	LeakyReLU                   // z if z > 0, else alpha·z
	Softmax                     // e^z_i / Σ e^z_j over the row
)

var activationNames = [...]string{"identity", "step", "sign", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"}

// String returns the lower-case name of a.
func (a Activation) String() string {
	if int(a) < len(activationNames) {
		return activationNames[a]
	}
	return fmt.Sprintf("activation(%d)", uint8(a))
}

func (a Activation) valid() bool { return int(a) < len(activationNames) }

// exp32 returns e^x in float32 to within about one unit in the last place.
// Below −104 the result is exactly 0 and above 88.73 it is +Inf, so
// saturated sigmoids and softmaxes give exact limits. The method is the
// classic one: x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 polynomial for
// e^r, then a scaling by 2^n through the exponent bits.
func exp32(x float32) float32 {
	switch {
	case x > 88.73:
		return float32(math.Inf(1))
	case x < -104:
		return 0
	case x != x:
		return x
	}
	const (
		log2e = 1.44269504088896341
		ln2hi = 0.693359375
		ln2lo = -2.12194440e-4
	)
	t := x*log2e + 0.5
	n := int32(t)
	if float32(n) > t {
		n-- // int32 truncates toward zero; we want the floor
	}
	fn := float32(n)
	r := x - fn*ln2hi - fn*ln2lo
	p := ((((((1.9875691500e-4*r+1.3981999507e-3)*r+8.3334519073e-3)*r+
		4.1665795894e-2)*r+1.6666665459e-1)*r+5.0000001201e-1)*r*r + r + 1)

	// Scale by 2^n in two steps when 2^n alone is not a normal float32.
	switch {
	case n > 127:
		return p * 0x1p127 * math.Float32frombits(uint32(n)<<23) // 2^(n−127)
	case n < -126:
		return p * 0x1p-126 * math.Float32frombits(uint32(n+126+127)<<23)
	}
	return p * math.Float32frombits(uint32(n+127)<<23)
}

// sigmoid is the logistic function computed so that no finite input gives
// NaN: large negative inputs give exactly 0 and large positive ones exactly 1.
func sigmoid(z float32) float32 {
	if z >= 0 {
		return 1 / (1 + exp32(-z))
	}
	e := exp32(z)
	return e / (1 + e)
}

// tanh32 is the hyperbolic tangent in float32: a polynomial near 0, where
// 1 − 2/(e^2x + 1) would cancel, and exactly ±1 beyond |x| = 9.1.
func tanh32(x float32) float32 {
	a := x
	if a < 0 {
		a = -a
	}
	switch {
	case a > 9.1:
		a = 1
	case a >= 0.625:
		a = 1 - 2/(exp32(2*a)+1)
	default:
		z := x * x
		return ((((-5.70498872745e-3*z+2.06390887954e-2)*z-5.37397155531e-2)*z+
			1.33314422036e-1)*z-3.33332819422e-1)*z*x + x
	}
	if x < 0 {
		return -a
	}
	return a
}

// softmaxRow writes the softmax of z to a (a and z may be the same slice).
// Subtracting the maximum keeps every exponent ≤ 0, so there is no
// overflow, and the result sums to 1 up to rounding.
func softmaxRow(a, z []float32) {
	simd.Softmax(a, z)
}

// activate applies act to the rows×cols pre-activations z, writing a (which
// may alias z).
func activate(act Activation, alpha float32, a, z []float32, cols int) {
	switch act {
	case Identity:
		copy(a, z)
	case Step:
		for j, v := range z {
			a[j] = 0
			if v >= 0 {
				a[j] = 1
			}
		}
	case Sign:
		for j, v := range z {
			a[j] = -1
			if v >= 0 {
				a[j] = 1
			}
		}
	case Sigmoid:
		for j, v := range z {
			a[j] = sigmoid(v)
		}
	case Tanh:
		for j, v := range z {
			a[j] = tanh32(v)
		}
	case ReLU:
		for j, v := range z {
			a[j] = max(v, 0)
		}
	case LeakyReLU:
		for j, v := range z {
			if v <= 0 {
				v *= alpha
			}
			a[j] = v
		}
	case Softmax:
		for i := 0; i+cols <= len(z); i += cols {
			softmaxRow(a[i:i+cols], z[i:i+cols])
		}
	}
}

// activationGrad turns d = ∂L/∂a into dz = ∂L/∂z for rows×cols values, given
// the pre-activations z and outputs a. dz may alias z or d, but not a.
func activationGrad(act Activation, alpha float32, dz, z, a, d []float32, cols int) {
	switch act {
	case Identity:
		copy(dz, d)
	case Step, Sign:
		clear(dz)
	case Sigmoid:
		for j, y := range a {
			dz[j] = d[j] * y * (1 - y)
		}
	case Tanh:
		for j, y := range a {
			dz[j] = d[j] * (1 - y*y)
		}
	case ReLU:
		// Without a branch, which the signs of z would mispredict half the
		// time: the mask is all ones unless z ≤ 0 (+0, or the sign bit set),
		// when it clears the gradient to +0.
		d = d[:len(z)]
		for j, v := range z {
			off := uint32((int64(int32(math.Float32bits(v))) - 1) >> 63)
			dz[j] = math.Float32frombits(math.Float32bits(d[j]) &^ off)
		}
	case LeakyReLU:
		for j, v := range z {
			g := d[j]
			if v <= 0 {
				g *= alpha
			}
			dz[j] = g
		}
	case Softmax:
		// dz_i = a_i·(d_i − Σ_j d_j·a_j), the Jacobian-vector product.
		for i := 0; i+cols <= len(a); i += cols {
			ar, dr := a[i:i+cols], d[i:i+cols]
			s := simd.Dot(dr, ar)
			for j, y := range ar {
				dz[i+j] = y * (dr[j] - s)
			}
		}
	}
}
