// The shop's open-amount QR (issue 27, part 3): Settings → "Shop QR code"
// opens a poster to print on A6 or A5 with the shop name, a QR code of the
// MixPay pay link without amount and without traceId (payee, quote currency,
// settlement asset, strict mode), "Scan to pay {shop}: you type the amount",
// the sentence that such payments are not in History, and the day it was
// made. Settings that cannot make a right code get what is missing instead.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { DEMO_PAYEE, USDT, decodeQr, newWatchedPage, openReadyApp, routeConfig, setupSuite, until } from './helpers.mjs';
import { LAYOUTS, axeAndShots } from './screens.mjs';

const suite = setupSuite({ before, after, beforeEach });
const SHOTS = 'target/screenshots';
const PT = 72 / 25.4; // PDF points per millimetre
const MM = 96 / 25.4; // CSS pixels per millimetre
const NOT_IN_HISTORY = "Payments to this code do not appear in this app's History; see MixPay's dashboard";

/** The tablet's local day, as the poster's date is made. */
function today(page) {
  return page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
}

/** The decoded pay link: where it goes and its parameters, in order. */
async function decodedLink(dialog) {
  const qr = dialog.getByRole('img', { name: /QR code|二维码/ });
  // Decoded once the image is painted.
  const text = await until(() => decodeQr(qr).catch(() => null), 'a QR code jsQR can read');
  // A poster is printed: the SVG (vectors), never a PNG that a printer could smooth.
  assert.match(await qr.locator('img').getAttribute('src'), /^data:image\/svg\+xml,/);
  const url = new URL(text);
  return { page: `${url.origin}${url.pathname}`, params: [...url.searchParams] };
}

/** What prints: the app's other parts hidden, the poster's size, and the PDF's pages (width, height in mm). */
async function printed(page, name) {
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: `${SHOTS}/${name}-print.png`, fullPage: true });
  const box = await page.locator('article.poster').boundingBox();
  // Drawn on paper: the poster, what is in it, and the boxes that hold it; nothing else.
  const others = await page.evaluate(() => {
    const poster = document.querySelector('article.poster');
    return [...document.body.querySelectorAll('*')]
      .filter((el) => !poster.contains(el) && !el.contains(poster) && el.getClientRects().length > 0)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
  });
  // Still print media: with 'screen' emulated, page.pdf lays out the screen's CSS.
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: null });
  await writeFile(`${SHOTS}/${name}.pdf`, pdf);
  const raw = pdf.toString('latin1');
  const sizes = new Set([...raw.matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)]
    .map((m) => `${Math.round(Number(m[1]) / PT)}x${Math.round(Number(m[2]) / PT)}`));
  const pages = (raw.match(/\/Type\s*\/Page\b/g) ?? []).length;
  return { width: Math.round(box.width / MM), height: Math.round(box.height / MM), others, pages, sizes: [...sizes] };
}

test('English: Settings → "Shop QR code" is a poster with the open-amount link (no amount, no traceId), its words, Print on A6 or A5, axe clean', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await w.page.evaluate(() => { window.print = () => { window.__printed = (window.__printed ?? 0) + 1; }; });
  // Strict mode on, saved: the poster follows the saved settings.
  await w.page.getByRole('button', { name: 'Settings' }).click();
  await w.page.getByRole('checkbox', { name: /USDT/ }).check();
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  await w.page.getByRole('button', { name: 'Settings' }).click();
  await w.page.getByRole('button', { name: 'Shop QR code' }).click();

  const dialog = w.page.getByRole('dialog', { name: 'Shop QR code' });
  await dialog.waitFor();
  const link = await decodedLink(dialog);
  assert.equal(link.page, `${suite.sim.url}/pay`);
  assert.deepEqual(link.params, [
    ['payeeId', DEMO_PAYEE],
    ['quoteAssetId', 'usd'],
    ['settlementAssetId', USDT],
    ['strictMode', '1'],
  ], 'exactly these: no quoteAmount, no traceId');
  const poster = dialog.locator('article');
  const text = await poster.innerText();
  for (const words of ['Demo Coffee', 'Scan to pay Demo Coffee: you type the amount', 'Amount in USD',
    `Payments go to ${DEMO_PAYEE.slice(0, 4)}`, NOT_IN_HISTORY, `Made on ${await today(w.page)}`]) {
    assert.ok(text.includes(words), `${JSON.stringify(words)} in ${JSON.stringify(text)}`);
  }
  assert.match(await dialog.getByRole('img', { name: /QR code/ }).getAttribute('aria-label'), /^QR code: Scan to pay Demo Coffee/);
  await axeAndShots(w.page, 'poster-en');

  await dialog.getByRole('button', { name: 'Print' }).click();
  assert.equal(await w.page.evaluate(() => window.__printed), 1);
  const a6 = await printed(w.page, 'poster-a6');
  assert.deepEqual(a6.others, [], 'nothing else of the app is printed');
  assert.deepEqual([a6.width, a6.height], [105, 148], 'the poster is A6');
  assert.deepEqual([a6.pages, a6.sizes], [1, ['105x148']], 'one A6 page');
  await dialog.getByRole('combobox', { name: 'Paper' }).selectOption('A5');
  const a5 = await printed(w.page, 'poster-a5');
  assert.deepEqual(a5.others, []);
  assert.deepEqual([a5.width, a5.height], [148, 210], 'the poster is A5');
  assert.deepEqual([a5.pages, a5.sizes], [1, ['148x210']], 'one A5 page');

  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });
  // The page size and the poster's rules leave with it.
  assert.equal(await w.page.evaluate(() => document.adoptedStyleSheets.length), 0);
  w.assertClean();
  await w.context.close();
});

test('Chinese: 店铺收款码 with the same link (strict mode off said as 0), the words in Chinese, axe clean', async () => {
  const w = await newWatchedPage(suite.browser, { locale: 'zh-CN', viewport: LAYOUTS[0] });
  await routeConfig(w.context, suite.sim, { shopName: '演示咖啡馆' });
  await w.page.goto(suite.app.url);
  await w.page.getByRole('combobox', { name: '收到的资产' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await w.page.getByRole('button', { name: '保存' }).click();
  await w.page.getByRole('button', { name: '退格' }).waitFor();
  await w.page.getByRole('button', { name: '设置' }).click();
  await w.page.getByRole('button', { name: '店铺收款码' }).click();

  const dialog = w.page.getByRole('dialog', { name: '店铺收款码' });
  await dialog.waitFor();
  const link = await decodedLink(dialog);
  assert.equal(link.page, `${suite.sim.url}/pay`);
  assert.deepEqual(link.params, [
    ['payeeId', DEMO_PAYEE],
    ['quoteAssetId', 'usd'],
    ['settlementAssetId', USDT],
    ['strictMode', '0'],
  ]);
  const day = (await today(w.page)).split('-').map(Number);
  const text = await dialog.locator('article').innerText();
  for (const words of ['演示咖啡馆', '扫码向演示咖啡馆付款：金额由您输入', '金额单位：USD',
    '通过此二维码的付款不会出现在本应用的历史记录中；请在 MixPay 的后台查看。', `制作于 ${day[0]}年${day[1]}月${day[2]}日`]) {
    assert.ok(text.includes(words), `${JSON.stringify(words)} in ${JSON.stringify(text)}`);
  }
  assert.doesNotMatch(text, /Scan|Made|Payments/);
  await dialog.getByRole('button', { name: '打印' }).waitFor();
  await dialog.getByRole('combobox', { name: '纸张' }).waitFor();
  await axeAndShots(w.page, 'poster-zh');
  await dialog.getByRole('button', { name: '关闭' }).click();
  await dialog.waitFor({ state: 'detached' });
  w.assertClean();
  await w.context.close();
});

test('settings not ready (no payee, never saved): the poster says what is missing, in English and Chinese, and draws no code', async () => {
  const w = await newWatchedPage(suite.browser, { viewport: LAYOUTS[1] });
  await routeConfig(w.context, suite.sim, { payeeId: undefined });
  await w.page.goto(suite.app.url);
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await w.page.getByRole('button', { name: 'Shop QR code' }).click();
  const dialog = w.page.getByRole('dialog', { name: 'Shop QR code' });
  const missing = dialog.getByRole('alert');
  await missing.waitFor();
  const text = await missing.innerText();
  for (const words of ['No QR code yet: the settings are not ready.', 'Save the settings first.', 'Payee must be a Mixin UUID']) {
    assert.ok(text.includes(words), `${JSON.stringify(words)} in ${JSON.stringify(text)}`);
  }
  assert.equal(await dialog.getByRole('img').count(), 0, 'no code drawn');
  assert.equal(await dialog.getByRole('button', { name: 'Print' }).count(), 0, 'nothing to print');
  assert.equal(await dialog.locator('article').count(), 0, 'no poster');
  assert.doesNotMatch(await dialog.innerText(), /Scan to pay/);
  await axeAndShots(w.page, 'poster-not-ready');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });

  await w.page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '中文（简体）' });
  await w.page.getByRole('button', { name: '店铺收款码' }).click();
  const zh = w.page.getByRole('dialog', { name: '店铺收款码' }).getByRole('alert');
  await zh.waitFor();
  const zhText = await zh.innerText();
  for (const words of ['暂时无法生成二维码：设置尚未完成。', '请先保存设置。', '收款方必须是 Mixin UUID']) {
    assert.ok(zhText.includes(words), `${JSON.stringify(words)} in ${JSON.stringify(zhText)}`);
  }
  assert.equal(await w.page.getByRole('dialog').getByRole('img').count(), 0);
  w.assertClean();
  await w.context.close();
});
