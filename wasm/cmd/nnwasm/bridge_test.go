//go:build js && wasm

package main

import (
	"strings"
	"syscall/js"
	"testing"

	"github.com/nnrt/nn"
)

func TestSpecBuildsNetwork(t *testing.T) {
	var s netSpec
	err := decodeStrict("spec", `{"inputs":3,"layers":[
		{"units":5,"activation":"Leaky_ReLU","alpha":0.2,"init":{"kind":"heNormal"},"l2":0.001},
		{"dropout":0.25},
		{"units":2,"activation":"softmax"}],"seed":9,"loss":"cce"}`, &s)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := s.options()
	if err != nil {
		t.Fatal(err)
	}
	n, err := nn.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	ls := n.Layers()
	if len(ls) != 3 || ls[0].Act != nn.LeakyReLU || ls[0].Alpha != 0.2 || ls[0].L2 != 0.001 ||
		ls[1].Kind != nn.DropoutLayer || ls[1].Rate != 0.25 || ls[2].Out != 2 {
		t.Errorf("layers %+v", ls)
	}
	if n.Loss() != nn.CategoricalCrossEntropy {
		t.Errorf("loss %v, want categorical cross-entropy", n.Loss())
	}
}

func TestSpecErrors(t *testing.T) {
	for _, c := range []struct{ json, want string }{
		{`{"inputs":0,"layers":[{"units":1}]}`, "inputs must be a positive integer"},
		{`{"inputs":2,"layers":[]}`, "layers is empty"},
		{`{"inputs":2,"layers":[{"units":-1}]}`, "layer 0: units must be a positive integer"},
		{`{"inputs":2,"layers":[{"units":1,"activation":"gelu"}]}`, `unknown activation "gelu"`},
		{`{"inputs":2,"layers":[{"units":1,"init":{"kind":"orthogonal"}}]}`, `unknown initializer "orthogonal"`},
		{`{"inputs":2,"layers":[{"dropout":0.5,"units":3}]}`, "takes only the dropout rate"},
		{`{"inputs":2,"layers":[{"units":1}],"loss":"hinge"}`, `unknown loss "hinge"`},
		{`{"inputs":2,"layers":[{"units":1}],"bias":true}`, `unknown field "bias"`},
		{`{"inputs":"2","layers":[{"units":1}]}`, "cannot unmarshal string"},
		{`{"inputs":2,"layers":[{"units":1}]} {}`, "trailing data"},
	} {
		var s netSpec
		err := decodeStrict("spec", c.json, &s)
		if err == nil {
			_, err = s.options()
		}
		if err == nil || !strings.HasPrefix(err.Error(), "nn: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.json, err, c.want)
		}
	}
}

func TestTrainOptions(t *testing.T) {
	var s trainSpec
	err := decodeStrict("train options", `{"epochs":7,"batchSize":8,"shuffle":false,
		"optimizer":{"kind":"momentum","lr":0.2,"mu":0.5},"schedule":{"kind":"step","every":3,"factor":0.5}}`, &s)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := s.config()
	if err != nil {
		t.Fatal(err)
	}
	want := nn.Momentum(0.2, 0.5)
	if cfg.Epochs != 7 || cfg.BatchSize != 8 || !cfg.NoShuffle || cfg.Optimizer != want ||
		cfg.Schedule != nn.StepDecay(3, 0.5) {
		t.Errorf("config %+v", cfg)
	}
	// Omitted, batchSize is 32: nn.TrainConfig has no default of its own.
	s = trainSpec{}
	if err := decodeStrict("train options", `{"epochs":1}`, &s); err != nil {
		t.Fatal(err)
	}
	if cfg, err := s.config(); err != nil || cfg.BatchSize != 32 {
		t.Errorf("batchSize omitted: batch size %d, %v; want 32", cfg.BatchSize, err)
	}
	for _, c := range []struct{ json, want string }{
		{`{"epochs":0}`, "epochs must be a positive integer"},
		{`{"epochs":1,"batchSize":-2}`, "batchSize must be a positive integer, got -2"},
		{`{"epochs":1,"batchSize":0}`, "batchSize must be a positive integer, got 0"},
		{`{"epochs":1,"optimizer":{"kind":"lion"}}`, `unknown optimizer "lion"`},
		{`{"epochs":1,"schedule":{"kind":"cosine"}}`, `unknown schedule "cosine"`},
		{`{"epochs":1,"yieldMs":-1}`, "yieldMs must not be negative"},
	} {
		var s trainSpec
		err := decodeStrict("train options", c.json, &s)
		if err == nil {
			_, err = s.config()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.json, err, c.want)
		}
	}
}

// call invokes an exported handler the way JavaScript does.
func call(name string, args ...any) js.Value {
	f := export(name, exports[name])
	defer f.Release()
	return f.Invoke(args...)
}

func float32Bytes(f ...float32) js.Value {
	return toUint8Array(floatBytes(f))
}

func TestHandlersRoundTrip(t *testing.T) {
	h := call("create", `{"inputs":2,"layers":[{"units":3,"activation":"tanh"},{"units":2,"activation":"softmax"}],"seed":5}`)
	if h.Type() != js.TypeNumber {
		t.Fatalf("create returned %v", h)
	}
	defer call("dispose", h)

	x := float32Bytes(0.5, -1, 2, 0.25)
	out := jsUint8Array.New(16)
	if r := call("predict", h, x, out); !r.IsNull() {
		t.Fatalf("predict returned %v", describe(r))
	}
	got := make([]float32, 4)
	js.CopyBytesToGo(floatBytes(got), out)

	saved := call("save", h, `{}`)
	h2 := call("load", saved)
	defer call("dispose", h2)
	n, err := lookup("test", h2.Int())
	if err != nil {
		t.Fatal(err)
	}
	for row := range 2 {
		want, err := n.net.Predict([]float32{0.5, -1, 2, 0.25}[2*row : 2*row+2])
		if err != nil {
			t.Fatal(err)
		}
		if got[2*row] != want[0] || got[2*row+1] != want[1] {
			t.Errorf("row %d: predict gave %v, the reloaded network %v", row, got[2*row:2*row+2], want)
		}
	}
}

func TestHandlerErrorsAreErrorObjects(t *testing.T) {
	h := call("create", `{"inputs":2,"layers":[{"units":1}]}`)
	defer call("dispose", h)
	for _, c := range []struct {
		name string
		args []any
		want string
		code string
	}{
		{"predict", []any{h, float32Bytes(1, 2, 3), jsUint8Array.New(4)}, "input has 3 values", "shape"},
		{"predict", []any{h, "x", jsUint8Array.New(4)}, "argument 1 must be input (a Float32Array), got string", ""},
		{"predict", []any{h, float32Bytes(1, 2), jsUint8Array.New(8)}, "room for 2 values, want 1", "shape"},
		{"predict", []any{h, jsUint8Array.New(7), jsUint8Array.New(4)}, "not a whole number of float32", ""},
		{"predict", []any{1e9, float32Bytes(1, 2), jsUint8Array.New(4)}, "no network with handle", ""},
		{"predict", []any{-1}, "handle must be a non-negative integer", ""},
		{"load", []any{jsUint8Array.New(3)}, "nn: ", "any"},
		{"save", []any{h, `{"encoding":"bf16"}`}, `unknown encoding "bf16"`, ""},
		{"dispose", []any{"h"}, "argument 0 must be handle (a number), got string", ""},
	} {
		r := call(c.name, c.args...)
		if !r.InstanceOf(jsError) {
			t.Errorf("%s%v returned %v, want an Error", c.name, c.args, describe(r))
			continue
		}
		msg := r.Get("message").String()
		if !strings.HasPrefix(msg, "nn: ") || !strings.Contains(msg, c.want) {
			t.Errorf("%s: message %q, want one containing %q", c.name, msg, c.want)
		}
		code := r.Get("code")
		if c.code == "any" && code.Type() != js.TypeString || c.code != "any" && c.code != "" && code.String() != c.code {
			t.Errorf("%s: code %v, want %q", c.name, r.Get("code"), c.code)
		}
	}
}

func TestExportRecoversPanics(t *testing.T) {
	f := export("boom", func([]js.Value) (any, error) {
		var m map[string]int
		m["x"] = 1
		return nil, nil
	})
	defer f.Release()
	r := f.Invoke()
	if !r.InstanceOf(jsError) || !strings.Contains(r.Get("message").String(), "nn: boom: internal error") {
		t.Errorf("a panicking handler returned %v", describe(r))
	}
}

func TestDisposeForgetsTheNetwork(t *testing.T) {
	before := handleCount()
	h := call("create", `{"inputs":1,"layers":[{"units":1}]}`)
	if handleCount() != before+1 {
		t.Fatalf("%d networks after create, want %d", handleCount(), before+1)
	}
	if !call("dispose", h).Bool() {
		t.Error("dispose of a live handle returned false")
	}
	if call("dispose", h).Bool() {
		t.Error("a second dispose returned true")
	}
	if handleCount() != before {
		t.Errorf("%d networks after dispose, want %d", handleCount(), before)
	}
}
