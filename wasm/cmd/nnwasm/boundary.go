//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"syscall/js"
	"unsafe"

	"github.com/nnrt/nn"
)

// Everything that crosses from JavaScript into Go passes through here. A
// handler never lets a panic escape: an escaped panic would end the Go
// program and leave every later call on a dead instance.

var (
	jsError      = js.Global().Get("Error")
	jsObject     = js.Global().Get("Object")
	jsPromise    = js.Global().Get("Promise")
	jsUint8Array = js.Global().Get("Uint8Array")
)

// handler is a function exported to JavaScript. It returns the value to hand
// back, or an error that reaches JavaScript as a thrown Error.
type handler func(args []js.Value) (any, error)

// export wraps h as a JavaScript function. Errors and panics become an Error
// object that the JavaScript wrapper throws.
func export(name string, h handler) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				result = newError(fmt.Errorf("nn: %s: internal error: %v", name, r))
			}
		}()
		v, err := h(args)
		if err != nil {
			return newError(err)
		}
		return v
	})
}

// codes names the sentinel errors so that JavaScript can branch on
// err.code instead of parsing messages.
var codes = []struct {
	err  error
	code string
}{
	{nn.ErrShape, "shape"},
	{nn.ErrEmpty, "empty"},
	{nn.ErrNonFinite, "nonFinite"},
	{nn.ErrLabel, "label"},
	{nn.ErrConfig, "config"},
	{nn.ErrDiverged, "diverged"},
	{nn.ErrStop, "stop"},
	{nn.ErrBadMagic, "badMagic"},
	{nn.ErrVersion, "version"},
	{nn.ErrChecksum, "checksum"},
	{nn.ErrTruncated, "truncated"},
	{nn.ErrArchitecture, "architecture"},
	{nn.ErrTrailingData, "trailingData"},
}

// newError makes a JavaScript Error carrying err's message and, when err
// wraps one of the nn sentinels, its code.
func newError(err error) js.Value {
	e := jsError.New(err.Error())
	for _, c := range codes {
		if errors.Is(err, c.err) {
			e.Set("code", c.code)
			break
		}
	}
	return e
}

// argError reports a wrong argument the way every handler does.
func argError(fn string, i int, want string, got js.Value) error {
	return fmt.Errorf("nn: %s: argument %d must be %s, got %s", fn, i, want, got.Type())
}

// arg returns args[i], or undefined when the caller passed fewer.
func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

// intArg reads a non-negative integer argument.
func intArg(fn string, args []js.Value, i int, what string) (int, error) {
	v := arg(args, i)
	if v.Type() != js.TypeNumber {
		return 0, argError(fn, i, what+" (a number)", v)
	}
	f := v.Float()
	if f < 0 || f != float64(int(f)) {
		return 0, fmt.Errorf("nn: %s: %s must be a non-negative integer, got %v", fn, what, f)
	}
	return int(f), nil
}

// stringArg reads a string argument.
func stringArg(fn string, args []js.Value, i int, what string) (string, error) {
	v := arg(args, i)
	if v.Type() != js.TypeString {
		return "", argError(fn, i, what+" (a string)", v)
	}
	return v.String(), nil
}

// bytesArg copies a Uint8Array argument into a new Go slice.
func bytesArg(fn string, args []js.Value, i int, what string) ([]byte, error) {
	v := arg(args, i)
	if v.Type() != js.TypeObject || !v.InstanceOf(jsUint8Array) {
		return nil, argError(fn, i, what+" (a Uint8Array)", v)
	}
	n := v.Get("byteLength").Int()
	if err := checkArgSize(fn, what, n); err != nil {
		return nil, err
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, v)
	return b, nil
}

// maxArgBytes bounds what one call copies between JavaScript and Go
// memory: a copy past the 4 GiB WebAssembly memory would stop the
// program with "out of memory" instead of returning an error.
const maxArgBytes = 512 << 20

// checkArgSize refuses an argument (or result) of n bytes above maxArgBytes.
func checkArgSize(fn, what string, n int) error {
	if n > maxArgBytes {
		return fmt.Errorf("nn: %s: %s of %d MiB is more than the %d MiB one call can pass; split it into smaller batches: %w",
			fn, what, n>>20, maxArgBytes>>20, nn.ErrConfig)
	}
	return nil
}

// floatsArg copies the bytes of a Float32Array, handed over as a Uint8Array
// view of the same memory, into dst (resized as needed) and returns it.
func floatsArg(fn string, args []js.Value, i int, what string, dst []float32) ([]float32, error) {
	v := arg(args, i)
	if v.Type() != js.TypeObject || !v.InstanceOf(jsUint8Array) {
		return nil, argError(fn, i, what+" (a Float32Array)", v)
	}
	n := v.Get("byteLength").Int()
	if n%4 != 0 {
		return nil, fmt.Errorf("nn: %s: %s has %d bytes, not a whole number of float32 values", fn, what, n)
	}
	if err := checkArgSize(fn, what, n); err != nil {
		return nil, err
	}
	if cap(dst) < n/4 {
		dst = make([]float32, n/4)
	}
	dst = dst[:n/4]
	js.CopyBytesToGo(floatBytes(dst), v)
	return dst, nil
}

// floatBytes views a float32 slice as its bytes. js/wasm is little-endian,
// as are the typed arrays of every JavaScript engine it runs on.
func floatBytes(f []float32) []byte {
	if len(f) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&f[0])), 4*len(f))
}

// toUint8Array copies b into a new JavaScript Uint8Array.
func toUint8Array(b []byte) js.Value {
	a := jsUint8Array.New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// newPromise returns a JavaScript Promise settled by run, which is called on
// a new goroutine. A panic in run rejects the promise instead of ending the
// program.
func newPromise(name string, run func() (any, error)) js.Value {
	var executor js.Func
	executor = js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			var (
				v   any
				err error
			)
			func() {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("nn: %s: internal error: %v", name, r)
					}
				}()
				v, err = run()
			}()
			if err != nil {
				reject.Invoke(newError(err))
				return
			}
			resolve.Invoke(v)
		}()
		return nil
	})
	p := jsPromise.New(executor)
	executor.Release()
	return p
}

// await blocks the calling goroutine until the JavaScript value v settles,
// when v is a thenable, and returns what it settled to or the message it was
// rejected with. Go returns control to the JavaScript event loop while it
// waits.
func await(v js.Value) (js.Value, error) {
	if v.Type() != js.TypeObject || v.Get("then").Type() != js.TypeFunction {
		return v, nil
	}
	type settled struct {
		v   js.Value
		err error
	}
	ch := make(chan settled, 1)
	onOK := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{v: arg(args, 0)}
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{err: errors.New(describe(arg(args, 0)))}
		return nil
	})
	defer onOK.Release()
	defer onErr.Release()
	v.Call("then", onOK, onErr)
	s := <-ch
	return s.v, s.err
}

// describe gives the message of a thrown JavaScript value.
func describe(v js.Value) string {
	if v.Type() == js.TypeObject && v.InstanceOf(jsError) {
		return v.Get("message").String()
	}
	return js.Global().Get("String").Invoke(v).String()
}

// callJS calls the JavaScript function f, turning an exception it throws
// into an error holding its message.
func callJS(f js.Value, args ...any) (v js.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			if je, ok := r.(js.Error); ok {
				err = errors.New(describe(je.Value))
				return
			}
			panic(r)
		}
	}()
	return f.Invoke(args...), nil
}
