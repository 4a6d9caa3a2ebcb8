// Runner for nn compiled to WebAssembly (wasm/build.sh), in Node, for the
// nn peer comparison.
//
// Usage: node nnwasm.mjs DIST SPEC.json
//
// DIST is the folder wasm/build.sh wrote (nn.mjs, nn.wasm, wasm_exec.js).
// Reads the work from SPEC.json (see bench/spec/spec.go) and prints one
// JSON line per result.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

import { batchRate, f32, labels as classes, medianCall } from './common.mjs';

// labels returns the class indices as floats, the layout nn's train takes
// for a one-column target.
const labels = (path, n) => Float32Array.from(classes(path, n));

const [dist, specPath] = process.argv.slice(2);
const peer = 'nn-wasm';
let version = '';

function emit(r) {
  process.stdout.write(JSON.stringify({ peer, version, ...r }) + '\n');
}

function network(nn, w, seed) {
  return nn.create({
    inputs: w.inputs,
    layers: [{ units: w.hidden, activation: 'relu' }, { units: w.outputs, activation: 'softmax' }],
    seed,
  });
}

function options(w, epochs, deadline) {
  return {
    epochs,
    batchSize: w.batch,
    optimizer: { kind: w.optimizer, lr: w.lr },
    onEpoch: deadline > 0 ? () => performance.now() <= deadline : undefined,
  };
}

// train times net.train over the work. One long epoch (digits) is trained
// in chunks of 100 batches, so that the budget can stop it part way.
async function train(nn, w, seed) {
  const x = f32(w.x, w.rows * w.inputs);
  const y = labels(w.y, w.rows);
  const net = network(nn, w, seed);
  const warm = Math.min(w.rows, w.warmup * w.batch);
  await net.train(x.subarray(0, warm * w.inputs), y.subarray(0, warm), options(w, 1, 0));
  const chunk = w.epochs === 1 ? Math.min(w.rows, 100 * w.batch) : w.rows;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + 1000 * w.budget;
  let samples = 0;
  let loss = 0;
  for (let a = 0; a < w.rows; a += chunk) {
    const b = Math.min(w.rows, a + chunk);
    const h = await net.train(x.subarray(a * w.inputs, b * w.inputs), y.subarray(a, b),
      options(w, chunk === w.rows ? w.epochs : 1, deadline));
    samples += h.epochs.length * (b - a);
    loss = h.epochs[h.epochs.length - 1].loss;
    if (performance.now() > deadline) break;
  }
  const secs = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(c0);
  const cpu = (used.user + used.system) / 1e6;
  const planned = w.rows * w.epochs;
  const flowers = w.name === 'flowers';
  emit({
    work: w.name, value: flowers ? secs * planned / samples : samples / secs,
    unit: flowers ? 's' : 'samples/s', samples, seconds: secs, cpu, partial: samples < planned, loss,
  });
  net.dispose();
}

async function predict(nn, w, seed) {
  const x = f32(w.x, w.rows * w.inputs);
  const net = network(nn, w, seed);
  const out = new Float32Array(w.outputs);
  const row = (i) => x.subarray((i % w.rows) * w.inputs, (i % w.rows + 1) * w.inputs);
  for (let i = 0; i < w.warmup; i++) net.predict(row(i), out);
  const lat = medianCall(w.budget, 100, (i) => net.predict(row(i), out));
  emit({ work: 'predict1', value: 1000 * lat, unit: 'µs' });

  const rows = Math.min(w.batch, w.rows);
  const batch = x.subarray(0, rows * w.inputs);
  const outs = new Float32Array(rows * w.outputs);
  for (let i = 0; i < 3; i++) net.predict(batch, outs);
  emit(batchRate(rows, w.budget, () => net.predict(batch, outs)));
  net.dispose();
}

async function mnist(nn, w, seed) {
  const net = network(nn, w, seed);
  const t0 = performance.now();
  const h = await net.train(f32(w.x, w.rows * w.inputs), labels(w.y, w.rows), options(w, w.epochs, 0));
  const secs = (performance.now() - t0) / 1000;
  const m = net.evaluate(f32(w.test_x, w.test_rows * w.inputs), labels(w.test_y, w.test_rows));
  emit({
    work: 'mnist', value: m.accuracy, unit: 'accuracy', seconds: secs,
    loss: h.epochs[h.epochs.length - 1].loss,
  });
  net.dispose();
}

async function main() {
  if (!dist || !specPath) {
    console.error('usage: node nnwasm.mjs DIST SPEC.json');
    process.exit(2);
  }
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  let nn;
  try {
    const mod = await import(pathToFileURL(join(dist, 'nn.mjs')).href);
    nn = await mod.init(pathToFileURL(join(dist, 'nn.wasm')));
    version = `nn (this tree) as js/wasm, node ${process.versions.node}`;
  } catch (e) {
    emit({ work: '*', error: String(e.message || e) });
    return;
  }
  for (const w of spec.works) {
    const run = w.name === 'predict' ? predict : w.name === 'mnist' ? mnist : train;
    try {
      await run(nn, w, spec.seed);
    } catch (e) {
      emit({ work: w.name, error: String(e.message || e) });
    }
  }
  process.exit(0);
}

main();
