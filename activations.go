package nn

import (
	"fmt"
	"math"
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

// sigmoid is the logistic function computed so that no finite input gives
// NaN: large negative inputs give exactly 0 and large positive ones exactly 1.
func sigmoid(z float32) float32 {
	x := float64(z)
	if x >= 0 {
		return float32(1 / (1 + math.Exp(-x)))
	}
	e := math.Exp(x)
	return float32(e / (1 + e))
}

// softmaxRow writes the softmax of z to a (a and z may be the same slice).
// Subtracting the maximum keeps every exponent ≤ 0, so there is no
// overflow, and the result sums to 1 up to rounding.
func softmaxRow(a, z []float32) {
	m := z[0]
	for _, v := range z[1:] {
		if v > m {
			m = v
		}
	}
	var s float64
	for j, v := range z {
		e := math.Exp(float64(v - m))
		a[j] = float32(e)
		s += e
	}
	inv := 1 / s
	for j := range a {
		a[j] = float32(float64(a[j]) * inv)
	}
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
			a[j] = float32(math.Tanh(float64(v)))
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
		for j, v := range z {
			g := d[j]
			if v <= 0 {
				g = 0
			}
			dz[j] = g
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
			var s float32
			for j, y := range ar {
				s += dr[j] * y
			}
			for j, y := range ar {
				dz[i+j] = y * (dr[j] - s)
			}
		}
	}
}
