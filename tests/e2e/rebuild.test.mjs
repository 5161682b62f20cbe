// Rebuild from MixPay (issue 24, point 13): a tablet whose storage was
// cleared gets its day back. History's "Find sales at MixPay" (the owner's)
// walks the device's order numbers, asks MixPay by orderId and payee, and
// adds every sale MixPay knows that the device lost, read by the same rule.
// Every wait is on the screen or the simulator's request log.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_PAYEE,
  chargeAndReadQr,
  historyRecords,
  openReadyApp,
  resultPolls,
  setupSuite,
  storedSale,
  typeAmount,
  waitForStatus,
} from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });

test('a wiped tablet finds its sales at MixPay again by its order numbers', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  const { page } = w;
  // The day: two paid sales and one cancelled before anybody paid.
  const sales = [];
  for (const [amount, paid] of [['4', true], ['6', false], ['7.50', true]]) {
    await typeAmount(page, amount);
    const { traceId } = await chargeAndReadQr(page);
    const order = (await storedSale(page, traceId)).params.order_id;
    sales.push({ traceId, order, paid });
    if (paid) {
      await suite.sim.pay({ traceId });
      await waitForStatus(page, /^Paid$/);
      await page.getByRole('button', { name: 'New sale' }).click();
    } else {
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Yes, cancel the sale' }).click();
    }
    await page.getByRole('button', { name: 'Backspace' }).waitFor();
  }
  const deviceId = sales[0].order.split('-')[0];

  // The storage is cleared (on a page of the app's origin that does not run it).
  await page.goto(`${suite.app.url}manifest.webmanifest`);
  await page.evaluate(async () => {
    localStorage.clear();
    await new Promise((ok, fail) => {
      const r = indexedDB.deleteDatabase('mixpay-pos');
      r.onsuccess = ok;
      r.onerror = () => fail(r.error);
      r.onblocked = () => fail(new Error('blocked'));
    });
  });
  await page.goto(suite.app.url);
  await page.getByRole('button', { name: 'Save' }).waitFor();
  await page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('button', { name: 'Backspace' }).waitFor();
  assert.equal((await historyRecords(page)).length, 0, 'the day is gone');

  // History: the owner types the old device ID (from a receipt) and asks MixPay.
  await page.getByRole('button', { name: 'History' }).click();
  await page.getByLabel('Device ID').fill(deviceId.toLowerCase());
  const before = (await resultPolls(suite.sim)).length;
  await page.getByRole('button', { name: 'Find sales at MixPay' }).click();
  await page.getByText(/^Done: looked at 13 order numbers, added 3 sales\.$/).waitFor({ timeout: 90_000 });

  // Asked by order number and payee, from 1 until ten unknown in a row.
  const asked = (await resultPolls(suite.sim)).slice(before).map((r) => new URLSearchParams(r.query));
  assert.deepEqual(
    asked.map((q) => q.get('orderId')),
    Array.from({ length: 13 }, (_, i) => `${deviceId}-${String(i + 1).padStart(6, '0')}`),
  );
  assert.ok(asked.every((q) => q.get('payeeId') === DEMO_PAYEE && !q.get('traceId')));

  // The day is back: the two paid sales Paid, the cancelled one still checked.
  const records = (await historyRecords(page)).map((r) => JSON.parse(r.json));
  for (const s of sales) {
    const got = records.find((r) => r.trace_id === s.traceId);
    assert.ok(got, `sale ${s.order} found again`);
    assert.equal(got.params.order_id, s.order);
    assert.equal(got.status.kind, s.paid ? 'paid' : 'waiting');
    assert.equal(got.recovered, true);
  }
  const list = page.locator('.sales');
  await list.getByText('$7.50').waitFor();
  await list.getByText('$4.00').waitFor();
  assert.equal(await list.locator('li').filter({ hasText: /Paid/ }).count(), 2);
  await page.getByText('Found again at MixPay', { exact: false }).first().waitFor();

  // A second walk finds nothing new and asks MixPay nothing for what is held.
  const again = (await resultPolls(suite.sim)).length;
  await page.getByRole('button', { name: 'Find sales at MixPay' }).click();
  await page.getByText(/^Done: looked at 13 order numbers, added 0 sales\.$/).waitFor({ timeout: 60_000 });
  const asked2 = (await resultPolls(suite.sim)).slice(again).filter((r) => r.query.includes('orderId='));
  assert.equal(asked2.length, 10, 'only the numbers not held');
  w.assertClean([/Failed to load resource/, /status of 400/]);
  await w.context.close();
});
