package spec

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDataFilesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	x := []float32{0, -1, 1.5, float32(math.Pi), -0.25, 1e-7}
	y := []int{0, 360, 7}
	xp, yp := filepath.Join(dir, "x"), filepath.Join(dir, "y")
	if err := WriteF32(xp, x); err != nil {
		t.Fatal(err)
	}
	if err := WriteLabels(yp, y); err != nil {
		t.Fatal(err)
	}

	b, err := os.ReadFile(xp)
	if err != nil {
		t.Fatal(err)
	}
	// -1 as little-endian float32 is 00 00 80 bf.
	if want := []byte{0, 0, 0x80, 0xbf}; !bytes.Equal(b[4:8], want) {
		t.Errorf("x[1] bytes = % x, want % x", b[4:8], want)
	}

	gx, err := ReadF32(xp, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range gx {
		if v != x[i] {
			t.Errorf("x[%d] = %v, want %v", i, v, x[i])
		}
	}
	gy, err := ReadLabels(yp, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range gy {
		if v != y[i] {
			t.Errorf("y[%d] = %d, want %d", i, v, y[i])
		}
	}
	if _, err := ReadF32(xp, 7); err == nil {
		t.Error("reading 7 values from a file of 6 succeeded")
	}
}

func TestFlat(t *testing.T) {
	s := Spec{Threads: 2, Seed: 1, Works: []Work{
		{Name: Board, Inputs: 361, Hidden: 256, Outputs: 361, Batch: 32, Epochs: 10,
			Optimizer: "sgd", LR: 0.01, X: "/d/b.x", Y: "/d/b.y", Rows: 1000, Warmup: 5, Budget: 2.5},
		{Name: Predict, Inputs: 361, Hidden: 256, Outputs: 361, Batch: 256, X: "/d/b.x", Rows: 256},
	}}
	want := "board 2 1 361 256 361 32 10 sgd 0.01 1000 5 2.5 /d/b.x /d/b.y - - 0\n" +
		"predict 2 1 361 256 361 256 0 - 0 256 0 0 /d/b.x - - - 0\n"
	if got := s.Flat(); got != want {
		t.Errorf("Flat() =\n%s\nwant\n%s", got, want)
	}
	if got := FlatPath("/tmp/spec-1.json"); got != "/tmp/spec-1.txt" {
		t.Errorf("FlatPath = %q", got)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{5}, 5},
		{[]time.Duration{9, 1, 5}, 5},
		{[]time.Duration{9, 1, 5, 3}, 4},
	} {
		if got := Median(append([]time.Duration(nil), c.in...)); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestMedianCallHonoursTheMinimum(t *testing.T) {
	calls := 0
	MedianCall(0, 17, func(i int) {
		if i != calls {
			t.Fatalf("call %d got index %d", calls, i)
		}
		calls++
	})
	if calls != 17 {
		t.Errorf("%d calls with a zero budget, want the minimum 17", calls)
	}
}

func TestEmit(t *testing.T) {
	var b bytes.Buffer
	Emit(&b, Result{Peer: "nn", Work: Predict1, Value: 3.5, Unit: "µs"})
	line := b.String()
	if !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 {
		t.Fatalf("Emit wrote %q, want one line", line)
	}
	var r Result
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		t.Fatal(err)
	}
	if r.Peer != "nn" || r.Work != Predict1 || r.Value != 3.5 || r.Unit != "µs" {
		t.Errorf("round trip gave %+v", r)
	}
}
