// Receipts (issue 13, part 3): after Paid, "Receipt" shows shop, date,
// order number, items, subtotal, tip, total, what was paid in which asset,
// a short transaction id and the traceId as a small QR. "Print" prints only
// the receipt, on a page as wide as the roll chosen in Settings (58 or 80 mm);
// "Share" uses the Web Share API, else copies the text. History shows it again.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { chargeAndReadQr, decodeQr, openReadyApp, setupSuite, statusText, storedSale, typeAmount } from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });
const SHOTS = 'target/screenshots';
const MM = 96 / 25.4; // CSS pixels per millimetre
const PT = 72 / 25.4; // PDF points per millimetre

async function settings(page, change) {
  await page.getByRole('button', { name: 'Settings' }).click();
  await change();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('button', { name: 'Backspace' }).waitFor();
}

/** A sale of 12.35 USD + a 15% tip with a note, paid; returns its traceId. */
async function paidSaleWithTip(page) {
  await typeAmount(page, '12.35');
  await page.getByLabel('Note (optional)').fill('2 flat whites');
  await page.getByRole('button', { name: /Charge/ }).click();
  await page.getByRole('button', { name: /^Tip 15%/ }).click();
  const qr = page.getByRole('img', { name: /QR code/ });
  await qr.waitFor();
  const traceId = await page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('mixpay-pos/sale/'))
    .map((k) => JSON.parse(localStorage.getItem(k)))
    .find((s) => s.status.kind !== 'paid').trace_id);
  await suite.sim.pay({ traceId });
  await statusText(page).filter({ hasText: /^Paid$/ }).waitFor({ timeout: 15_000 });
  return traceId;
}

/**
 * Print media: a screenshot saved for people to look at, what is visible,
 * the receipt's width, and the page size of the PDF Chromium prints.
 */
async function printed(page, name) {
  await page.emulateMedia({ media: 'print' });
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  const receipt = page.locator('article.receipt');
  const box = await receipt.boundingBox();
  const others = await page.evaluate(() => ['header.topbar', '.actions', '.receipt-actions', '.sale-summary', '[role="status"]']
    .filter((css) => { const el = document.querySelector(css); return el && el.getClientRects().length > 0; }));
  await page.emulateMedia({ media: 'screen' });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  await writeFile(`${SHOTS}/${name}.pdf`, pdf);
  const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => Number(m[1]));
  return { width: box.width, others, pageWidths: boxes };
}

/** What the customer paid as the money format writes it: grouped, at least two places ("14.20 USDT"). */
function paidWith(amount, symbol) {
  const [whole, places = ''] = amount.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${places.padEnd(2, '0')} ${symbol}`;
}

test('after Paid the receipt has every line; Print gives only the receipt on 58 mm or 80 mm paper; History shows it again', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await w.page.addInitScript(() => { window.print = () => { window.__printed = (window.__printed ?? 0) + 1; }; });
  await w.page.evaluate(() => { window.print = () => { window.__printed = (window.__printed ?? 0) + 1; }; });
  await settings(w.page, async () => {
    await w.page.getByRole('checkbox', { name: 'Ask for a tip' }).check();
    assert.equal(await w.page.getByRole('combobox', { name: 'Receipt paper' }).inputValue(), '58mm', '58 mm by default');
  });
  const traceId = await paidSaleWithTip(w.page);
  const sale = await storedSale(w.page, traceId);
  const result = await suite.sim.result(traceId);

  await w.page.getByRole('button', { name: 'Receipt' }).click();
  const dialog = w.page.getByRole('dialog', { name: 'Receipt' });
  await dialog.waitFor();
  const text = (await dialog.locator('article').innerText()).replace(/[ \t]+/g, ' ');
  const shortTx = `${result.txid.slice(0, 8)}…${result.txid.slice(-6)}`;
  for (const line of ['Demo Coffee', `Order\n${sale.params.order_id}`, 'Items\n2 flat whites', 'Subtotal\n$12.35',
    'Tip\n$1.85', 'Total\n$14.20', `Paid with\n${paidWith(result.paymentAmount, result.paymentSymbol)}`, `Transaction\n${shortTx}`, `Trace ID ${traceId}`]) {
    assert.ok(text.includes(line), `${JSON.stringify(line)} in ${JSON.stringify(text)}`);
  }
  assert.match(text, /Date\n\d{4}-\d\d-\d\d \d\d:\d\d/);
  const qr = dialog.getByRole('img', { name: /Trace ID/ });
  assert.equal(await decodeQr(qr), traceId, 'the small QR is the traceId');
  // Paper gets the SVG (vectors), never the sale screen's PNG that a printer could smooth.
  assert.match(await qr.locator('img').getAttribute('src'), /^data:image\/svg\+xml,/);

  await dialog.getByRole('button', { name: 'Print' }).click();
  assert.equal(await w.page.evaluate(() => window.__printed), 1);
  const p58 = await printed(w.page, 'receipt-58mm-print');
  assert.deepEqual(p58.others, [], 'nothing else of the app is printed');
  assert.ok(Math.abs(p58.width - 58 * MM) < 1.5, `receipt ${p58.width}px wide`);
  assert.ok(p58.pageWidths.length >= 1 && p58.pageWidths.every((x) => Math.abs(x - 58 * PT) < 1), `PDF pages ${p58.pageWidths}`);

  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });
  await w.page.getByRole('button', { name: 'New sale' }).click();
  await settings(w.page, () => w.page.getByRole('combobox', { name: 'Receipt paper' }).selectOption('80mm'));

  await w.page.getByRole('button', { name: 'History' }).click();
  const item = w.page.getByRole('listitem').filter({ hasText: '$14.20' });
  await item.getByRole('button', { name: 'Receipt' }).click();
  await dialog.waitFor();
  assert.ok((await dialog.innerText()).includes(sale.params.order_id));
  const p80 = await printed(w.page, 'receipt-80mm-print');
  assert.deepEqual(p80.others, [], 'nothing else of the app is printed');
  assert.ok(Math.abs(p80.width - 80 * MM) < 1.5, `receipt ${p80.width}px wide`);
  assert.ok(p80.pageWidths.length >= 1 && p80.pageWidths.every((x) => Math.abs(x - 80 * PT) < 1), `PDF pages ${p80.pageWidths}`);
  w.assertClean();
  await w.context.close();
});

test('no receipt for a payment that does not match', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await typeAmount(w.page, '9');
  const { traceId } = await chargeAndReadQr(w.page);
  await suite.sim.pay({ traceId, quoteAmount: '1' });
  await statusText(w.page).filter({ hasText: /does not match/ }).waitFor({ timeout: 15_000 });
  await w.page.getByRole('button', { name: 'New sale' }).waitFor();
  assert.equal(await w.page.getByRole('button', { name: 'Receipt' }).count(), 0);
  await w.page.getByRole('button', { name: 'New sale' }).click();
  await w.page.getByRole('button', { name: 'History' }).click();
  await w.page.getByRole('listitem').first().waitFor();
  assert.equal(await w.page.getByRole('button', { name: 'Receipt' }).count(), 0);
  w.assertClean();
  await w.context.close();
});

test('Share copies the receipt as text without the Web Share API, and hands it to the API where there is one', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await w.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(suite.app.url).origin });
  await typeAmount(w.page, '3');
  const { traceId } = await chargeAndReadQr(w.page);
  const orderId = (await storedSale(w.page, traceId)).params.order_id;
  await suite.sim.pay({ traceId });
  await statusText(w.page).filter({ hasText: /^Paid$/ }).waitFor({ timeout: 15_000 });
  assert.equal(await w.page.evaluate(() => 'share' in navigator), false, 'this Chromium has no Web Share');
  await w.page.getByRole('button', { name: 'Receipt' }).click();
  await w.page.getByRole('button', { name: 'Share' }).click();
  await w.page.getByText('Receipt copied as text.').waitFor();
  const copied = await w.page.evaluate(() => navigator.clipboard.readText());
  assert.ok(copied.startsWith('Demo Coffee\nReceipt'), copied);
  for (const line of [`Order: ${orderId}`, 'Subtotal: $3.00', 'Total: $3.00', `Trace ID: ${traceId}`]) {
    assert.ok(copied.includes(line), `${line} in ${copied}`);
  }
  assert.ok(!copied.includes('Tip:'), 'no tip line without a tip');

  // A browser with the Web Share API (a tablet's): the receipt goes to its share sheet.
  await w.page.addInitScript(() => {
    navigator.share = async (data) => { window.__shared = data; };
  });
  await w.page.reload();
  await w.page.getByRole('button', { name: 'History' }).click();
  await w.page.getByRole('listitem').first().getByRole('button', { name: 'Receipt' }).click();
  await w.page.getByRole('button', { name: 'Share' }).click();
  const shared = await w.page.waitForFunction(() => window.__shared).then((h) => h.jsonValue());
  assert.equal(shared.text, copied);
  assert.equal(shared.title, `Receipt ${orderId}`);
  assert.equal(await w.page.getByText('Receipt copied as text.').count(), 0);
  w.assertClean();
  await w.context.close();
});
