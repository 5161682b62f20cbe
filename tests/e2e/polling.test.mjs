// How often the app asks MixPay (issue 24, point 7): the sale on screen every
// 2 s (MixPay's recommendation); a 1429 backs off growing (15 s, 30 s, 60 s,
// capped at 120 s); and two tablets on one network (two browser profiles:
// two devices, each with its own budget), each with a QR up for 2 minutes,
// get no 1429 at all from the simulator's 60-a-minute limit (counted per
// address, as MixPay may count a shop behind one router).
// Every wait is on the screen or the simulator's request log.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { chargeAndReadQr, newSale, openReadyApp, resultPolls, setupSuite, storedSale, typeAmount, until, waitForStatus } from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });

/** The times of the polls of one sale (by its traceId, or by its orderId), from the simulator's log. */
async function pollTimes(traceId, orderId = traceId) {
  return (await resultPolls(suite.sim))
    .filter((r) => r.query.includes(traceId) || r.query.includes(`orderId=${orderId}&`))
    .map((r) => r.tsMs);
}

const gaps = (ts) => ts.slice(1).map((t, i) => t - ts[i]);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Answers of the simulator's log that were "too many requests". */
const rateLimited = (log) => log.filter((r) => r.status === 429 || r.code === 1429);

test('the sale on screen is asked about every 2 s', async () => {
  const { w, traceId } = await newSale(suite, '3');
  const ts = await until(async () => {
    const t = await pollTimes(traceId);
    return t.length >= 8 && t;
  }, '8 polls', 40_000);
  const m = median(gaps(ts));
  assert.ok(m >= 1_900 && m <= 2_600, `median gap ${m} ms: ${gaps(ts)}`);
  w.assertClean();
  await w.context.close();
});

test('1429 backs off growing: 15 s, then 30 s', async () => {
  const { w, traceId } = await newSale(suite, '4');
  await until(async () => (await pollTimes(traceId)).length >= 1, 'a first poll');
  const stormAt = Date.now();
  await suite.sim.faults({ rateLimitStorm: 55, endpoints: ['payments_result'] });
  const ts = await until(async () => {
    const t = (await pollTimes(traceId)).filter((x) => x >= stormAt);
    return t.length >= 3 && t;
  }, 'three polls in the storm', 90_000);
  const [first, second] = gaps(ts);
  assert.ok(first >= 14_500 && first < 25_000, `first pause ${first} ms`);
  assert.ok(second >= 29_500 && second < 45_000, `second pause ${second} ms`);
  await suite.sim.faults({});
  w.assertClean([/status of 429/, /Failed to load resource/]);
  await w.context.close();
});

test('two tablets on one network, each with a QR up for 2 minutes, get no 1429 at all', async () => {
  // Two browser contexts: two devices (separate storage, so separate budgets).
  const tablets = [];
  for (const amount of ['6', '8']) {
    const w = await openReadyApp(suite.browser, suite.app, suite.sim);
    await typeAmount(w.page, amount);
    const sale = await chargeAndReadQr(w.page);
    tablets.push({ w, ...sale, orderId: (await storedSale(w.page, sale.traceId)).params.order_id });
  }
  const [a, b] = tablets;
  const spans = await until(async () => {
    const [ta, tb] = [await pollTimes(a.traceId, a.orderId), await pollTimes(b.traceId, b.orderId)];
    const span = (t) => (t.length ? t[t.length - 1] - t[0] : 0);
    return span(ta) >= 120_000 && span(tb) >= 120_000 && [ta.length, tb.length];
  }, 'both QRs up for 2 minutes', 180_000);
  const log = (await suite.sim.requests()).filter((r) => r.path.startsWith('/v1/'));
  // The log records each answer's status (null only while one is in flight).
  assert.ok(log.filter((r) => typeof r.status === 'number').length >= log.length - 2, 'answer statuses logged');
  assert.deepEqual(rateLimited(log), [], 'no 1429');
  // Still a brisk pace for each sale on screen (the device's ceiling is 28 a minute).
  assert.ok(spans.every((n) => n >= 45), `polls in 2 minutes: ${spans}`);
  // And both still turn Paid.
  for (const t of tablets) {
    await suite.sim.pay({ traceId: t.traceId });
    await waitForStatus(t.w.page, /^Paid$/);
    t.w.assertClean();
    await t.w.context.close();
  }
});
