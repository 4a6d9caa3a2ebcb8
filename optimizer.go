package nn

import (
	"fmt"
	"math"

	"github.com/nnrt/nn/simd"
)

// OptKind selects an optimisation algorithm.
type OptKind uint8

// The optimisers. The zero value means "not set" and selects Adam(0.001) in
// [TrainConfig]. Values are stored in model files; do not reorder.
const (
	OptSGD OptKind = iota + 1
	OptMomentum
	OptNesterov
	OptAdam
	OptRMSProp
)

// Optimizer is a value describing how gradients update the weights. Build
// it with [SGD], [Momentum], [Nesterov], [Adam] or [RMSProp]; fields may be
// changed afterwards. Its state (moments and step count) lives in the
// [Network], so training resumes where it stopped.
type Optimizer struct {
	Kind  OptKind
	LR    float32 // learning rate
	Mu    float32 // momentum coefficient (Momentum, Nesterov)
	Beta1 float32 // first-moment decay (Adam)
	Beta2 float32 // second-moment decay (Adam)
	Rho   float32 // mean-square decay (RMSProp)
	Eps   float32 // added to the root mean square (Adam, RMSProp)
}

// SGD is plain gradient descent: w −= lr·g.
func SGD(lr float32) Optimizer { return Optimizer{Kind: OptSGD, LR: lr} }

// Momentum is gradient descent with velocity: v = mu·v − lr·g; w += v.
func Momentum(lr, mu float32) Optimizer { return Optimizer{Kind: OptMomentum, LR: lr, Mu: mu} }

// Nesterov is momentum with a look-ahead: v = mu·v − lr·g; w += mu·v − lr·g.
func Nesterov(lr, mu float32) Optimizer { return Optimizer{Kind: OptNesterov, LR: lr, Mu: mu} }

// Adam is Adam with bias correction (beta1 0.9, beta2 0.999, eps 1e-7).
func Adam(lr float32) Optimizer {
	return Optimizer{Kind: OptAdam, LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-7}
}

// RMSProp divides the gradient by a running root mean square (rho 0.9,
// eps 1e-7).
func RMSProp(lr float32) Optimizer { return Optimizer{Kind: OptRMSProp, LR: lr, Rho: 0.9, Eps: 1e-7} }

// validate reports settings that cannot train.
func (o Optimizer) validate() error {
	in01 := func(v float32) bool { return v >= 0 && v < 1 }
	switch {
	case o.Kind < OptSGD || o.Kind > OptRMSProp:
		return errorf(ErrConfig, "unknown optimizer kind %d", o.Kind)
	case !(o.LR > 0) || math.IsInf(float64(o.LR), 0):
		return errorf(ErrConfig, "learning rate %v, want a finite value > 0", o.LR)
	case (o.Kind == OptMomentum || o.Kind == OptNesterov) && !in01(o.Mu):
		return errorf(ErrConfig, "momentum %v, want 0 <= mu < 1", o.Mu)
	case o.Kind == OptAdam && !(in01(o.Beta1) && in01(o.Beta2)):
		return errorf(ErrConfig, "Adam betas %v, %v, want each in [0, 1)", o.Beta1, o.Beta2)
	case o.Kind == OptRMSProp && !in01(o.Rho):
		return errorf(ErrConfig, "RMSProp rho %v, want 0 <= rho < 1", o.Rho)
	case (o.Kind == OptAdam || o.Kind == OptRMSProp) && !(o.Eps > 0 && o.Eps < 1):
		return errorf(ErrConfig, "epsilon %v, want 0 < eps < 1", o.Eps)
	}
	return nil
}

// ScheduleKind selects how the learning rate changes with the epoch.
type ScheduleKind uint8

// The schedules; the zero value keeps the rate constant.
const (
	ScheduleConstant ScheduleKind = iota
	ScheduleStep
	ScheduleExp
)

// Schedule scales the learning rate by the number of epochs the network has
// trained (counted across Fit calls, so resumed training continues the
// schedule). The zero value keeps it constant.
type Schedule struct {
	Kind   ScheduleKind
	Every  int     // step decay: epochs between drops
	Factor float32 // step decay: multiplier at each drop
	Rate   float32 // exponential decay: lr·e^(−rate·epoch)
}

// StepDecay multiplies the learning rate by factor every `every` epochs.
func StepDecay(every int, factor float32) Schedule {
	return Schedule{Kind: ScheduleStep, Every: every, Factor: factor}
}

// ExpDecay scales the learning rate by e^(−rate·epoch).
func ExpDecay(rate float32) Schedule { return Schedule{Kind: ScheduleExp, Rate: rate} }

// validate reports settings that give no usable learning rate.
func (s Schedule) validate() error {
	switch s.Kind {
	case ScheduleConstant:
	case ScheduleStep:
		if s.Every < 1 || !(s.Factor > 0 && s.Factor <= 1) {
			return errorf(ErrConfig, "step decay every %d epochs by %v, want every >= 1 and 0 < factor <= 1", s.Every, s.Factor)
		}
	case ScheduleExp:
		if !(s.Rate >= 0) || math.IsInf(float64(s.Rate), 0) {
			return errorf(ErrConfig, "exponential decay rate %v, want a finite value >= 0", s.Rate)
		}
	default:
		return errorf(ErrConfig, "unknown schedule kind %d", s.Kind)
	}
	return nil
}

// lr returns the learning rate for the given 0-based epoch.
func (s Schedule) lr(base float32, epoch int) float32 {
	switch s.Kind {
	case ScheduleStep:
		return base * float32(math.Pow(float64(s.Factor), float64(epoch/s.Every)))
	case ScheduleExp:
		return base * float32(math.Exp(-float64(s.Rate)*float64(epoch)))
	}
	return base
}

// penalize adds the L1 and L2 gradients of each dense layer to g, a
// gradient laid out like n.params.
func (n *Network) penalize(g []float32) {
	for i := range n.layers {
		l := &n.layers[i]
		if l.kind != DenseLayer || (l.l1 == 0 && l.l2 == 0) {
			continue
		}
		gw := g[l.off : l.off+len(l.w)]
		l1, l2 := l.l1, 2*l.l2
		for j, w := range l.w {
			d := l2 * w
			if w > 0 {
				d += l1
			} else if w < 0 {
				d -= l1
			}
			gw[j] += d
		}
	}
}

// sumSquares returns Σg² in float64; it is NaN or +Inf when g is not finite.
// Four partial sums keep the additions independent of each other.
func sumSquares(g []float32) float64 {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(g); i += 4 {
		a, b, c, d := float64(g[i]), float64(g[i+1]), float64(g[i+2]), float64(g[i+3])
		s0 += a * a
		s1 += b * b
		s2 += c * c
		s3 += d * d
	}
	for ; i < len(g); i++ {
		s0 += float64(g[i]) * float64(g[i])
	}
	return (s0 + s1) + (s2 + s3)
}

// squaredNorm returns Σg². Unless exact is set it takes the float32 vector
// dot product when that is finite, which is within a few percent; otherwise
// (clipping needs the exact norm, or float32 overflowed) sumSquares.
func squaredNorm(g []float32, exact bool) float64 {
	if !exact {
		if s := simd.Dot(g, g); s-s == 0 {
			return float64(s)
		}
	}
	return sumSquares(g)
}

// notFinite returns a value with bit 31 set when x is NaN or infinite: the
// exponent field is all ones exactly then, and adding one more unit to it
// carries into bit 31. ORing it over many values tests them all at once.
func notFinite(x float32) uint32 {
	return math.Float32bits(x)&0x7f800000 + 0x00800000
}

// momentLimit bounds the scaled gradient for Adam and RMSProp: below it
// the square, every running mean of squares and its bias-corrected value
// stay within float32 (whose largest value is about (1.8e19)²).
const momentLimit = 9e18

// sgdDirect bounds the SGD steps added without a finiteness check: a
// finite float32 plus less than 2¹⁰³ (half the spacing of floats at the
// largest one) rounds to a finite value. It leaves room for ss being a
// float32 sum.
const sgdDirect = 1e30

// velocity is the momentum update mu·m − lr·v, shared by the check and the
// step so that both round alike.
func velocity(mu, m, lr, v float32) float32 { return mu*m - lr*v }

// stateStaysFinite returns "" when a step from g keeps the optimiser's
// moments finite, and otherwise why it does not; ss is Σg² (see
// squaredNorm). A gradient can be finite
// while its square (Adam, RMSProp) or the accumulated velocity (momentum)
// is not; such a moment would freeze its weight and make every checkpoint
// unloadable, so update refuses the step before changing anything.
func (n *Network) stateStaysFinite(g []float32, o Optimizer, lr, gscale float32, ss float64) string {
	switch o.Kind {
	case OptMomentum, OptNesterov:
		m := n.m[:len(g)]
		var bad uint32
		for j, v := range g {
			bad |= notFinite(velocity(o.Mu, m[j], lr, v*gscale))
		}
		if bad&0x80000000 != 0 {
			return "the momentum velocity would overflow float32"
		}
	case OptAdam, OptRMSProp:
		// No element exceeds the norm, and ss is within a few percent of
		// Σg², so the element scan is needed only near the limit.
		if math.Sqrt(ss)*float64(gscale) <= momentLimit/2 {
			return ""
		}
		var top float32
		for _, v := range g {
			top = max(top, v, -v)
		}
		if top*gscale > momentLimit {
			return fmt.Sprintf("a gradient of %g would overflow the optimiser's mean square (float32)", top*gscale)
		}
	}
	return ""
}

// update applies one optimiser step with learning rate lr to n.params from
// gradient g, after multiplying g by gscale (for clipping); ss is Σg² before
// that scaling. It first turns g into the step in place, then adds it, so a
// step that would make a weight non-finite is refused (returns why) with
// the weights untouched; the optimiser state has then taken the step. A
// step that would make the optimiser state itself non-finite is refused
// before anything changes.
func (n *Network) update(g []float32, o Optimizer, lr, gscale float32, ss float64) string {
	if why := n.stateStaysFinite(g, o, lr, gscale, ss); why != "" {
		return why
	}
	n.step++
	switch o.Kind {
	case OptSGD:
		// No step exceeds lr·gscale·‖g‖. Below sgdDirect it cannot take a
		// weight (always finite) past the largest float32, so it goes
		// straight into the weights in one vector pass without the check.
		if a := -lr * gscale; float64(-a)*math.Sqrt(ss) < sgdDirect {
			simd.Axpy(a, g, n.params)
			return ""
		}
		for j, v := range g {
			g[j] = -lr * v * gscale
		}
	case OptMomentum, OptNesterov:
		m := n.m[:len(g)]
		for j, v := range g {
			v *= gscale
			vel := velocity(o.Mu, m[j], lr, v)
			m[j] = vel
			d := vel
			if o.Kind == OptNesterov {
				d = o.Mu*vel - lr*v
			}
			g[j] = d
		}
	case OptAdam:
		t := float64(n.step)
		c1 := float32(1 / (1 - math.Pow(float64(o.Beta1), t)))
		c2 := float32(1 / (1 - math.Pow(float64(o.Beta2), t)))
		simd.Adam(g, n.m, n.v, lr, o.Beta1, o.Beta2, o.Eps, c1, c2, gscale)
	case OptRMSProp:
		s := n.v[:len(g)]
		for j, v := range g {
			v *= gscale
			sj := o.Rho*s[j] + (1-o.Rho)*v*v
			s[j] = sj
			g[j] = -lr * v / (float32(math.Sqrt(float64(sj))) + o.Eps)
		}
	}
	if !simd.AddIfFinite(n.params, g) {
		return "an update would make a weight non-finite"
	}
	return ""
}

// prepareOptimizer makes the state in n fit optimiser o, resetting it when
// the kind changes.
func (n *Network) prepareOptimizer(o Optimizer) {
	if n.opt.Kind != o.Kind || len(n.m) != len(n.params) && n.m != nil {
		n.m, n.v, n.step = nil, nil, 0
	}
	n.opt = o
	switch o.Kind {
	case OptMomentum, OptNesterov:
		if n.m == nil {
			n.m = make([]float32, len(n.params))
		}
	case OptAdam:
		if n.m == nil {
			n.m = make([]float32, len(n.params))
		}
		if n.v == nil {
			n.v = make([]float32, len(n.params))
		}
	case OptRMSProp:
		if n.v == nil {
			n.v = make([]float32, len(n.params))
		}
	}
}
