// Nothing lost: reloads, cancels, two tabs, a long history, totals and CSV.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  chargeAndReadQr,
  decodeQr,
  fillLocalStorage,
  historyRecords,
  newSale,
  openReadyApp,
  seedSales,
  setupSuite,
  statusText,
  storedSale,
  typeAmount,
} from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });

async function openHistory(page) {
  await page.getByRole('button', { name: 'History' }).click();
  await page.getByRole('heading', { name: 'History' }).waitFor();
}

test('a reload in mid-sale brings the sale back, still checked, then Paid', async () => {
  const { w, link, traceId } = await newSale(suite, '11');
  await w.page.reload();
  const qr = w.page.getByRole('img', { name: /QR code/ });
  await qr.waitFor();
  await w.page.getByText('11.00 USD').first().waitFor();
  await suite.sim.pay({ traceId });
  await statusText(w.page).filter({ hasText: /^Paid$/ }).waitFor({ timeout: 15_000 });
  assert.ok(link.includes('/code/'));
  w.assertClean();
  await w.context.close();
});

test('a closed tab in mid-sale: the next start shows the sale again', async () => {
  const { w, link } = await newSale(suite, '6.5', { mode: 'pay_link' });
  await w.page.close();
  const page = await w.context.newPage();
  await page.goto(suite.app.url);
  const qr = page.getByRole('img', { name: /QR code/ });
  await qr.waitFor();
  assert.equal(await decodeQr(qr), link, 'the same QR as before');
  await w.context.close();
});

test('cancelled, then paid late: the background re-check finds it and History shows it paid', async () => {
  const { w, traceId } = await newSale(suite, '13');
  await w.page.getByRole('button', { name: 'Cancel' }).click();
  await suite.sim.pay({ traceId });
  await openHistory(w.page);
  const item = w.page.getByRole('listitem').filter({ hasText: '13.00 USD' });
  await item.waitFor();
  // Background checks come every 20 s for a recent sale.
  await item.filter({ hasText: 'Paid' }).waitFor({ timeout: 45_000 });
  assert.equal((await storedSale(w.page, traceId)).status.kind, 'paid');
  w.assertClean();
  await w.context.close();
});

test('re-check in History finds a late payment at once', async () => {
  const { w, traceId } = await newSale(suite, '14');
  await w.page.getByRole('button', { name: 'Cancel' }).click();
  await openHistory(w.page);
  const item = w.page.getByRole('listitem').filter({ hasText: '14.00 USD' });
  await item.filter({ hasText: 'still checking' }).waitFor();
  await suite.sim.pay({ traceId, paymentAssetId: 'c6d0c728-2624-429b-8e0d-d9d19b6592fa' });
  await item.getByRole('button', { name: 'Re-check' }).click();
  await item.filter({ hasText: 'Paid' }).waitFor({ timeout: 5_000 });
  assert.match(await item.innerText(), /Paid 0\.0001\d* BTC/);
  assert.match(await item.innerText(), new RegExp(traceId));
  assert.equal(await item.getByRole('button', { name: 'Re-check' }).count(), 0);
  await item.getByRole('link').waitFor();
  w.assertClean();
  await w.context.close();
});

test('two tabs: one checks, both show the result', async () => {
  const { w, traceId } = await newSale(suite, '3');
  const second = await w.context.newPage();
  await second.goto(suite.app.url);
  await second.getByRole('img', { name: /QR code/ }).waitFor();
  // How often they poll together is a figure for `make faults`; here, the result.
  await suite.sim.pay({ traceId });
  await statusText(w.page).filter({ hasText: /^Paid$/ }).waitFor({ timeout: 10_000 });
  await statusText(second).filter({ hasText: /^Paid$/ }).waitFor({ timeout: 10_000 });
  w.assertClean();
  await w.context.close();
});

test('totals count verified payments only; CSV export is safe for spreadsheets', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  const sell = async (amount, note, pay) => {
    await typeAmount(w.page, amount);
    await w.page.getByLabel('Note (optional)').fill(note);
    const { traceId } = await chargeAndReadQr(w.page);
    await suite.sim.pay({ traceId, ...pay });
    await statusText(w.page).filter({ hasText: /Paid|does not match/ }).waitFor({ timeout: 15_000 });
    await w.page.getByRole('button', { name: 'New sale' }).click();
  };
  await sell('10.5', '=HYPERLINK("http://x")', {});
  await sell('2.25', 'Latte, "large"', {});
  await sell('99', 'tampered', { quoteAmount: '1' });
  await openHistory(w.page);
  const totals = w.page.getByRole('table', { name: 'Totals of verified payments' });
  await totals.getByRole('row').filter({ hasText: 'USD' }).waitFor();
  const row = await totals.getByRole('row').filter({ hasText: 'USD' }).innerText();
  assert.match(row, /USD\s+2\s+12\.75/);
  assert.equal(await w.page.getByRole('listitem').count(), 3);

  const [download] = await Promise.all([
    w.page.waitForEvent('download'),
    w.page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^mixpay-sales-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'Date,Status,Amount,Currency,Paid amount,Paid asset,Note,Trace ID,Transaction,Payee,Mode,Failure reason,Order number,Lines,subtotal,tip,total');
  assert.equal(lines.length, 5, csv);
  assert.match(csv, /,Paid,10\.50,USD,10\.5,USDT,"'=HYPERLINK\(""http:\/\/x""\)",/);
  assert.match(csv, /,Paid,2\.25,USD,2\.25,USDT,"Latte, ""large""",/);
  assert.match(csv, /,Does not match,99\.00,USD,,,tampered,/);
  w.assertClean();
  await w.context.close();
});

test('10,000 stored sales: the app starts, History opens and scrolls', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await seedSales(w.page, 10_000);
  await w.page.reload();
  await w.page.getByRole('button', { name: /Charge/ }).waitFor();
  await openHistory(w.page);
  await w.page.getByText('10000 sale(s)').waitFor({ timeout: 20_000 });
  const more = w.page.getByRole('button', { name: /Show more/ });
  await more.scrollIntoViewIfNeeded();
  await more.click();
  await w.page.getByRole('listitem').nth(199).scrollIntoViewIfNeeded();
  assert.equal(await w.page.getByRole('listitem').count(), 200);
  assert.ok(await w.page.evaluate(() => window.scrollY > 1000), 'the list scrolled');
  await w.page.getByLabel('Status').selectOption('Failed');
  await w.page.getByText('1429 sale(s)').waitFor();
  w.assertClean();
  await w.context.close();
});

test('a full localStorage: a clear message, and the sale still goes through', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await fillLocalStorage(w.page);
  await typeAmount(w.page, '5');
  const qr = w.page.getByRole('img', { name: /QR code/ });
  await w.page.getByRole('button', { name: /Charge/ }).click();
  await w.page.getByText(/Could not save on this device/).waitFor();
  await qr.waitFor();
  // The history (IndexedDB) still has it, so it is checked and found paid.
  const all = await historyRecords(w.page);
  const traceId = all.length === 1 ? all[0].trace_id : `found ${all.length}`;
  assert.match(traceId, /^[0-9a-f-]{36}$/);
  // The sale on screen is still checked, and the verdict still recorded.
  await suite.sim.pay({ traceId });
  await statusText(w.page).filter({ hasText: /^Paid$/ }).waitFor({ timeout: 15_000 });
  assert.equal((await storedSale(w.page, traceId)).status.kind, 'paid');
  w.assertClean();
  await w.context.close();
});
