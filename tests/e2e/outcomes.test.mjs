// The outcome screens read from a metre away (issue 15): Paid green with
// "Paid" at 64 px or more and a new sale by itself after the owner's delay,
// a mismatch in red with one heading and a line with units, an underpayment
// in amber with what is still due and a progress bar. Screenshots of each
// under target/screenshots/ at both tablet layouts, light and dark.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { historyRecord, newSale, openReadyApp, setupSuite, statusText, storedSale, typeAmount, until, waitForStatus } from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });
const SHOTS = 'target/screenshots';
const LAYOUTS = [
  { name: '768x1024', width: 768, height: 1024 },
  { name: '1024x768', width: 1024, height: 768 },
];

async function shots(page, what) {
  await mkdir(SHOTS, { recursive: true });
  for (const layout of LAYOUTS) {
    await page.setViewportSize({ width: layout.width, height: layout.height });
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.screenshot({ path: `${SHOTS}/outcome-${what}-${layout.name}-${scheme}.png` });
    }
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
}

async function chooseAutoReturn(page, label) {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('combobox', { name: 'New sale by itself after Paid' }).selectOption({ label });
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('button', { name: 'Backspace' }).waitFor();
}

async function chargeAndPay(w, amount, pay = {}) {
  await typeAmount(w.page, amount);
  await w.page.getByRole('button', { name: /^Charge/ }).click();
  await w.page.getByRole('img', { name: /QR code/ }).waitFor();
  const traceId = await waitingTraceId(w.page);
  await suite.sim.pay({ traceId, ...pay });
  return traceId;
}

/** The traceId of the one sale waiting for payment on the device. */
function waitingTraceId(page) {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('mixpay-pos/sale/'))
      .map((k) => JSON.parse(localStorage.getItem(k)))
      .find((s) => s.status.kind === 'waiting' && !s.cancelled).trace_id,
  );
}

test('Paid: green screen, "Paid" at 64 px or more, the amount below, then a new sale by itself', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await chooseAutoReturn(w.page, 'After 5 s');
  await chargeAndPay(w, '12.50');
  assert.equal((await waitForStatus(w.page, /^Paid$/)).trim(), 'Paid');
  const look = await w.page.evaluate(() => {
    const status = document.querySelector('[role="status"]');
    const amount = document.querySelector('.sale-amount');
    return {
      size: parseFloat(getComputedStyle(status).fontSize),
      amountSize: parseFloat(getComputedStyle(amount).fontSize),
      amountBelow: amount.getBoundingClientRect().top >= status.getBoundingClientRect().bottom,
      body: getComputedStyle(document.body).backgroundColor,
      check: !!document.querySelector('svg.paid-check'),
    };
  });
  assert.ok(look.size >= 64, `Paid at ${look.size}px`);
  assert.ok(look.size > look.amountSize, 'Paid is the biggest thing on screen');
  assert.ok(look.amountBelow, 'the amount below Paid');
  assert.equal(look.body, 'rgb(19, 115, 51)');
  assert.ok(look.check);
  // The countdown is visible, and the keypad comes back by itself.
  await w.page.getByText(/^New sale in \d s$/).waitFor();
  await w.page.getByRole('button', { name: 'Charge $0.00' }).waitFor({ timeout: 20_000 });
  assert.equal(await w.page.locator('.payment-page').count(), 0);
  w.assertClean();
  await w.context.close();
});

test('Paid on the customer view: closing it does not stop the new sale by itself', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await chooseAutoReturn(w.page, 'After 5 s');
  await typeAmount(w.page, '2');
  await w.page.getByRole('button', { name: /^Charge/ }).click();
  await w.page.getByRole('button', { name: 'Show to customer' }).click();
  const view = w.page.getByRole('dialog', { name: /customer/i });
  await view.getByRole('img', { name: /QR code/ }).waitFor();
  await suite.sim.pay({ traceId: await waitingTraceId(w.page) });
  await view.getByText('Paid', { exact: true }).waitFor({ timeout: 30_000 });
  await view.getByRole('button', { name: 'Turn 180°' }).click();
  await view.getByRole('button', { name: 'Close' }).click();
  await view.waitFor({ state: 'detached' });
  // The cashier's screen still counts down, and the keypad comes back by itself.
  await w.page.getByText(/^New sale in \d s$/).waitFor();
  await w.page.getByRole('button', { name: 'Charge $0.00' }).waitFor({ timeout: 20_000 });
  w.assertClean();
  await w.context.close();
});

test('a tap on Paid keeps it up; Details shows what was paid; Off never leaves by itself', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await chargeAndPay(w, '3');
  await waitForStatus(w.page, /^Paid$/);
  // The default delay is 8 s, counted down on screen.
  await w.page.getByText(/^New sale in [1-8] s$/).waitFor();
  await statusText(w.page).click();
  await w.page.locator('.auto-return').waitFor({ state: 'detached' });
  await w.page.getByText('Details', { exact: true }).click();
  await w.page.getByText(/^Customer paid 3\.00 USDT$/).waitFor();
  await w.page.getByRole('button', { name: 'New sale' }).click();

  await chooseAutoReturn(w.page, 'Off');
  await chargeAndPay(w, '4');
  await waitForStatus(w.page, /^Paid$/);
  await shots(w.page, 'paid');
  assert.equal(await w.page.locator('.auto-return').count(), 0, 'no countdown when off');
  await w.page.getByRole('button', { name: 'New sale' }).waitFor();
  w.assertClean();
  await w.context.close();
});

test('mismatch: red, one heading, a line with units, Keep this sale open first', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  const traceId = await chargeAndPay(w, '30', { quoteAmount: '0.3' });
  const text = await waitForStatus(w.page, /does not match/);
  assert.doesNotMatch(text, /Paid/);
  await w.page.getByRole('heading', { name: 'Do not hand over goods' }).waitFor();
  assert.equal(await w.page.getByText(/do not hand over goods/i).count(), 1, 'said once');
  await w.page.getByRole('listitem').filter({ hasText: /^Received \$0\.30, expected \$30\.00$/ }).waitFor();
  assert.equal(await w.page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(197, 34, 31)');
  // The main action comes first and keeps the verdict up.
  const buttons = w.page.locator('.actions button');
  assert.equal(await buttons.first().innerText(), 'Keep this sale open');
  await w.page.getByRole('button', { name: 'Keep this sale open' }).click();
  await w.page.getByRole('button', { name: 'Keep this sale open', pressed: true }).waitFor();
  await w.page.getByText('Kept open: History shows this sale as to settle.').waitFor();
  await statusText(w.page).filter({ hasText: /does not match/ }).waitFor();
  await shots(w.page, 'mismatch');
  // Kept in the journal, not only on screen: History says it is to settle.
  await until(async () => (await storedSale(w.page, traceId))?.to_settle === true, 'the sale marked to settle in the journal');
  await w.page.getByRole('button', { name: 'New sale' }).click();
  await w.page.getByRole('button', { name: /^Charge/ }).waitFor();
  await w.page.getByRole('button', { name: 'History' }).click();
  await w.page.getByText('Does not match, to settle').waitFor();
  await shots(w.page, 'history-to-settle');
  // Settled with the customer: the owner says so once, and it stays said.
  await w.page.getByRole('button', { name: 'Mark settled' }).click();
  await w.page.getByText('Does not match, settled').waitFor();
  assert.equal(await w.page.getByRole('button', { name: 'Mark settled' }).count(), 0, 'asked once only');
  await until(async () => (await storedSale(w.page, traceId))?.settled === true, 'the sale marked settled in the journal');
  await until(async () => (await historyRecord(w.page, traceId))?.settled === true, 'the sale marked settled in the history');
  await w.page.reload();
  await w.page.getByRole('button', { name: 'History' }).click();
  await w.page.getByText('Does not match, settled').waitFor();
  assert.equal(await w.page.getByText('Does not match, to settle').count(), 0);
  w.assertClean();
  await w.context.close();
});

test('underpaid: amber, what is still due as the headline, paid so far and a bar', async () => {
  const { w, link } = await newSale(suite, '9');
  await suite.sim.pay({ code: link.split('/code/')[1], outcome: 'underpaid' });
  assert.equal((await waitForStatus(w.page, /^Still due/)).trim(), 'Still due 4.50 USDT');
  await w.page.getByText('paid 4.50 of 9.00', { exact: true }).waitFor();
  const bar = w.page.getByRole('progressbar');
  assert.equal(await bar.getAttribute('aria-valuenow'), '500');
  assert.equal(await w.page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(176, 96, 0)');
  // The total is there, small; the customer can still top up on the QR.
  await w.page.getByRole('img', { name: /QR code/ }).waitFor();
  await shots(w.page, 'underpaid');
  w.assertClean();
  await w.context.close();
});

test('expired: its own screen with the reason in plain words', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await typeAmount(w.page, '4');
  await w.page.getByRole('button', { name: /^Charge/ }).click();
  await w.page.getByRole('img', { name: /QR code/ }).waitFor();
  await suite.sim.control('/_sim/clock', { advanceMs: 16 * 60 * 1000 });
  await w.page.getByRole('heading', { name: 'This payment expired' }).waitFor({ timeout: 30_000 });
  // MixPay's reason in the status line, what it means and what to do in plain words.
  assert.match(await statusText(w.page).innerText(), /Payment overtime/);
  await w.page.getByText('The time to pay ran out before a payment arrived.', { exact: true }).waitFor();
  await w.page.getByText(/^Do not hand over goods\. Ask for another way to pay/).waitFor();
  assert.equal(await w.page.getByRole('img', { name: /QR code/ }).count(), 0, 'nothing left to scan');
  await shots(w.page, 'expired');
  w.assertClean();
  await w.context.close();
});

test('failed: "Not paid" as the one heading, the reason in plain words, MixPay\'s in the status line', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await chargeAndPay(w, '6', { outcome: 'failed' });
  await w.page.getByRole('heading', { name: 'Not paid', exact: true }).waitFor({ timeout: 30_000 });
  assert.match(await statusText(w.page).innerText(), /^Payment failed: Too much market volatility$/);
  await w.page.getByText('Prices moved too much while the customer paid. Try again.', { exact: true }).waitFor();
  assert.equal(await w.page.getByRole('heading').filter({ hasText: /failed/i }).count(), 0, 'said once, in the status line');
  await shots(w.page, 'failed');
  w.assertClean();
  await w.context.close();
});

test('the QR screen: Expires in, a bar, Show to customer first, Cancel asks once in the page', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  w.page.on('dialog', () => assert.fail('no browser dialog'));
  await typeAmount(w.page, '6');
  await shots(w.page, 'keypad');
  await w.page.getByRole('button', { name: /^Charge/ }).click();
  await w.page.getByRole('img', { name: /QR code/ }).waitFor();
  assert.match(await w.page.getByLabel('Time left').innerText(), /^Expires in 1[45]:\d\d$/);
  await w.page.locator('.time-bar .time-fill').waitFor();
  assert.match(await w.page.getByRole('button', { name: 'Show to customer' }).getAttribute('class'), /primary/);
  await shots(w.page, 'qr');
  await w.page.getByRole('button', { name: 'Cancel' }).click();
  // Asked once; "Keep waiting" keeps the sale.
  await w.page.getByRole('button', { name: 'Keep waiting' }).click();
  await w.page.getByRole('img', { name: /QR code/ }).waitFor();
  await w.page.getByRole('button', { name: 'Cancel' }).click();
  await w.page.getByRole('button', { name: 'Yes, cancel the sale' }).click();
  await w.page.getByRole('button', { name: 'Charge $0.00' }).waitFor();
  const cancelled = await w.page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('mixpay-pos/sale/')).map((k) => JSON.parse(localStorage.getItem(k))).filter((s) => s.cancelled).length,
  );
  assert.equal(cancelled, 1);
  w.assertClean();
  await w.context.close();
});

test('the customer view: a payment on its way is said so, not "Scan to pay"', async () => {
  const { w, link } = await newSale(suite, '5');
  await w.page.getByRole('button', { name: 'Show to customer' }).click();
  const view = w.page.getByRole('dialog', { name: 'Customer view' });
  await view.getByText('Scan to pay with Mixin or any wallet MixPay supports').waitFor();
  await suite.sim.pay({ code: link.split('/code/')[1], outcome: 'auditing' });
  await view.getByText(/^Payment under review by MixPay/).waitFor({ timeout: 30_000 });
  assert.equal(await view.getByText(/^Scan to pay/).count(), 0);
  w.assertClean();
  await w.context.close();
});

test('the customer view past the expiry: nothing to scan, ask at the counter', async () => {
  const { w } = await newSale(suite, '5');
  await w.page.getByRole('button', { name: 'Show to customer' }).click();
  const view = w.page.getByRole('dialog', { name: 'Customer view' });
  await view.getByRole('img', { name: /QR code/ }).waitFor();
  // The tablet's clock past the expiry; MixPay has not said failed yet.
  await w.page.clock.setFixedTime(Date.now() + 16 * 60 * 1000);
  await view.getByText('This QR code has expired. Please ask at the counter.', { exact: true }).waitFor();
  assert.equal(await view.getByRole('img', { name: /QR code/ }).count(), 0);
  w.assertClean();
  await w.context.close();
});

test('the customer view speaks to the customer, asks for the rest, turns 180°, and switches live to Paid', async () => {
  const { w, link } = await newSale(suite, '9');
  await w.page.getByRole('button', { name: 'Show to customer' }).click();
  const view = w.page.getByRole('dialog', { name: 'Customer view' });
  await view.getByText('Scan to pay with Mixin or any wallet MixPay supports').waitFor();
  // Every element inside the viewport.
  const outside = await view.evaluate((v) => [...v.querySelectorAll('*')].filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && (r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5);
  }).map((e) => e.className || e.tagName));
  assert.deepEqual(outside, []);
  await view.getByRole('button', { name: 'Turn 180°' }).click();
  await view.getByRole('button', { name: 'Turn 180°', pressed: true }).waitFor();
  assert.match(await view.evaluate((v) => getComputedStyle(v).transform), /^matrix\(-1, /);
  await shots(w.page, 'customer-turned');
  await w.page.setViewportSize({ width: 800, height: 1100 });
  // Turned upside down, the button is where the turned screen shows it.
  await view.getByRole('button', { name: 'Turn 180°' }).click({ force: true });
  await view.getByRole('button', { name: 'Turn 180°', pressed: false }).waitFor();
  await shots(w.page, 'customer');
  const code = link.split('/code/')[1];
  await suite.sim.pay({ code, outcome: 'underpaid' });
  await view.getByText('Please pay the remaining 4.50 USDT').waitFor();
  await suite.sim.pay({ code });
  await view.getByText('Paid', { exact: true }).waitFor();
  await shots(w.page, 'customer-paid');
  w.assertClean();
  await w.context.close();
});

// Issue 24, point 2: a failed result can carry what the customer paid.
test('a failed sale the customer paid: "Not paid", what was paid and how it comes back, on both screens', async () => {
  const { w, traceId } = await newSale(suite, '9');
  await w.page.getByRole('button', { name: 'Show to customer' }).click();
  const view = w.page.getByRole('dialog', { name: 'Customer view' });
  await view.getByRole('img', { name: /QR code/ }).waitFor();
  // The wrong amount (40024): MixPay refunds the transfer; its result says what was paid.
  await suite.sim.pay({ traceId, outcome: 'failed', failureCode: 40024 });
  const orderId = (await storedSale(w.page, traceId)).params.order_id;
  assert.ok(orderId, 'the sale has an order number');
  const onChain = `Paid on-chain: the customer contacts MixPay support with the order number ${orderId} and the trace ID ${traceId}.`;
  await view.getByText('The customer paid 9.00 USDT.', { exact: true }).waitFor({ timeout: 30_000 });
  await view.getByText('Paid from a Mixin wallet: MixPay refunds it by itself.', { exact: true }).waitFor();
  await view.getByText(onChain, { exact: true }).waitFor();
  assert.equal(await view.getByRole('img', { name: /QR code/ }).count(), 0);
  await view.getByRole('button', { name: 'Close' }).click();
  // The cashier's screen: one heading "Not paid", never "no payment arrived".
  await w.page.getByRole('heading', { name: 'Not paid', exact: true }).waitFor();
  await w.page.getByText('The customer paid 9.00 USDT.', { exact: true }).waitFor();
  await w.page.getByText(onChain, { exact: true }).waitFor();
  assert.doesNotMatch(await w.page.locator('.payment-page').innerText(), /before a payment arrived|is caught/);
  await shots(w.page, 'failed-paid');
  w.assertClean();
  await w.context.close();
});

test('an underpayment that runs out of time: "Not paid", what was paid, not "expired before a payment arrived"', async () => {
  const { w, link } = await newSale(suite, '9');
  await suite.sim.pay({ code: link.split('/code/')[1], outcome: 'underpaid' });
  await waitForStatus(w.page, /^Still due 4\.50 USDT$/);
  // The expiry passes with half paid: MixPay says failed, "Payment overtime", with the amount paid.
  await suite.sim.control('/_sim/clock', { advanceMs: 16 * 60 * 1000 });
  await w.page.getByText('The customer paid 4.50 USDT.', { exact: true }).waitFor({ timeout: 30_000 });
  await w.page.getByRole('heading', { name: 'Not paid', exact: true }).waitFor();
  assert.equal(await w.page.getByRole('heading', { name: 'This payment expired' }).count(), 0);
  await w.page.getByText('The time to pay ran out before the payment was complete.', { exact: true }).waitFor();
  assert.doesNotMatch(await w.page.locator('.payment-page').innerText(), /before a payment arrived/);
  w.assertClean();
  await w.context.close();
});

// Issue 24, point 3: "pay the rest" only for MixPay's own underpayment rule.
test('a wallet payment still processing: "Payment seen — confirming", no QR on either screen, never "pay the rest"', async () => {
  const { w, link } = await newSale(suite, '9');
  await w.page.getByRole('button', { name: 'Show to customer' }).click();
  const view = w.page.getByRole('dialog', { name: 'Customer view' });
  await view.getByRole('img', { name: /QR code/ }).waitFor();
  const code = link.split('/code/')[1];
  // pending, isMultiPay false, isFullyPaid false, nothing counted yet.
  await suite.sim.pay({ code, outcome: 'processing' });
  await view.getByText('Payment seen — confirming', { exact: true }).waitFor({ timeout: 30_000 });
  assert.equal(await view.getByRole('img', { name: /QR code/ }).count(), 0, 'a second transfer would be a double payment');
  assert.equal(await view.getByText(/remaining/).count(), 0);
  await view.getByRole('button', { name: 'Close' }).click();
  assert.equal((await statusText(w.page).innerText()).trim(), 'Payment seen — confirming');
  assert.equal(await w.page.getByRole('img', { name: /QR code/ }).count(), 0);
  assert.equal(await w.page.getByRole('progressbar').count(), 0);
  assert.doesNotMatch(await w.page.locator('.payment-page').innerText(), /Still due|pay the rest/);
  w.assertClean();
  await w.context.close();
});

// Issue 24, point 9: overpaid and settled in another asset.
test('Paid with a surplus settled in another asset: "overpaid … MixPay refunds it", "Settled as BTC", in History and the CSV', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await chooseAutoReturn(w.page, 'Off');
  const traceId = await chargeAndPay(w, '10', {
    surplusAmount: '0.5',
    settleAsset: 'c6d0c728-2624-429b-8e0d-d9d19b6592fa',
    settleSymbol: 'BTC',
  });
  await waitForStatus(w.page, /^Paid$/);
  await w.page.getByText('The customer overpaid 0.50 USDT; MixPay refunds it', { exact: true }).waitFor();
  await w.page.getByText('Settled as BTC', { exact: true }).waitFor();
  await w.page.getByRole('button', { name: 'New sale' }).click();
  await w.page.getByRole('button', { name: 'History' }).click();
  const row = w.page.locator('li.sale', { hasText: '$10.00' });
  await row.getByText('Details', { exact: true }).click();
  await row.getByText('The customer overpaid 0.50 USDT; MixPay refunds it').waitFor();
  await row.getByText('Settled as BTC').waitFor();
  await w.page.getByRole('button', { name: 'Export', exact: true }).click();
  const [download] = await Promise.all([
    w.page.waitForEvent('download'),
    w.page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  const [header, line] = csv.split('\r\n');
  const column = (name) => line.split(',')[header.split(',').indexOf(name)];
  assert.ok(line.includes(traceId));
  assert.equal(column('Surplus'), '0.5');
  assert.equal(column('Surplus asset'), 'USDT');
  assert.equal(column('Settled asset'), 'BTC');
  w.assertClean();
  await w.context.close();
});
