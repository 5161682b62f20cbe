// The bytes of each file of a build: raw, gzip -9 and brotli (quality 11),
// which is what a static host with compression sends to a tablet. Shared by
// the bench (scripts/bench.mjs) and the budget (scripts/budget.mjs).
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    // Trunk's staging directory while a build runs is not part of the site.
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

export async function weightRows(dist) {
  const rows = [];
  for await (const path of walk(dist)) {
    const body = await readFile(path);
    rows.push({
      file: relative(dist, path),
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      }).length,
    });
  }
  rows.sort((a, b) => b.raw - a.raw);
  return rows;
}


/**
 * The parts of a split build (scripts/split.mjs), read from its loader
 * (`__wasm_split-*.js`): for each part (a split point of src/pages/parts.rs),
 * the .wasm files it fetches when first opened: its own and the chunks it
 * shares with other parts. `{}` for a build that is not split.
 */
export async function splitParts(dist) {
  const loaders = (await readdir(dist)).filter((f) => /^__wasm_split(-[0-9a-f]+)?\.js$/.test(f));
  if (loaders.length > 1) throw new Error(`more than one wasm-split loader in ${dist}: ${loaders.join(', ')}`);
  if (!loaders.length) return {};
  const js = await readFile(join(dist, loaders[0]), 'utf8');
  // `const __chunk_3 = makeLoad(() => { … "./chunk_3-….wasm" … }, []);`
  const chunks = {};
  for (const m of js.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{[^]*?"\.\/([^"]+\.wasm)"/g)) chunks[m[1]] = m[2];
  // `export const __wasm_split_load_history = wrapAsyncCb(makeLoad(<fetcher>, [__chunk_3]));`
  const parts = {};
  for (const m of js.matchAll(/export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(([^]*?), \[([^\]]*)\]\)\);/g)) {
    const [, name, fetcher, deps] = m;
    const own = fetcher.match(/"\.\/([^"]+\.wasm)"/);
    const files = own ? [own[1]] : [];
    for (const dep of deps.split(',').map((d) => d.trim()).filter(Boolean)) {
      if (!chunks[dep]) throw new Error(`${loaders[0]}: part ${name} needs ${dep}, which the loader does not define`);
      files.push(chunks[dep]);
    }
    parts[name] = files;
  }
  if (!Object.keys(parts).length) throw new Error(`${loaders[0]}: no part found (has wasm-split's loader format changed?)`);
  return parts;
}

// What a first visit fetches before the keypad is ready: the page, its
// start-up script, the wasm-bindgen glue and the split loader it imports, the
// till's wasm, the CSS, sw-register.js and the manifest. Not the service
// worker (registered after), the icons, config.json (small, network-first),
// nor the parts (fetched when a back-office screen is first opened).
const FIRST_LOAD = /\.(wasm|js|css|html|webmanifest)$/;

/**
 * The build's figures in gzip -9 bytes: the first load, each part (its own
 * file and the chunks it shares, as fetched when it is first opened), and
 * the whole app (every file the service worker precaches, each once).
 */
export async function weightFigures(dist) {
  const rows = await weightRows(dist);
  const parts = await splitParts(dist);
  const partFiles = new Set(Object.values(parts).flat());
  const byFile = new Map(rows.map((r) => [r.file, r]));
  const sum = (list) =>
    list.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  const firstLoadRows = rows.filter((r) => FIRST_LOAD.test(r.file) && r.file !== 'sw.js' && !partFiles.has(r.file));
  const partSums = {};
  for (const [name, files] of Object.entries(parts)) {
    partSums[name] = { files, ...sum(files.map((f) => {
      const row = byFile.get(f);
      if (!row) throw new Error(`part ${name}: ${f} is named by the loader but not in ${dist}`);
      return row;
    })) };
  }
  const wholeRows = rows.filter((r) => r.file !== '_headers' && r.file !== 'config.json');
  return { rows, firstLoad: { files: firstLoadRows.map((r) => r.file), ...sum(firstLoadRows) }, parts: partSums, whole: sum(wholeRows) };
}
