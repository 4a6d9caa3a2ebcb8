package simd

// gemvRow computes the single row of C = alpha·op(A)·op(B) + beta·C when
// m == 1, the batch-of-one case of prediction. Without transB the row is
// built from the rows of B, so B streams through once in storage order;
// with transB each element is a dot product with a row of B.
//
// TODO(nn): the row runs on the calling goroutine only; it is bound by the
// L2 bandwidth of one core, and splitting its columns over two cores could
// nearly halve a large layer if the hand-over costs less than a microsecond.
func gemvRow(kn *kernel, transA, transB bool, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32) {
	ws := getWorkspace(k, n, 0)
	defer workspaces.Put(ws)

	// x is the one row of op(A), gathered when it is a column of A
	x := a[:k]
	if transA {
		x = ws.a
		for p := range x {
			x[p] = a[p*lda]
		}
	}
	c = c[:n]

	if transB {
		for j := range c {
			s := alpha * kn.dot(x, b[j*ldb:j*ldb+k])
			if beta != 0 {
				s += beta * c[j]
			}
			c[j] = s
		}
		return
	}

	// y receives the sums; it is C itself when nothing else is added
	y := ws.b
	if alpha == 1 && beta == 0 {
		y = c
	}
	done := 0
	if kn.gemvRows != nil && n >= 32 {
		kn.gemvRows(k, n, x, b, ldb, y)
		done = n
	} else {
		done = gemvBlocks(kn, k, n, x, b, ldb, y)
	}
	if done < n {
		gemvNGeneric(k, n-done, x, b[done:], ldb, y[done:])
	}
	if alpha == 1 && beta == 0 {
		return
	}
	for j, s := range y {
		if beta == 0 {
			c[j] = alpha * s
		} else {
			c[j] = alpha*s + beta*c[j]
		}
	}
}

// gemvBlocks sets y[j] = Σ_p x[p]·b[p*ldb+j] with the vector blocks of kn
// and returns how many columns it covered: all n, or none when n is narrower
// than one block. The last block is moved left to end at column n, so it
// overlaps the one before rather than falling back to narrow blocks; the
// columns computed twice get the same sums in the same order both times.
func gemvBlocks(kn *kernel, k, n int, x, b []float32, ldb int, y []float32) int {
	if kn.gemvN == nil || n < kn.gemvVec {
		return 0
	}
	w := kn.gemvWide
	if n < w {
		w = kn.gemvVec
	}
	if done := kn.gemvN(k, n/w*w, x, b, ldb, y); done < n {
		kn.gemvN(k, w, x, b[n-w:], ldb, y[n-w:])
	}
	return n
}

// gemvNGeneric sets y[j] = Σ_p x[p]·b[p*ldb+j] for j < n, p < k. It adds
// eight rows of B per sweep over y, so y is loaded and stored an eighth as
// often as with one axpy per row; on js/wasm, where every load and store is
// costly, that is most of the time. Columns go four at a time through
// fixed-length slices, which leaves one bounds check per block instead of
// nine per column.
func gemvNGeneric(k, n int, x, b []float32, ldb int, y []float32) {
	y = y[:n]
	clear(y)
	p := 0
	for ; p+8 <= k; p += 8 {
		xs := x[p : p+8 : p+8]
		x0, x1, x2, x3, x4, x5, x6, x7 := xs[0], xs[1], xs[2], xs[3], xs[4], xs[5], xs[6], xs[7]
		b0, b1 := b[p*ldb:p*ldb+n], b[(p+1)*ldb:(p+1)*ldb+n]
		b2, b3 := b[(p+2)*ldb:(p+2)*ldb+n], b[(p+3)*ldb:(p+3)*ldb+n]
		b4, b5 := b[(p+4)*ldb:(p+4)*ldb+n], b[(p+5)*ldb:(p+5)*ldb+n]
		b6, b7 := b[(p+6)*ldb:(p+6)*ldb+n], b[(p+7)*ldb:(p+7)*ldb+n]
		j := 0
		for ; j+4 <= n; j += 4 {
			yy := y[j : j+4 : j+4]
			c0, c1 := b0[j:j+4:j+4], b1[j:j+4:j+4]
			c2, c3 := b2[j:j+4:j+4], b3[j:j+4:j+4]
			c4, c5 := b4[j:j+4:j+4], b5[j:j+4:j+4]
			c6, c7 := b6[j:j+4:j+4], b7[j:j+4:j+4]
			yy[0] += x0*c0[0] + x1*c1[0] + x2*c2[0] + x3*c3[0] + x4*c4[0] + x5*c5[0] + x6*c6[0] + x7*c7[0]
			yy[1] += x0*c0[1] + x1*c1[1] + x2*c2[1] + x3*c3[1] + x4*c4[1] + x5*c5[1] + x6*c6[1] + x7*c7[1]
			yy[2] += x0*c0[2] + x1*c1[2] + x2*c2[2] + x3*c3[2] + x4*c4[2] + x5*c5[2] + x6*c6[2] + x7*c7[2]
			yy[3] += x0*c0[3] + x1*c1[3] + x2*c2[3] + x3*c3[3] + x4*c4[3] + x5*c5[3] + x6*c6[3] + x7*c7[3]
		}
		for ; j < n; j++ {
			y[j] += x0*b0[j] + x1*b1[j] + x2*b2[j] + x3*b3[j] +
				x4*b4[j] + x5*b5[j] + x6*b6[j] + x7*b7[j]
		}
	}
	for ; p < k; p++ {
		axpyGeneric(x[p], b[p*ldb:p*ldb+n], y)
	}
}

// gemvCol computes the single column of C = alpha·A·op(B) + beta·C when
// n == 1 and A is not transposed: each element is a dot product of a row of
// A with the column op(B).
func gemvCol(kn *kernel, transB bool, m, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	x := b[:k]
	if !transB {
		// op(B) is a column of B: gather it
		ws := getWorkspace(k, 0, 0)
		defer workspaces.Put(ws)
		x = ws.a
		for p := range x {
			x[p] = b[p*ldb]
		}
	}
	for i := 0; i < m; i++ {
		s := alpha * kn.dot(a[i*lda:i*lda+k], x)
		if beta != 0 {
			s += beta * c[i*ldc]
		}
		c[i*ldc] = s
	}
}
