// The demo page: a small network learns to separate two classes of points
// that the visitor places on a plane, and paints its decision boundary as
// it learns.

import { initBoard } from './board.js';
import { init } from './nn.mjs';

const $ = (id) => document.getElementById(id);
const statusLine = $('status');
const plane = $('plane');
const ctx = plane.getContext('2d');
const trainButton = $('train');
const resetButton = $('reset');

const colors = [[232, 119, 46], [47, 111, 179]];
const points = []; // { x, y, c } with x, y in [-1, 1]
const state = { epoch: 0, loss: NaN, accuracy: NaN, running: false };
let nn;
let net = null;

// The boundary is painted from a GRID×GRID batch prediction, scaled up.
const GRID = 80;
const gridInputs = new Float32Array(GRID * GRID * 2);
for (let i = 0; i < GRID; i++) {
  for (let j = 0; j < GRID; j++) {
    gridInputs[2 * (i * GRID + j)] = ((j + 0.5) / GRID) * 2 - 1;
    gridInputs[2 * (i * GRID + j) + 1] = 1 - ((i + 0.5) / GRID) * 2;
  }
}
const gridOut = new Float32Array(GRID * GRID);
const shade = new OffscreenCanvas(GRID, GRID);
const shadeCtx = shade.getContext('2d');
const shadeImage = shadeCtx.createImageData(GRID, GRID);

function setStatus(text, kind = 'ready') {
  statusLine.textContent = text;
  statusLine.dataset.state = kind;
}

// A small deterministic generator keeps the presets the same on every visit.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const presets = {
  xor(r) {
    for (let k = 0; k < 30; k++) {
      const sx = k % 2 ? 1 : -1;
      const sy = (k >> 1) % 2 ? 1 : -1;
      points.push({ x: sx * (0.2 + 0.6 * r()), y: sy * (0.2 + 0.6 * r()), c: sx === sy ? 0 : 1 });
    }
    for (const [x, y, c] of [[-0.5, -0.5, 0], [0.5, 0.5, 0], [-0.5, 0.5, 1], [0.5, -0.5, 1]]) {
      points.push({ x, y, c });
    }
  },
  circle(r) {
    for (let k = 0; k < 80; k++) {
      const inner = k % 2 === 0;
      const rad = inner ? 0.35 * r() : 0.6 + 0.3 * r();
      const a = 2 * Math.PI * r();
      points.push({ x: rad * Math.cos(a), y: rad * Math.sin(a), c: inner ? 0 : 1 });
    }
  },
  spiral(r) {
    for (let k = 0; k < 100; k++) {
      const c = k % 2;
      const t = (k >> 1) / 50;
      const a = 3 * Math.PI * t + c * Math.PI;
      const rad = 0.1 + 0.8 * t;
      points.push({ x: rad * Math.cos(a) + 0.03 * (r() - 0.5), y: rad * Math.sin(a) + 0.03 * (r() - 0.5), c });
    }
  },
};

function spec() {
  const hidden = $('hidden').value.split(/[ ,]+/).filter(Boolean).map(Number);
  if (hidden.length === 0 || hidden.some((u) => !Number.isInteger(u) || u < 1 || u > 256)) {
    throw new Error('hidden layers must be a list of sizes from 1 to 256, like 16,16');
  }
  const activation = $('activation').value;
  return {
    inputs: 2,
    layers: [...hidden.map((units) => ({ units, activation })), { units: 1, activation: 'sigmoid' }],
    seed: 7,
  };
}

function newNetwork() {
  net?.dispose();
  net = nn.create(spec());
  state.epoch = 0;
  state.loss = NaN;
  state.accuracy = NaN;
}

function dataset() {
  const x = new Float32Array(points.length * 2);
  const y = new Float32Array(points.length);
  points.forEach((p, i) => {
    x[2 * i] = p.x;
    x[2 * i + 1] = p.y;
    y[i] = p.c;
  });
  return { x, y };
}

// accuracy counts the points on the right side of the boundary.
function accuracy(x, y) {
  const p = net.predict(x);
  let right = 0;
  p.forEach((v, i) => { right += (v >= 0.5 ? 1 : 0) === y[i] ? 1 : 0; });
  return right / y.length;
}

function paint() {
  const w = plane.width;
  const h = plane.height;
  ctx.clearRect(0, 0, w, h);
  if (net) {
    net.predict(gridInputs, gridOut);
    const d = shadeImage.data;
    for (let k = 0; k < gridOut.length; k++) {
      const p = gridOut[k];
      const c = colors[p >= 0.5 ? 1 : 0];
      const strength = 0.15 + 0.45 * Math.abs(p - 0.5) * 2;
      for (let ch = 0; ch < 3; ch++) d[4 * k + ch] = Math.round(255 - (255 - c[ch]) * strength);
      d[4 * k + 3] = 255;
    }
    shadeCtx.putImageData(shadeImage, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(shade, 0, 0, w, h);
  }
  for (const p of points) {
    ctx.beginPath();
    ctx.arc(((p.x + 1) / 2) * w, ((1 - p.y) / 2) * h, 5.5, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${colors[p.c].join(',')})`;
    ctx.fill();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = '#fff';
    ctx.stroke();
  }
}

function showStats() {
  $('epoch').textContent = state.epoch;
  $('loss').textContent = Number.isFinite(state.loss) ? state.loss.toFixed(4) : '–';
  $('accuracy').textContent = Number.isFinite(state.accuracy) ? `${(100 * state.accuracy).toFixed(1)} %` : '–';
  $('count').textContent = points.length;
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

// trainLoop trains in short bursts sized to fit a frame, repainting between.
async function trainLoop() {
  let epochs = 5;
  while (state.running) {
    if (points.length === 0 || !net) {
      await nextFrame();
      continue;
    }
    const { x, y } = dataset();
    const t0 = performance.now();
    try {
      const hist = await net.train(x, y, {
        epochs,
        batchSize: 16,
        optimizer: { kind: 'adam', lr: Number($('lr').value) },
      });
      state.epoch += hist.epochs.length;
      state.loss = hist.epochs.at(-1)?.loss ?? NaN;
      state.accuracy = accuracy(x, y);
    } catch (e) {
      setStatus(e.message, 'error');
      setRunning(false);
      break;
    }
    const ms = performance.now() - t0;
    epochs = Math.max(1, Math.min(200, Math.round(epochs * (ms > 12 ? 0.7 : 1.3))));
    paint();
    showStats();
    await nextFrame();
  }
}

function setRunning(on) {
  if (on === state.running) return;
  state.running = on;
  trainButton.textContent = on ? 'Pause' : 'Train';
  trainButton.setAttribute('aria-pressed', String(on));
  if (on) trainLoop();
}

function rebuild() {
  try {
    newNetwork();
    setStatus('Ready.');
  } catch (e) {
    setStatus(e.message, 'error');
  }
  paint();
  showStats();
}

function addPoint(ev, cls) {
  const r = plane.getBoundingClientRect();
  const x = ((ev.clientX - r.left) / r.width) * 2 - 1;
  const y = 1 - ((ev.clientY - r.top) / r.height) * 2;
  points.push({ x, y, c: cls });
  paint();
  showStats();
}

plane.addEventListener('click', (ev) => {
  const chosen = Number(document.querySelector('input[name=cls]:checked').value);
  addPoint(ev, ev.shiftKey ? 1 - chosen : chosen);
});
plane.addEventListener('contextmenu', (ev) => {
  ev.preventDefault();
  const chosen = Number(document.querySelector('input[name=cls]:checked').value);
  addPoint(ev, 1 - chosen);
});
for (const b of document.querySelectorAll('[data-preset]')) {
  b.addEventListener('click', () => loadPreset(b.dataset.preset));
}
$('clear').addEventListener('click', () => {
  points.length = 0;
  rebuild();
});
trainButton.addEventListener('click', () => setRunning(!state.running));
resetButton.addEventListener('click', rebuild);
for (const id of ['hidden', 'activation']) $(id).addEventListener('change', rebuild);

function loadPreset(name) {
  points.length = 0;
  presets[name](rng(42));
  rebuild();
}

let board = null;
try {
  nn = await init();
  trainButton.disabled = false;
  resetButton.disabled = false;
  loadPreset('xor');
  board = initBoard(nn);
} catch (e) {
  setStatus(`Could not start nn: ${e.message}`, 'error');
}

// Hooks for the end-to-end test and for curious visitors at the console.
globalThis.nnDemo = {
  get nn() { return nn; },
  get network() { return net; },
  state: () => ({ ...state, points: points.length }),
  board: () => board?.state() ?? null,
  playBoard: (point) => board?.play(point),
  loadPreset,
  setRunning,
};
