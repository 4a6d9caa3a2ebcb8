// Tests of the JavaScript API of the WebAssembly build, run in Node.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, test } from 'node:test';
import { checkHeap, dist, heapCycles, maxDiff, nativeFixtures, xor } from './common.mjs';

const { init } = await import(pathToFileURL(join(dist, 'nn.mjs')).href);
let nn;

before(async () => {
  nn = await init();
});

function classify(net, x) {
  return Array.from(net.predict(x), (p) => (p >= 0.5 ? 1 : 0));
}

test('create reports the shape of the network', () => {
  const net = nn.create({
    inputs: 3,
    layers: [{ units: 5, activation: 'relu' }, { dropout: 0.5 }, { units: 2, activation: 'softmax' }],
  });
  assert.equal(net.inputSize, 3);
  assert.equal(net.outputSize, 2);
  assert.deepEqual(net.layers.map((l) => [l.kind, l.inputs, l.outputs]),
    [['dense', 3, 5], ['dropout', 5, 5], ['dense', 5, 2]]);
  const p = net.predict(new Float32Array([1, -2, 3]));
  assert.equal(p.length, 2);
  assert.ok(Math.abs(p[0] + p[1] - 1) < 1e-6, `softmax outputs ${p} do not sum to 1`);
  net.dispose();
});

test('XOR trains to 100% accuracy', async () => {
  const net = nn.create(xor.spec);
  const seen = [];
  const hist = await net.train(xor.x, xor.y, { ...xor.options, onEpoch: (s) => { seen.push(s.epoch); } });
  assert.equal(hist.epochs.length, xor.options.epochs);
  assert.equal(seen.length, xor.options.epochs);
  assert.deepEqual(classify(net, xor.x), [0, 1, 1, 0]);
  const m = net.evaluate(xor.x, xor.y);
  assert.equal(m.n, 4);
  assert.equal(m.accuracy, 1);
  assert.ok(m.loss < hist.epochs[0].loss, `loss ${m.loss} did not fall below ${hist.epochs[0].loss}`);
  net.dispose();
});

test('a batch predicts what single samples predict', () => {
  const net = nn.create(xor.spec);
  const batch = net.predict(xor.x);
  for (let i = 0; i < 4; i++) {
    const one = net.predict(xor.x.subarray(2 * i, 2 * i + 2));
    assert.ok(Math.abs(one[0] - batch[i]) < 1e-6, `row ${i}: ${one[0]} vs ${batch[i]}`);
  }
  const out = new Float32Array(4);
  assert.equal(net.predict(xor.x, out), out);
  assert.deepEqual(out, batch);
  net.dispose();
});

test('onEpoch returning false stops training', async () => {
  const net = nn.create(xor.spec);
  const hist = await net.train(xor.x, xor.y, { epochs: 100, onEpoch: (s) => s.epoch < 4 });
  assert.equal(hist.epochs.length <= 5, true, `trained ${hist.epochs.length} epochs`);
  assert.equal(hist.stopped, true);
  net.dispose();
});

test('an AbortSignal stops training and rejects', async () => {
  const net = nn.create(xor.spec);
  const ctl = new AbortController();
  let epochs = 0;
  const run = net.train(xor.x, xor.y, {
    epochs: 1000,
    yieldMs: 0,
    onEpoch: () => { if (++epochs === 3) ctl.abort(new Error('enough')); },
    signal: ctl.signal,
  });
  await assert.rejects(run, /enough/);
  assert.ok(epochs < 10, `ran ${epochs} epochs after the abort`);
  net.dispose();
});

test('models saved by native Go predict the same in wasm', () => {
  for (const f of nativeFixtures()) {
    const net = nn.load(f.bytes);
    assert.equal(net.inputSize, f.inputs);
    assert.equal(net.outputSize, f.outputs);
    let worst = 0;
    f.x.forEach((x, i) => {
      worst = Math.max(worst, maxDiff(net.predict(new Float32Array(x)), f.y[i]));
    });
    assert.ok(worst <= 1e-5, `${f.model}: max difference ${worst} from native Go`);
    const batch = net.predict(new Float32Array(f.x.flat()));
    assert.ok(maxDiff(batch, f.y.flat()) <= 1e-5, `${f.model}: batch differs from native Go`);
    net.dispose();
  }
});

test('single-sample prediction runs on the SIMD kernels and agrees with Go', async () => {
  assert.equal(nn.simd, true, 'Node 20 runs WebAssembly SIMD');
  const plain = await init(undefined, { simd: false });
  assert.equal(plain.simd, false);
  const spec = { inputs: 361, layers: [{ units: 256, activation: 'relu' }, { units: 361, activation: 'softmax' }], seed: 9 };
  const a = nn.create(spec);
  const b = plain.create(spec);
  let worst = 0;
  for (let s = 0; s < 5; s++) {
    const x = new Float32Array(361).map((_, i) => Math.sin(i * (s + 1)));
    worst = Math.max(worst, maxDiff(a.predict(x), b.predict(x)));
  }
  assert.ok(worst <= 1e-6, `SIMD and Go kernels differ by ${worst}`);
  a.dispose();
  b.dispose();
});

test('training on the SIMD kernels follows training in Go', async () => {
  const plain = await init(undefined, { simd: false });
  const spec = { inputs: 37, layers: [{ units: 40, activation: 'tanh' }, { units: 19, activation: 'softmax' }], seed: 2 };
  const n = 96;
  const x = new Float32Array(n * 37).map((_, i) => Math.cos(i * 0.37));
  const y = new Float32Array(n).map((_, i) => (i * 7) % 19);
  const opts = { epochs: 3, batchSize: 32, shuffle: false, optimizer: { kind: 'sgd', lr: 0.05 } };
  const a = nn.create(spec);
  const b = plain.create(spec);
  const ha = await a.train(x, y, opts);
  const hb = await b.train(x, y, opts);
  ha.epochs.forEach((e, i) => {
    assert.ok(Math.abs(e.loss - hb.epochs[i].loss) <= 1e-5, `epoch ${i + 1}: loss ${e.loss} vs ${hb.epochs[i].loss}`);
  });
  const d = maxDiff(a.predict(x), b.predict(x));
  assert.ok(d <= 1e-5, `after training the outputs differ by ${d}`);
  a.dispose();
  b.dispose();
});

test('scoreBoard replays moves with captures and masks illegal points', () => {
  const f = nativeFixtures();
  const net = nn.load(f.boardModel);
  const empty = net.scoreBoard([]);
  assert.equal(empty.toPlay, 'black');
  assert.equal(empty.legal.filter(Boolean).length, 361);
  const sum = (v) => v.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum(empty.scores) - 1) < 1e-5, `scores sum to ${sum(empty.scores)}`);

  // Black at B19 and A18 captures the white stone in the corner (A19); White
  // may not play back there (suicide).
  const st = net.scoreBoard([1, 0, 19]);
  assert.deepEqual([st.stones[0], st.stones[1], st.stones[19]], [0, 1, 1]);
  assert.equal(st.toPlay, 'white');
  assert.equal(st.legal[0], 0);
  for (const p of [0, 1, 19]) assert.equal(st.scores[p], 0, `score of point ${p}`);
  assert.ok(Math.abs(sum(st.scores) - 1) < 1e-5);

  assert.throws(() => net.scoreBoard([40, 40]), /^Error: nn: board: move 2 .*occupied/);
  assert.throws(() => net.scoreBoard([361]), /move 1 is 361/);
  assert.throws(() => net.scoreBoard('D4'), TypeError);
  net.dispose();
  const plain = nn.create(xor.spec);
  assert.throws(() => plain.scoreBoard([]), /no baduk.planes metadata/);
  plain.dispose();
});

test('save and load round-trip', async () => {
  const net = nn.create(xor.spec);
  await net.train(xor.x, xor.y, { epochs: 20, batchSize: 4 });
  const bytes = net.save();
  assert.ok(bytes instanceof Uint8Array && bytes.length > 0);
  const back = nn.load(bytes.buffer);
  assert.deepEqual(back.predict(xor.x), net.predict(xor.x));
  assert.deepEqual(back.save(), bytes);
  const half = nn.load(net.save({ encoding: 'float16' }));
  assert.ok(maxDiff(half.predict(xor.x), net.predict(xor.x)) < 1e-2);
  for (const n of [net, back, half]) n.dispose();
});

test('errors arrive as thrown Errors and the instance survives them', async () => {
  assert.throws(() => nn.create({ inputs: 2, layers: [] }), /^Error: nn: /);
  assert.throws(() => nn.create({ inputs: 2, layers: [{ units: 3, activation: 'swish' }] }), /unknown activation "swish"/);
  assert.throws(() => nn.create({ inputs: 2, layers: [{ units: 3 }], sede: 1 }), /unknown field "sede"/);
  assert.throws(() => nn.create('2-3-1'), TypeError);
  assert.throws(() => nn.load(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), (e) => e.message.startsWith('nn: ') && e.code !== undefined);
  assert.throws(() => nn.load('model'), TypeError);

  const net = nn.create(xor.spec);
  assert.throws(() => net.predict(new Float32Array(3)), (e) => e.code === 'shape' && /3 values/.test(e.message));
  assert.throws(() => net.predict([0, 1]), TypeError);
  assert.throws(() => net.predict(new Float32Array([0, NaN])), (e) => e.code === 'nonFinite');
  assert.throws(() => net.predict(new Float32Array(2), new Float32Array(5)), (e) => e.code === 'shape');
  await assert.rejects(net.train(xor.x, xor.y, { epochs: 0 }), /epochs must be a positive integer/);
  await assert.rejects(net.train(xor.x, xor.y, { epochs: 1, batchSize: 0 }), /batchSize must be a positive integer, got 0/);
  await assert.rejects(net.train(xor.x, new Float32Array(3), { epochs: 1 }), (e) => e.code === 'shape');
  await assert.rejects(net.train(xor.x, xor.y, { epochs: 1, optimizer: 'adamw' }), /unknown optimizer "adamw"/);
  await assert.rejects(net.train(xor.x, xor.y, { epochs: 5, onEpoch: () => { throw new Error('boom'); } }), /onEpoch: boom/);
  assert.throws(() => net.save({ encoding: 'int4' }), /unknown encoding/);

  // Still alive and still right after all of that.
  assert.equal(net.predict(new Float32Array([0, 1])).length, 1);
  net.dispose();
  assert.throws(() => net.predict(new Float32Array(2)), /disposed/);
  net.dispose();
});

test('training twice at once is refused', async () => {
  const net = nn.create(xor.spec);
  const first = net.train(xor.x, xor.y, { epochs: 50, yieldMs: 0 });
  await assert.rejects(net.train(xor.x, xor.y, { epochs: 1 }), /already training/);
  await first;
  net.dispose();
});

test('1000 create/predict/dispose cycles do not grow the heap', (t) => {
  t.diagnostic(checkHeap(assert, heapCycles(nn)));
});
