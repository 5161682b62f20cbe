// Products and a cart (issue 16): the owner's catalogue in Settings, selling
// from it, the lines kept by the sale, imports, 500 products, screenshots.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import {
  chargeAndReadQr,
  newWatchedPage,
  openReadyApp,
  routeConfig,
  setupSuite,
  statusText,
  typeAmount,
  openExportMenu,
} from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });

async function openSettings(page) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { name: 'Products' }).waitFor();
}

async function addProduct(page, name, price, category = '') {
  await page.getByRole('button', { name: 'Add product' }).click();
  await page.getByLabel('Product name').fill(name);
  await page.getByLabel('Price', { exact: true }).fill(price);
  await page.getByLabel('Category').fill(category);
  await page.getByRole('button', { name: 'Save product' }).click();
  await page.getByRole('list', { name: 'Products' }).getByRole('listitem').filter({ hasText: name }).waitFor();
}

function product(page, name) {
  return page.getByRole('button', { name: new RegExp(`^${name} `) });
}

function cart(page) {
  return page.getByRole('list', { name: 'Cart' });
}

/** First run with `config` (products among it): save the provisioned settings, land on the Products tab. */
async function openWithProducts(config, options = {}) {
  const w = await newWatchedPage(suite.browser, { viewport: { width: 800, height: 1100 }, ...options });
  await routeConfig(w.context, suite.sim, config);
  await w.page.goto(suite.app.url);
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await w.page.getByRole('button', { name: 'Save', exact: true }).click();
  await w.page.getByRole('tab', { name: 'Products' }).waitFor();
  return w;
}

async function importFile(page, name, text) {
  await page.getByLabel('Import products (JSON or CSV)').setInputFiles({
    name,
    mimeType: name.endsWith('.csv') ? 'text/csv' : 'application/json',
    buffer: Buffer.from(text),
  });
}

test('add two products, sell 2× and 1×, pay: the lines on the payment screen, in History and the CSV', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  const { page } = w;
  // No products yet: the keypad alone, no tabs.
  assert.equal(await page.getByRole('tab').count(), 0);
  await openSettings(page);
  await addProduct(page, 'Latte', '3.50', 'Coffee');
  await addProduct(page, 'Croissant', '2', 'Food');
  // The keypad's rules hold for prices: too many places is refused.
  await page.getByRole('button', { name: 'Add product' }).click();
  await page.getByLabel('Product name').fill('Odd');
  await page.getByLabel('Price', { exact: true }).fill('1.234');
  await page.getByRole('button', { name: 'Save product' }).click();
  await page.getByRole('alert').filter({ hasText: 'At most 2 decimal places' }).waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Sale', exact: true }).click();
  const productsTab = page.getByRole('tab', { name: 'Products' });
  await productsTab.waitFor();
  assert.equal(await productsTab.getAttribute('aria-selected'), 'true');
  await product(page, 'Latte').click();
  await product(page, 'Croissant').click();
  await product(page, 'Latte').click();
  await cart(page).getByRole('listitem').filter({ hasText: 'Latte' }).filter({ hasText: '7.00' }).waitFor();
  assert.equal(await cart(page).getByRole('listitem').count(), 2);
  await page.getByRole('button', { name: 'Charge $9.00' }).waitFor();
  // − and + per line.
  await page.getByRole('button', { name: 'One more Croissant' }).click();
  await page.getByRole('button', { name: 'Charge $11.00' }).waitFor();
  await page.getByRole('button', { name: 'One fewer Croissant' }).click();

  const { traceId } = await chargeAndReadQr(page);
  const asked = await suite.sim.result(traceId);
  assert.equal(asked.quoteAmount, '9');
  assert.equal(asked.remark, '2× Latte, 1× Croissant');
  await page.getByText('2× Latte, 1× Croissant').waitFor();
  await suite.sim.pay({ traceId });
  await statusText(page).filter({ hasText: /^Paid$/ }).waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'New sale' }).click();
  // Charged: the cart is empty again.
  await productsTab.waitFor();
  assert.equal(await cart(page).getByRole('listitem').count(), 0);

  await page.getByRole('button', { name: 'History' }).click();
  const row = page.getByRole('listitem').filter({ hasText: '$9.00' });
  await row.filter({ hasText: '2× Latte, 1× Croissant' }).waitFor();
  await openExportMenu(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.split('\r\n');
  assert.ok(lines[0].endsWith(',Settled amount,Settled asset,Order number,Lines,subtotal,tip,total'), lines[0]);
  assert.equal(lines.length, 3, csv);
  assert.match(lines[1], /,Paid,9\.00,USD,9,USDT,/);
  // One row per sale, its lines in one column (quoted: they hold a comma).
  assert.ok(lines[1].endsWith(',"2× Latte, 1× Croissant",9.00,0.00,9.00'), lines[1]);
  w.assertClean();
  await w.context.close();
});

test('the cart survives a reload until cleared; Clear cart asks once; a keypad amount joins as a line', async () => {
  const w = await openWithProducts({
    products: [
      { name: 'Tea', price: '2.25', category: 'Drinks' },
      { name: 'Bad row', price: 'abc' },
    ],
  });
  const { page } = w;
  // config.json's bad product is skipped, the good one provisioned.
  assert.equal(await page.getByRole('button', { name: /^Bad row/ }).count(), 0);
  await product(page, 'Tea').click();
  await page.getByRole('tab', { name: 'Keypad' }).click();
  await typeAmount(page, '1.5');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('button', { name: 'Charge $3.75' }).waitFor();
  await page.reload();
  await page.getByRole('button', { name: 'Charge $3.75' }).waitFor();
  assert.equal(await cart(page).getByRole('listitem').count(), 2);
  await cart(page).getByRole('listitem').filter({ hasText: 'Custom amount' }).waitFor();
  await page.getByRole('button', { name: 'Clear cart' }).click();
  await page.getByRole('button', { name: 'Keep' }).click();
  assert.equal(await cart(page).getByRole('listitem').count(), 2, 'Keep keeps it');
  await page.getByRole('button', { name: 'Clear cart' }).click();
  await page.getByRole('button', { name: 'Yes, empty it' }).click();
  await page.getByText('Tap a product to add it.').waitFor();
  await page.reload();
  await page.getByRole('tab', { name: 'Products' }).waitFor();
  await product(page, 'Tea').waitFor();
  assert.equal(await cart(page).getByRole('listitem').count(), 0, 'a cleared cart stays cleared');
  w.assertClean();
  await w.context.close();
});

test('a CSV with a bad row is refused with the row named, and nothing is imported', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  const { page } = w;
  await openSettings(page);
  await importFile(page, 'menu.csv', 'name,price,category\nLatte,3.50,Coffee\nMuffin,abc,Food\nWater,1\n');
  const alert = page.getByRole('alert').filter({ hasText: 'Nothing was imported' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /Row 3: Price: That is not a number\./);
  assert.equal(await page.getByRole('list', { name: 'Products' }).getByRole('listitem').count(), 0);
  // The same file, corrected, goes in whole; JSON export reads back.
  await importFile(page, 'menu.csv', 'name,price,category\nLatte,3.50,Coffee\nMuffin,2.75,Food\nWater,1\n');
  await page.getByText('Imported 3 product(s).').waitFor();
  assert.equal(await page.getByRole('list', { name: 'Products' }).getByRole('listitem').count(), 3);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  assert.equal(await readFile(await download.path(), 'utf8'), 'name,price,category\r\nLatte,3.50,Coffee\r\nMuffin,2.75,Food\r\nWater,1.00,\r\n');
  w.assertClean();
  await w.context.close();
});

test('500 products: grouped, searchable and filtered by category', async () => {
  const cats = ['Coffee', 'Tea', 'Food', 'Juice', 'Other stuff'];
  const products = Array.from({ length: 500 }, (_, i) => ({
    name: `Item ${i + 1}`,
    price: `${(i % 40) + 1}.${String(i % 100).padStart(2, '0')}`,
    category: cats[i % cats.length],
  }));
  const w = await openWithProducts({ products });
  const { page } = w;
  const buttons = page.locator('.product-grid button.product');
  await until500(buttons);
  const search = page.getByRole('searchbox', { name: 'Search products' });
  await search.fill('item 417');
  await product(page, 'Item 417').waitFor();
  await untilCount(buttons, 1);
  await search.fill('');
  await page.getByRole('group', { name: 'Categories' }).getByRole('button', { name: 'Tea' }).click();
  await untilCount(buttons, 100);
  await product(page, 'Item 2').click();
  await page.getByRole('button', { name: 'Charge $2.01' }).waitFor();
  w.assertClean();
  await w.context.close();
});

async function untilCount(locator, n) {
  const deadline = Date.now() + 20_000;
  while ((await locator.count()) !== n) {
    if (Date.now() > deadline) throw new Error(`expected ${n}, found ${await locator.count()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function until500(locator) {
  await untilCount(locator, 500);
}

test('screenshots of the Products tab: 768×1024 and 1024×768, light and dark', async () => {
  await mkdir('target/screenshots', { recursive: true });
  const menu = [
    ['Espresso', '2.50', 'Coffee', '☕'], ['Latte', '3.50', 'Coffee', '#8d6e63'], ['Flat white', '3.80', 'Coffee', ''],
    ['Cappuccino', '3.60', 'Coffee', ''], ['Green tea', '2.80', 'Tea', '🍵'], ['Chai latte', '3.90', 'Tea', '#ff9800'],
    ['Croissant', '2.00', 'Food', '🥐'], ['Banana bread', '3.20', 'Food', ''], ['Blueberry muffin', '2.90', 'Food', '#3f51b5'],
    ['Orange juice', '3.00', 'Drinks', '🍊'], ['Water', '1.00', 'Drinks', ''], ['Sparkling water', '1.50', 'Drinks', ''],
    ['Cookie', '1.20', 'Food', '🍪'], ['Mocha', '4.10', 'Coffee', ''],
  ].map(([name, price, category, badge]) => ({ name, price, category, badge }));
  for (const colorScheme of ['light', 'dark']) {
    for (const [width, height] of [[768, 1024], [1024, 768]]) {
      const w = await openWithProducts({ products: menu }, { viewport: { width, height }, colorScheme });
      const { page } = w;
      await product(page, 'Latte').click();
      await product(page, 'Latte').click();
      await product(page, 'Croissant').click();
      await page.getByRole('button', { name: 'Charge $9.00' }).waitFor();
      await page.screenshot({ path: `target/screenshots/products-${width}x${height}-${colorScheme}.png` });
      w.assertClean();
      await w.context.close();
    }
  }
});

test('a quote-currency change with products present asks what to do with their prices', async () => {
  const w = await openWithProducts({ products: [{ name: 'Latte', price: '3.50' }, { name: 'Tea', price: '3' }] });
  const { page } = w;
  // Another currency with no decimal places, as a change in Settings would store it.
  await page.evaluate(() => {
    const s = JSON.parse(localStorage.getItem('mixpay-pos/settings'));
    s.quote = { ...s.quote, asset_id: 'jpy', symbol: 'JPY', decimal_digit: 0, min: null, max: null };
    localStorage.setItem('mixpay-pos/settings', JSON.stringify(s));
  });
  await page.reload();
  // Not sold until the owner answers.
  await page.getByRole('button', { name: 'Backspace' }).waitFor();
  assert.equal(await page.getByRole('tab').count(), 0);
  await openSettings(page);
  const question = page.getByRole('alertdialog');
  await question.filter({ hasText: 'priced in USD' }).waitFor();
  await question.getByRole('button', { name: 'Keep the numbers as JPY' }).click();
  await page.getByText('1 product(s) hidden').waitFor();
  await page.getByRole('button', { name: 'Sale', exact: true }).click();
  await product(page, 'Tea').click();
  await page.getByRole('button', { name: 'Charge ¥3' }).waitFor();
  assert.equal(await page.getByRole('button', { name: /^Latte/ }).count(), 0, 'a price JPY cannot hold is not sold');
  w.assertClean();
  await w.context.close();
});
