// Type declarations for nn.mjs, the JavaScript API of nn compiled to
// WebAssembly.

/** Activation of a dense layer; case and '-', '_' do not matter. */
export type Activation =
  | 'identity' | 'linear' | 'step' | 'sign' | 'sigmoid' | 'tanh'
  | 'relu' | 'leakyRelu' | 'softmax';

/** Weight initialiser of a dense layer. a and b are the parameters of
 * constant (a), uniform (lo=a, hi=b) and normal (mean=a, std=b). */
export interface InitSpec {
  kind: 'zeros' | 'constant' | 'uniform' | 'normal'
    | 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal';
  a?: number;
  b?: number;
}

export interface DenseSpec {
  units: number;
  /** Default 'identity'. */
  activation?: Activation;
  init?: InitSpec;
  /** Slope of leakyRelu below zero; default 0.01. */
  alpha?: number;
  l1?: number;
  l2?: number;
}

export interface DropoutSpec {
  /** Fraction of units dropped while training (inverted dropout). */
  dropout: number;
}

export interface NetworkSpec {
  inputs: number;
  layers: (DenseSpec | DropoutSpec)[];
  /** Seed of the network's random numbers; default 1. */
  seed?: number;
  /** Default follows the last activation: softmax→cce, one sigmoid→bce, else mse. */
  loss?: 'mse' | 'bce' | 'cce';
}

export interface OptimizerSpec {
  kind: 'sgd' | 'momentum' | 'nesterov' | 'adam' | 'rmsprop';
  lr?: number;
  mu?: number;
  beta1?: number;
  beta2?: number;
  rho?: number;
  eps?: number;
}

export interface EpochStats {
  epoch: number;
  loss: number | null;
  accuracy: number | null;
  valLoss?: number | null;
  valAccuracy?: number | null;
  elapsedMs: number;
}

export interface History {
  epochs: EpochStats[];
  bestEpoch: number;
  stopped: boolean;
}

export interface TrainOptions {
  epochs: number;
  /** Rows per update, a positive integer; default 32 when omitted (0 is an error). The last partial batch is used. */
  batchSize?: number;
  /** Default true. */
  shuffle?: boolean;
  /** Default { kind: 'adam', lr: 0.001 }. */
  optimizer?: OptimizerSpec | OptimizerSpec['kind'];
  schedule?: { kind: 'step'; every: number; factor: number } | { kind: 'exp'; rate: number };
  clipNorm?: number;
  validationSplit?: number;
  /** Early stopping on validation loss; restores the best weights. */
  patience?: number;
  topK?: number;
  /** Called after every epoch; returning false (or a Promise of false) stops training. */
  onEpoch?: (stats: EpochStats) => void | boolean | Promise<void | boolean>;
  /** Stops training at the end of the current epoch; train then rejects with signal.reason. */
  signal?: AbortSignal;
  /** Longest run of epochs, in milliseconds, before training lets the event loop turn; default 16. */
  yieldMs?: number;
}

export interface Metrics {
  loss: number | null;
  accuracy: number | null;
  mse: number | null;
  mae: number | null;
  n: number;
}

export interface LayerInfo {
  kind: 'dense' | 'dropout';
  inputs: number;
  outputs: number;
  activation?: string;
  rate?: number;
}

export interface SaveOptions {
  /** Default 'float32'. */
  encoding?: 'float32' | 'float16' | 'int8';
  /** Keep optimiser state so that training can resume exactly. */
  optimizerState?: boolean;
}

export interface MemoryStats {
  /** Bytes of live Go heap objects after a collection. */
  heapAlloc: number;
  heapSys: number;
  sys: number;
  mallocs: number;
  frees: number;
  /** Networks not yet disposed. */
  networks: number;
  /** Size of the WebAssembly linear memory in bytes (it never shrinks). */
  wasmMemory: number;
}

/** An Error raised by nn; code names the library's sentinel error when there is one. */
export interface NNError extends Error {
  code?: 'shape' | 'empty' | 'nonFinite' | 'label' | 'config' | 'diverged' | 'stop'
    | 'badMagic' | 'version' | 'checksum' | 'truncated' | 'architecture' | 'trailingData';
}

export interface BoardState {
  /** Per point (row*19+col): 0 empty, 1 black, 2 white. */
  stones: number[];
  /** Per point: 1 where the side to move may play. */
  legal: number[];
  toPlay: 'black' | 'white';
  /** Point the side to move may not retake, or -1. */
  ko: number;
  /** Per point: the model's probability of the next move there; 0 where illegal. */
  scores: Float32Array;
}

export class Network {
  private constructor();
  readonly handle: number;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly layers: LayerInfo[];
  readonly disposed: boolean;
  /** One sample (inputSize values) or a batch, row after row. */
  predict(x: Float32Array, out?: Float32Array): Float32Array;
  train(x: Float32Array, y: Float32Array, opts: TrainOptions): Promise<History>;
  evaluate(x: Float32Array, y: Float32Array): Metrics;
  save(opts?: SaveOptions): Uint8Array;
  /** For a Go move predictor saved by examples/baduk: replays moves (row*19+col, -1 = pass; black first) and scores every point. */
  scoreBoard(moves: number[], out?: Float32Array): BoardState;
  /** Frees the network's Go memory; also reachable as [Symbol.dispose] where the engine has it. */
  dispose(): void;
}

export class NN {
  private constructor();
  /** Whether single-sample prediction runs on the WebAssembly SIMD kernels. */
  readonly simd: boolean;
  create(spec: NetworkSpec): Network;
  load(model: ArrayBuffer | ArrayBufferView): Network;
  memoryStats(): MemoryStats;
}

export interface InitOptions {
  /** Use the WebAssembly SIMD kernels where the engine has SIMD; default true. */
  simd?: boolean;
}

/** Loads and starts the WebAssembly program; source defaults to nn.wasm beside the module. */
export function init(source?: URL | string | BufferSource | WebAssembly.Module, options?: InitOptions): Promise<NN>;
export default init;
