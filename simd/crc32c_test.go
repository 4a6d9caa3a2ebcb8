package simd

import (
	"hash/crc32"
	"math/rand/v2"
	"strconv"
	"testing"
)

// CRC32C agrees with hash/crc32 at every level, for every length up to
// several folding blocks, any start alignment and any prior value.
func TestCRC32C(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, 4096+64)
	for i := range buf {
		buf[i] = byte(rng.Uint32())
	}
	lengths := []int{}
	for n := 0; n <= 1100; n++ {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, 2047, 2048, 2049, 4095, 4096)
	tab := crc32.MakeTable(crc32.Castagnoli)
	forEachLevel(t, func(t *testing.T, _ *kernel) {
		for _, n := range lengths {
			off := rng.IntN(64)
			p := buf[off : off+n]
			prior := rng.Uint32()
			if got, want := CRC32C(prior, p), crc32.Update(prior, tab, p); got != want {
				t.Fatalf("CRC32C(%08x, %d bytes at offset %d) = %08x, want %08x", prior, n, off, got, want)
			}
		}
	})
}

// Splitting an input anywhere and continuing from the first part's value
// gives the value of the whole.
func TestCRC32CContinues(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	p := make([]byte, 3000)
	for i := range p {
		p[i] = byte(rng.Uint32())
	}
	whole := CRC32C(0, p)
	for cut := 0; cut <= len(p); cut += 37 {
		if got := CRC32C(CRC32C(0, p[:cut]), p[cut:]); got != whole {
			t.Fatalf("cut at %d: %08x, want %08x", cut, got, whole)
		}
	}
	if whole != crc32.Checksum(p, crc32.MakeTable(crc32.Castagnoli)) {
		t.Fatal("CRC32C(0, p) differs from crc32.Checksum")
	}
}

// BenchmarkCRC32C compares CRC32C with hash/crc32 on the same bytes.
func BenchmarkCRC32C(b *testing.B) {
	tab := crc32.MakeTable(crc32.Castagnoli)
	for _, size := range []int{1 << 10, 64 << 10, 16 << 20} {
		p := make([]byte, size)
		for i := range p {
			p[i] = byte(i * 7)
		}
		name := "size=" + strconv.Itoa(size>>10) + "KB"
		b.Run(name+"/impl=simd", func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				CRC32C(0, p)
			}
		})
		b.Run(name+"/impl=hash-crc32", func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				crc32.Update(0, tab, p)
			}
		})
	}
}

func TestCRC32CAllocs(t *testing.T) {
	p := make([]byte, 1000)
	if n := testing.AllocsPerRun(10, func() { CRC32C(1, p) }); n != 0 {
		t.Errorf("CRC32C allocates %v times per call", n)
	}
}
