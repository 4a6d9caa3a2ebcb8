// Command gonum is the peer comparison runner for a multi-layer perceptron
// written by hand on gonum's mat package (float64, gonum's pure-Go BLAS):
// what a Go user without an MLP library would build. It reads a spec file
// (package spec) and prints one JSON line per result.
package main

import (
	"math"
	"math/rand/v2"
	"runtime/debug"
	"time"

	"github.com/nnrt/nn/bench/spec"
	"gonum.org/v1/gonum/mat"
)

const peer = "gonum"

func main() {
	spec.Main(peer, "gonum "+moduleVersion("gonum.org/v1/gonum"), spec.Runner{Train: train, Predict: predict, MNIST: mnist})
}

func moduleVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				return d.Version
			}
		}
	}
	return "(unknown version)"
}

// mlp is one hidden ReLU layer and a softmax output, with its training
// buffers sized for one batch.
type mlp struct {
	in, hidden, out int
	w1, w2          *mat.Dense // in x hidden, hidden x out
	b1, b2          []float64

	// Gradients, in the same shapes.
	dw1, dw2 *mat.Dense
	db1, db2 []float64

	// Adam moments over all parameters, flattened in params order.
	m, v []float64
	step int
	rng  *rand.Rand
}

func newMLP(in, hidden, out int, seed uint64) *mlp {
	n := &mlp{in: in, hidden: hidden, out: out, rng: rand.New(rand.NewPCG(seed, 0))}
	n.w1 = glorot(n.rng, in, hidden)
	n.w2 = glorot(n.rng, hidden, out)
	n.b1, n.b2 = make([]float64, hidden), make([]float64, out)
	n.dw1, n.dw2 = mat.NewDense(in, hidden, nil), mat.NewDense(hidden, out, nil)
	n.db1, n.db2 = make([]float64, hidden), make([]float64, out)
	return n
}

func glorot(rng *rand.Rand, rows, cols int) *mat.Dense {
	lim := math.Sqrt(6 / float64(rows+cols))
	d := make([]float64, rows*cols)
	for i := range d {
		d[i] = (2*rng.Float64() - 1) * lim
	}
	return mat.NewDense(rows, cols, d)
}

func (n *mlp) params() [][]float64 {
	return [][]float64{n.w1.RawMatrix().Data, n.b1, n.w2.RawMatrix().Data, n.b2}
}

func (n *mlp) grads() [][]float64 {
	return [][]float64{n.dw1.RawMatrix().Data, n.db1, n.dw2.RawMatrix().Data, n.db2}
}

// forward computes the hidden activations h (rows x hidden) and the
// softmax probabilities p (rows x out) of x.
func (n *mlp) forward(x, h, p *mat.Dense) {
	h.Mul(x, n.w1)
	hd := h.RawMatrix().Data
	for i := range hd {
		hd[i] = max(hd[i]+n.b1[i%n.hidden], 0)
	}
	p.Mul(h, n.w2)
	pd := p.RawMatrix().Data
	for r := 0; r < len(pd); r += n.out {
		row := pd[r : r+n.out]
		top := math.Inf(-1)
		for j := range row {
			row[j] += n.b2[j]
			top = max(top, row[j])
		}
		var sum float64
		for j := range row {
			row[j] = math.Exp(row[j] - top)
			sum += row[j]
		}
		for j := range row {
			row[j] /= sum
		}
	}
}

// scratch holds one batch's activations and gradients.
type scratch struct {
	x, h, p, dh *mat.Dense
}

func newScratch(n *mlp, rows int) *scratch {
	return &scratch{
		x:  mat.NewDense(rows, n.in, nil),
		h:  mat.NewDense(rows, n.hidden, nil),
		p:  mat.NewDense(rows, n.out, nil),
		dh: mat.NewDense(rows, n.hidden, nil),
	}
}

// step trains on one batch (s.x filled, labels y) and returns its mean
// cross-entropy.
func (n *mlp) trainStep(s *scratch, y []int, opt string, lr float64) float64 {
	rows := len(y)
	n.forward(s.x, s.h, s.p)

	// dZ2 = (P - onehot(y)) / rows, in place in p.
	pd := s.p.RawMatrix().Data
	var loss float64
	for i, c := range y {
		loss -= math.Log(max(pd[i*n.out+c], 1e-300))
		pd[i*n.out+c]--
	}
	inv := 1 / float64(rows)
	for i := range pd {
		pd[i] *= inv
	}
	colSum(n.db2, pd, n.out)
	n.dw2.Mul(s.h.T(), s.p)

	// dZ1 = dZ2 W2ᵀ masked by the ReLU.
	s.dh.Mul(s.p, n.w2.T())
	dd, hd := s.dh.RawMatrix().Data, s.h.RawMatrix().Data
	for i := range dd {
		if hd[i] <= 0 {
			dd[i] = 0
		}
	}
	colSum(n.db1, dd, n.hidden)
	n.dw1.Mul(s.x.T(), s.dh)

	n.update(opt, lr)
	return loss * inv
}

func colSum(dst, m []float64, cols int) {
	clear(dst)
	for r := 0; r < len(m); r += cols {
		for j, v := range m[r : r+cols] {
			dst[j] += v
		}
	}
}

func (n *mlp) update(opt string, lr float64) {
	ps, gs := n.params(), n.grads()
	if opt != "adam" {
		for i, p := range ps {
			for j, g := range gs[i] {
				p[j] -= lr * g
			}
		}
		return
	}
	const b1, b2, eps = 0.9, 0.999, 1e-8
	if n.m == nil {
		var size int
		for _, p := range ps {
			size += len(p)
		}
		n.m, n.v = make([]float64, size), make([]float64, size)
	}
	n.step++
	c1 := 1 - math.Pow(b1, float64(n.step))
	c2 := 1 - math.Pow(b2, float64(n.step))
	k := 0
	for i, p := range ps {
		for j, g := range gs[i] {
			n.m[k] = b1*n.m[k] + (1-b1)*g
			n.v[k] = b2*n.v[k] + (1-b2)*g*g
			p[j] -= lr * (n.m[k] / c1) / (math.Sqrt(n.v[k]/c2) + eps)
			k++
		}
	}
}

// epochs trains in shuffled mini-batches until the epochs are done, after
// maxBatches batches (if > 0) or past the deadline (if not zero). It
// returns the samples done and the last epoch's mean loss.
func (n *mlp) epochs(w spec.Work, x []float64, y []int, epochs, maxBatches int, deadline time.Time) (int, float64) {
	rows := len(y)
	full := newScratch(n, w.Batch)
	perm := make([]int, rows)
	for i := range perm {
		perm[i] = i
	}
	yb := make([]int, w.Batch)
	samples, batches := 0, 0
	var loss float64
	for range epochs {
		n.rng.Shuffle(rows, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		var sum float64
		var count int
		for b := 0; b < rows; b += w.Batch {
			size := min(w.Batch, rows-b)
			s := full
			if size != w.Batch {
				s = newScratch(n, size)
			}
			xd := s.x.RawMatrix().Data
			for i, r := range perm[b : b+size] {
				copy(xd[i*n.in:(i+1)*n.in], x[r*n.in:(r+1)*n.in])
				yb[i] = y[r]
			}
			sum += n.trainStep(s, yb[:size], w.Optimizer, w.LR)
			count++
			samples += size
			batches++
			loss = sum / float64(count)
			if (maxBatches > 0 && batches >= maxBatches) || (!deadline.IsZero() && time.Now().After(deadline)) {
				return samples, loss
			}
		}
	}
	return samples, loss
}

func load(w spec.Work) ([]float64, []int, error) {
	xs, err := spec.ReadF32(w.X, w.Rows*w.Inputs)
	if err != nil {
		return nil, nil, err
	}
	x := make([]float64, len(xs))
	for i, v := range xs {
		x[i] = float64(v)
	}
	if w.Y == "" {
		return x, nil, nil
	}
	y, err := spec.ReadLabels(w.Y, w.Rows)
	return x, y, err
}

func train(w spec.Work, seed uint64) ([]spec.Result, error) {
	x, y, err := load(w)
	if err != nil {
		return nil, err
	}
	n := newMLP(w.Inputs, w.Hidden, w.Outputs, seed)
	n.epochs(w, x, y, 1, w.Warmup, time.Time{})
	cpu0 := spec.CPUTime()
	start := time.Now()
	samples, loss := n.epochs(w, x, y, w.Epochs, 0, start.Add(seconds(w.Budget)))
	secs := time.Since(start).Seconds()
	cpu := (spec.CPUTime() - cpu0).Seconds()
	planned := w.Rows * w.Epochs
	r := spec.Result{Work: w.Name, Samples: samples, Seconds: secs, CPU: cpu, Partial: samples < planned, Loss: loss}
	if w.Name == spec.Flowers {
		r.Value, r.Unit = secs*float64(planned)/float64(samples), "s"
	} else {
		r.Value, r.Unit = float64(samples)/secs, "samples/s"
	}
	return []spec.Result{r}, nil
}

func predict(w spec.Work, seed uint64) ([]spec.Result, error) {
	x, _, err := load(w)
	if err != nil {
		return nil, err
	}
	n := newMLP(w.Inputs, w.Hidden, w.Outputs, seed)
	one := newScratch(n, 1)
	run1 := func(i int) {
		i %= w.Rows
		copy(one.x.RawMatrix().Data, x[i*n.in:(i+1)*n.in])
		n.forward(one.x, one.h, one.p)
	}
	for i := range w.Warmup {
		run1(i)
	}
	lat := float64(spec.MedianCall(w.Budget, 100, run1)) / float64(time.Microsecond)

	rows := min(w.Batch, w.Rows)
	batch := newScratch(n, rows)
	copy(batch.x.RawMatrix().Data, x[:rows*n.in])
	many := spec.BatchRate(w.Budget, 10, rows, func() { n.forward(batch.x, batch.h, batch.p) })
	return []spec.Result{
		{Work: spec.Predict1, Value: lat, Unit: "µs"},
		many,
	}, nil
}

func mnist(w spec.Work, seed uint64) ([]spec.Result, error) {
	x, y, err := load(w)
	if err != nil {
		return nil, err
	}
	test := w
	test.X, test.Y, test.Rows = w.TestX, w.TestY, w.TestRows
	tx, ty, err := load(test)
	if err != nil {
		return nil, err
	}
	n := newMLP(w.Inputs, w.Hidden, w.Outputs, seed)
	start := time.Now()
	_, loss := n.epochs(w, x, y, w.Epochs, 0, time.Time{})
	secs := time.Since(start).Seconds()

	s := newScratch(n, len(ty))
	s.x = mat.NewDense(len(ty), n.in, tx)
	n.forward(s.x, s.h, s.p)
	right := 0
	for i, c := range ty {
		row := s.p.RawRowView(i)
		best := 0
		for j := range row {
			if row[j] > row[best] {
				best = j
			}
		}
		if best == c {
			right++
		}
	}
	acc := float64(right) / float64(len(ty))
	return []spec.Result{{Work: spec.MNIST, Value: acc, Unit: "accuracy", Seconds: secs, Loss: loss}}, nil
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
