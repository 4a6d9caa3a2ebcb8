package simd

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// benchGemm times one product at every kernel level, reporting GFLOPS, so
// the portable kernel in the same run is the reference for the others.
func benchGemm(b *testing.B, transA, transB bool, m, n, k, threads int) {
	r := rand.New(rand.NewPCG(1, 2))
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	x, y, c := randSlice(r, ar*ac), randSlice(r, br*bc), make([]float32, m*n)
	for _, kn := range kernels {
		b.Run("impl="+kn.level.String(), func(b *testing.B) {
			prevLevel, _ := SetLevel(kn.level)
			prevThreads := SetMaxThreads(threads)
			defer func() {
				SetLevel(prevLevel)
				SetMaxThreads(prevThreads)
			}()
			b.ReportAllocs()
			for b.Loop() {
				Gemm(transA, transB, m, n, k, 1, x, ac, y, bc, 0, c, n)
			}
			b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}

// BenchmarkGemmSquare times n×n×n products, on one thread and on all.
func BenchmarkGemmSquare(b *testing.B) {
	for _, s := range []int{64, 128, 256, 512, 1024} {
		for _, t := range []int{1, runtime.GOMAXPROCS(0)} {
			b.Run(fmt.Sprintf("n=%d/threads=%d", s, t), func(b *testing.B) {
				benchGemm(b, false, false, s, s, s, t)
			})
			if t == 1 && s < 256 {
				break
			}
		}
	}
}

// BenchmarkGemmLayer times the three products of a dense layer in→out at
// batch sizes 1, 32 and 256, on one thread: the forward pass X·W, and the
// backward passes dX = dY·Wᵀ and dW = Xᵀ·dY.
func BenchmarkGemmLayer(b *testing.B) {
	layers := [][2]int{{361, 256}, {256, 361}, {784, 128}, {128, 10}}
	for _, l := range layers {
		in, out := l[0], l[1]
		for _, batch := range []int{1, 32, 256} {
			name := fmt.Sprintf("layer=%dx%d/batch=%d", in, out, batch)
			b.Run(name+"/pass=fwd", func(b *testing.B) { benchGemm(b, false, false, batch, out, in, 1) })
			if batch == 1 {
				continue
			}
			b.Run(name+"/pass=dx", func(b *testing.B) { benchGemm(b, false, true, batch, in, out, 1) })
			b.Run(name+"/pass=dw", func(b *testing.B) { benchGemm(b, true, false, in, out, batch, 1) })
		}
	}
}

// BenchmarkAdam times one Adam step and its guarded apply over the 185,705
// parameters of a 361-256-361 network, at every level.
func BenchmarkAdam(b *testing.B) {
	const n = 361*256 + 256 + 256*361 + 361
	r := rand.New(rand.NewPCG(3, 4))
	p, g, m, v := randSlice(r, n), randSlice(r, n), make([]float32, n), make([]float32, n)
	for _, kn := range kernels {
		b.Run("params=185705/impl="+kn.level.String(), func(b *testing.B) {
			prev, _ := SetLevel(kn.level)
			defer SetLevel(prev)
			b.SetBytes(4 * n)
			b.ReportAllocs()
			for b.Loop() {
				Adam(g, m, v, 1e-3, 0.9, 0.999, 1e-7, 10, 1000, 1)
				AddIfFinite(p, g)
			}
		})
	}
}

// BenchmarkExp times Exp over one 361-wide softmax row at every level.
func BenchmarkExp(b *testing.B) { benchRow(b, 5, Exp) }

// BenchmarkSoftmax times Softmax over one 361-wide row, the output of the
// board network, at every level.
func BenchmarkSoftmax(b *testing.B) { benchRow(b, 7, Softmax) }

// benchRow times f on one random 361-wide row at every level.
func benchRow(b *testing.B, seed uint64, f func(dst, x []float32)) {
	r := rand.New(rand.NewPCG(seed, seed+1))
	x := randSlice(r, 361)
	dst := make([]float32, len(x))
	for _, kn := range kernels {
		b.Run("n=361/impl="+kn.level.String(), func(b *testing.B) {
			prev, _ := SetLevel(kn.level)
			defer SetLevel(prev)
			b.SetBytes(4 * int64(len(x)))
			b.ReportAllocs()
			for b.Loop() {
				f(dst, x)
			}
		})
	}
}
