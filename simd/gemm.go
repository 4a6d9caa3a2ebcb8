package simd

import (
	"sync"
	"unsafe"
)

// parallelFlops is the size of product, in floating-point operations, below
// which Gemm runs on the calling goroutine. On a 2-core machine a second
// goroutine gained nothing on the 6–13 MFLOP products of a dense layer at
// batch 32–64 (training and batch prediction ran 2–15% slower split), 20%
// on a 33 MFLOP square and 80% on a 268 MFLOP one: waking an idle thread
// and sharing caches cost tens of microseconds.
const parallelFlops = 1 << 24

// gemmParallel splits C into bands of whole micro-tiles, one per goroutine,
// along its longer side, and runs gemmBlocked on each band; the calling
// goroutine takes the last band itself.
func gemmParallel(kn *kernel, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	t, tiles, byRows := split(kn, m, n, k)
	if t <= 1 {
		gemmBlocked(kn, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}

	// band returns the shape of band w and its views of A, B and C
	band := func(w int) (mw, nw int, aw, bw, cw []float32) {
		lo, hi := w*tiles/t, (w+1)*tiles/t
		if byRows {
			i0, i1 := lo*kn.mr, min(hi*kn.mr, m)
			aw = a[i0:] // transposed A: rows of op(A) are columns
			if !transA {
				aw = a[i0*lda:]
			}
			return i1 - i0, n, aw, b, c[i0*ldc:]
		}
		j0, j1 := lo*kn.nr, min(hi*kn.nr, n)
		bw = b[j0:]
		if transB {
			bw = b[j0*ldb:]
		}
		return m, j1 - j0, a, bw, c[j0:]
	}

	var wg sync.WaitGroup
	for w := 0; w < t-1; w++ {
		mw, nw, aw, bw, cw := band(w)
		wg.Add(1)
		go func() {
			defer wg.Done()
			gemmBlocked(kn, transA, transB, mw, nw, k, alpha, aw, lda, bw, ldb, beta, cw, ldc)
		}()
	}
	mw, nw, aw, bw, cw := band(t - 1)
	gemmBlocked(kn, transA, transB, mw, nw, k, alpha, aw, lda, bw, ldb, beta, cw, ldc)
	wg.Wait()
}

// split returns how many goroutines an m×n×k product runs on, and over how
// many micro-tiles along the rows (byRows) or the columns of C they share.
func split(kn *kernel, m, n, k int) (t, tiles int, byRows bool) {
	byRows = m >= n
	tiles = (n + kn.nr - 1) / kn.nr
	if byRows {
		tiles = (m + kn.mr - 1) / kn.mr
	}
	// the flop count in int64: 2·1024³ already overflows a 32-bit int
	t = int(min(int64(threads()), 2*int64(m)*int64(n)*int64(k)/parallelFlops, int64(tiles)))
	return max(t, 1), tiles, byRows
}

// workspace holds the packed panels of one running product.
type workspace struct {
	a, b, tile []float32
	mem        []float32
}

var workspaces sync.Pool

// getWorkspace returns a workspace whose panels hold na, nb and nt floats,
// each starting on a 64-byte boundary.
func getWorkspace(na, nb, nt int) *workspace {
	ws, _ := workspaces.Get().(*workspace)
	if ws == nil {
		ws = new(workspace)
	}
	const pad = 16 // floats per 64 bytes
	ra, rb, rt := roundUp(na, pad), roundUp(nb, pad), roundUp(nt, pad)
	if need := ra + rb + rt + pad; len(ws.mem) < need {
		ws.mem = make([]float32, need)
	}
	off := int(uintptr(unsafe.Pointer(&ws.mem[0]))&63) / 4
	off = (pad - off) % pad
	ws.a = ws.mem[off : off+na]
	ws.b = ws.mem[off+ra : off+ra+nb]
	ws.tile = ws.mem[off+ra+rb : off+ra+rb+nt]
	return ws
}

func roundUp(x, m int) int { return (x + m - 1) / m * m }

// gemmBlocked runs the product on the calling goroutine. The loops follow
// the usual layering: a kc×nc block of B is packed once and stays in L3,
// an mc×kc block of A is packed into L2, and the micro-kernel walks a kc×nr
// sliver of B (held in L1) against every mr×kc sliver of A.
func gemmBlocked(kn *kernel, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	mr, nr := kn.mr, kn.nr

	// With few rows each sliver of B serves only a few tiles, too few to
	// repay packing it: the micro-kernel then reads B where it lies, and only
	// a last, narrower sliver is packed.
	direct := !transB && m <= directRows
	kc := min(kn.kc, k)
	mc := min(kn.mc, roundUp(m, mr))
	nc := min(kn.nc, roundUp(n, nr))
	ws := getWorkspace(mc*kc, kc*nc, mr*nr)
	defer workspaces.Put(ws)

	for jc := 0; jc < n; jc += nc {
		nb := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			bt := beta
			if pc > 0 {
				bt = 1
			}
			bs := bSlivers{packed: ws.b, ld: ldb}
			if direct {
				bs.full = nb / nr * nr
				bs.src = b[pc*ldb+jc:]
				packB(kn, ws.b, false, b, ldb, pc, jc+bs.full, kb, nb-bs.full)
			} else {
				packB(kn, ws.b, transB, b, ldb, pc, jc, kb, nb)
			}
			for ic := 0; ic < m; ic += mc {
				mb := min(mc, m-ic)
				packA(kn, ws.a, transA, a, lda, ic, pc, mb, kb)
				macroKernel(kn, mb, nb, kb, alpha, ws.a, bs, bt, c[ic*ldc+jc:], ldc, ws.tile)
			}
		}
	}
}

// directRows is the largest m for which B is read in place, unpacked.
const directRows = 64

// bSlivers locates the slivers of a kb×nb block of B: the first full
// columns are read in place from src with row stride ld, the rest from
// packed (which holds all of them when full is 0).
type bSlivers struct {
	src    []float32
	ld     int
	full   int
	packed []float32
}

// sliver returns the sliver of B starting at column jr and its row stride.
func (bs bSlivers) sliver(jr, kb, nr int) ([]float32, int) {
	if jr < bs.full {
		return bs.src[jr:], bs.ld
	}
	off := (jr - bs.full) * kb
	return bs.packed[off : off+nr*kb], nr
}

// macroKernel multiplies a packed mb×kb block of A by a kb×nb block of B
// into C. Tiles cut by the edge of C are computed whole into tile and then
// merged, so the micro-kernel never sees a partial tile.
func macroKernel(kn *kernel, mb, nb, kb int, alpha float32, pa []float32, bs bSlivers, beta float32, c []float32, ldc int, tile []float32) {
	mr, nr := kn.mr, kn.nr
	for jr := 0; jr < nb; jr += nr {
		nw := min(nr, nb-jr)
		bp, ldb := bs.sliver(jr, kb, nr)
		for ir := 0; ir < mb; ir += mr {
			mh := min(mr, mb-ir)
			ap := pa[ir*kb : ir*kb+mr*kb]
			if mh == mr && nw == nr {
				kn.tile(kb, ap, bp, ldb, c[ir*ldc+jr:], ldc, alpha, beta)
				continue
			}
			if kn.tileHalf != nil && nw <= nr/2 {
				kn.tileHalf(kb, ap, bp, ldb, tile, nr, alpha, 0)
			} else {
				kn.tile(kb, ap, bp, ldb, tile, nr, alpha, 0)
			}
			mergeTile(mh, nw, tile, nr, beta, c[ir*ldc+jr:], ldc)
		}
	}
}

// mergeTile sets C = T + beta·C on an mh×nw corner, not reading C when beta
// is zero.
func mergeTile(mh, nw int, t []float32, ldt int, beta float32, c []float32, ldc int) {
	for i := 0; i < mh; i++ {
		src := t[i*ldt : i*ldt+nw]
		dst := c[i*ldc : i*ldc+nw]
		if beta == 0 {
			copy(dst, src)
			continue
		}
		for j, v := range src {
			dst[j] = v + beta*dst[j]
		}
	}
}

// packA copies the mb×kb block of op(A) at (ic, pc) into slivers of mr
// rows: element (i, p) of sliver s lands at dst[s*mr*kb + p*mr + i].
//
// TODO(nn): for a row-major A this is a transposition, done 8 and 4 rows
// at a time in AVX registers; it is some 4% of a 256-row prediction of the
// board network on AVX-512, where the products themselves run at about 95%
// of the multiply units' peak. Transposing 12 rows at a time in ZMM
// registers, or tiles that broadcast from the rows of A where they lie,
// would take most of it back.
func packA(kn *kernel, dst []float32, transA bool, a []float32, lda, ic, pc, mb, kb int) {
	if transA {
		packSlivers(kn, dst, a[pc*lda+ic:], lda, kb, mb, kn.mr, true)
	} else {
		packSlivers(kn, dst, a[ic*lda+pc:], lda, kb, mb, kn.mr, false)
	}
}

// packB copies the kb×nb block of op(B) at (pc, jc) into slivers of nr
// columns: element (p, j) of sliver s lands at dst[s*nr*kb + p*nr + j].
func packB(kn *kernel, dst []float32, transB bool, b []float32, ldb, pc, jc, kb, nb int) {
	if transB {
		packSlivers(kn, dst, b[jc*ldb+pc:], ldb, kb, nb, kn.nr, false)
	} else {
		packSlivers(kn, dst, b[pc*ldb+jc:], ldb, kb, nb, kn.nr, true)
	}
}

// packSlivers packs a depth×width block into slivers w wide: element (p, x)
// of the block goes to dst[(x/w)*w*depth + p*w + x%w], and the columns of a
// last, narrower sliver are zero. The block is read at src[p*ld+x] when
// depthRows is set, else at src[x*ld+p], which is a transposition.
func packSlivers(kn *kernel, dst, src []float32, ld, depth, width, w int, depthRows bool) {
	for s := 0; s < width; s += w {
		cols := min(w, width-s)
		d := dst[s*depth : s*depth+w*depth]
		if depthRows {
			// each p gives cols contiguous values
			for p := 0; p < depth; p++ {
				row := d[p*w : p*w+w]
				copy(row, src[p*ld+s:p*ld+s+cols])
				clear(row[cols:])
			}
			continue
		}
		// blocks of eight, then four, runs in vector registers; the last
		// block of four may overlap the one before, rewriting the same values
		x := 0
		for _, t := range []struct {
			n int
			f func(dst []float32, ldd int, src []float32, lds, depth int)
		}{{8, kn.transpose8}, {4, kn.transpose4}} {
			if t.f == nil {
				continue
			}
			for ; x < cols && (x+t.n <= cols || t.n == 4 && cols >= 4); x += t.n {
				x = min(x, cols-t.n)
				t.f(d[x:], w, src[(s+x)*ld:], ld, depth)
				p := depth &^ (t.n - 1)
				transposeRuns(d[x:], w, src[(s+x)*ld:], ld, p, depth, t.n)
			}
		}
		if x < cols {
			transposeRuns(d[x:], w, src[(s+x)*ld:], ld, 0, depth, cols-x)
		}
		if cols < w {
			for p := 0; p < depth; p++ {
				clear(d[p*w+cols : p*w+w])
			}
		}
	}
}

// transposeRuns sets d[p*w+x] = src[x*ld+p] for x < runs and p0 <= p < p1,
// four runs at a time so that each p writes four adjacent values.
func transposeRuns(d []float32, w int, src []float32, ld, p0, p1, runs int) {
	x := 0
	for ; x+4 <= runs; x += 4 {
		r0 := src[x*ld+p0 : x*ld+p1]
		r1 := src[(x+1)*ld+p0 : (x+1)*ld+p1]
		r2 := src[(x+2)*ld+p0 : (x+2)*ld+p1]
		r3 := src[(x+3)*ld+p0 : (x+3)*ld+p1]
		for i, v := range r0 {
			q := d[(p0+i)*w+x : (p0+i)*w+x+4 : (p0+i)*w+x+4]
			q[0], q[1], q[2], q[3] = v, r1[i], r2[i], r3[i]
		}
	}
	for ; x < runs; x++ {
		for i, v := range src[x*ld+p0 : x*ld+p1] {
			d[(p0+i)*w+x] = v
		}
	}
}
