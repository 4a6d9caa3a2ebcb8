// Helpers shared by the Node runners of the nn peer comparison: the data
// files (see bench/spec/spec.go) and the timing loops.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

function bytes(path, n) {
  const b = readFileSync(path);
  if (b.length < 4 * n) throw new Error(`${path}: ${b.length} bytes, want at least ${4 * n}`);
  return b.buffer.slice(b.byteOffset, b.byteOffset + 4 * n);
}

// f32 reads the first n float32 values of a data file.
export function f32(path, n) {
  return new Float32Array(bytes(path, n));
}

// labels reads the first n class indices of a label file.
export function labels(path, n) {
  return new Int32Array(bytes(path, n));
}

export function median(v) {
  const s = Float64Array.from(v).sort();
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

// medianCall calls f(0), f(1), ... for budget seconds and at least least
// times and returns the median milliseconds of a call.
export function medianCall(budget, least, f) {
  const times = [];
  const deadline = performance.now() + 1000 * budget;
  for (let i = 0; performance.now() < deadline || times.length < least; i++) {
    const t0 = performance.now();
    f(i);
    times.push(performance.now() - t0);
  }
  return median(times);
}

// batchRate calls f for budget seconds (at least 10 times) and returns the
// predict256 result in rows per second, with wall-clock and CPU seconds.
export function batchRate(rows, budget, f) {
  const deadline = performance.now() + 1000 * budget;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let calls = 0;
  for (; performance.now() < deadline || calls < 10; calls++) f();
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(c0);
  return {
    work: 'predict256', value: rows * calls / wall, unit: 'samples/s',
    seconds: wall, cpu: (used.user + used.system) / 1e6,
  };
}
