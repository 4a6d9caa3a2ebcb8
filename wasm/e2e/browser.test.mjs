// End-to-end tests of the WebAssembly build and the demo page in headless
// Chromium, driven by playwright-core. The browser is the system's
// (/usr/bin/chromium, or $CHROMIUM); playwright downloads none.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { artifactsDir, checkHeap, dist, fixturesDir, heapCycles, maxDiff, nativeFixtures, xor } from './common.mjs';
import { serve } from './server.mjs';

let server;
let browser;
let page;
const problems = [];

before(async () => {
  nativeFixtures();
  server = await serve({ '/': dist, '/fixtures/': fixturesDir });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
  });
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  await page.goto(`${server.url}?baduk=/fixtures/baduk.nnm`);
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 30000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the demo page learns XOR from its preset and paints the boundary', async () => {
  await page.click('button[data-preset="xor"]');
  await page.click('#train');
  await page.waitForFunction(() => globalThis.nnDemo.state().accuracy === 1 && globalThis.nnDemo.state().epoch >= 50,
    null, { timeout: 60000 });
  await page.click('#train');
  const st = await page.evaluate(() => globalThis.nnDemo.state());
  assert.equal(st.running, false);
  assert.equal(st.accuracy, 1);
  assert.equal(await page.textContent('#accuracy'), '100.0 %');

  // The painted boundary: XOR's class 0 lies in the lower-left and
  // upper-right quadrants, class 1 in the other two. Sample the canvas away
  // from the points and compare the orange and blue channels.
  const tints = await page.evaluate(() => {
    const c = document.getElementById('plane');
    const g = c.getContext('2d');
    const at = (x, y) => Array.from(g.getImageData(((x + 1) / 2) * c.width, ((1 - y) / 2) * c.height, 1, 1).data);
    return [at(-0.9, -0.15), at(0.9, 0.15), at(0.9, -0.15), at(-0.9, 0.15)];
  });
  const blueish = tints.map(([r, , b]) => b > r);
  assert.deepEqual(blueish, [false, false, true, true], `canvas samples ${JSON.stringify(tints)}`);

  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, 'demo-xor.png'), fullPage: true });
});

test('the Go board places stones by click and paints the model\'s scores', async () => {
  await page.waitForFunction(() => globalThis.nnDemo.board() !== null, null, { timeout: 30000 });
  const board = page.locator('#goban');
  await board.scrollIntoViewIfNeeded();
  const box = await board.boundingBox();
  const scale = box.width / 560;
  const click = (row, col) => board.click({ position: { x: (28 + col * 28) * scale, y: (28 + row * 28) * scale } });
  await click(3, 15); // black, Q16
  await click(15, 3); // white, D4
  const st = await page.evaluate(() => globalThis.nnDemo.board());
  assert.deepEqual(st.moves, [3 * 19 + 15, 15 * 19 + 3]);
  assert.equal(st.stones[3 * 19 + 15], 1);
  assert.equal(st.stones[15 * 19 + 3], 2);
  assert.equal(st.toPlay, 'black');
  assert.equal(st.scores[3 * 19 + 15], 0);
  const total = st.scores.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 1) < 1e-5, `scores sum to ${total}`);

  // Clicking an occupied point is refused with the Go message and changes nothing.
  await click(3, 15);
  assert.match(await page.textContent('#board-status'), /^nn: board: move 3 .*occupied/);
  assert.equal((await page.evaluate(() => globalThis.nnDemo.board())).moves.length, 2);

  mkdirSync(artifactsDir, { recursive: true });
  await board.screenshot({ path: join(artifactsDir, 'demo-board.png') });
});

test('the module trains XOR to 100% in the browser', async () => {
  const labels = await page.evaluate(async ({ x, y, spec, options }) => {
    const { init } = await import('./nn.mjs');
    const nn = await init();
    const net = nn.create(spec);
    await net.train(new Float32Array(x), new Float32Array(y), options);
    const p = Array.from(net.predict(new Float32Array(x)), (v) => (v >= 0.5 ? 1 : 0));
    const m = net.evaluate(new Float32Array(x), new Float32Array(y));
    net.dispose();
    return { p, accuracy: m.accuracy };
  }, { x: Array.from(xor.x), y: Array.from(xor.y), spec: xor.spec, options: xor.options });
  assert.deepEqual(labels.p, [0, 1, 1, 0]);
  assert.equal(labels.accuracy, 1);
});

test('models saved by native Go predict the same in the browser', async () => {
  assert.equal(await page.evaluate(() => globalThis.nnDemo.nn.simd), true, 'Chromium runs WebAssembly SIMD');
  for (const f of nativeFixtures()) {
    const got = await page.evaluate(async ({ model, x }) => {
      const bytes = await (await fetch(`/fixtures/${model}`)).arrayBuffer();
      const net = globalThis.nnDemo.nn.load(bytes);
      const out = x.map((row) => Array.from(net.predict(new Float32Array(row))));
      net.dispose();
      return out;
    }, { model: f.model, x: f.x });
    const worst = Math.max(...got.map((row, i) => maxDiff(row, f.y[i])));
    assert.ok(worst <= 1e-5, `${f.model}: max difference ${worst} from native Go`);
  }
});

test('Go errors arrive as Errors in the browser and the instance survives', async () => {
  const r = await page.evaluate(async () => {
    const nn = globalThis.nnDemo.nn;
    const caught = [];
    const net = nn.create({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }] });
    try { net.predict(new Float32Array(3)); } catch (e) { caught.push([e instanceof Error, e.code, e.message]); }
    try { nn.load(new Uint8Array(16)); } catch (e) { caught.push([e instanceof Error, e.code, e.message]); }
    try {
      await net.train(new Float32Array(2), new Float32Array(1), { epochs: 3, onEpoch: () => { throw new Error('boom'); } });
    } catch (e) { caught.push([e instanceof Error, e.code, e.message]); }
    const alive = net.predict(new Float32Array([1, 2])).length;
    net.dispose();
    return { caught, alive };
  });
  assert.equal(r.caught.length, 3);
  for (const [isError, , message] of r.caught) {
    assert.ok(isError);
    assert.match(message, /^nn: /);
  }
  assert.equal(r.caught[0][1], 'shape');
  assert.match(r.caught[2][2], /boom/);
  assert.equal(r.alive, 1);
});

test('1000 create/predict/dispose cycles do not grow the heap in the browser', async (t) => {
  t.diagnostic(checkHeap(assert, await page.evaluate(`(${heapCycles})(globalThis.nnDemo.nn)`)));
});

test('the page logged no errors', () => {
  assert.deepEqual(problems, []);
});
