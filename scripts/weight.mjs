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

