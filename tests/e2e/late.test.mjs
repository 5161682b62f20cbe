// A cancelled QR that is then paid (issue 24, point 1). MixPay has no cancel
// call: a QR stays payable until its expiry. The Cancel question says until
// when; a sale the cashier cancelled that turns Paid raises an alert on
// whatever screen is up (the keypad, another sale's QR), with a sound, which
// stays after a reload until "Open sale" or "Dismiss".
// Every wait is on the screen or the simulator's request log.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chargeAndReadQr,
  newWatchedPage,
  routeConfig,
  setupSuite,
  storedSale,
  typeAmount,
} from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });

/** Records the tones the app asks the browser for (the real ones still play). */
function spyOnTones() {
  window.__tones = 0;
  const Real = window.AudioContext;
  window.AudioContext = class extends Real {
    createOscillator() {
      const osc = super.createOscillator();
      const start = osc.start.bind(osc);
      osc.start = (when) => {
        window.__tones++;
        return start(when);
      };
      return osc;
    }
  };
}

async function openApp() {
  const w = await newWatchedPage(suite.browser, { viewport: { width: 800, height: 1100 } });
  await w.context.addInitScript(spyOnTones);
  await routeConfig(w.context, suite.sim);
  await w.page.goto(suite.app.url);
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  return w;
}

/** Cancel, read the question, confirm; returns the question's text. */
async function cancelSale(page) {
  await page.getByRole('button', { name: 'Cancel' }).click();
  const question = page.getByRole('group', { name: 'Cancel' });
  await question.waitFor();
  const text = await question.innerText();
  await page.getByRole('button', { name: 'Yes, cancel the sale' }).click();
  await page.getByRole('button', { name: 'Backspace' }).waitFor();
  return text;
}

const alertOf = (page, order, amount) =>
  page.getByRole('alert').filter({ hasText: `Paid after it was cancelled: order ${order} (${amount})` });

test('a cancelled sale paid afterwards: an alert on the keypad and on another sale\'s QR, with a sound, after a reload, until opened or dismissed', async () => {
  const w = await openApp();
  const { page } = w;

  // Sale A: cancelled; the question says until when its QR can still be paid.
  await typeAmount(page, '5');
  const { traceId: a } = await chargeAndReadQr(page);
  const saleA = await storedSale(page, a);
  const expiry = await page.evaluate((s) => {
    const d = new Date(s * 1000);
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  }, saleA.params.expired_timestamp);
  const question = await cancelSale(page);
  assert.match(question, new RegExp(`This QR code can still be paid until ${expiry}\\.`));

  // The customer pays A anyway: the keypad says so.
  await suite.sim.pay({ traceId: a });
  const alertA = alertOf(page, saleA.params.order_id, '$5.00');
  await alertA.waitFor({ timeout: 45_000 });
  assert.equal((await storedSale(page, a)).status.kind, 'paid');
  assert.ok(await page.getByRole('button', { name: 'Backspace' }).isVisible(), 'on the keypad');
  const tonesA = await page.evaluate(() => window.__tones);
  assert.ok(tonesA > 0, 'a sound');

  // Sale B cancelled; sale C's QR is up when B is paid: the alert comes on C's screen.
  await typeAmount(page, '7');
  const { traceId: b } = await chargeAndReadQr(page);
  const saleB = await storedSale(page, b);
  await cancelSale(page);
  await typeAmount(page, '3');
  const { traceId: c } = await chargeAndReadQr(page);
  await suite.sim.pay({ traceId: b });
  const alertB = alertOf(page, saleB.params.order_id, '$7.00');
  await alertB.waitFor({ timeout: 45_000 });
  assert.ok(await page.getByRole('img', { name: /QR code/ }).isVisible(), 'on sale C\'s QR screen');
  assert.ok((await page.evaluate(() => window.__tones)) > tonesA, 'a sound again');
  assert.equal((await storedSale(page, c)).status.kind, 'waiting', 'sale C is untouched');

  // Both come back after a reload (sale C comes back on screen too).
  await page.reload();
  await alertA.waitFor();
  await alertB.waitFor();

  // Dismiss A; open B: its sale is shown, and both alerts are gone for good.
  await alertA.getByRole('button', { name: 'Dismiss' }).click();
  await alertA.waitFor({ state: 'detached' });
  await alertB.getByRole('button', { name: 'Open sale' }).click();
  const detail = page.getByRole('dialog', { name: 'Open sale' });
  await detail.waitFor();
  const shown = await detail.innerText();
  assert.match(shown, new RegExp(saleB.params.order_id));
  assert.match(shown, /\$7\.00/);
  assert.match(shown, /Paid/);
  assert.equal(await alertB.count(), 0);
  await detail.getByRole('button', { name: 'Close' }).click();
  await page.reload();
  await page.getByRole('img', { name: /QR code/ }).waitFor();
  assert.equal(await page.getByRole('alert').filter({ hasText: 'Paid after it was cancelled' }).count(), 0);
  w.assertClean();
  await w.context.close();
});

test('the alert and the Cancel question in Chinese', async () => {
  const w = await openApp();
  const { page } = w;
  await page.evaluate(() => localStorage.setItem('mixpay-pos/lang', 'zh-Hans'));
  await typeAmount(page, '4');
  const { traceId } = await chargeAndReadQr(page);
  const sale = await storedSale(page, traceId);
  await page.reload();
  await page.getByRole('button', { name: '取消', exact: true }).click();
  await page.getByText(/此二维码在 \d\d:\d\d 前仍可付款。/).waitFor();
  await page.getByRole('button', { name: '是的，取消交易' }).click();
  await suite.sim.pay({ traceId });
  const alert = page.getByRole('alert').filter({ hasText: `取消后已付款：订单 ${sale.params.order_id} （$4.00）` });
  await alert.waitFor({ timeout: 45_000 });
  await alert.getByRole('button', { name: '打开销售' }).waitFor();
  w.assertClean();
  await w.context.close();
});
