// TensorFlow.js runner for the nn peer comparison.
//
// Usage: node tfjs.mjs cpu|wasm SPEC.json
//
// Reads the work from SPEC.json (see bench/spec/spec.go), runs it on the
// named backend and prints one JSON line per result. The networks are
// Keras-style: tf.sequential with two dense layers, trained by model.fit.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';

import { batchRate, f32, labels, medianCall } from './common.mjs';

const [backend, specPath] = process.argv.slice(2);
const peer = 'tfjs-' + backend;
let version = '';

function emit(r) {
  process.stdout.write(JSON.stringify({ peer, version, ...r }) + '\n');
}

function model(w, seed) {
  const m = tf.sequential();
  m.add(tf.layers.dense({
    inputShape: [w.inputs], units: w.hidden, activation: 'relu',
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
  }));
  m.add(tf.layers.dense({
    units: w.outputs, activation: 'softmax',
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
  }));
  const opt = w.optimizer === 'adam' ? tf.train.adam(w.lr) : tf.train.sgd(w.lr);
  m.compile({ optimizer: opt, loss: 'categoricalCrossentropy' });
  return m;
}

function data(w, x, y, rows) {
  const xs = tf.tensor2d(f32(x, rows * w.inputs), [rows, w.inputs]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels(y, rows), 'int32'), w.outputs).toFloat());
  return [xs, ys];
}

// fit trains with model.fit; it stops after maxBatches batches (if > 0) or
// past the deadline (if > 0) and returns the samples done and last loss.
async function fit(m, w, xs, ys, epochs, maxBatches, deadline) {
  let samples = 0;
  let batches = 0;
  let loss = 0;
  await m.fit(xs, ys, {
    batchSize: w.batch, epochs, shuffle: true, verbose: 0,
    callbacks: {
      onBatchEnd: (_, logs) => {
        samples += logs.size;
        batches++;
        if ((maxBatches > 0 && batches >= maxBatches) || (deadline > 0 && performance.now() > deadline)) {
          m.stopTraining = true;
        }
      },
      onEpochEnd: (_, logs) => { loss = logs.loss; },
    },
  });
  return [samples, loss];
}

async function train(w, seed) {
  const [xs, ys] = data(w, w.x, w.y, w.rows);
  const m = model(w, seed);
  await fit(m, w, xs, ys, 1, w.warmup, 0);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const [samples, loss] = await fit(m, w, xs, ys, w.epochs, 0, t0 + 1000 * w.budget);
  const secs = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(c0);
  const cpu = (used.user + used.system) / 1e6;
  const planned = w.rows * w.epochs;
  const flowers = w.name === 'flowers';
  emit({
    work: w.name, value: flowers ? secs * planned / samples : samples / secs,
    unit: flowers ? 's' : 'samples/s', samples, seconds: secs, cpu, partial: samples < planned, loss,
  });
  tf.dispose([xs, ys]);
}

// predict times model.predict from a JavaScript array to a JavaScript
// array: the tensor is made from the row and the result read back.
async function predict(w, seed) {
  const x = f32(w.x, w.rows * w.inputs);
  const m = model(w, seed);
  const row = (i) => x.subarray(i * w.inputs, (i + 1) * w.inputs);
  const one = (i) => {
    const out = tf.tidy(() => m.predict(tf.tensor2d(row(i % w.rows), [1, w.inputs])));
    out.dataSync();
    out.dispose();
  };
  for (let i = 0; i < w.warmup; i++) one(i);
  emit({
    work: 'predict1', value: 1000 * medianCall(w.budget, 100, one), unit: 'µs',
    note: 'includes tensor creation and dataSync',
  });

  const rows = Math.min(w.batch, w.rows);
  const batch = x.subarray(0, rows * w.inputs);
  const many = () => {
    const out = tf.tidy(() => m.predict(tf.tensor2d(batch, [rows, w.inputs])));
    out.dataSync();
    out.dispose();
  };
  for (let i = 0; i < 3; i++) many();
  emit(batchRate(rows, w.budget, many));
}

async function mnist(w, seed) {
  const [xs, ys] = data(w, w.x, w.y, w.rows);
  const m = model(w, seed);
  const t0 = performance.now();
  const [, loss] = await fit(m, w, xs, ys, w.epochs, 0, 0);
  const secs = (performance.now() - t0) / 1000;
  const tx = tf.tensor2d(f32(w.test_x, w.test_rows * w.inputs), [w.test_rows, w.inputs]);
  const ty = labels(w.test_y, w.test_rows);
  const pred = tf.tidy(() => m.predict(tx).argMax(1)).dataSync();
  let right = 0;
  for (let i = 0; i < ty.length; i++) if (pred[i] === ty[i]) right++;
  emit({ work: 'mnist', value: right / ty.length, unit: 'accuracy', seconds: secs, loss });
  tf.dispose([xs, ys, tx]);
}

async function main() {
  if (!['cpu', 'wasm'].includes(backend) || !specPath) {
    console.error('usage: node tfjs.mjs cpu|wasm SPEC.json');
    process.exit(2);
  }
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  try {
    if (backend === 'wasm') wasm.setThreadsCount(spec.threads);
    if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not start`);
    await tf.ready();
    version = `tfjs ${tf.version.tfjs} (${backend}), node ${process.versions.node}`;
    if (backend === 'wasm') {
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      version += `, simd ${simd}, threads ${threads}`;
    }
  } catch (e) {
    emit({ work: '*', error: String(e.message || e) });
    return;
  }
  for (const w of spec.works) {
    const run = w.name === 'predict' ? predict : w.name === 'mnist' ? mnist : train;
    try {
      await run(w, spec.seed);
    } catch (e) {
      emit({ work: w.name, error: String(e.message || e) });
    }
  }
}

main();
