// Two builds side by side in one process, for a step whose timing effect is
// smaller than the machine's noise between two `make bench` runs:
//   node scripts/bench-ab.mjs <dist A> <dist B> [rounds]
// Each round measures A then B (then B then A in the next round, so neither
// always goes first) with the same browser and simulator: one cold + warm
// start with History and Settings opened first time, and a few Charge -> QR
// in both modes. Prints the medians of each build and B/A; asserts nothing.
import { launchBrowser, startApp, startSim } from '../tests/e2e/helpers.mjs';
import { chargeToQr, startUp } from './bench-figures.mjs';
import { median, within } from './bench-util.mjs';

const [distA, distB, roundsArg] = process.argv.slice(2);
if (!distA || !distB) {
  console.error('usage: node scripts/bench-ab.mjs <dist A> <dist B> [rounds]');
  process.exit(2);
}
const ROUNDS = Math.max(1, Number(roundsArg ?? 6));
const FIGURES = ['cold', 'warm', 'firstHistory', 'firstSettings', 'qrPayLink', 'qrOneTime'];

const builds = { A: { dir: distA }, B: { dir: distB } };
for (const b of Object.values(builds)) {
  b.app = await startApp(b.dir, { gzip: true });
  b.samples = Object.fromEntries(FIGURES.map((f) => [f, []]));
}
const sim = await startSim({ rateLimit: false });
const browser = await launchBrowser();
try {
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? ['B', 'A'] : ['A', 'B'];
    for (const name of order) {
      const b = builds[name];
      process.stderr.write(`ab: round ${round + 1} of ${ROUNDS}, build ${name}\n`);
      const s = await startUp(browser, b.app, sim, 1);
      b.samples.cold.push(s.cold.median);
      b.samples.warm.push(s.warm.median);
      b.samples.firstHistory.push(s.firstHistory.median);
      b.samples.firstSettings.push(s.firstSettings.median);
      b.samples.qrPayLink.push((await chargeToQr(browser, b.app, sim, 'pay_link', 3)).median);
      b.samples.qrOneTime.push((await chargeToQr(browser, b.app, sim, 'one_time', 3)).median);
    }
  }
} finally {
  await within(20_000, 'the browser to close', browser.close()).catch(() => {});
  for (const b of Object.values(builds)) await b.app.close().catch(() => {});
  await sim.stop();
}
const fmt = (x) => `${Math.round(x)}`.padStart(6);
console.log(`A: ${distA}\nB: ${distB}\n${ROUNDS} rounds, medians in ms (4x CPU; cold also Slow 4G)`);
console.log(`${'figure'.padEnd(14)}${'A'.padStart(6)}${'B'.padStart(6)}   B/A`);
for (const f of FIGURES) {
  const a = median(builds.A.samples[f]);
  const b = median(builds.B.samples[f]);
  console.log(`${f.padEnd(14)}${fmt(a)}${fmt(b)}   ${(b / a).toFixed(2)}`);
}
