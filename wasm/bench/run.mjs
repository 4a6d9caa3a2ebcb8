// Runs the benchmark of suite.mjs in Node and in headless Chromium and prints
// a ratio table: `npm run bench` in this folder (it builds dist/ first).
// BENCH_SECONDS sets the time per measurement (default 3).

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import brain from 'brain.js';
import { chromium } from 'playwright-core';
import { serve } from '../e2e/server.mjs';
import { BATCH, HIDDEN, IN, OUT, runSuite } from './suite.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.NN_DIST ?? join(here, '../../dist'));
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const log = (m) => process.stderr.write(`${m}\n`);

async function inNode() {
  const { init } = await import(pathToFileURL(join(dist, 'nn.mjs')).href);
  return runSuite({ env: 'node', nnInit: init, tf, tfBackends: ['cpu', 'wasm'], brain, seconds, log });
}

async function inChromium() {
  const server = await serve({ '/': dist, '/bench/': here, '/modules/': join(here, 'node_modules') });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
  });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => log(`chromium: ${m.text()}`));
    await page.goto(`${server.url}bench/bench.html`);
    return await page.evaluate(async (secs) => {
      const { runSuite } = await import('/bench/suite.mjs');
      const { init } = await import('/nn.mjs');
      globalThis.tf.wasm.setWasmPaths('/modules/@tensorflow/tfjs-backend-wasm/dist/');
      return runSuite({
        env: 'chromium', nnInit: init, tf: globalThis.tf, tfBackends: ['cpu', 'wasm'],
        brain: globalThis.brain, seconds: secs, log: console.log,
      });
    }, seconds);
  } finally {
    await browser.close();
    await server.close();
  }
}

function table(rows) {
  const fmt = (v, d = 0) => (v === undefined ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
  const lines = [[
    'env', 'implementation', 'notes', 'train samples/s', 'predict µs', 'nn train speed ×', 'nn predict speed ×',
  ]];
  for (const env of [...new Set(rows.map((r) => r.env))]) {
    const nn = rows.find((r) => r.env === env && r.impl.startsWith('nn'));
    for (const r of rows.filter((x) => x.env === env)) {
      if (r.error) {
        lines.push([env, r.impl, `failed: ${r.error}`, '', '', '', '']);
        continue;
      }
      lines.push([
        env, r.impl, r.note, fmt(r.train), fmt(r.predict, 1),
        nn?.train ? fmt(nn.train / r.train, 2) : '–', nn?.predict ? fmt(r.predict / nn.predict, 2) : '–',
      ]);
    }
  }
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  const right = new Set([3, 4, 5, 6]);
  return lines.map((l) => l.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd())
    .join('\n');
}

// floors checks the targets: nn trains at least as fast as TensorFlow.js's
// wasm backend and predicts one sample in under 94 µs.
function floors(rows) {
  const out = [];
  let ok = true;
  for (const env of [...new Set(rows.map((r) => r.env))]) {
    const nn = rows.find((r) => r.env === env && r.impl.startsWith('nn'));
    const tw = rows.find((r) => r.env === env && r.impl === 'tfjs wasm');
    if (!nn?.train) continue;
    if (tw?.train) {
      const pass = nn.train >= tw.train;
      ok &&= pass;
      out.push(`${env}: training ${Math.round(nn.train)}/s vs tfjs wasm ${Math.round(tw.train)}/s: ${pass ? 'ok' : 'BELOW FLOOR'}`);
    }
    const pass = nn.predict < 94;
    ok &&= pass;
    out.push(`${env}: single-sample predict ${nn.predict.toFixed(1)} µs (floor 94 µs): ${pass ? 'ok' : 'ABOVE FLOOR'}`);
  }
  return { ok, text: out.join('\n') };
}

const rows = [...(await inNode()), ...(await inChromium())];
console.log(`\nnetwork ${IN}-${HIDDEN}-${OUT} (ReLU, softmax), batch ${BATCH}, ${seconds} s per figure, medians\n`);
console.log(table(rows));
const f = floors(rows);
console.log(`\n${f.text}`);
process.exitCode = f.ok ? 0 : 1;
