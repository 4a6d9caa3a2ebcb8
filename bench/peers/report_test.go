package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nnrt/nn/bench/spec"
)

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{49123, "49,100"},
		{4594, "4,590"},
		{1234567, "1,230,000"},
		{999.6, "1,000"},
		{512.4, "512"},
		{21.94, "21.9"},
		{3.14159, "3.14"},
		{0.01234, "0.0123"},
	} {
		if got := format(c.v); got != c.want {
			t.Errorf("format(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestMedianSkipsErrorsAndOtherWorks(t *testing.T) {
	rs := []spec.Result{
		{Work: spec.Board, Value: 30},
		{Work: spec.Board, Value: 10},
		{Work: spec.Board, Error: "boom"},
		{Work: spec.Digits, Value: 1000},
		{Work: spec.Board, Value: 20},
	}
	if v, ok := median(rs, spec.Board); !ok || v != 20 {
		t.Errorf("median = %v, %v; want 20, true", v, ok)
	}
	if _, ok := median(rs, spec.Flowers); ok {
		t.Error("median of a work with no results reported ok")
	}
}

func TestCellRatios(t *testing.T) {
	tab := &table{cells: map[string][]spec.Result{
		"nn":      {{Work: spec.Board, Value: 60000}, {Work: spec.Flowers, Value: 0.02}},
		"pytorch": {{Work: spec.Board, Value: 40000}, {Work: spec.Flowers, Value: 0.5, Partial: true}},
	}, errs: map[string]string{}}
	r := &report{unavailable: map[string]string{}}
	var notes []string
	note := func(s string) string { notes = append(notes, s); return "n/a" }

	if got := r.cell(tab, "pytorch", columns[0], note); got != "40,000 (1.50×)" {
		t.Errorf("board cell = %q", got)
	}
	if got := r.cell(tab, "pytorch", columns[2], note); got != "0.5† (25×)" {
		t.Errorf("flowers cell = %q", got)
	}
	if got := r.cell(tab, "nn", columns[0], note); got != "**60,000**" {
		t.Errorf("nn cell = %q", got)
	}
	if got := r.cell(tab, "pytorch", columns[1], note); got != "n/a" || len(notes) != 1 ||
		!strings.Contains(notes[0], "pytorch digits") {
		t.Errorf("missing cell = %q, notes %q", got, notes)
	}
}

func TestProxyRefusal(t *testing.T) {
	line := "go: example.com/m imports github.com/a/b: reading https://proxy.example/github.com/a/b/@v/list: 403 Forbidden"
	got, ok := proxyRefusal(line)
	if !ok || got != "the module proxy refused github.com/a/b (403 Forbidden)" {
		t.Errorf("proxyRefusal = %q, %v", got, ok)
	}
	if _, ok := proxyRefusal("main.go:3: undefined: x"); ok {
		t.Error("an ordinary compile error read as a proxy refusal")
	}
}

func TestCrashLine(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(wd)
	stderr := "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\n" +
		"runtime.panicIndex()\n\t/usr/local/go/src/runtime/panic.go:115 +0x33\n" +
		"example.com/x.f(...)\n\t" + root + "/simd/gemm.go:27 +0x8aa\nexit status 2\n"
	want := "panic: runtime error: index out of range [3] with length 3 at simd/gemm.go:27"
	if got := crashLine(stderr, nil); got != want {
		t.Errorf("crashLine = %q, want %q", got, want)
	}
	if got := crashLine("first\nTypeError: x is undefined\n\n", nil); got != "TypeError: x is undefined" {
		t.Errorf("crashLine without a panic = %q", got)
	}
}

func TestPerCPUSecond(t *testing.T) {
	rate := perCPUSecond(spec.Result{Value: 1000, Unit: "samples/s", Samples: 2000, Seconds: 2, CPU: 1})
	if rate.Value != 2000 {
		t.Errorf("rate per CPU second = %v, want 2000", rate.Value)
	}
	total := perCPUSecond(spec.Result{Value: 4, Unit: "s", Seconds: 2, CPU: 0.5})
	if total.Value != 1 {
		t.Errorf("total CPU seconds = %v, want 1", total.Value)
	}
	lat := perCPUSecond(spec.Result{Value: 12, Unit: "µs"})
	if lat.Value != 12 {
		t.Errorf("latency changed to %v", lat.Value)
	}
}

func TestWallRate(t *testing.T) {
	rs := []spec.Result{
		{Work: spec.Digits, Value: 9000, Samples: 6000, Seconds: 2, CPU: 0.5},
		{Work: spec.Digits, Value: 9000, Samples: 6000, Seconds: 3, CPU: 0.5},
		{Work: spec.Digits, Value: 9000, Samples: 6000, Seconds: 6, CPU: 0.5},
		{Work: spec.Board, Samples: 1, Seconds: 1},
	}
	if v, ok := wallRate(rs, spec.Digits); !ok || v != 2000 {
		t.Errorf("wallRate = %v, %v; want 2000 samples/s", v, ok)
	}
}
