package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/nnrt/nn/bench/spec"
)

// peer is one library under comparison and how to start its runner.
type peer struct {
	name string
	// prepare builds or checks the runner once and returns the command to
	// which the spec path is appended; an error makes the peer "n/a".
	prepare func(b *builder) ([]string, error)
	note    string // how its networks differ from the others', if at all
}

// builder knows where the bench module is and where to put built runners.
type builder struct {
	bench string // the bench module folder
	bin   string // scratch folder for binaries
}

var peers = []peer{
	{name: "nn", prepare: goRunner("nn", "./runners/nn")},
	{name: "nn-wasm", prepare: nnWasmRunner},
	{name: "pytorch", prepare: pythonRunner("torch")},
	{name: "sklearn", prepare: pythonRunner("sklearn"),
		note: "scikit-learn MLPClassifier (it keeps float32 inputs in float32), partial_fit once per epoch"},
	{name: "fann", prepare: fannRunner,
		note: "FANN 2.2 has no ReLU, softmax, cross-entropy or Adam: bounded linear hidden units, " +
			"sigmoid outputs with MSE, mini-batch SGD (a data subset per fann_train_epoch)"},
	{name: "go-deep", prepare: goDeepRunner,
		note: "go-deep computes in float64, one neuron object per unit"},
	{name: "gonum", prepare: goRunner("gonum", "./runners/gonum"),
		note: "a hand-written MLP on gonum mat (float64 BLAS)"},
	{name: "tfjs-cpu", prepare: nodeRunner("tfjs.mjs", "cpu")},
	{name: "tfjs-wasm", prepare: nodeRunner("tfjs.mjs", "wasm")},
}

func goRunner(name, pkg string) func(b *builder) ([]string, error) {
	return func(b *builder) ([]string, error) {
		out := filepath.Join(b.bin, name)
		if err := run(b.bench, "go", "build", "-o", out, pkg); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
		return []string{out}, nil
	}
}

// goDeepVersion is the go-deep the runner is built against: its last
// commit, as a pseudo-version.
const goDeepVersion = "v0.0.0-20210427084859-03231ad36a48"

// goDeepRunner builds runners/godeep in a scratch module that requires
// go-deep, so that a go-deep the module proxy does not serve leaves the
// bench module buildable and makes only this peer "n/a".
func goDeepRunner(b *builder) ([]string, error) {
	src := filepath.Join(b.bin, "godeep-src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return nil, err
	}
	main, err := os.ReadFile(filepath.Join(b.bench, "runners", "godeep", "main.go"))
	if err != nil {
		return nil, err
	}
	root := filepath.Dir(b.bench)
	mod := fmt.Sprintf("module godeeprunner\n\ngo 1.24\n\n"+
		"require (\n\tgithub.com/nnrt/nn/bench v0.0.0\n\tgithub.com/patrikeh/go-deep %s\n)\n\n"+
		"replace github.com/nnrt/nn/bench => %s\n\nreplace github.com/nnrt/nn => %s\n",
		goDeepVersion, b.bench, root)
	if err := os.WriteFile(filepath.Join(src, "main.go"), main, 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(src, "go.mod"), []byte(mod), 0o644); err != nil {
		return nil, err
	}
	out := filepath.Join(b.bin, "godeep")
	if err := run(src, "go", "build", "-mod=mod", "-tags", "godeep", "-o", out, "."); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	return []string{out}, nil
}

func pythonRunner(lib string) func(b *builder) ([]string, error) {
	return func(b *builder) ([]string, error) {
		py, err := python()
		if err != nil {
			return nil, err
		}
		module := map[string]string{"torch": "torch", "sklearn": "sklearn"}[lib]
		if err := run(b.bench, py, "-c", "import "+module); err != nil {
			return nil, fmt.Errorf("python module %s: %w", module, err)
		}
		return []string{py, filepath.Join(b.bench, "runners", "peers.py"), lib}, nil
	}
}

// python prefers the system interpreter, where Debian's python3-torch and
// python3-sklearn live.
func python() (string, error) {
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3", nil
	}
	p, err := exec.LookPath("python3")
	if err != nil {
		return "", errors.New("python3 not installed")
	}
	return p, nil
}

func fannRunner(b *builder) ([]string, error) {
	out := filepath.Join(b.bin, "fann")
	src := filepath.Join(b.bench, "runners", "fann.c")
	if err := run(b.bench, "gcc", "-O2", "-march=native", "-o", out, src, "-lfloatfann", "-lm"); err != nil {
		return nil, fmt.Errorf("gcc: %w", err)
	}
	return []string{out}, nil
}

func nodeRunner(script string, args ...string) func(b *builder) ([]string, error) {
	return func(b *builder) ([]string, error) {
		node, err := exec.LookPath("node")
		if err != nil {
			return nil, errors.New("node not installed")
		}
		if _, err := os.Stat(filepath.Join(b.bench, "js", "node_modules", "@tensorflow")); err != nil {
			return nil, errors.New("npm packages missing: run bench/run or npm ci in bench/js")
		}
		cmd := []string{node, filepath.Join(b.bench, "js", script)}
		return append(cmd, args...), nil
	}
}

// nnWasmRunner builds the browser distribution of this tree with
// wasm/build.sh into the scratch folder, so that the figures are never
// those of a stale dist/.
func nnWasmRunner(b *builder) ([]string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node not installed")
	}
	script := filepath.Join(b.bench, "..", "wasm", "build.sh")
	if _, err := os.Stat(script); err != nil {
		return nil, errors.New("no wasm/build.sh in this tree")
	}
	dist := filepath.Join(b.bin, "nn-wasm")
	if err := run(b.bench, "sh", script, dist); err != nil {
		return nil, fmt.Errorf("wasm/build.sh: %w", err)
	}
	return []string{node, filepath.Join(b.bench, "js", "nnwasm.mjs"), dist}, nil
}

// run runs a command in dir; its error is the line of error output that
// says most: the module proxy's answer if there is one, else the last.
func run(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		for _, l := range strings.Split(stderr.String(), "\n") {
			if msg, ok := proxyRefusal(l); ok {
				return errors.New(msg)
			}
		}
		return errors.New(lastLine(stderr.String(), err))
	}
	return nil
}

// proxyRefusal rewrites go's "reading https://host/mod/@v/x: 403 ..." as
// which module the proxy refused and its answer.
func proxyRefusal(line string) (string, bool) {
	_, url, ok := strings.Cut(line, "reading https://")
	if !ok {
		return "", false
	}
	_, path, _ := strings.Cut(url, "/")
	mod, rest, ok := strings.Cut(path, "/@v/")
	if !ok {
		return "", false
	}
	_, status, _ := strings.Cut(rest, ": ")
	return fmt.Sprintf("the module proxy refused %s (%s)", mod, strings.TrimSpace(status)), true
}

func lastLine(s string, fallback error) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			if len(l) > 160 {
				l = l[:160] + "…"
			}
			return l
		}
	}
	return fallback.Error()
}

// outcome is what one runner process printed.
type outcome struct {
	results []spec.Result
	cpu     time.Duration // user+system time of the process
	err     error         // the process failed as a whole
}

// launch runs one runner process on a spec file with the thread settings
// of the table.
func launch(cmdline []string, specPath string, threads int, timeout time.Duration) outcome {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	args := append(append([]string{}, cmdline[1:]...), specPath)
	cmd := exec.CommandContext(ctx, cmdline[0], args...)
	t := fmt.Sprint(threads)
	cmd.Env = append(os.Environ(),
		"GOMAXPROCS="+t, "OMP_NUM_THREADS="+t, "OPENBLAS_NUM_THREADS="+t, "MKL_NUM_THREADS="+t)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()

	var o outcome
	if cmd.ProcessState != nil {
		o.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		var r spec.Result
		if json.Unmarshal(line, &r) == nil {
			o.results = append(o.results, r)
		}
	}
	switch {
	case ctx.Err() != nil:
		o.err = fmt.Errorf("timed out after %v", timeout)
	case err != nil:
		o.err = errors.New(crashLine(stderr.String(), err))
	}
	return o
}

// crashLine picks the most telling line of a runner's error output: a Go
// panic or fatal error with the place it happened, else the last line.
func crashLine(stderr string, fallback error) string {
	lines := strings.Split(stderr, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "panic: ") && !strings.HasPrefix(l, "fatal error: ") {
			continue
		}
		// The first frame below the runtime's own names the place.
		for _, f := range lines[i+1:] {
			f = strings.TrimSpace(f)
			if strings.HasPrefix(f, "/") && strings.Contains(f, ".go:") && !strings.Contains(f, "/src/runtime/") {
				file, _, _ := strings.Cut(f, " ")
				return fmt.Sprintf("%s at %s", l, shortPath(file))
			}
		}
		return l
	}
	return lastLine(stderr, fallback)
}

// shortPath names a source file from the repository root when it lies in
// this repository.
func shortPath(file string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(filepath.Dir(wd), file); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return file
}
