// A static file server for the tests and benchmarks: it serves folders on
// 127.0.0.1 at a free port, with the MIME types browsers insist on for
// modules and WebAssembly.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.png': 'image/png',
};

// serve maps URL prefixes to folders ({ '/': dist, '/fixtures/': dir }) and
// resolves to { url, close }.
export async function serve(mounts) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const prefix = prefixes.find((p) => path.startsWith(p));
    const rel = normalize(path.slice(prefix?.length ?? 0) || 'index.html');
    if (prefix === undefined || rel.startsWith('..') || rel.split(sep).includes('..')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(mounts[prefix], rel.endsWith(sep) ? join(rel, 'index.html') : rel));
      res.writeHead(200, {
        'content-type': types[extname(rel)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
