// Bad input at the JavaScript boundary: every case is an Error naming what
// is wrong, never a silent default, and the instance survives.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, test } from 'node:test';
import { dist, xor } from './common.mjs';

const { init } = await import(pathToFileURL(join(dist, 'nn.mjs')).href);
let nn;

before(async () => {
  nn = await init();
});

test('NaN, Infinity and BigInt options are refused, not sent as missing', async () => {
  const net = nn.create(xor.spec);
  const before = net.save();
  for (const [opts, name, got] of [
    [{ epochs: 5, batchSize: 4, optimizer: { kind: 'sgd', lr: NaN } }, '"lr"', 'NaN'],
    [{ epochs: 5, batchSize: 4, optimizer: { kind: 'sgd', lr: Infinity } }, '"lr"', 'Infinity'],
    [{ epochs: 5, batchSize: 4, clipNorm: NaN }, '"clipNorm"', 'NaN'],
    [{ epochs: 5, batchSize: 4, validationSplit: -Infinity }, '"validationSplit"', '-Infinity'],
    [{ epochs: 5, batchSize: 4, patience: NaN }, '"patience"', 'NaN'],
  ]) {
    await assert.rejects(net.train(xor.x, xor.y, opts),
      (e) => e instanceof TypeError && e.message === `nn: train: ${name} must be a finite number, got ${got}`);
  }
  assert.deepEqual(net.save(), before, 'a refused train changed the network');

  assert.throws(() => nn.create({ inputs: NaN, layers: [{ units: 1 }] }), /^TypeError: nn: create: "inputs" must be a finite number, got NaN$/);
  assert.throws(() => nn.create({ inputs: 2, layers: [{ dropout: NaN }, { units: 1 }] }), /"dropout" must be a finite number, got NaN/);
  assert.throws(() => nn.create({ inputs: 2, layers: [{ units: 4, init: { kind: 'normal', a: 0, b: NaN } }, { units: 1 }] }),
    /"b" must be a finite number, got NaN/);
  assert.throws(() => nn.create({ inputs: 2, layers: [{ units: 4, l2: NaN, alpha: 0.1 }, { units: 1 }] }), /"l2"/);
  assert.throws(() => nn.create({ inputs: 2, layers: [{ units: 1n }] }), /^TypeError: nn: create: "units" must be a Number, got a BigInt$/);
  net.dispose();
});

test('scoreBoard names the move that is not an integer, holes included', () => {
  const net = nn.create(xor.spec);
  const sparse = [];
  sparse[2] = 3;
  assert.throws(() => net.scoreBoard(sparse), /^TypeError: nn: scoreBoard: move 0 must be an integer, got a hole$/);
  assert.throws(() => net.scoreBoard([3, NaN]), /move 1 must be an integer, got NaN/);
  assert.throws(() => net.scoreBoard([3, 1.5]), /move 1 must be an integer, got 1.5/);
  assert.throws(() => net.scoreBoard([null]), /move 0 must be an integer, got null/);
  net.dispose();
});

test('load refuses bytes after the model, as Go reads a whole buffer', () => {
  const net = nn.create(xor.spec);
  const file = net.save();
  const longer = new Uint8Array(file.length + 3);
  longer.set(file);
  assert.throws(() => nn.load(longer), (e) => e.code === 'trailingData' && /3 bytes follow/.test(e.message));
  const back = nn.load(file);
  assert.deepEqual(back.predict(new Float32Array([0, 1])), net.predict(new Float32Array([0, 1])));
  back.dispose();
  net.dispose();
});

test('an input too large for one call is an Error, and the instance survives', () => {
  const net = nn.create({ inputs: 1, layers: [{ units: 1, activation: 'identity', init: { kind: 'constant', a: 2 } }] });
  assert.throws(() => net.predict(new Float32Array(200_000_000)), (e) => e.code === 'config' && /split it into smaller batches/.test(e.message));
  assert.deepEqual(Array.from(net.predict(new Float32Array([1]))), [2]);
  net.dispose();
});
