package main

import (
	"io"
	"math"
	"path/filepath"
	"testing"

	"github.com/nnrt/nn/examples/internal/plot"
)

func TestOverfit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "overfit.png")
	for seed := uint64(1); seed <= 3; seed++ {
		cfg := config{epochs: 400, patience: 30, seed: seed}
		if seed == 2 {
			cfg.out = path
		}
		r, err := run(io.Discard, cfg)
		if err != nil {
			t.Fatal(err)
		}

		// training loss keeps falling while validation loss climbs back
		if r.lastTrain > r.bestTrain/10 || r.lastVal < 1.5*r.bestVal {
			t.Errorf("seed %d: training loss %.4f -> %.4f, validation loss %.4f -> %.4f after its best epoch %d;"+
				" want overfitting", seed, r.bestTrain, r.lastTrain, r.bestVal, r.lastVal, r.bestEpoch)
		}

		// early stopping waits `patience` epochs past its best, then puts
		// that epoch's weights back
		if r.stoppedAt >= cfg.epochs || r.stoppedAt != r.keptEpoch+cfg.patience {
			t.Errorf("seed %d: stopped after %d epochs keeping epoch %d, want %d epochs later",
				seed, r.stoppedAt, r.keptEpoch, cfg.patience)
		}
		if math.Abs(r.restoredVal-r.keptVal) > 1e-5*r.keptVal {
			t.Errorf("seed %d: validation loss after Fit %v, recorded at epoch %d %v",
				seed, r.restoredVal, r.keptEpoch, r.keptVal)
		}
		if seed == 2 && (r.keptEpoch != r.bestEpoch || r.keptVal != r.bestVal) {
			t.Errorf("kept epoch %d (loss %v), want the best of the full run, %d (%v)",
				r.keptEpoch, r.keptVal, r.bestEpoch, r.bestVal)
		}
	}

	img, err := plot.ReadPNG(path)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 360 {
		t.Errorf("picture is %v, want 640×360", b)
	}
}
