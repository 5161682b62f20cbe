// `make bench`: prints the project's figures as tables. Figures, never pass/fail.
//
// First-load weight: every file in dist/ raw, gzip -9 and brotli (quality 11),
// which is what a static host with compression sends to a tablet.
// App timings: see bench-app.mjs (skipped with --weight-only).
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const DIST = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'dist';

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

function table(title, header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r) => console.log(line(r)));
}

export async function weightRows(dist = DIST) {
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

const rows = await weightRows();
const total = rows.reduce(
  (t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
  { raw: 0, gzip: 0, brotli: 0 },
);
table(
  `First-load weight of ${DIST}/ (bytes)`,
  ['file', 'raw', 'gzip', 'brotli'],
  [...rows.map((r) => [r.file, r.raw, r.gzip, r.brotli]), ['total', total.raw, total.gzip, total.brotli]],
);

if (!process.argv.includes('--weight-only')) {
  const { benchApp } = await import('./bench-app.mjs');
  const runs = process.env.BENCH_RUNS ?? 5;
  table(
    `App timings in Chromium, median of ${runs} runs (ms)`,
    ['what', '10 sales stored', '10,000 sales stored', 'ratio'],
    await benchApp(),
  );
}

if (!process.argv.includes('--weight-only')) {
  // Issue 16's figures, kept in their own file.
  const { benchProducts } = await import('./bench-products.mjs');
  table(
    `Products in Chromium, median of ${process.env.BENCH_RUNS ?? 5} runs (ms)`,
    ['what', 'ms'],
    await benchProducts(),
  );
}
