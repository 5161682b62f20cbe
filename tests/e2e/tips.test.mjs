// Tips (issue 13, part 1): off by default, the customer's tip screen, the
// total sent to MixPay, and subtotal, tip and total kept apart in History,
// its day totals and the CSV.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { openReadyApp, saleOnScreen, setupSuite, statusText, storedSale, typeAmount, openExportMenu
} from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });

async function turnTipsOn(page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const ask = page.getByRole('checkbox', { name: 'Ask for a tip' });
  assert.equal(await ask.isChecked(), false, 'tips are off by default');
  assert.equal(await page.getByLabel('Tip percentages (up to 4)').inputValue(), '10, 15, 20');
  await ask.check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('button', { name: 'Backspace' }).waitFor();
}

async function payAndFinish(page, traceId) {
  await suite.sim.pay({ traceId });
  await statusText(page).filter({ hasText: /^Paid$/ }).waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'New sale' }).click();
}

test('with tips off, Charge goes straight to the QR and no tip is recorded', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await typeAmount(w.page, '4');
  await w.page.getByRole('button', { name: /Charge/ }).click();
  const { traceId } = await saleOnScreen(w.page);
  assert.equal(await w.page.getByRole('button', { name: /^Tip / }).count(), 0);
  const sale = await storedSale(w.page, traceId);
  assert.equal(sale.params.quote_amount, '4');
  assert.equal(sale.tip, null);
  w.assertClean();
  await w.context.close();
});

test('the customer tips 15%, a custom tip or none: MixPay is asked for subtotal + tip; History, totals and CSV keep them apart', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await turnTipsOn(w.page);

  // 15% of 12.35 is 1.8525: 1.85 at the currency's two places.
  await typeAmount(w.page, '12.35');
  await w.page.getByRole('button', { name: /Charge/ }).click();
  await w.page.getByRole('heading', { name: 'Add a tip?' }).waitFor();
  for (const [name, text] of [['Tip 10%', '+$1.24 Total $13.59'], ['Tip 15%', '+$1.85 Total $14.20'], ['Tip 20%', '+$2.47 Total $14.82']]) {
    const button = w.page.getByRole('button', { name: new RegExp(`^${name}`) });
    assert.equal((await button.innerText()).replace(/\s+/g, ' ').trim(), `${name} ${text}`);
  }
  await w.page.getByRole('button', { name: /^Tip 15%/ }).click();
  const first = await saleOnScreen(w.page);
  await w.page.getByText('$14.20').first().waitFor();
  let sale = await storedSale(w.page, first.traceId);
  assert.equal(sale.params.quote_amount, '14.2');
  assert.equal(sale.tip, '1.85');
  await payAndFinish(w.page, first.traceId);
  // MixPay knows the total: the simulator recorded 14.2 USD for this traceId.
  assert.equal((await suite.sim.result(first.traceId)).quoteAmount, '14.2');

  // A custom tip, typed by the customer.
  await typeAmount(w.page, '10');
  await w.page.getByRole('button', { name: /Charge/ }).click();
  await w.page.getByRole('button', { name: 'Custom tip' }).click();
  const custom = w.page.getByLabel('Tip amount (USD)');
  await custom.fill('2.555');
  await w.page.getByRole('button', { name: 'Add tip' }).click();
  await w.page.getByRole('alert').filter({ hasText: 'At most 2 decimal places' }).waitFor();
  await custom.fill('2.5');
  await w.page.locator('.tip-custom-form').getByText('Total $12.50').waitFor();
  await w.page.getByRole('button', { name: 'Add tip' }).click();
  const second = await saleOnScreen(w.page);
  sale = await storedSale(w.page, second.traceId);
  assert.equal(sale.params.quote_amount, '12.5');
  assert.equal(sale.tip, '2.5');
  await payAndFinish(w.page, second.traceId);

  // No tip.
  await typeAmount(w.page, '5');
  await w.page.getByRole('button', { name: /Charge/ }).click();
  await w.page.getByRole('button', { name: 'No tip' }).click();
  const third = await saleOnScreen(w.page);
  sale = await storedSale(w.page, third.traceId);
  assert.equal(sale.params.quote_amount, '5');
  assert.equal(sale.tip, null);
  await payAndFinish(w.page, third.traceId);

  // Back: nothing is charged.
  await typeAmount(w.page, '7');
  await w.page.getByRole('button', { name: /Charge/ }).click();
  await w.page.getByRole('button', { name: 'Back' }).click();
  await w.page.getByRole('button', { name: 'Charge $7.00' }).waitFor();

  await w.page.getByRole('button', { name: 'History' }).click();
  const totals = w.page.getByRole('table', { name: 'Totals of verified payments' });
  const usd = totals.getByRole('row').filter({ hasText: 'USD' });
  await usd.waitFor();
  // Subtotal 12.35 + 10 + 5, tips 1.85 + 2.50, total 14.20 + 12.50 + 5.
  assert.match(await usd.innerText(), /USD\s+3\s+27\.35\s+4\.35\s+31\.70/);
  const tipped = w.page.getByRole('listitem').filter({ hasText: '$14.20' });
  // The subtotal and the tip are among the sale's details.
  await tipped.getByText('Details', { exact: true }).click();
  assert.match(await tipped.innerText(), /Subtotal \$12\.35 · Tip \$1\.85/);
  assert.equal(await w.page.getByRole('listitem').count(), 3, 'Back charged nothing');

  await openExportMenu(w.page);

  const [download] = await Promise.all([
    w.page.waitForEvent('download'),
    w.page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.split('\r\n').filter(Boolean);
  const header = lines[0].split(',');
  assert.deepEqual(header.slice(-3), ['subtotal', 'tip', 'total']);
  const column = (line, name) => line.split(',')[header.indexOf(name)];
  const rows = lines.slice(1).map((l) => [column(l, 'subtotal'), column(l, 'tip'), column(l, 'total'), column(l, 'Amount')]);
  assert.deepEqual(rows, [
    ['12.35', '1.85', '14.20', '14.20'],
    ['10.00', '2.50', '12.50', '12.50'],
    ['5.00', '0.00', '5.00', '5.00'],
  ]);
  w.assertClean();
  await w.context.close();
});
