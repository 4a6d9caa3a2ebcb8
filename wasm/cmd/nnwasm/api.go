//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"syscall/js"
	"time"

	"github.com/nnrt/nn"
)

// The handlers below are the functions the JavaScript module calls. The
// module checks argument types first to give friendlier TypeErrors; these
// check them again, since nothing from JavaScript is trusted.

var exports = map[string]handler{
	"create":      create,
	"load":        load,
	"info":        info,
	"predict":     predict,
	"train":       train,
	"evaluate":    evaluate,
	"save":        save,
	"dispose":     dispose,
	"memoryStats": memoryStats,
	"board":       board,
}

// create(specJSON) builds a network and returns its handle.
func create(args []js.Value) (any, error) {
	s, err := stringArg("create", args, 0, "spec")
	if err != nil {
		return nil, err
	}
	var spec netSpec
	if err := decodeStrict("spec", s, &spec); err != nil {
		return nil, err
	}
	opts, err := spec.options()
	if err != nil {
		return nil, err
	}
	n, err := nn.New(opts...)
	if err != nil {
		return nil, err
	}
	return addHandle(n), nil
}

// load(bytes) reads a model file and returns its handle.
func load(args []js.Value) (any, error) {
	b, err := bytesArg("load", args, 0, "model")
	if err != nil {
		return nil, err
	}
	// a whole buffer: bytes after the model are an error (trailingData),
	// not ignored. b is this call's own copy of the JavaScript bytes, so
	// the network may keep its float32 weights where they lie in it.
	n, err := nn.LoadInPlace(b)
	if err != nil {
		return nil, err
	}
	return addHandle(n), nil
}

// netInfo is what info reports about a network.
type netInfo struct {
	Inputs  int         `json:"inputs"`
	Outputs int         `json:"outputs"`
	Layers  []layerInfo `json:"layers"`
}

type layerInfo struct {
	Kind       string  `json:"kind"`
	Inputs     int     `json:"inputs"`
	Outputs    int     `json:"outputs"`
	Activation string  `json:"activation,omitempty"`
	Rate       float32 `json:"rate,omitempty"`
}

// info(h) returns a JSON description of the network.
func info(args []js.Value) (any, error) {
	e, _, err := entryArg("info", args)
	if err != nil {
		return nil, err
	}
	ni := netInfo{Inputs: e.net.InputSize(), Outputs: e.net.OutputSize()}
	for _, l := range e.net.Layers() {
		li := layerInfo{Inputs: l.In, Outputs: l.Out}
		if l.Kind == nn.DropoutLayer {
			li.Kind, li.Rate = "dropout", l.Rate
		} else {
			li.Kind, li.Activation = "dense", l.Act.String()
		}
		ni.Layers = append(ni.Layers, li)
	}
	return marshal(ni)
}

// predict(h, x, out) writes the outputs for the rows of x into out. Both are
// Uint8Array views of Float32Arrays; out must hold rows×outputs values.
func predict(args []js.Value) (any, error) {
	e, _, err := entryArg("predict", args)
	if err != nil {
		return nil, err
	}
	x, err := floatsArg("predict", args, 1, "input", e.in)
	if err != nil {
		return nil, err
	}
	e.in = x
	ni, no := e.net.InputSize(), e.net.OutputSize()
	if len(x) == 0 || len(x)%ni != 0 {
		return nil, fmt.Errorf("nn: predict: input has %d values, want a positive multiple of %d: %w", len(x), ni, nn.ErrShape)
	}
	rows := len(x) / ni
	out := arg(args, 2)
	if out.Type() != js.TypeObject || !out.InstanceOf(jsUint8Array) {
		return nil, argError("predict", 2, "output (a Float32Array)", out)
	}
	if got := out.Get("byteLength").Int(); got != 4*rows*no {
		return nil, fmt.Errorf("nn: predict: output has room for %d values, want %d (%d rows × %d outputs): %w", got/4, rows*no, rows, no, nn.ErrShape)
	}
	if err := checkArgSize("predict", "output", 4*rows*no); err != nil {
		return nil, err
	}
	if cap(e.out) < rows*no {
		e.out = make([]float32, rows*no)
	}
	y := e.out[:rows*no]
	if rows == 1 {
		err = e.net.PredictInto(y, x)
	} else {
		err = e.net.PredictBatchInto(nn.Matrix{Rows: rows, Cols: no, Data: y}, nn.Matrix{Rows: rows, Cols: ni, Data: x})
	}
	if err != nil {
		return nil, err
	}
	js.CopyBytesToJS(out, floatBytes(y))
	return nil, nil
}

// train(h, x, y, optionsJSON, onEpoch, tick) fits the network and returns a
// Promise of the JSON history. onEpoch, when a function, is called after
// each epoch with its statistics; returning false (or a Promise of false)
// stops training. tick returns a Promise settled on a later turn of the
// event loop; training waits on it whenever it has run for yieldMs, so the
// page stays responsive.
func train(args []js.Value) (any, error) {
	e, h, err := entryArg("train", args)
	if err != nil {
		return nil, err
	}
	xm, ym, err := dataArgs("train", args, e.net)
	if err != nil {
		return nil, err
	}
	s, err := stringArg("train", args, 3, "options")
	if err != nil {
		return nil, err
	}
	var spec trainSpec
	if err := decodeStrict("train options", s, &spec); err != nil {
		return nil, err
	}
	cfg, err := spec.config()
	if err != nil {
		return nil, err
	}
	onEpoch, tick := arg(args, 4), arg(args, 5)
	if t := onEpoch.Type(); t != js.TypeFunction && t != js.TypeUndefined && t != js.TypeNull {
		return nil, argError("train", 4, "onEpoch (a function or undefined)", onEpoch)
	}
	if tick.Type() != js.TypeFunction {
		return nil, argError("train", 5, "tick (a function)", tick)
	}
	yieldEvery := 16 * time.Millisecond
	if spec.YieldMs != nil {
		yieldEvery = time.Duration(*spec.YieldMs * float64(time.Millisecond))
	}
	if err := startTraining(h, e); err != nil {
		return nil, err
	}

	last := time.Now()
	cfg.OnEpoch = func(st nn.EpochStats) error {
		if isDisposed(e) {
			return fmt.Errorf("nn: train: network %d was disposed during training", h)
		}
		if onEpoch.Type() == js.TypeFunction {
			r, err := callJS(onEpoch, epochObject(st))
			if err == nil {
				r, err = await(r)
			}
			if err != nil {
				return fmt.Errorf("nn: train: onEpoch: %v", err)
			}
			if r.Type() == js.TypeBoolean && !r.Bool() {
				return nn.ErrStop
			}
		}
		if time.Since(last) >= yieldEvery {
			r, err := callJS(tick)
			if err == nil {
				_, err = await(r)
			}
			if err != nil {
				return fmt.Errorf("nn: train: tick: %v", err)
			}
			last = time.Now()
		}
		if isDisposed(e) {
			return fmt.Errorf("nn: train: network %d was disposed during training", h)
		}
		return nil
	}
	return newPromise("train", func() (any, error) {
		defer stopTraining(e)
		hist, err := e.net.Fit(context.Background(), xm, ym, cfg)
		if err != nil && !errors.Is(err, nn.ErrStop) {
			return nil, err
		}
		return marshal(historyJSON(hist))
	}), nil
}

// evaluate(h, x, y) returns the JSON metrics of the network on x and y.
func evaluate(args []js.Value) (any, error) {
	e, _, err := entryArg("evaluate", args)
	if err != nil {
		return nil, err
	}
	xm, ym, err := dataArgs("evaluate", args, e.net)
	if err != nil {
		return nil, err
	}
	m, err := e.net.Evaluate(xm, ym)
	if err != nil {
		return nil, err
	}
	return marshal(map[string]any{
		"loss": finite(m.Loss), "accuracy": finite(m.Accuracy),
		"mse": finite(m.MSE), "mae": finite(m.MAE), "n": m.N,
	})
}

// save(h, optionsJSON) returns the model file as a Uint8Array.
func save(args []js.Value) (any, error) {
	e, _, err := entryArg("save", args)
	if err != nil {
		return nil, err
	}
	s, err := stringArg("save", args, 1, "options")
	if err != nil {
		return nil, err
	}
	var spec saveSpec
	if err := decodeStrict("save options", s, &spec); err != nil {
		return nil, err
	}
	opts, err := spec.saveOptions()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := e.net.Save(&buf, opts...); err != nil {
		return nil, err
	}
	return toUint8Array(buf.Bytes()), nil
}

// dispose(h) forgets the network; it reports whether h was live.
func dispose(args []js.Value) (any, error) {
	h, err := intArg("dispose", args, 0, "handle")
	if err != nil {
		return nil, err
	}
	return removeHandle(h), nil
}

// memoryStats() collects garbage and reports the Go heap and the number of
// live networks, for leak checks. It collects twice: objects parked in a
// sync.Pool survive one collection in its victim cache.
func memoryStats(args []js.Value) (any, error) {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return marshal(map[string]any{
		"heapAlloc": m.HeapAlloc, "heapSys": m.HeapSys, "sys": m.Sys,
		"mallocs": m.Mallocs, "frees": m.Frees, "networks": handleCount(),
	})
}

// entryArg reads the handle in args[0] and finds its network.
func entryArg(fn string, args []js.Value) (*entry, int, error) {
	h, err := intArg(fn, args, 0, "handle")
	if err != nil {
		return nil, 0, err
	}
	e, err := lookup(fn, h)
	return e, h, err
}

// dataArgs reads x and y (args[1] and args[2]) as matrices for net. y holds
// either a row of OutputSize values per sample or, for a network with more
// than one output, one class index per sample.
func dataArgs(fn string, args []js.Value, net *nn.Network) (x, y nn.Matrix, err error) {
	xd, err := floatsArg(fn, args, 1, "x", nil)
	if err != nil {
		return x, y, err
	}
	yd, err := floatsArg(fn, args, 2, "y", nil)
	if err != nil {
		return x, y, err
	}
	ni, no := net.InputSize(), net.OutputSize()
	if len(xd) == 0 || len(xd)%ni != 0 {
		return x, y, fmt.Errorf("nn: %s: x has %d values, want a positive multiple of %d inputs: %w", fn, len(xd), ni, nn.ErrShape)
	}
	rows := len(xd) / ni
	cols := no
	if len(yd) == rows && no > 1 {
		cols = 1
	}
	if len(yd) != rows*cols {
		return x, y, fmt.Errorf("nn: %s: y has %d values for %d samples, want %d (%d outputs) or %d class indices: %w", fn, len(yd), rows, rows*no, no, rows, nn.ErrShape)
	}
	return nn.Matrix{Rows: rows, Cols: ni, Data: xd}, nn.Matrix{Rows: rows, Cols: cols, Data: yd}, nil
}

func epochObject(s nn.EpochStats) js.Value {
	return js.ValueOf(epochJSON(s))
}

func epochJSON(s nn.EpochStats) map[string]any {
	m := map[string]any{
		"epoch": s.Epoch, "loss": finite(s.Loss), "accuracy": finite(s.Accuracy),
		"elapsedMs": float64(s.Elapsed) / float64(time.Millisecond),
	}
	if s.HasVal {
		m["valLoss"], m["valAccuracy"] = finite(s.ValLoss), finite(s.ValAccuracy)
	}
	return m
}

func historyJSON(h *nn.History) map[string]any {
	epochs := []any{}
	if h == nil {
		return map[string]any{"epochs": epochs, "bestEpoch": -1, "stopped": true}
	}
	for _, s := range h.Epochs {
		epochs = append(epochs, epochJSON(s))
	}
	return map[string]any{"epochs": epochs, "bestEpoch": h.BestEpoch, "stopped": h.Stopped}
}

// finite passes f through, or gives nil (JSON null) for NaN and infinities,
// which JSON cannot carry.
func finite(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return f
}

func marshal(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("nn: encoding result: %v", err)
	}
	return string(b), nil
}
