//go:build wasm || 386 || arm || mips || mipsle

package nn

import (
	"context"
	"runtime"
	"testing"
)

// Networks kept alive together are refused with an error once the heap
// budget is reached, instead of the runtime stopping the whole program;
// released ones make room again.
func TestHeapBudget(t *testing.T) {
	const in = 1 << 12
	big := func() (*Network, error) {
		return New(Input(in), Dense(maxParams/2/in, Identity, WithInit(Zeros()))) // 128 MiB
	}
	var kept []*Network
	var err error
	for range 40 { // 5 GiB if nothing refused
		var n *Network
		if n, err = big(); err != nil {
			break
		}
		kept = append(kept, n)
	}
	checkErr(t, err, ErrConfig, "this platform allows are in use")
	if len(kept) < 4 {
		t.Errorf("refused after %d networks", len(kept))
	}

	// training a kept network needs room too
	x := NewMatrix(1, in)
	y := NewMatrix(1, kept[0].OutputSize())
	_, err = kept[0].Fit(context.Background(), x, y, TrainConfig{BatchSize: 1})
	checkErr(t, err, ErrConfig, "training needs")
	runtime.KeepAlive(kept)

	kept = nil
	runtime.GC()
	if _, err := big(); err != nil {
		t.Errorf("after releasing the networks: %v", err)
	}
}
