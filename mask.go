package nn

import "math"

// Scoring under a mask of allowed outputs, as a game engine does: a policy
// network scores every point of the board, but only the legal ones may get
// any probability.

// MaskedSoftmax writes into dst the softmax of logits taken over the
// entries where mask is true; every other entry of dst is exactly 0 and
// the allowed ones sum to 1 up to rounding. dst may be logits itself. The
// largest allowed logit is subtracted first, so logits of any finite size
// are safe. The three slices must have the same length, at least one entry
// must be allowed, and the allowed logits must be finite (masked-out ones
// are never read); otherwise an error is returned and dst is not written.
func MaskedSoftmax(dst, logits []float32, mask []bool) error {
	if len(dst) != len(logits) || len(mask) != len(logits) {
		return errorf(ErrShape, "masked softmax: %d logits, %d mask entries and %d outputs, want equal lengths", len(logits), len(mask), len(dst))
	}
	m, bad, found := maxAllowed(logits, mask)
	switch {
	case bad >= 0:
		return errorf(ErrNonFinite, "masked softmax: logit %d is %s", bad, describe(logits[bad]))
	case !found:
		return errorf(ErrEmpty, "masked softmax: the mask allows none of the %d entries", len(mask))
	}
	maskedSoftmax(dst, logits, mask, m)
	return nil
}

// maxAllowed returns the largest logit where mask is true and whether
// there is one, or in bad the index of the first such logit that is not
// finite (-1 when all are).
func maxAllowed(logits []float32, mask []bool) (m float32, bad int, found bool) {
	for i, ok := range mask {
		if !ok {
			continue
		}
		v := logits[i]
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return 0, i, true
		}
		if !found || v > m {
			m, found = v, true
		}
	}
	return m, -1, found
}

// maskedSoftmax is MaskedSoftmax on checked input, with m the largest
// allowed logit.
func maskedSoftmax(dst, logits []float32, mask []bool, m float32) {
	var s float64
	for i, ok := range mask {
		if !ok {
			dst[i] = 0
			continue
		}
		e := math.Exp(float64(logits[i]) - float64(m))
		dst[i] = float32(e)
		s += e
	}
	inv := 1 / s
	for i, ok := range mask {
		if ok {
			dst[i] = float32(float64(dst[i]) * inv)
		}
	}
}

// TopK returns the indices of the k largest scores, largest first, ties in
// index order, appended to dst[:0] (so a dst with room for k allocates
// nothing). NaN scores rank below every number. With k larger than
// len(scores) every index is returned; with k <= 0, none.
func TopK(dst []int, scores []float32, k int) []int {
	dst = dst[:0]
	k = min(k, len(scores))
	if k <= 0 {
		return dst
	}
	// insertion into a sorted list of at most k indices: n·k steps, fast
	// for the small k a move picker asks for
	for i, v := range scores {
		if len(dst) == k && !above(v, scores[dst[k-1]]) {
			continue
		}
		if len(dst) < k {
			dst = append(dst, i)
		}
		j := len(dst) - 1
		for j > 0 && above(v, scores[dst[j-1]]) {
			dst[j] = dst[j-1]
			j--
		}
		dst[j] = i
	}
	return dst
}

// above reports whether a ranks strictly above b, NaN being lowest.
func above(a, b float32) bool {
	if b != b {
		return a == a
	}
	return a > b
}

// PredictMaskedInto scores one input row and writes into dst the softmax of
// the output layer's logits restricted to mask (see [MaskedSoftmax]): the
// probabilities a policy network gives its allowed outputs, masked-out
// outputs getting exactly 0. It ignores the last layer's own activation,
// so it is meant for classifiers ending in [Softmax]. dst and mask must
// have OutputSize() entries. Logits that overflow to NaN or an infinity,
// masked out or not, are an [ErrNonFinite] error, as for
// [Network.PredictLogitsInto]. Like [Network.PredictInto] it allocates
// nothing in steady state and is safe for concurrent use.
func (n *Network) PredictMaskedInto(dst, x []float32, mask []bool) error {
	if err := n.usable(); err != nil {
		return err
	}
	if len(mask) != n.OutputSize() {
		return errorf(ErrShape, "mask has %d entries, want %d (the output width)", len(mask), n.OutputSize())
	}
	if !anyTrue(mask) {
		return errorf(ErrEmpty, "mask allows none of the %d outputs", len(mask))
	}
	if err := n.PredictLogitsInto(dst, x); err != nil {
		return err
	}
	// the lengths are checked and every logit is finite: only the softmax
	// is left to do
	m, _, _ := maxAllowed(dst, mask)
	maskedSoftmax(dst, dst, mask, m)
	return nil
}

// PredictBatchMaskedInto is [Network.PredictMaskedInto] for every row of x,
// row i under masks[i]: one call scores, say, the 8 symmetric images of a
// board. dst must be x.Rows × OutputSize(). Every argument is checked
// before anything is written, except that a network whose logits overflow
// to infinity or NaN (masked out or not) stops with an error naming the
// row and the layer; rows are scored 48 at a time, and dst holds the rows
// of the groups before the failing row's. It allocates nothing in steady
// state and is safe for concurrent use.
func (n *Network) PredictBatchMaskedInto(dst, x Matrix, masks [][]bool) error {
	if err := n.checkBatch(dst, x); err != nil {
		return err
	}
	out := n.OutputSize()
	if len(masks) != x.Rows {
		return errorf(ErrShape, "%d masks for %d input rows", len(masks), x.Rows)
	}
	for i, m := range masks {
		switch {
		case len(m) != out:
			return errorf(ErrShape, "mask %d has %d entries, want %d (the output width)", i, len(m), out)
		case !anyTrue(m):
			return errorf(ErrEmpty, "mask %d allows none of the %d outputs", i, out)
		}
	}

	w := n.getWorkspace(min(x.Rows, chunkRows))
	defer n.pool.Put(w)
	for r0 := 0; r0 < x.Rows; r0 += chunkRows {
		r := min(chunkRows, x.Rows-r0)
		z := n.infer(w, x.Data[r0*n.in:], r, true)
		if err := n.checkOutputs(z, x, r0, true); err != nil {
			return err
		}
		for i := range r {
			logits := z[i*out : (i+1)*out]
			m, _, _ := maxAllowed(logits, masks[r0+i])
			maskedSoftmax(dst.Data[(r0+i)*out:(r0+i+1)*out], logits, masks[r0+i], m)
		}
	}
	return nil
}

func anyTrue(mask []bool) bool {
	for _, ok := range mask {
		if ok {
			return true
		}
	}
	return false
}
