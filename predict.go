package nn

import (
	"unsafe"

	"github.com/nnrt/nn/simd"
)

// workspace is per-call scratch for inference, pooled per network so that
// concurrent predictions never share buffers and steady-state calls
// allocate nothing. a and b take turns as layer input and output; p and y
// hold outputs and one-hot targets during evaluation.
type workspace struct {
	rows       int
	a, b, p, y []float32
}

// chunkRows is how many rows batch inference and evaluation push through
// the layers at a time, bounding the workspace size. The activations of a
// chunk stay in the L1 and L2 caches next to the weights, and 48 is a
// whole number of micro-tile heights (4, 6, 8, 12) at every kernel level,
// so that only the last chunk ends in a partial tile. (BenchmarkPredict-
// Board256 in bench/runners/nn: 48 rows gave some 10% more than 64.)
const chunkRows = 48

// getWorkspace returns a pooled workspace with room for rows rows.
func (n *Network) getWorkspace(rows int) *workspace {
	out := n.OutputSize()
	w, _ := n.pool.Get().(*workspace)
	if w == nil || w.rows < rows || len(w.a) < rows*n.width || len(w.p) < rows*out {
		w = &workspace{rows: rows,
			a: make([]float32, rows*n.width), b: make([]float32, rows*n.width),
			p: make([]float32, rows*out), y: make([]float32, rows*out)}
	}
	return w
}

// infer runs r rows of x through the network (dropout off) and returns the
// output rows, a slice of w. With logits set, the last layer's activation
// is skipped.
func (n *Network) infer(w *workspace, x []float32, r int, logits bool) []float32 {
	return n.inferInto(w, x, r, logits, nil)
}

// inferInto is infer writing the output rows into dst instead, when dst is
// not nil, and returning dst. dst must not overlap x.
func (n *Network) inferInto(w *workspace, x []float32, r int, logits bool, dst []float32) []float32 {
	cur, next := x[:r*n.in], w.a
	if n.scaler != nil {
		for i := range r {
			n.scaler.transformRow(w.a[i*n.in:(i+1)*n.in], x[i*n.in:(i+1)*n.in])
		}
		cur, next = w.a[:r*n.in], w.b
	}
	last, final := len(n.layers)-1, -1
	if dst != nil {
		final = n.lastDense()
	}
	for i := range n.layers {
		l := &n.layers[i]
		if l.kind != DenseLayer {
			continue
		}
		z := next[:r*l.out]
		if i == final {
			z = dst[:r*l.out]
		}
		l.infer(z, cur, r, !logits || i != last)
		if &next[0] == &w.a[0] {
			next = w.b
		} else {
			next = w.a
		}
		cur = z
	}
	return cur
}

// infer writes into z the outputs of dense layer l for r rows of x, after
// its activation when act is set.
func (l *layer) infer(z, x []float32, r int, act bool) {
	simd.Gemm(false, false, r, l.out, l.in, 1, x, l.in, l.w, l.out, 0, z, l.out)
	if act && l.act == ReLU {
		simd.AddBiasReLU(r, l.out, l.b, z, l.out)
		return
	}
	simd.AddBias(r, l.out, l.b, z, l.out)
	if act {
		activate(l.act, l.alpha, z, z, l.out)
	}
}

// checkOutputs returns nil when the output rows z of a chunk starting at
// row r0 of x are finite, and otherwise an error naming the first row that
// is not and where it went wrong.
func (n *Network) checkOutputs(z []float32, x Matrix, r0 int, logits bool) error {
	j := firstNonFinite(z)
	if j < 0 {
		return nil
	}
	out := n.OutputSize()
	row := r0 + j/out
	return n.nonFiniteOutput(x.Data[row*n.in:(row+1)*n.in], row, j%out, z[j], logits)
}

// nonFiniteOutput explains why the finite input row x (numbered row) gave
// the non-finite output v in column col. It runs the row again stage by
// stage and names the first whose values stop being finite: the scaler
// (a tiny standard deviation) or a layer whose sums overflow float32. It
// runs on error paths only, so it may allocate.
func (n *Network) nonFiniteOutput(x []float32, row, col int, v float32, logits bool) error {
	cur := x
	if s := n.scaler; s != nil {
		t := make([]float32, n.in)
		s.transformRow(t, x)
		if err := s.rowError("input", row, x, t); err != nil {
			return err
		}
		cur = t
	}
	last := len(n.layers) - 1
	for i := range n.layers {
		l := &n.layers[i]
		if l.kind != DenseLayer {
			continue
		}
		z := make([]float32, l.out)
		l.infer(z, cur, 1, !logits || i != last)
		if j := firstNonFinite(z); j >= 0 {
			return errorf(ErrNonFinite, "layer %d (dense %d->%d): output row %d, column %d is %s although the input is finite: the values overflow float32",
				i, l.in, l.out, row, j, describe(z[j]))
		}
		cur = z
	}
	return errorf(ErrNonFinite, "output row %d, column %d is %s although the input is finite", row, col, describe(v))
}

// checkInput validates one input row.
func (n *Network) checkInput(x []float32) error {
	if err := n.usable(); err != nil {
		return err
	}
	if len(x) != n.in {
		l := n.layers[0]
		return errorf(ErrShape, "layer 0 (%s %d->%d): input has %d values, want %d", l.kind, l.in, l.out, len(x), n.in)
	}
	if j := firstNonFinite(x); j >= 0 {
		return errorf(ErrNonFinite, "input column %d is %s", j, describe(x[j]))
	}
	return n.checkScaler()
}

// checkScaler reports a scaler whose width differs from the input, or
// whose statistics would turn inputs into NaN or infinities.
func (n *Network) checkScaler() error {
	s := n.scaler
	if s == nil {
		return nil
	}
	if len(s.Mean) != n.in || len(s.Std) != n.in {
		return errorf(ErrShape, "scaler has %d means and %d deviations, want %d (the input width)", len(s.Mean), len(s.Std), n.in)
	}
	return s.check()
}

// Predict returns the network's output for one input row in a new slice.
func (n *Network) Predict(x []float32) ([]float32, error) {
	dst := make([]float32, n.OutputSize())
	if err := n.PredictInto(dst, x); err != nil {
		return nil, err
	}
	return dst, nil
}

// PredictInto writes the output for one input row into dst, which must
// have OutputSize() elements. It allocates nothing in steady state and may
// be called from many goroutines at once. An input holding NaN or an
// infinity is refused with [ErrNonFinite], and so is a finite input whose
// outputs overflow float32 (through huge weights or a scaler with a tiny
// standard deviation); the error names the layer, or the scaler, where the
// values stopped being finite, and dst is then left as it was.
func (n *Network) PredictInto(dst, x []float32) error {
	return n.predictInto(dst, x, false)
}

// PredictLogitsInto is like PredictInto but leaves out the last layer's
// activation, giving the raw scores (logits) of the output layer.
func (n *Network) PredictLogitsInto(dst, x []float32) error {
	return n.predictInto(dst, x, true)
}

func (n *Network) predictInto(dst, x []float32, logits bool) error {
	if err := n.checkInput(x); err != nil {
		return err
	}
	if len(dst) != n.OutputSize() {
		return errorf(ErrShape, "output buffer has %d values, want %d", len(dst), n.OutputSize())
	}
	w := n.getWorkspace(1)
	z := n.infer(w, x, 1, logits)
	if j := firstNonFinite(z); j >= 0 {
		v := z[j]
		n.pool.Put(w)
		return n.nonFiniteOutput(x, 0, j, v, logits)
	}
	copy(dst, z)
	n.pool.Put(w)
	return nil
}

// PredictBatch returns the outputs for every row of x.
func (n *Network) PredictBatch(x Matrix) (Matrix, error) {
	// check x before sizing the result by it
	if err := n.checkInputs("prediction", x); err != nil {
		return Matrix{}, err
	}
	dst := NewMatrix(x.Rows, n.OutputSize())
	if err := n.predictBatch(dst, x); err != nil {
		return Matrix{}, err
	}
	return dst, nil
}

// PredictBatchInto writes the outputs for every row of x into dst, which
// must be x.Rows × OutputSize(). It is safe for concurrent use. Outputs
// that overflow to NaN or an infinity stop it with [ErrNonFinite] naming
// the row and the layer; dst may then have been written up to 47 rows past
// that one.
func (n *Network) PredictBatchInto(dst, x Matrix) error {
	if err := n.checkBatch(dst, x); err != nil {
		return err
	}
	return n.predictBatch(dst, x)
}

// predictBatch is PredictBatchInto after its checks.
//
// TODO(nn): a batch of several chunks runs them one after another on the
// calling goroutine; its products are too small to gain from being split
// (see simd's parallelFlops), but the chunks could run side by side. The last layer writes
// its rows straight into dst, saving a pass over the outputs, unless dst
// shares memory with x, whose rows must then stay intact until the chunk
// that reads them has been checked.
func (n *Network) predictBatch(dst, x Matrix) error {
	out := n.OutputSize()
	w := n.getWorkspace(min(x.Rows, chunkRows))
	defer n.pool.Put(w)
	direct := !overlap(dst.Data, x.Data)
	for r0 := 0; r0 < x.Rows; r0 += chunkRows {
		r := min(chunkRows, x.Rows-r0)
		var into []float32
		if direct {
			into = dst.Data[r0*out : (r0+r)*out]
		}
		z := n.inferInto(w, x.Data[r0*n.in:], r, false, into)
		if err := n.checkOutputs(z, x, r0, false); err != nil {
			return err
		}
		if !direct {
			copy(dst.Data[r0*out:], z)
		}
	}
	return nil
}

// lastDense returns the index of the last dense layer, the one whose
// outputs are the network's.
func (n *Network) lastDense() int {
	i := len(n.layers) - 1
	for i > 0 && n.layers[i].kind != DenseLayer {
		i--
	}
	return i
}

// overlap reports whether a and b share any element.
func overlap(a, b []float32) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	pa, pb := uintptr(unsafe.Pointer(unsafe.SliceData(a))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return pa < pb+uintptr(len(b))*4 && pb < pa+uintptr(len(a))*4
}

// checkBatch validates the inputs x and the output matrix dst of a batch
// prediction.
func (n *Network) checkBatch(dst, x Matrix) error {
	if err := n.checkInputs("prediction", x); err != nil {
		return err
	}
	if err := dst.check("output matrix"); err != nil {
		return err
	}
	if out := n.OutputSize(); dst.Rows != x.Rows || dst.Cols != out {
		return errorf(ErrShape, "output matrix is %d×%d, want %d×%d", dst.Rows, dst.Cols, x.Rows, out)
	}
	return nil
}

// checkInputs validates a batch of input rows of the named set.
func (n *Network) checkInputs(set string, x Matrix) error {
	if err := n.usable(); err != nil {
		return err
	}
	if !x.valid() {
		return x.check(set + " input") // names the set only on this error path: no allocation otherwise
	}
	if x.Cols != n.in {
		l := n.layers[0]
		return errorf(ErrShape, "layer 0 (%s %d->%d): %s input has %d columns, want %d", l.kind, l.in, l.out, set, x.Cols, n.in)
	}
	if j := firstNonFinite(x.Data); j >= 0 {
		return errorf(ErrNonFinite, "%s input row %d, column %d is %s", set, j/x.Cols, j%x.Cols, describe(x.Data[j]))
	}
	return n.checkScaler()
}
