// Trunk post_build hook: writes the exact files of this build into the
// service worker's precache list, and a version that changes whenever any
// of them does (so a new build installs a new worker and cache).
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run this as a Trunk post_build hook');

// Fetched network-first or not at all, so not precached.
const SKIP = new Set(['sw.js', 'config.json', '_headers']);

async function* walk(d) {
  for (const entry of await readdir(d, { withFileTypes: true })) {
    const path = join(d, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

const files = [];
const hash = createHash('sha256');
for await (const path of walk(dir)) {
  const rel = relative(dir, path).split(sep).join('/');
  if (SKIP.has(rel)) continue;
  files.push(rel);
}
files.sort();
// Each file's own SHA-256 too: the worker refuses a cached copy that differs
// (a poisoned cache), going to the network instead.
const hashes = {};
for (const rel of files) {
  const bytes = await readFile(join(dir, rel));
  hash.update(rel);
  hash.update(bytes);
  hashes[rel === 'index.html' ? './' : rel] = createHash('sha256').update(bytes).digest('hex');
}
// The shell is requested as './'; index.html is the same file.
const precache = ['./', ...files.filter((f) => f !== 'index.html')];
const version = hash.digest('hex').slice(0, 16);

const swPath = join(dir, 'sw.js');
const sw = await readFile(swPath, 'utf8');
const filled = sw
  .replace(/^const VERSION = .*;$/m, `const VERSION = '${version}';`)
  .replace(/^const PRECACHE = .*;$/m, `const PRECACHE = ${JSON.stringify(precache)};`)
  .replace(/^const HASHES = .*;$/m, `const HASHES = ${JSON.stringify(hashes)};`);
if (filled === sw || !/^const HASHES = \{"/m.test(filled)) throw new Error('sw.js has no VERSION/PRECACHE/HASHES lines to fill');
await writeFile(swPath, filled);
console.log(`sw.js: version ${version}, ${precache.length} files precached`);
