// nn.mjs: the JavaScript face of nn, a multi-layer perceptron library written
// in Go and compiled to WebAssembly. It runs in browsers and in Node.
//
//   import { init } from './nn.mjs';
//   const nn = await init();                       // loads ./nn.wasm
//   const net = nn.create({ inputs: 2, layers: [
//     { units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }] });
//   await net.train(x, y, { epochs: 500, optimizer: { kind: 'adam', lr: 0.05 } });
//   const p = net.predict(new Float32Array([0, 1]));
//   net.dispose();
//
// Every network lives in Go memory and is reached through an integer handle;
// dispose() releases it. Errors raised in Go arrive as thrown Errors carrying
// the Go message (and, for the library's sentinel errors, a `code`).

import { simdKernels } from './kernels.mjs';

let instances = 0;

// call is the key of the method through which Network reaches Go; a symbol
// keeps it out of the public surface.
const call = Symbol('call');

// init loads and starts the WebAssembly program. source may be a URL or
// string (fetched; file: URLs are read from disk under Node), the bytes of the
// .wasm file, or a compiled WebAssembly.Module. It defaults to nn.wasm beside
// this module. Where the engine runs WebAssembly SIMD, the matrix-vector
// products of single-sample prediction go through a small SIMD kernel
// module sharing the program's memory; { simd: false } keeps them in Go.
export async function init(source = new URL('./nn.wasm', import.meta.url), { simd = true } = {}) {
  const go = new (await goClass())();
  const key = `__nnReady${instances++}_${Math.random().toString(36).slice(2)}`;
  const ready = new Promise((resolve) => { globalThis[key] = resolve; });
  go.argv = ['nnwasm', key];
  try {
    const instance = await instantiate(source, go.importObject);
    const kernels = simd ? await loadKernels(instance.exports.mem) : null;
    // Package simd looks for the kernels while Go initialises, which happens
    // synchronously inside go.run, so the global is needed only that long.
    globalThis[KERNELS] = kernels ?? undefined;
    let stopped;
    try {
      // run settles only if the program stops; it then yields a non-object.
      stopped = go.run(instance).then(() => 'exited', (e) => String(e));
    } finally {
      delete globalThis[KERNELS];
    }
    const api = await Promise.race([ready, stopped]);
    if (typeof api !== 'object') {
      throw new Error(`nn: init: the WebAssembly program stopped during start-up: ${api}`);
    }
    return new NN(go, instance, api, kernels !== null);
  } finally {
    delete globalThis[key];
  }
}

// KERNELS is the global name package simd reads (simd/kernel_js.go).
const KERNELS = 'nnSIMDKernels';

// loadKernels instantiates the SIMD kernel module on memory, or gives null
// where the engine has no WebAssembly SIMD.
async function loadKernels(memory) {
  const bytes = Uint8Array.from(atob(simdKernels), (c) => c.charCodeAt(0));
  if (!WebAssembly.validate(bytes)) return null;
  const { instance } = await WebAssembly.instantiate(bytes, { env: { mem: memory } });
  return instance.exports;
}

export default init;

let Go;

// goClass loads Go's wasm_exec.js, the one from the toolchain that built
// nn.wasm, and keeps the class it defines, whatever else later takes the
// global name.
async function goClass() {
  if (!Go) {
    // wasm_exec.js wants Web Crypto as a global, which Node 18 lacks.
    if (!globalThis.crypto && typeof process === 'object') {
      globalThis.crypto = (await import('node:crypto')).webcrypto;
    }
    await import('./wasm_exec.js');
    Go = globalThis.Go;
  }
  return Go;
}

async function instantiate(source, imports) {
  if (source instanceof WebAssembly.Module) {
    return WebAssembly.instantiate(source, imports);
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return (await WebAssembly.instantiate(source, imports)).instance;
  }
  if (typeof source === 'string') {
    source = new URL(source, globalThis.location?.href ?? import.meta.url);
  }
  if (!(source instanceof URL)) {
    throw new TypeError('nn: init: source must be a URL, a string, bytes or a WebAssembly.Module');
  }
  if (source.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return (await WebAssembly.instantiate(await readFile(source), imports)).instance;
  }
  const resp = await fetch(source);
  if (!resp.ok) {
    throw new Error(`nn: init: fetching ${source}: ${resp.status} ${resp.statusText}`);
  }
  if (WebAssembly.instantiateStreaming && resp.headers.get('content-type') === 'application/wasm') {
    return (await WebAssembly.instantiateStreaming(resp, imports)).instance;
  }
  return (await WebAssembly.instantiate(await resp.arrayBuffer(), imports)).instance;
}

// tick settles on a later turn of the event loop, letting the page paint and
// handle input while a long training run waits on it.
const tick = typeof setImmediate === 'function'
  ? () => new Promise((resolve) => setImmediate(resolve))
  : (() => {
    const ch = new MessageChannel();
    const queue = [];
    ch.port1.onmessage = () => queue.shift()();
    return () => new Promise((resolve) => { queue.push(resolve); ch.port2.postMessage(0); });
  })();

function describe(v) {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an Array';
  if (typeof v === 'object') return `a ${v.constructor?.name ?? 'object'}`;
  return `a ${typeof v}`;
}

function floats(fn, name, v) {
  if (!(v instanceof Float32Array)) {
    throw new TypeError(`nn: ${fn}: ${name} must be a Float32Array, got ${describe(v)}`);
  }
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

function options(fn, v) {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new TypeError(`nn: ${fn}: options must be an object, got ${describe(v)}`);
  }
  return v;
}

// json encodes v for a Go handler. JSON has no NaN, Infinity or BigInt:
// stringify would send NaN and ±Infinity as null, which Go reads as a
// missing field (a silent default), so they are refused here by name.
function json(fn, v) {
  return JSON.stringify(v, (key, x) => {
    const name = key === '' ? 'value' : `"${key}"`;
    if (typeof x === 'number' && !Number.isFinite(x)) {
      throw new TypeError(`nn: ${fn}: ${name} must be a finite number, got ${x}`);
    }
    if (typeof x === 'bigint') {
      throw new TypeError(`nn: ${fn}: ${name} must be a Number, got a BigInt`);
    }
    return x;
  });
}

// goError turns the Error object a Go handler returned or rejected with into
// one thrown from here, so its stack points at the caller.
function goError(e) {
  if (!(e instanceof Error)) return e;
  const err = new Error(e.message);
  if (e.code !== undefined) err.code = e.code;
  return err;
}

// NN is one running instance of the WebAssembly program.
export class NN {
  #go;
  #memory;
  #api;
  #registry;

  #simd;

  constructor(go, instance, api, simd) {
    this.#go = go;
    this.#simd = simd;
    this.#memory = instance.exports.mem;
    this.#api = api;
    this.#registry = new FinalizationRegistry((h) => {
      if (!go.exited) api.dispose(h);
    });
  }

  // simd tells whether single-sample prediction uses the SIMD kernels.
  get simd() { return this.#simd; }

  // [call] runs a Go handler and throws what it returned as an error.
  [call](name, ...args) {
    if (this.#go.exited) {
      throw new Error('nn: the WebAssembly program has exited');
    }
    const r = this.#api[name](...args);
    if (this.#go.exited) {
      // the Go program died inside the call (out of memory): whatever the
      // call left in its outputs is not a result
      throw new Error(`nn: the WebAssembly program stopped during ${name}; start a new instance with init`);
    }
    if (r instanceof Error) throw goError(r);
    return r;
  }

  // create builds a new network from a spec:
  //   { inputs, layers: [{ units, activation, init, alpha, l1, l2 } | { dropout }], seed, loss }
  create(spec) {
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
      throw new TypeError(`nn: create: spec must be an object, got ${describe(spec)}`);
    }
    return new Network(this, this[call]('create', json('create', spec)), this.#registry);
  }

  // load reads a model file written by Go's Save or by Network.save.
  load(bytes) {
    if (bytes instanceof ArrayBuffer) {
      bytes = new Uint8Array(bytes);
    } else if (ArrayBuffer.isView(bytes) && !(bytes instanceof Uint8Array)) {
      bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError(`nn: load: model must be an ArrayBuffer or Uint8Array, got ${describe(bytes)}`);
    }
    return new Network(this, this[call]('load', bytes), this.#registry);
  }

  // memoryStats collects garbage in Go and reports its heap, the size of the
  // WebAssembly memory and the number of live networks.
  memoryStats() {
    const s = JSON.parse(this[call]('memoryStats'));
    s.wasmMemory = this.#memory.buffer.byteLength;
    return s;
  }
}

// Network is a handle on a network living in Go memory.
export class Network {
  #nn;
  #h;
  #registry;
  #info;

  constructor(nn, handle, registry) {
    this.#nn = nn;
    this.#h = handle;
    this.#registry = registry;
    this.#info = JSON.parse(nn[call]('info', handle));
    registry.register(this, handle, this);
  }

  get handle() { return this.#h; }
  get inputSize() { return this.#info.inputs; }
  get outputSize() { return this.#info.outputs; }
  get layers() { return structuredClone(this.#info.layers); }
  get disposed() { return this.#h === 0; }

  #handle(fn) {
    if (this.#h === 0) throw new Error(`nn: ${fn}: the network has been disposed`);
    return this.#h;
  }

  // predict runs the network on one sample or on a batch of samples laid
  // out row after row, and returns (or fills out with) the outputs.
  predict(x, out) {
    const h = this.#handle('predict');
    const xb = floats('predict', 'x', x);
    const rows = Math.floor(x.length / this.inputSize);
    if (out === undefined) out = new Float32Array(rows * this.outputSize);
    this.#nn[call]('predict', h, xb, floats('predict', 'out', out));
    return out;
  }

  // train fits the network to x (rows of inputSize values) and y (rows of
  // outputSize values, or one class index per row for a multi-output
  // network). It resolves to the training history.
  async train(x, y, opts) {
    const h = this.#handle('train');
    opts?.signal?.throwIfAborted();
    const xb = floats('train', 'x', x);
    const yb = floats('train', 'y', y);
    const { onEpoch, signal, optimizer, ...rest } = options('train', opts);
    if (onEpoch !== undefined && typeof onEpoch !== 'function') {
      throw new TypeError(`nn: train: onEpoch must be a function, got ${describe(onEpoch)}`);
    }
    const cfg = { ...rest };
    if (optimizer !== undefined) {
      cfg.optimizer = typeof optimizer === 'string' ? { kind: optimizer } : optimizer;
    }
    const progress = onEpoch || signal
      ? (stats) => (signal?.aborted ? false : onEpoch?.(stats))
      : undefined;
    const cfgJSON = json('train', cfg);
    let hist;
    try {
      hist = await this.#nn[call]('train', h, xb, yb, cfgJSON, progress, tick);
    } catch (e) {
      throw goError(e);
    }
    signal?.throwIfAborted();
    return JSON.parse(hist);
  }

  // evaluate returns loss, accuracy, mse, mae and n for x and y.
  evaluate(x, y) {
    const h = this.#handle('evaluate');
    return JSON.parse(this.#nn[call]('evaluate', h, floats('evaluate', 'x', x), floats('evaluate', 'y', y)));
  }

  // save returns the model file: { encoding: 'float32' | 'float16' | 'int8',
  // optimizerState: boolean }.
  save(opts) {
    const h = this.#handle('save');
    return this.#nn[call]('save', h, json('save', options('save', opts)));
  }

  // scoreBoard treats the network as a Go (baduk) move predictor saved by
  // examples/baduk. It replays moves (points row*19+col, -1 for a pass; black
  // first, turns alternating) from the empty board and returns the stones
  // (0 empty, 1 black, 2 white), the legal points, the side to move, the ko
  // point and every point's probability as the next move (0 where illegal).
  scoreBoard(moves, out = new Float32Array(361)) {
    const h = this.#handle('scoreBoard');
    if (!Array.isArray(moves)) {
      throw new TypeError(`nn: scoreBoard: moves must be an Array of integers, got ${describe(moves)}`);
    }
    // an index loop, unlike every(), visits the holes of a sparse array
    for (let i = 0; i < moves.length; i++) {
      const m = moves[i];
      if (!Number.isInteger(m)) {
        const got = m === undefined && !(i in moves) ? 'a hole' : typeof m === 'number' ? String(m) : describe(m);
        throw new TypeError(`nn: scoreBoard: move ${i} must be an integer, got ${got}`);
      }
    }
    const st = JSON.parse(this.#nn[call]('board', h, JSON.stringify(moves), floats('scoreBoard', 'out', out)));
    st.scores = out;
    return st;
  }

  // dispose releases the network's Go memory. Later calls throw; calling
  // dispose again does nothing.
  dispose() {
    if (this.#h === 0) return;
    this.#registry.unregister(this);
    this.#nn[call]('dispose', this.#h);
    this.#h = 0;
  }
}

if (Symbol.dispose) {
  Network.prototype[Symbol.dispose] = Network.prototype.dispose;
}
