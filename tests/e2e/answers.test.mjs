// MixPay's answers as its documentation describes them (shared/mixpay-api.md),
// including the ones that would hurt a shop if read carelessly: an
// underpayment (`pending` + `payment.isFullyPaid: false`), error answers about
// a traceId nobody opened, answers about another traceId, amounts sent as
// floats, fields left out, a late payment after the expiry, a tablet whose
// clock is wrong. Every wait is on a condition: the screen or the simulator's
// request log.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  OTHER_PAYEE,
  chargeAndReadQr,
  newSale,
  newWatchedPage,
  openReadyApp,
  resultPolls,
  routeConfig,
  setupSuite,
  statusText,
  storedSale,
  typeAmount,
  until,
  waitForStatus,
} from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });

// Chromium logs the failed fetches of injected error answers; they are the test's doing.
const INJECTED = [/status of (400|500|502|429)/, /Failed to load resource/];

/** Polls of `payments_result` for one traceId, from the simulator's log. */
async function pollsFor(traceId) {
  return (await resultPolls(suite.sim)).filter((r) => r.query.includes(traceId));
}

/** Waits until the app has asked MixPay about `traceId` `n` more times than `since`. */
async function waitForPolls(traceId, n, since = 0, timeout = 30_000) {
  return until(async () => {
    const count = (await pollsFor(traceId)).length;
    return count >= since + n && count;
  }, `${n} more polls for ${traceId}`, timeout);
}

/** Records whether a text ever appears in the page (a MutationObserver, no sampling). */
async function watchForText(page, name, pattern) {
  await page.evaluate(
    ({ name, source }) => {
      const re = new RegExp(source);
      window.__seen = window.__seen ?? {};
      window.__seen[name] = re.test(document.body.innerText);
      new MutationObserver(() => {
        if (re.test(document.body.innerText)) window.__seen[name] = true;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    },
    { name, source: pattern.source },
  );
  return () => page.evaluate((name) => window.__seen[name], name);
}

test('underpaid, then topped up: what is still owed, then Paid', async () => {
  const { w, link } = await newSale(suite, '9');
  const code = link.split('/code/')[1];
  await suite.sim.pay({ code, outcome: 'underpaid' });
  // MixPay: status pending with payment.isFullyPaid false; the payer paid half.
  const text = await waitForStatus(w.page, /^Still due/);
  assert.equal(text.trim(), 'Still due 4.50 USDT');
  // Every poll asks for the payment object.
  const polls = await resultPolls(suite.sim);
  assert.ok(polls.length > 0 && polls.every((p) => /(^|&)with=payment(&|$)/.test(p.query)), JSON.stringify(polls));
  // The customer tops up on the same code.
  await suite.sim.pay({ code });
  assert.equal((await waitForStatus(w.page, /^Paid$/)).trim(), 'Paid');
  w.assertClean();
  await w.context.close();
});

test('a payment in audit says so, then Paid', async () => {
  const { w, traceId } = await newSale(suite, '3');
  await suite.sim.pay({ traceId, outcome: 'auditing' });
  await waitForStatus(w.page, /under review by MixPay/);
  await suite.sim.pay({ traceId, outcome: 'success' });
  await waitForStatus(w.page, /^Paid$/);
  w.assertClean();
  await w.context.close();
});

test('error answers about a cancelled, never-opened sale are no outage: three new sales are charged and paid', async () => {
  await suite.sim.faults({ unknownTraceAnswer: 'error' });
  const w = await openReadyApp(suite.browser, suite.app, suite.sim, { mode: 'pay_link' });
  const sawBanner = await watchForText(w.page, 'banner', /Reconnecting|cannot be reached/);
  await typeAmount(w.page, '5');
  const { traceId: abandoned } = await chargeAndReadQr(w.page);
  // Nobody opens this link: MixPay answers an error envelope for its traceId.
  await waitForPolls(abandoned, 2);
  assert.match(await statusText(w.page).innerText(), /Waiting for payment/);
  await w.page.getByRole('button', { name: 'Cancel' }).click();
  await w.page.getByRole('button', { name: 'Yes, cancel the sale' }).click();

  for (const amount of ['1.25', '2', '30']) {
    await typeAmount(w.page, amount);
    const { link, traceId } = await chargeAndReadQr(w.page);
    assert.notEqual(traceId, abandoned);
    // The customer opens the link (MixPay now knows the traceId) and pays.
    assert.equal((await fetch(link)).status, 200);
    await suite.sim.pay({ traceId });
    await waitForStatus(w.page, /^Paid$/);
    await w.page.getByRole('button', { name: 'New sale' }).click();
  }
  // The cancelled sale is still checked in the background, on its own schedule.
  await waitForPolls(abandoned, 3);
  assert.equal(await sawBanner(), false, 'no "reconnecting" and no refusal to charge');
  const stored = await storedSale(w.page, abandoned);
  assert.equal(stored.status.kind, 'waiting');
  assert.equal(stored.cancelled, true);
  w.assertClean(INJECTED);
  await w.context.close();
});

test('the reconnecting banner clears on the next answer of any kind', async () => {
  // A pay link nobody opened: once the network is back, MixPay's answer is an error envelope.
  await suite.sim.faults({ unknownTraceAnswer: 'error', errorRate: 1, errorStatus: 502, endpoints: ['payments_result'] });
  const { w, traceId } = await newSale(suite, '4', { mode: 'pay_link' });
  await w.page.getByText(/Reconnecting — MixPay had a server error \(HTTP 502\)/).waitFor();
  const during = (await pollsFor(traceId)).length;
  // The storm ends; the answers are "no such traceId" errors, which are answers.
  await suite.sim.faults({ unknownTraceAnswer: 'error' });
  await waitForPolls(traceId, 1, during);
  await w.page.getByText(/Reconnecting/).waitFor({ state: 'detached' });
  assert.match(await statusText(w.page).innerText(), /Waiting for payment/);
  w.assertClean(INJECTED);
  await w.context.close();
});

test('a 502 storm: reconnecting, backing off, then Paid once MixPay is back', async () => {
  const { w, traceId } = await newSale(suite, '6');
  const start = (await pollsFor(traceId)).length;
  await suite.sim.faults({ errorRate: 1, errorStatus: 502, endpoints: ['payments_result'] });
  await w.page.getByText(/Reconnecting/).waitFor();
  await suite.sim.pay({ traceId });
  // Backing off: the gaps between polls grow (1.5 s, then 3, 6, 12 s at most).
  const count = await waitForPolls(traceId, 4, start, 60_000);
  const polls = (await pollsFor(traceId)).slice(start);
  const gaps = polls.slice(1).map((p, i) => p.tsMs - polls[i].tsMs);
  assert.ok(gaps.at(-1) > gaps[0], `gaps ${gaps}`);
  await suite.sim.faults({});
  await waitForStatus(w.page, /^Paid$/, 40_000);
  await w.page.getByText(/Reconnecting/).waitFor({ state: 'detached' });
  assert.ok(count >= start + 4);
  w.assertClean(INJECTED);
  await w.context.close();
});

test('a 1429 storm: the whole device slows down, then Paid', async () => {
  const { w, traceId } = await newSale(suite, '7');
  await suite.sim.faults({ rateLimitStorm: 15 });
  const stormStart = Date.now();
  await w.page.getByText(/Too many requests/).waitFor();
  await suite.sim.pay({ traceId });
  await waitForStatus(w.page, /^Paid$/, 60_000);
  const inStorm = (await resultPolls(suite.sim)).filter((p) => p.tsMs >= stormStart && p.tsMs < stormStart + 15_000);
  // At the normal pace there would be 10 polls in 15 s; backing off makes at most 6.
  assert.ok(inStorm.length <= 6, `${inStorm.length} polls during the storm`);
  w.assertClean(INJECTED);
  await w.context.close();
});

test('an answer about another traceId is never Paid', async () => {
  const { w, traceId } = await newSale(suite, '11');
  const before = (await pollsFor(traceId)).length;
  await suite.sim.pay({ traceId, answerTraceId: crypto.randomUUID() });
  await waitForStatus(w.page, /another payment/);
  await waitForPolls(traceId, 3, before);
  assert.doesNotMatch(await statusText(w.page).innerText(), /Paid/);
  assert.notEqual((await storedSale(w.page, traceId)).status.kind, 'paid');
  // MixPay answers about the right payment again: now it is verified.
  await suite.sim.control('/_sim/answer', { traceId });
  await waitForStatus(w.page, /^Paid$/);
  w.assertClean();
  await w.context.close();
});

// Issue 24, point 12: a traceId is a UUID, whatever its case and hyphens.
test('an answer whose traceId is the sale\'s in capitals without hyphens is about this sale: Paid', async () => {
  const { w, traceId } = await newSale(suite, '11');
  await suite.sim.pay({ traceId, answerTraceId: traceId.replaceAll('-', '').toUpperCase() });
  await waitForStatus(w.page, /^Paid$/);
  assert.equal((await storedSale(w.page, traceId)).status.kind, 'paid');
  w.assertClean();
  await w.context.close();
});

test('a quoteAmount sent as a float with 17 significant digits is never Paid', async () => {
  const { w, traceId } = await newSale(suite, '10');
  const before = (await pollsFor(traceId)).length;
  // 10.000000000000001 would read as 10 through a float: the cashier would see Paid.
  await suite.sim.pay({ traceId, quoteAmount: '10.000000000000001', answerNumbers: ['quoteAmount'] });
  const body = await (await fetch(`${suite.sim.url}/v1/payments_result?traceId=${traceId}`)).text();
  assert.match(body, /"quoteAmount":10\.000000000000001[,}]/, 'the simulator sends the raw number');
  await waitForStatus(w.page, /verifying/);
  await waitForPolls(traceId, 3, before);
  assert.doesNotMatch(await statusText(w.page).innerText(), /Paid/);
  // Sent as text, the amount is exact, and it is not what was asked.
  await suite.sim.control('/_sim/answer', { traceId });
  await waitForStatus(w.page, /does not match/);
  w.assertClean();
  await w.context.close();
});

test('a quoteAmount sent as an exact JSON number is read', async () => {
  const { w, traceId } = await newSale(suite, '12.25');
  await suite.sim.pay({ traceId, answerNumbers: ['quoteAmount'] });
  await waitForStatus(w.page, /^Paid$/);
  w.assertClean();
  await w.context.close();
});

test('a success without payeeId keeps checking; the full answer later is Paid', async () => {
  const { w, traceId } = await newSale(suite, '13');
  const before = (await pollsFor(traceId)).length;
  await suite.sim.pay({ traceId, answerOmit: ['payeeId'] });
  await waitForStatus(w.page, /verifying/);
  await waitForPolls(traceId, 3, before);
  assert.doesNotMatch(await statusText(w.page).innerText(), /Paid|does not match/);
  await suite.sim.control('/_sim/answer', { traceId });
  await waitForStatus(w.page, /^Paid$/);
  w.assertClean();
  await w.context.close();
});

test('failed by expiry, then paid late: the background check finds it, Paid late in History', async () => {
  const { w, traceId } = await newSale(suite, '14');
  await suite.sim.control('/_sim/clock', { advanceMs: 16 * 60 * 1000 });
  await waitForStatus(w.page, /Payment overtime/);
  await w.page.getByRole('button', { name: 'New sale' }).click();
  // The payer's transfer arrives after the expiry.
  await suite.sim.pay({ traceId, late: true });
  await w.page.getByRole('button', { name: 'History' }).click();
  const row = w.page.locator('li.sale', { hasText: '$14.00' });
  await row.getByText('Paid late').waitFor({ timeout: 60_000 });
  const stored = await storedSale(w.page, traceId);
  assert.equal(stored.status.kind, 'paid');
  assert.equal(stored.paid_late, true);
  // It counts in the day's totals of verified payments.
  await w.page.getByRole('table', { name: /Totals/ }).getByText('14.00').waitFor();
  w.assertClean();
  await w.context.close();
});

// Issue 24, point 8: a failure code says a transfer was refunded, not always that the payment ended.
test('failed 40021 (double payment), then MixPay ends it in success: a re-check in History makes it Paid', async () => {
  const { w, traceId } = await newSale(suite, '15');
  await suite.sim.pay({ traceId, failureCode: 40021 });
  await w.page.getByRole('heading', { name: 'Not paid', exact: true }).waitFor({ timeout: 30_000 });
  await w.page.getByRole('button', { name: 'New sale' }).click();
  await suite.sim.pay({ traceId, outcome: 'success' });
  await w.page.getByRole('button', { name: 'History' }).click();
  const row = w.page.locator('li.sale', { hasText: '$15.00' });
  await row.getByRole('button', { name: 'Re-check' }).click();
  await row.getByText('Paid', { exact: true }).waitFor({ timeout: 10_000 });
  assert.equal((await storedSale(w.page, traceId)).status.kind, 'paid');
  await w.page.getByRole('table', { name: /Totals/ }).getByText('15.00').waitFor();
  w.assertClean();
  await w.context.close();
});

test('a tablet clock 20 minutes behind: expiry and countdown on MixPay\'s time, a warning, and Paid', async () => {
  const w = await newWatchedPage(suite.browser, { viewport: { width: 800, height: 1100 } });
  // A test hook standing in for a badly set tablet: its Date runs 20 minutes behind.
  await w.context.addInitScript(() => {
    const OFFSET = -20 * 60 * 1000;
    const RealDate = Date;
    class TabletDate extends RealDate {
      constructor(...args) {
        if (args.length === 0) super(RealDate.now() + OFFSET);
        else super(...args);
      }
      static now() {
        return RealDate.now() + OFFSET;
      }
    }
    globalThis.Date = TabletDate;
  });
  await routeConfig(w.context, suite.sim, { mode: 'pay_link' });
  await w.page.goto(suite.app.url);
  await w.page.getByText(/clock is 20 min behind MixPay's time/).waitFor();
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await w.page.getByRole('button', { name: 'Save' }).click();
  await typeAmount(w.page, '15');
  const { link, traceId } = await chargeAndReadQr(w.page);
  const expiry = Number(new URL(link).searchParams.get('expiredTimestamp'));
  const mixpayNow = Math.floor(Date.now() / 1000);
  assert.ok(Math.abs(expiry - (mixpayNow + 15 * 60)) <= 5, `expiry ${expiry - mixpayNow} s ahead of MixPay's clock`);
  const countdown = await w.page.getByLabel('Time left').innerText();
  assert.match(countdown, /^Expires in 1[45]:\d\d$/, `countdown ${countdown}`);
  await w.page.getByText(/clock is 20 min behind/).waitFor();
  assert.equal((await fetch(link)).status, 200);
  await suite.sim.pay({ traceId });
  await waitForStatus(w.page, /^Paid$/);
  w.assertClean();
  await w.context.close();
});

test('settings saved in one tab reach the other before its next sale', async () => {
  const a = await openReadyApp(suite.browser, suite.app, suite.sim);
  await a.page.getByRole('button', { name: /^Charge \$0\.00$/ }).waitFor();
  const b = await a.context.newPage();
  await b.goto(suite.app.url);
  await b.getByRole('button', { name: 'Settings' }).click();
  await b.getByRole('combobox', { name: 'Quote currency' }).selectOption('jpy');
  await b.getByRole('button', { name: 'Save' }).click();
  await b.getByRole('button', { name: /Charge/ }).waitFor();
  // The first tab's keypad follows: JPY, with no decimal places.
  await a.page.getByRole('button', { name: /^Charge ¥0$/ }).waitFor();
  await a.page.locator('.keypad button:disabled', { hasText: '.' }).waitFor();
  await b.close();
  a.assertClean();
  await a.context.close();
});

test('a quote currency MixPay does not list is an error on Save, never a silent USD', async () => {
  const w = await newWatchedPage(suite.browser);
  await routeConfig(w.context, suite.sim, { quoteAssetId: 'XYZ', settlementAssetId: '4D8C508B-91C5-375B-92B0-EE702ED2DAC5' });
  await w.page.goto(suite.app.url);
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByText(/MixPay does not offer XYZ/).waitFor();
  assert.equal(await w.page.evaluate(() => localStorage.getItem('mixpay-pos/settings')), null);
  // Upper-case ids from config.json are matched and stored lower-case.
  await w.page.getByRole('combobox', { name: 'Quote currency' }).selectOption('eur');
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('button', { name: /^Charge €0\.00$/ }).waitFor();
  const saved = await w.page.evaluate(() => JSON.parse(localStorage.getItem('mixpay-pos/settings')));
  assert.equal(saved.quote.asset_id, 'eur');
  assert.equal(saved.settlement.asset_id, '4d8c508b-91c5-375b-92b0-ee702ed2dac5');
  w.assertClean();
  await w.context.close();
});
