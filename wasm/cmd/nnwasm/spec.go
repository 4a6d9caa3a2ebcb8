//go:build js && wasm

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/nnrt/nn"
)

// netSpec is the JSON form of a network that JavaScript hands to create.
type netSpec struct {
	Inputs int         `json:"inputs"`
	Layers []layerSpec `json:"layers"`
	Seed   *uint64     `json:"seed"`
	Loss   string      `json:"loss"`
}

// layerSpec is one entry of netSpec.Layers: a dense layer when Units is set,
// a dropout layer when Dropout is set.
type layerSpec struct {
	Units      int       `json:"units"`
	Activation string    `json:"activation"`
	Init       *initSpec `json:"init"`
	Alpha      *float32  `json:"alpha"`
	L1         float32   `json:"l1"`
	L2         float32   `json:"l2"`
	Dropout    *float32  `json:"dropout"`
}

type initSpec struct {
	Kind string  `json:"kind"`
	A    float32 `json:"a"`
	B    float32 `json:"b"`
}

// trainSpec is the JSON form of the options of train.
type trainSpec struct {
	Epochs          int        `json:"epochs"`
	BatchSize       *int       `json:"batchSize"`
	Shuffle         *bool      `json:"shuffle"`
	Optimizer       *optSpec   `json:"optimizer"`
	Schedule        *schedSpec `json:"schedule"`
	ClipNorm        float32    `json:"clipNorm"`
	ValidationSplit float64    `json:"validationSplit"`
	Patience        int        `json:"patience"`
	TopK            int        `json:"topK"`
	YieldMs         *float64   `json:"yieldMs"`
}

type optSpec struct {
	Kind  string   `json:"kind"`
	LR    *float32 `json:"lr"`
	Mu    *float32 `json:"mu"`
	Beta1 *float32 `json:"beta1"`
	Beta2 *float32 `json:"beta2"`
	Rho   *float32 `json:"rho"`
	Eps   *float32 `json:"eps"`
}

type schedSpec struct {
	Kind   string  `json:"kind"`
	Every  int     `json:"every"`
	Factor float32 `json:"factor"`
	Rate   float32 `json:"rate"`
}

// saveSpec is the JSON form of the options of save.
type saveSpec struct {
	Encoding       string `json:"encoding"`
	OptimizerState bool   `json:"optimizerState"`
}

// decodeStrict decodes one JSON object into v, rejecting unknown fields so a
// misspelt option is reported instead of silently ignored.
func decodeStrict(what, s string, v any) error {
	d := json.NewDecoder(strings.NewReader(s))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("nn: %s: %v", what, err)
	}
	if d.More() {
		return fmt.Errorf("nn: %s: trailing data after the object", what)
	}
	return nil
}

// fold compares names the way the JavaScript API accepts them: case and the
// separators '-', '_' and ' ' do not matter, so "leakyRelu", "leaky_relu"
// and "LeakyReLU" are the same name.
func fold(s string) string {
	var b bytes.Buffer
	for _, r := range strings.ToLower(s) {
		if r != '-' && r != '_' && r != ' ' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var activations = map[string]nn.Activation{
	"identity":  nn.Identity,
	"linear":    nn.Identity,
	"step":      nn.Step,
	"sign":      nn.Sign,
	"sigmoid":   nn.Sigmoid,
	"tanh":      nn.Tanh,
	"relu":      nn.ReLU,
	"leakyrelu": nn.LeakyReLU,
	"softmax":   nn.Softmax,
}

var losses = map[string]nn.Loss{
	"mse":                     nn.MSE,
	"bce":                     nn.BinaryCrossEntropy,
	"binarycrossentropy":      nn.BinaryCrossEntropy,
	"cce":                     nn.CategoricalCrossEntropy,
	"categoricalcrossentropy": nn.CategoricalCrossEntropy,
}

// options turns a spec into the options of nn.New.
func (s *netSpec) options() ([]nn.Option, error) {
	if s.Inputs <= 0 {
		return nil, fmt.Errorf("nn: spec: inputs must be a positive integer, got %d", s.Inputs)
	}
	if len(s.Layers) == 0 {
		return nil, fmt.Errorf("nn: spec: layers is empty")
	}
	opts := []nn.Option{nn.Input(s.Inputs)}
	for i, l := range s.Layers {
		o, err := l.option(i)
		if err != nil {
			return nil, err
		}
		opts = append(opts, o)
	}
	if s.Seed != nil {
		opts = append(opts, nn.Seed(*s.Seed))
	}
	if s.Loss != "" {
		l, ok := losses[fold(s.Loss)]
		if !ok {
			return nil, fmt.Errorf("nn: spec: unknown loss %q (want mse, bce or cce)", s.Loss)
		}
		opts = append(opts, nn.WithLoss(l))
	}
	return opts, nil
}

func (l *layerSpec) option(i int) (nn.Option, error) {
	if l.Dropout != nil {
		if l.Units != 0 || l.Activation != "" || l.Init != nil || l.Alpha != nil || l.L1 != 0 || l.L2 != 0 {
			return nil, fmt.Errorf("nn: spec: layer %d: a dropout layer takes only the dropout rate", i)
		}
		return nn.Dropout(*l.Dropout), nil
	}
	if l.Units <= 0 {
		return nil, fmt.Errorf("nn: spec: layer %d: units must be a positive integer, got %d", i, l.Units)
	}
	act := nn.Identity
	if l.Activation != "" {
		a, ok := activations[fold(l.Activation)]
		if !ok {
			return nil, fmt.Errorf("nn: spec: layer %d: unknown activation %q", i, l.Activation)
		}
		act = a
	}
	var dopts []nn.DenseOption
	if l.Init != nil {
		in, err := l.Init.initializer(i)
		if err != nil {
			return nil, err
		}
		dopts = append(dopts, nn.WithInit(in))
	}
	if l.Alpha != nil {
		dopts = append(dopts, nn.Alpha(*l.Alpha))
	}
	if l.L1 != 0 {
		dopts = append(dopts, nn.L1(l.L1))
	}
	if l.L2 != 0 {
		dopts = append(dopts, nn.L2(l.L2))
	}
	return nn.Dense(l.Units, act, dopts...), nil
}

func (s *initSpec) initializer(i int) (nn.Initializer, error) {
	switch fold(s.Kind) {
	case "zeros":
		return nn.Zeros(), nil
	case "constant":
		return nn.Constant(s.A), nil
	case "uniform":
		return nn.Uniform(s.A, s.B), nil
	case "normal":
		return nn.Normal(s.A, s.B), nil
	case "glorotuniform":
		return nn.GlorotUniform(), nil
	case "glorotnormal":
		return nn.GlorotNormal(), nil
	case "heuniform":
		return nn.HeUniform(), nil
	case "henormal":
		return nn.HeNormal(), nil
	}
	return nn.Initializer{}, fmt.Errorf("nn: spec: layer %d: unknown initializer %q", i, s.Kind)
}

// defaultBatchSize is the batch size of train when the options omit
// batchSize; nn.TrainConfig itself has no default.
const defaultBatchSize = 32

// config turns train options into an nn.TrainConfig, leaving OnEpoch to the
// caller.
func (s *trainSpec) config() (nn.TrainConfig, error) {
	cfg := nn.TrainConfig{
		Epochs:          s.Epochs,
		BatchSize:       defaultBatchSize,
		ClipNorm:        s.ClipNorm,
		ValidationSplit: s.ValidationSplit,
		Patience:        s.Patience,
		TopK:            s.TopK,
	}
	if s.Epochs <= 0 {
		return cfg, fmt.Errorf("nn: train: epochs must be a positive integer, got %d", s.Epochs)
	}
	if s.BatchSize != nil {
		if *s.BatchSize < 1 {
			return cfg, fmt.Errorf("nn: train: batchSize must be a positive integer, got %d", *s.BatchSize)
		}
		cfg.BatchSize = *s.BatchSize
	}
	if s.YieldMs != nil && *s.YieldMs < 0 {
		return cfg, fmt.Errorf("nn: train: yieldMs must not be negative, got %g", *s.YieldMs)
	}
	if s.Shuffle != nil {
		cfg.NoShuffle = !*s.Shuffle
	}
	if s.Optimizer != nil {
		o, err := s.Optimizer.optimizer()
		if err != nil {
			return cfg, err
		}
		cfg.Optimizer = o
	}
	if s.Schedule != nil {
		switch fold(s.Schedule.Kind) {
		case "step":
			cfg.Schedule = nn.StepDecay(s.Schedule.Every, s.Schedule.Factor)
		case "exp":
			cfg.Schedule = nn.ExpDecay(s.Schedule.Rate)
		default:
			return cfg, fmt.Errorf("nn: train: unknown schedule %q (want step or exp)", s.Schedule.Kind)
		}
	}
	return cfg, nil
}

func (s *optSpec) optimizer() (nn.Optimizer, error) {
	lr := func(def float32) float32 {
		if s.LR != nil {
			return *s.LR
		}
		return def
	}
	var o nn.Optimizer
	switch fold(s.Kind) {
	case "sgd":
		o = nn.SGD(lr(0.01))
	case "momentum":
		o = nn.Momentum(lr(0.01), 0.9)
	case "nesterov":
		o = nn.Nesterov(lr(0.01), 0.9)
	case "adam":
		o = nn.Adam(lr(0.001))
	case "rmsprop":
		o = nn.RMSProp(lr(0.001))
	default:
		return o, fmt.Errorf("nn: train: unknown optimizer %q (want sgd, momentum, nesterov, adam or rmsprop)", s.Kind)
	}
	for _, f := range []struct {
		src *float32
		dst *float32
	}{{s.Mu, &o.Mu}, {s.Beta1, &o.Beta1}, {s.Beta2, &o.Beta2}, {s.Rho, &o.Rho}, {s.Eps, &o.Eps}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	return o, nil
}

// saveOptions turns save options into nn.SaveOption values.
func (s *saveSpec) saveOptions() ([]nn.SaveOption, error) {
	var opts []nn.SaveOption
	switch fold(s.Encoding) {
	case "", "float32":
	case "float16":
		opts = append(opts, nn.Float16)
	case "int8":
		opts = append(opts, nn.Int8)
	default:
		return nil, fmt.Errorf("nn: save: unknown encoding %q (want float32, float16 or int8)", s.Encoding)
	}
	if s.OptimizerState {
		opts = append(opts, nn.WithOptimizerState())
	}
	return opts, nil
}
