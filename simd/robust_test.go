package simd

import (
	"fmt"
	"testing"
)

// Gemm accepts operands cut to the shortest length its checks allow (the
// last row of a strided matrix without its padding), including a
// transposed A of one or two rows whose stride exceeds them.
func TestGemmShortOperands(t *testing.T) {
	forEachLevel(t, func(t *testing.T, kn *kernel) {
		for _, mk := range [][2]int{{1, 1}, {2, 1}, {2, 2}, {3, 1}, {3, 2}} {
			for _, tA := range []bool{false, true} {
				for _, tB := range []bool{false, true} {
					m, k := mk[0], mk[1]
					n, lda, ldb, ldc := 3, 4, 5, 6
					ar, ac, br, bc := m, k, k, n
					if tA {
						ar, ac = k, m
					}
					if tB {
						br, bc = n, k
					}
					a := make([]float32, (ar-1)*lda+ac)
					b := make([]float32, (br-1)*ldb+bc)
					for i := range a {
						a[i] = float32(i + 1)
					}
					for i := range b {
						b[i] = float32(2*i - 3)
					}
					c := make([]float32, (m-1)*ldc+n)
					name := fmt.Sprintf("m=%d,k=%d,tA=%v,tB=%v", m, k, tA, tB)
					func() {
						defer func() {
							if r := recover(); r != nil {
								t.Fatalf("%s: panic %v", name, r)
							}
						}()
						Gemm(tA, tB, m, n, k, 1, a, lda, b, ldb, 0, c, ldc)
					}()
					for i := range m {
						for j := range n {
							var want float32
							for p := range k {
								ai, bi := i*lda+p, p*ldb+j
								if tA {
									ai = p*lda + i
								}
								if tB {
									bi = j*ldb + p
								}
								av, bv := a[ai], b[bi]
								want += av * bv
							}
							if got := c[i*ldc+j]; got != want {
								t.Errorf("%s: C[%d][%d] = %v, want %v", name, i, j, got, want)
							}
						}
					}
				}
			}
		}
	})
}
