//go:build js && wasm

package main

import (
	"fmt"
	"sync"

	"github.com/nnrt/nn"
)

// JavaScript never holds a Go pointer. It holds an integer handle; the
// network behind it lives in this table until dispose removes it, after
// which the Go garbage collector reclaims it. js/wasm runs one thread, but
// a training goroutine and the handlers still take turns, so the table is
// guarded like any shared state.

type entry struct {
	net      *nn.Network
	training bool      // a train call is running
	disposed bool      // dispose was called while training; stop at the next epoch
	in, out  []float32 // predict scratch, reused across calls
	policy   *policy   // board scoring state, built by the first board call
}

var (
	handlesMu  sync.Mutex
	handles    = map[int]*entry{}
	nextHandle = 1
)

func addHandle(n *nn.Network) int {
	handlesMu.Lock()
	defer handlesMu.Unlock()
	h := nextHandle
	nextHandle++
	handles[h] = &entry{net: n}
	return h
}

func lookup(fn string, h int) (*entry, error) {
	handlesMu.Lock()
	defer handlesMu.Unlock()
	e, ok := handles[h]
	if !ok {
		return nil, fmt.Errorf("nn: %s: no network with handle %d (disposed or never created)", fn, h)
	}
	return e, nil
}

// removeHandle forgets h. A network in training is stopped at the end of its
// current epoch.
func removeHandle(h int) bool {
	handlesMu.Lock()
	defer handlesMu.Unlock()
	e, ok := handles[h]
	if !ok {
		return false
	}
	if e.training {
		e.disposed = true
	}
	delete(handles, h)
	return true
}

// handleCount is the number of live networks.
func handleCount() int {
	handlesMu.Lock()
	defer handlesMu.Unlock()
	return len(handles)
}

// startTraining marks e busy, or reports that it already is.
func startTraining(h int, e *entry) error {
	handlesMu.Lock()
	defer handlesMu.Unlock()
	if e.training {
		return fmt.Errorf("nn: train: network %d is already training", h)
	}
	e.training = true
	return nil
}

func stopTraining(e *entry) {
	handlesMu.Lock()
	defer handlesMu.Unlock()
	e.training = false
}

func isDisposed(e *entry) bool {
	handlesMu.Lock()
	defer handlesMu.Unlock()
	return e.disposed
}
