// The weight budget (budget.json at the root), in gzip -9 bytes:
//   firstLoad  what a first visit fetches before the keypad (the page, its
//              scripts, the till's wasm, CSS, manifest)
//   parts      each back-office part, as fetched when first opened (its own
//              wasm and the chunks it shares with other parts)
//   whole      every file the service worker precaches, each once
// A build more than 1 % over a budget fails, with one line per figure:
//   first load 203,412 B gzip, budget 200,000 B: +3,412 B
// A part the build has and the budget lacks (or the reverse) fails too.
// Raising a budget is a deliberate commit that says why.
// Usage: node scripts/budget.mjs [dist]
import { readFile } from 'node:fs/promises';
import { weightFigures } from './weight.mjs';

const DIST = process.argv[2] ?? 'dist';
const TOLERANCE = 0.01;

const budget = JSON.parse(await readFile(new URL('../budget.json', import.meta.url), 'utf8'));
const w = await weightFigures(DIST);
const figures = [['first load', w.firstLoad.gzip, budget.firstLoad, 'firstLoad']];
for (const [name, part] of Object.entries(w.parts)) {
  figures.push([`part ${name}`, part.gzip, budget.parts?.[name], `parts.${name}`]);
}
for (const name of Object.keys(budget.parts ?? {})) {
  if (!w.parts[name]) figures.push([`part ${name}`, null, budget.parts[name], `parts.${name}`]);
}
figures.push(['whole app', w.whole.gzip, budget.whole, 'whole']);

const n = (v) => v.toLocaleString('en-US');
let passed = 0;
let failed = 0;
for (const [name, bytes, limit, key] of figures) {
  if (bytes === null) {
    console.log(`${name}: in budget.json (${key}) but not in this build (${DIST}/ is not split, or the part is gone)`);
    failed += 1;
    continue;
  }
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
