// The benchmark itself, shared by Node and the browser: the same network
// (361 inputs, 256 ReLU, 361 softmax outputs: a move score for every point
// of a Go board) trained with batches of 32 and run on one sample at a time,
// in nn and in its peers. The caller hands in the libraries, since Node and
// the page load them differently.

export const IN = 361;
export const HIDDEN = 256;
export const OUT = 361;
export const BATCH = 32;
const LR = 0.01;

function data(n, seed) {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const x = new Float32Array(n * IN);
  for (let i = 0; i < x.length; i++) x[i] = Math.floor(next() * 3) - 1; // stones: -1, 0, +1
  const labels = new Float32Array(n);
  const onehot = new Float32Array(n * OUT);
  for (let i = 0; i < n; i++) {
    labels[i] = Math.floor(next() * OUT);
    onehot[i * OUT + labels[i]] = 1;
  }
  return { n, x, labels, onehot };
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

// rate runs step (which handles `samples` samples) until `seconds` have
// passed, after one warm-up, and returns the median samples per second.
async function rate(step, samples, seconds) {
  await step();
  const rates = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end || rates.length < 3) {
    const t0 = performance.now();
    await step();
    rates.push(samples / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}

// latency calls predict in rounds of 100 for about `seconds` and returns the
// median microseconds per call.
function latency(predict, seconds) {
  for (let i = 0; i < 200; i++) predict();
  const per = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end || per.length < 5) {
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) predict();
    per.push(((performance.now() - t0) * 1000) / 100);
  }
  return median(per);
}

async function benchNN(nnInit, d, seconds) {
  const nn = await nnInit();
  const net = nn.create({
    inputs: IN,
    layers: [{ units: HIDDEN, activation: 'relu' }, { units: OUT, activation: 'softmax' }],
  });
  const opts = { epochs: 1, batchSize: BATCH, optimizer: { kind: 'sgd', lr: LR }, yieldMs: 1e9 };
  const train = await rate(() => net.train(d.x, d.labels, opts), d.n, seconds);
  const x1 = d.x.subarray(0, IN);
  const out = new Float32Array(OUT);
  const predict = latency(() => net.predict(x1, out), seconds);
  net.dispose();
  return { train, predict };
}

async function benchTF(tf, backend, d, seconds) {
  await tf.setBackend(backend);
  await tf.ready();
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [IN], units: HIDDEN, activation: 'relu' }),
      tf.layers.dense({ units: OUT, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(LR), loss: 'categoricalCrossentropy' });
  const xs = tf.tensor2d(d.x, [d.n, IN]);
  const ys = tf.tensor2d(d.onehot, [d.n, OUT]);
  const fit = { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 };
  const train = await rate(() => model.fit(xs, ys, fit), d.n, seconds);
  const x1 = d.x.subarray(0, IN);
  const predict = latency(() => {
    const t = tf.tensor2d(x1, [1, IN]);
    const r = model.predict(t);
    r.dataSync();
    tf.dispose([t, r]);
  }, seconds);
  tf.dispose([xs, ys]);
  model.dispose();
  return { train, predict };
}

// brain.js has no softmax and trains one sample at a time (no batches): its
// network here is 361-256-361 sigmoid with its own MSE training.
async function benchBrain(brain, d, seconds) {
  const n = Math.min(d.n, 128);
  const net = new brain.NeuralNetwork({ hiddenLayers: [HIDDEN], learningRate: LR });
  const rows = [];
  for (let i = 0; i < n; i++) {
    rows.push({
      input: Array.from(d.x.subarray(i * IN, (i + 1) * IN)),
      output: Array.from(d.onehot.subarray(i * OUT, (i + 1) * OUT)),
    });
  }
  const opts = { iterations: 1, errorThresh: 1e-9, log: false };
  const train = await rate(() => net.train(rows, opts), n, seconds);
  const x1 = rows[0].input;
  const predict = latency(() => net.run(x1), seconds);
  return { train, predict };
}

// runSuite measures every library it is given and returns one row each.
export async function runSuite({ env, nnInit, tf, tfBackends = [], brain, seconds = 3, log = () => {} }) {
  const d = data(1024, 12345);
  const rows = [];
  const add = async (impl, note, f) => {
    log(`${env}: ${impl}…`);
    try {
      rows.push({ env, impl, note, ...(await f()) });
    } catch (e) {
      rows.push({ env, impl, note, error: String(e?.message ?? e) });
    }
  };
  await add('nn (Go wasm)', 'batch 32, SGD', () => benchNN(nnInit, d, seconds));
  for (const b of tfBackends) {
    await add(`tfjs ${b}`, 'batch 32, SGD', () => benchTF(tf, b, d, seconds));
  }
  if (brain) await add('brain.js', 'sigmoid/MSE, batch 1', () => benchBrain(brain, d, seconds));
  return rows;
}
