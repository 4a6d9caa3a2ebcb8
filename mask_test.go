package nn

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// softmaxRef is the masked softmax in float64, straight from the definition.
func softmaxRef(logits []float32, mask []bool) []float64 {
	m := math.Inf(-1)
	for i, ok := range mask {
		if ok {
			m = math.Max(m, float64(logits[i]))
		}
	}
	out := make([]float64, len(logits))
	var s float64
	for i, ok := range mask {
		if ok {
			out[i] = math.Exp(float64(logits[i]) - m)
			s += out[i]
		}
	}
	for i := range out {
		out[i] /= s
	}
	return out
}

func checkMasked(t *testing.T, name string, got []float32, logits []float32, mask []bool) {
	t.Helper()
	want := softmaxRef(logits, mask)
	var sum float64
	for i, p := range got {
		if !mask[i] {
			if p != 0 {
				t.Errorf("%s: masked-out entry %d is %v, want exactly 0", name, i, p)
			}
			continue
		}
		if math.IsNaN(float64(p)) || math.Abs(float64(p)-want[i]) > 1e-6 {
			t.Errorf("%s: entry %d is %v, want %v", name, i, p, want[i])
		}
		sum += float64(p)
	}
	if math.Abs(sum-1) > 1e-5 {
		t.Errorf("%s: allowed entries sum to %v, want 1", name, sum)
	}
}

func TestMaskedSoftmax(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, n := range []int{1, 2, 5, 361} {
		logits := make([]float32, n)
		mask := make([]bool, n)
		for i := range logits {
			logits[i] = float32(rng.NormFloat64() * 4)
			mask[i] = rng.IntN(3) > 0
		}
		mask[rng.IntN(n)] = true
		dst := make([]float32, n)
		for i := range dst {
			dst[i] = float32(math.NaN()) // must all be overwritten
		}
		if err := MaskedSoftmax(dst, logits, mask); err != nil {
			t.Fatal(err)
		}
		checkMasked(t, "random", dst, logits, mask)

		// in place gives the same
		in := slices.Clone(logits)
		if err := MaskedSoftmax(in, in, mask); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(in, dst) {
			t.Errorf("n=%d: in-place result differs", n)
		}
	}

	// huge logits, and non-finite ones where the mask is false, are safe
	logits := []float32{3e38, -3e38, 3e38 - 1e32, float32(math.NaN()), float32(math.Inf(1)), 1e38}
	mask := []bool{true, true, true, false, false, true}
	dst := make([]float32, len(logits))
	if err := MaskedSoftmax(dst, logits, mask); err != nil {
		t.Fatal(err)
	}
	checkMasked(t, "huge", dst, logits, mask)
	if dst[0] < 0.4 || dst[1] != 0 || dst[5] != 0 {
		t.Errorf("huge logits: %v", dst)
	}

	// one allowed entry takes everything
	if err := MaskedSoftmax(dst, logits, []bool{false, true, false, false, false, false}); err != nil || dst[1] != 1 {
		t.Errorf("single allowed entry: %v, %v", dst, err)
	}
}

func TestMaskedSoftmaxErrors(t *testing.T) {
	nan := float32(math.NaN())
	for _, tc := range []struct {
		name        string
		dst, logits []float32
		mask        []bool
		want        error
	}{
		{"short dst", make([]float32, 2), make([]float32, 3), make([]bool, 3), ErrShape},
		{"short mask", make([]float32, 3), make([]float32, 3), make([]bool, 2), ErrShape},
		{"nothing allowed", make([]float32, 3), make([]float32, 3), make([]bool, 3), ErrEmpty},
		{"empty", nil, nil, nil, ErrEmpty},
		{"NaN allowed", make([]float32, 2), []float32{1, nan}, []bool{true, true}, ErrNonFinite},
		{"Inf allowed", make([]float32, 2), []float32{float32(math.Inf(1)), 0}, []bool{true, true}, ErrNonFinite},
	} {
		for i := range tc.dst {
			tc.dst[i] = 42
		}
		err := MaskedSoftmax(tc.dst, tc.logits, tc.mask)
		if !errors.Is(err, tc.want) || err.Error()[:4] != "nn: " {
			t.Errorf("%s: error %v, want %v with prefix nn:", tc.name, err, tc.want)
		}
		for _, v := range tc.dst {
			if v != 42 {
				t.Errorf("%s: dst written on error", tc.name)
				break
			}
		}
	}
}

// topKRef sorts all indices: larger score first, NaN last, ties by index.
func topKRef(scores []float32, k int) []int {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case above(scores[a], scores[b]):
			return -1
		case above(scores[b], scores[a]):
			return 1
		}
		return 0
	})
	return idx[:max(0, min(k, len(idx)))]
}

func TestTopK(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	nan := float32(math.NaN())
	for trial := range 200 {
		n := rng.IntN(40)
		scores := make([]float32, n)
		for i := range scores {
			switch rng.IntN(6) {
			case 0:
				scores[i] = nan
			case 1:
				scores[i] = 1 // ties
			default:
				scores[i] = float32(rng.NormFloat64())
			}
		}
		k := rng.IntN(n+3) - 1
		got := TopK(nil, scores, k)
		if want := topKRef(scores, k); !slices.Equal(got, want) {
			t.Fatalf("trial %d: TopK(%v, %d) = %v, want %v", trial, scores, k, got, want)
		}
	}
	if got := TopK(nil, []float32{0.1, 0.5, 0.2, 0.5}, 3); !slices.Equal(got, []int{1, 3, 2}) {
		t.Errorf("TopK = %v, want [1 3 2]", got)
	}

	// with room in dst nothing is allocated
	scores := make([]float32, 361)
	for i := range scores {
		scores[i] = rng.Float32()
	}
	dst := make([]int, 0, 5)
	if a := testing.AllocsPerRun(100, func() { dst = TopK(dst, scores, 5) }); a != 0 {
		t.Errorf("TopK allocates %v times per call", a)
	}
}

// maskNet is a small softmax classifier with 6 inputs and 5 outputs.
func maskNet(t testing.TB, in, hidden, out int) *Network {
	t.Helper()
	n, err := New(Input(in), Dense(hidden, ReLU), Dense(out, Softmax), Seed(5))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPredictMaskedInto(t *testing.T) {
	n := maskNet(t, 6, 8, 5)
	x := []float32{0.5, -1, 2, 0.1, 0, 3}
	logits := make([]float32, 5)
	if err := n.PredictLogitsInto(logits, x); err != nil {
		t.Fatal(err)
	}
	mask := []bool{true, false, true, true, false}
	dst := make([]float32, 5)
	if err := n.PredictMaskedInto(dst, x, mask); err != nil {
		t.Fatal(err)
	}
	checkMasked(t, "PredictMaskedInto", dst, logits, mask)

	// with everything allowed it is the network's own softmax output
	all := []bool{true, true, true, true, true}
	if err := n.PredictMaskedInto(dst, x, all); err != nil {
		t.Fatal(err)
	}
	full, err := n.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	for i := range full {
		if math.Abs(float64(full[i]-dst[i])) > 1e-6 {
			t.Errorf("all allowed: output %d is %v, Predict gives %v", i, dst[i], full[i])
		}
	}

	if a := testing.AllocsPerRun(100, func() { _ = n.PredictMaskedInto(dst, x, mask) }); a != 0 && !racing {
		t.Errorf("PredictMaskedInto allocates %v times per call", a)
	}

	for _, tc := range []struct {
		name string
		dst  []float32
		x    []float32
		mask []bool
		want error
	}{
		{"short mask", dst, x, mask[:4], ErrShape},
		{"nothing allowed", dst, x, make([]bool, 5), ErrEmpty},
		{"short dst", dst[:4], x, mask, ErrShape},
		{"short x", dst, x[:5], mask, ErrShape},
		{"NaN input", dst, []float32{0, 0, float32(math.NaN()), 0, 0, 0}, mask, ErrNonFinite},
	} {
		if err := n.PredictMaskedInto(tc.dst, tc.x, tc.mask); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestPredictBatchMaskedInto(t *testing.T) {
	const rows = 2*chunkRows + 3 // crosses the inference chunks
	n := maskNet(t, 6, 8, 5)
	rng := rand.New(rand.NewPCG(1, 2))
	x := NewMatrix(rows, 6)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	masks := make([][]bool, rows)
	for i := range masks {
		masks[i] = make([]bool, 5)
		for j := range masks[i] {
			masks[i][j] = rng.IntN(2) == 0
		}
		masks[i][rng.IntN(5)] = true
	}
	dst := NewMatrix(rows, 5)
	if err := n.PredictBatchMaskedInto(dst, x, masks); err != nil {
		t.Fatal(err)
	}
	one := make([]float32, 5)
	for i := range rows {
		if err := n.PredictMaskedInto(one, x.Row(i), masks[i]); err != nil {
			t.Fatal(err)
		}
		for j := range one {
			if math.Abs(float64(one[j]-dst.Row(i)[j])) > 1e-6 || (one[j] == 0) != (dst.Row(i)[j] == 0) {
				t.Fatalf("row %d: batch gives %v, one at a time %v", i, dst.Row(i), one)
			}
		}
	}

	if a := testing.AllocsPerRun(20, func() { _ = n.PredictBatchMaskedInto(dst, x, masks) }); a != 0 && !racing {
		t.Errorf("PredictBatchMaskedInto allocates %v times per call", a)
	}

	// bad arguments are refused before anything is written
	emptyMask := slices.Clone(masks)
	emptyMask[rows-1] = make([]bool, 5)
	shortMask := slices.Clone(masks)
	shortMask[7] = masks[7][:3]
	for _, tc := range []struct {
		name  string
		dst   Matrix
		masks [][]bool
		want  error
	}{
		{"missing mask", dst, masks[:rows-1], ErrShape},
		{"short mask", dst, shortMask, ErrShape},
		{"empty mask", dst, emptyMask, ErrEmpty},
		{"wrong dst", NewMatrix(rows, 4), masks, ErrShape},
	} {
		d := NewMatrix(tc.dst.Rows, tc.dst.Cols)
		for i := range d.Data {
			d.Data[i] = 42
		}
		if err := n.PredictBatchMaskedInto(d, x, tc.masks); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
		if slices.ContainsFunc(d.Data, func(v float32) bool { return v != 42 }) {
			t.Errorf("%s: dst written on error", tc.name)
		}
	}
}

// BenchmarkPredictMasked scores one 19×19 board (1083 inputs: 3 planes of
// 361) with a 1083-256-361 policy network under a legal-move mask, next to
// the unmasked PredictInto as the reference, and the 8 symmetric images of
// a board in one batch call (ns/op there is for all 8).
func BenchmarkPredictMasked(b *testing.B) {
	const in, hidden, out = 1083, 256, 361
	n := maskNet(b, in, hidden, out)
	rng := rand.New(rand.NewPCG(9, 9))
	x := NewMatrix(8, in)
	for i := range x.Data {
		x.Data[i] = float32(rng.IntN(2))
	}
	masks := make([][]bool, 8)
	for i := range masks {
		masks[i] = make([]bool, out)
		for j := range masks[i] {
			masks[i][j] = rng.IntN(4) > 0
		}
	}
	dst := NewMatrix(8, out)
	b.Run("impl=PredictInto/batch=1", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := n.PredictInto(dst.Row(0), x.Row(0)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=PredictMaskedInto/batch=1", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := n.PredictMaskedInto(dst.Row(0), x.Row(0), masks[0]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=PredictBatchMaskedInto/batch=8", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := n.PredictBatchMaskedInto(dst, x, masks); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/8, "ns/position")
	})
}
