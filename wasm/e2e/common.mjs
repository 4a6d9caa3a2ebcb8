// Paths and fixtures shared by the end-to-end tests.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
export const dist = resolve(process.env.NN_DIST ?? join(root, 'dist'));
export const fixturesDir = join(here, 'fixtures');
export const artifactsDir = join(here, 'artifacts');

if (!existsSync(join(dist, 'nn.wasm'))) {
  throw new Error(`no ${join(dist, 'nn.wasm')}: run wasm/build.sh first (npm test does)`);
}

let fixtures;

// nativeFixtures runs the Go generator once and returns its cases, each with
// the bytes of its model file, and in boardModel the bytes of an untrained
// Go move predictor.
export function nativeFixtures() {
  if (!fixtures) {
    execFileSync('go', ['run', './wasm/e2e/gen', '-out', fixturesDir], { cwd: root, stdio: 'inherit' });
    fixtures = JSON.parse(readFileSync(join(fixturesDir, 'fixtures.json'), 'utf8'));
    for (const f of fixtures) f.bytes = readFileSync(join(fixturesDir, f.model));
    fixtures.boardModel = readFileSync(join(fixturesDir, 'baduk.nnm'));
  }
  return fixtures;
}

// The XOR problem, as the tests and the demo page train it.
export const xor = {
  x: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]),
  y: new Float32Array([0, 1, 1, 0]),
  spec: {
    inputs: 2,
    layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
    seed: 3,
  },
  options: { epochs: 600, batchSize: 4, optimizer: { kind: 'adam', lr: 0.05 } },
};

// maxDiff is the largest absolute difference between two sequences.
export function maxDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

// heapCycles runs 1000 create/predict/dispose cycles after 2000 to warm up
// and returns the memory statistics around them. The warm-up lets the Go
// heap reach its working size: WebAssembly memory grows to the largest heap
// the program has had and never shrinks, so only growth after that would
// be a leak. It uses nothing outside
// itself, so the browser test can run its source in the page.
export function heapCycles(nn) {
  const x = new Float32Array(64);
  const cycle = () => {
    const net = nn.create({ inputs: 64, layers: [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }] });
    net.predict(x);
    net.dispose();
  };
  for (let i = 0; i < 2000; i++) cycle();
  const before = nn.memoryStats();
  for (let i = 0; i < 1000; i++) cycle();
  return { before, after: nn.memoryStats() };
}

// checkHeap asserts that heapCycles found no growth and describes it.
export function checkHeap(assert, { before, after }) {
  const grew = after.heapAlloc - before.heapAlloc;
  assert.equal(after.networks, before.networks);
  // One leaked network of this size would hold 37 KiB; 1000 would hold 37
  // MiB. The live Go heap must stay put to within 64 bytes a cycle. The
  // WebAssembly memory follows the heap's peaks between collections, which
  // wander by a few MiB, so it gets a looser bound that a leak would still
  // break.
  assert.ok(grew < 64 * 1024, `Go heap grew by ${grew} bytes over 1000 cycles`);
  assert.ok(after.wasmMemory - before.wasmMemory <= 8 * 1024 * 1024,
    `wasm memory grew from ${before.wasmMemory} to ${after.wasmMemory}`);
  return `Go heap ${before.heapAlloc} -> ${after.heapAlloc} bytes (${grew >= 0 ? '+' : ''}${grew}), ` +
    `wasm memory ${before.wasmMemory} -> ${after.wasmMemory} bytes, networks ${before.networks} -> ${after.networks}`;
}
