// The weight budget (budget.json at the root): the gzip -9 bytes of the first
// load (what a first visit fetches before the keypad: wasm + JS + CSS + HTML +
// manifest) and of the whole app (every file the service worker precaches).
// A build more than 1 % over a budget fails, with one line per figure:
//   first load 203,412 B gzip, budget 200,000 B: +3,412 B
// Raising a budget is a deliberate commit that says why.
// Usage: node scripts/budget.mjs [dist]
import { readFile } from 'node:fs/promises';
import { weightRows } from './weight.mjs';

const DIST = process.argv[2] ?? 'dist';
const TOLERANCE = 0.01;

const budget = JSON.parse(await readFile(new URL('../budget.json', import.meta.url), 'utf8'));
const rows = await weightRows(DIST);
const FIRST_LOAD = /\.(wasm|js|css|html|webmanifest)$/;
const sum = (list) => list.reduce((t, r) => t + r.gzip, 0);
const figures = {
  firstLoad: ['first load', sum(rows.filter((r) => FIRST_LOAD.test(r.file) && r.file !== 'sw.js'))],
  whole: ['whole app', sum(rows.filter((r) => !r.file.startsWith('_') && r.file !== 'config.json'))],
};

const n = (v) => v.toLocaleString('en-US');
let passed = 0;
let failed = 0;
for (const [key, [name, bytes]] of Object.entries(figures)) {
  const limit = budget[key];
  if (typeof limit !== 'number') {
    console.log(`${name} ${n(bytes)} B gzip: no budget in budget.json (${key})`);
    failed += 1;
    continue;
  }
  const diff = bytes - limit;
  const line = `${name} ${n(bytes)} B gzip, budget ${n(limit)} B: ${diff >= 0 ? '+' : '-'}${n(Math.abs(diff))} B`;
  if (bytes > limit * (1 + TOLERANCE)) {
    console.log(`${line} (over by more than 1 %)`);
    failed += 1;
  } else {
    console.log(line);
    passed += 1;
  }
}
console.log(`budget: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
