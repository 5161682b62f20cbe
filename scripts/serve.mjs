// A small static file server for dist/: what a static host does, on localhost.
// Used by `make demo` and by the end-to-end tests (imported as a module).
//
//   node scripts/serve.mjs [--dir dist] [--port 8080] [--host 127.0.0.1]
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The headers of a `_headers` file (Netlify / Cloudflare Pages format) for
 * every path: what scripts/csp.mjs writes for `/*`, sent as a host would.
 */
export function readHeadersFile(text) {
  const headers = {};
  let all = false;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      all = line.trim() === '/*';
      continue;
    }
    const i = line.indexOf(':');
    if (all && i > 0) headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return headers;
}

/**
 * Starts serving `dir`; resolves to the Node server once it listens.
 * `gzip`: answers gzip -9 to a browser that accepts it, as a static host with
 * compression does (the bench's cold load over a slow network needs it; the
 * tests and the demo are served plain).
 */
export function serveStatic({ dir = 'dist', port = 8080, host = '127.0.0.1', gzip = false } = {}) {
  const root = resolve(dir);
  // Compressed once per file and build (the path and its modification time).
  const gzipped = new Map();
  // Read once: the build's security headers go with every response.
  let security;
  try {
    security = readFileSync(join(root, '_headers'), 'utf8');
  } catch {
    throw new Error(`${dir}/_headers is missing: build with Trunk (its hook scripts/csp.mjs writes it)`);
  }
  const securityHeaders = readHeadersFile(security);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (path === '/_headers') {
        // The host's configuration, not a page.
        res.writeHead(404, { 'content-type': 'text/plain', ...securityHeaders }).end('not found');
        return;
      }
      let file = normalize(join(root, path));
      // Inside the folder only: `..`, encoded or not, never leaves it (a
      // sibling folder whose name starts with the folder's is outside too).
      if (path.includes('\0') || (file !== root && !file.startsWith(root + sep))) {
        res.writeHead(403).end();
        return;
      }
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info) {
        res.writeHead(404, { 'content-type': 'text/plain', ...securityHeaders }).end('not found');
        return;
      }
      let body = await readFile(file);
      const compressed = gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      if (compressed) {
        const key = `${file}@${info.mtimeMs}`;
        if (!gzipped.has(key)) gzipped.set(key, gzipSync(body, { level: 9 }));
        body = gzipped.get(key);
      }
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        // Hashed assets could be cached for long; the shell and the worker must not be.
        'cache-control': 'no-cache',
        ...(compressed ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
        ...securityHeaders,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const dir = arg('dir', 'dist');
  const port = Number(arg('port', process.env.PORT ?? 8080));
  const host = arg('host', '127.0.0.1');
  const server = await serveStatic({ dir, port, host });
  console.log(`serving ${dir} on http://${host}:${server.address().port}/`);
}
