// "Close the day" (issue 27, part 1): History's button asks for the owner
// PIN (a wrong one is refused and closes nothing), re-checks with MixPay the
// day's sales that are not final or were cancelled — here with the
// simulator answering them late — with progress, then shows the day's
// report (sales and totals by outcome, the sales still open each with a
// button to open it), printable on 58 mm and 80 mm paper, shared as text and
// exported as CSV. The closed day is recorded; History marks it "Closed at",
// and a late payment found after the close "Changed after closing".
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { newWatchedPage, openReadyApp, routeConfig, setupSuite, storedSale, typeAmount, until, USDT } from './helpers.mjs';
import { LAYOUTS, axeAndShots } from './screens.mjs';

const suite = setupSuite({ before, after, beforeEach });
const SHOTS = 'target/screenshots';
const MM = 96 / 25.4;
const PIN = '246813';

/** Sets the owner PIN in Settings (by structure: the same in every language). */
async function setPin(page) {
  await page.locator('nav .nav').nth(2).click();
  const pins = page.locator('fieldset.owner-pin input[type="password"]');
  await pins.nth(0).fill(PIN);
  await pins.nth(1).fill(PIN);
  await page.locator('button.save').click();
  await page.locator('.recovery-code button').click();
  await page.locator('.keypad').waitFor();
}

/** Charges `amount` and returns the sale's traceId and order number. */
async function charge(page, amount) {
  for (const key of amount) await page.locator('.keypad').getByRole('button', { name: key, exact: true }).click();
  await page.locator('button.charge').click();
  await page.locator('.qr-box .qr').waitFor();
  const traceId = await until(() => page.evaluate(() => {
    const open = Object.keys(localStorage)
      .filter((k) => k.startsWith('mixpay-pos/sale/'))
      .map((k) => JSON.parse(localStorage.getItem(k)))
      .filter((s) => !s.cancelled && !['paid', 'mismatch', 'failed'].includes(s.status.kind));
    return open.length === 1 ? open[0].trace_id : null;
  }), 'the sale in progress');
  return { traceId, order: (await storedSale(page, traceId)).params.order_id };
}

/** Four sales: paid, cancelled (to be paid late), cancelled (never paid), not matching. */
async function makeSales(page) {
  const paid = await charge(page, '12.5');
  await suite.sim.pay({ traceId: paid.traceId, outcome: 'success' });
  await page.locator('p.status.paid').waitFor();
  await page.locator('.actions button.primary').click();
  const cancel = async (amount) => {
    const sale = await charge(page, amount);
    await page.locator('.actions button.cancel').click();
    await page.locator('.confirm-cancel button.yes-cancel').click();
    await page.locator('.keypad').waitFor();
    return sale;
  };
  const late = await cancel('7');
  const never = await cancel('3');
  const wrong = await charge(page, '25');
  await suite.sim.pay({ traceId: wrong.traceId, quoteAmount: '2.5' });
  await page.locator('p.status.mismatch').waitFor();
  await page.locator('.actions button.new-sale').click();
  await page.locator('.keypad').waitFor();
  return { paid, late, never, wrong };
}

/**
 * The day both languages close: clipboard and print allowed (print counted),
 * the owner PIN set, the day's sales made. Then the cancelled sale is paid
 * at MixPay, and MixPay answers late for the sale never paid (always
 * re-checked by the close, so its progress shows), at once for the others.
 */
async function prepareDay(w) {
  const { page } = w;
  await w.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(suite.app.url).origin });
  await page.evaluate(() => { window.print = () => { window.__printed = (window.__printed ?? 0) + 1; }; });
  await setPin(page);
  const sales = await makeSales(page);
  await suite.sim.faults({ latencyMs: 1500, endpoints: ['payments_result'], slowTraces: [sales.never.traceId, sales.never.order] });
  await suite.sim.pay({ traceId: sales.late.traceId, outcome: 'success' });
  return sales;
}

function closedDays(page) {
  return page.evaluate(() => localStorage.getItem('mixpay-pos/closed-days'));
}

/** The report's lines as "label: value". */
async function reportLines(dialog) {
  return dialog.locator('.receipt-line').evaluateAll((lines) =>
    lines.map((l) => `${l.querySelector('dt').textContent}: ${l.querySelector('dd').textContent}`));
}

/** The labels the close uses, per language (the contract's names). */
const EN = {
  print: 'Print', paper: 'Receipt paper', share: 'Share', copied: 'Report copied as text.', exportCsv: 'Export CSV',
  openSale: (o) => `Open sale ${o}`, search: 'Search', recheck: 'Re-check',
  shared: (order) => ['Demo Coffee\nDay report ', 'Sales: 4', 'Paid after cancel (1): $7.00', 'Still open or to settle', `${order} $3.00 Cancelled`],
  closedAt: /Closed at \d{4}-\d\d-\d\d \d\d:\d\d/,
  changed: 'Changed after closing: +1 paid sales, +$3.00',
};
const ZH = {
  print: '打印', paper: '收据纸宽', share: '分享', copied: '报表已作为文本复制。', exportCsv: '导出 CSV',
  openSale: (o) => `打开销售 ${o}`, search: '搜索', recheck: '重新查询',
  shared: (order) => ['演示咖啡馆\n日结报表 ', '交易笔数: 4', '取消后已付款 (1): $7.00', '仍未结清或待处理', `${order} $3.00 已取消`],
  closedAt: /已于 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d 日结/,
  changed: '日结后有变动：已支付交易 +1 笔，+$3.00',
};

/** Print (58 mm, then 80 mm), Share, Export CSV and Open sale on the
 * report; then History's marks: "Closed at {time}", and "Changed after
 * closing" once a late payment is found after the close. */
async function useReport(page, dialog, t, sales, lang) {
  // Print on the roll: 58 mm, then 80 mm.
  await dialog.getByRole('button', { name: t.print }).click();
  assert.equal(await page.evaluate(() => window.__printed), 1);
  const widthMm = async () => Math.round((await dialog.locator('article').boundingBox()).width / MM);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await widthMm(), 58);
  await page.screenshot({ path: `${SHOTS}/close-day-print-58mm${lang}.png`, fullPage: true });
  await page.emulateMedia({ media: null });
  await dialog.getByRole('combobox', { name: t.paper }).selectOption('80mm');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await widthMm(), 80);
  const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
  const size = pdf.match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)/);
  assert.equal(Math.round(Number(size[1]) / (72 / 25.4)), 80, 'the page is as wide as the roll');
  await page.emulateMedia({ media: null });

  // Share: this Chromium has no Web Share API, so the report is copied.
  await dialog.getByRole('button', { name: t.share }).click();
  await dialog.getByText(t.copied).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const [head, ...shared] = t.shared(sales.never.order);
  assert.ok(copied.startsWith(head), copied);
  for (const line of shared) {
    assert.ok(copied.includes(line), `${line} in ${copied}`);
  }

  // Export CSV: the day's four sales.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: t.exportCsv }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^mixpay-sales-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  assert.equal(csv.trim().split('\r\n').length, 5, csv);

  // Open the sale left open: History shows it alone.
  await dialog.getByRole('button', { name: t.openSale(sales.never.order) }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('searchbox', { name: t.search }).inputValue(), sales.never.order);
  await page.locator('.history-page .sales li').first().waitFor();
  await page.screenshot({ path: `${SHOTS}/close-day-open-sale${lang}.png` });
  // The late payment the close found is told over History: its Dismiss
  // button was white on white (axe does not see it), light and dark.
  const dismiss = page.locator('.banner.late-alert button.dismiss');
  await dismiss.waitFor();
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const ratio = await dismiss.evaluate((b) => {
      const lum = (c) => {
        const [r, g, v] = c.match(/[\d.]+/g).slice(0, 3).map((x) => {
          const s = Number(x) / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * v;
      };
      const st = getComputedStyle(b);
      const [a, z] = [lum(st.color), lum(st.backgroundColor)].sort((x, y) => y - x);
      return (a + 0.05) / (z + 0.05);
    });
    assert.ok(ratio >= 4.5, `Dismiss on the late alert, ${scheme}: contrast ${ratio.toFixed(2)}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await until(async () => (await page.locator('.history-page .sales li').count()) === 1, 'the one sale');
  const mark = page.locator('.day-closed');
  await until(async () => (await mark.count()) > 0, 'the closed day marked');
  const marks = await mark.allInnerTexts();
  assert.ok(marks.some((m) => t.closedAt.test(m)), JSON.stringify(marks));
  assert.equal(await page.locator('.day-changed').count(), 0);

  // A late payment found after the close: the day says it changed, by how much.
  await suite.sim.pay({ traceId: sales.never.traceId, outcome: 'success' });
  await page.getByRole('button', { name: t.recheck }).click();
  await page.locator('.day-changed').filter({ hasText: t.changed }).waitFor({ timeout: 20_000 });
}

test('English: a wrong PIN closes nothing; the close re-checks late answers with progress, reports, prints, shares, exports and marks the day', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  const { page } = w;
  const sales = await prepareDay(w);

  await page.getByRole('button', { name: 'History' }).click();
  await page.getByRole('button', { name: 'Close the day' }).click();
  // A wrong PIN: refused, said, nothing closed, nothing asked of MixPay.
  const pinForm = page.locator('form.close-day-pin');
  await pinForm.getByLabel('Owner PIN').fill('000000');
  await pinForm.getByRole('button', { name: 'Close the day' }).click();
  await pinForm.getByRole('alert').filter({ hasText: 'Wrong PIN' }).waitFor();
  assert.equal(await closedDays(page), null, 'a wrong PIN closes nothing');
  assert.equal(await page.getByRole('dialog', { name: 'Close the day' }).count(), 0);

  await pinForm.getByLabel('Owner PIN').fill(PIN);
  await pinForm.getByRole('button', { name: 'Close the day' }).click();
  // Progress while MixPay answers late (the cancelled sales to ask about;
  // the background checker may have found the paid one first).
  await page.getByRole('status').filter({ hasText: /Re-checking with MixPay: \d of [12] sales/ }).waitFor();
  const dialog = page.getByRole('dialog', { name: 'Close the day' });
  await dialog.waitFor({ timeout: 30_000 });
  await suite.sim.faults({});

  const lines = await reportLines(dialog);
  for (const line of ['Sales: 4', 'Paid (1): $12.50', 'Paid after cancel (1): $7.00', 'Does not match (1): $25.00',
    'To settle (0): $0.00', 'Not paid (0): $0.00', 'Cancelled (1): $3.00', 'Tips: $0.00', 'Overpayments: 0',
    `First order number: ${sales.paid.order}`, `Last order number: ${sales.wrong.order}`]) {
    assert.ok(lines.includes(line), `${line} in ${JSON.stringify(lines)}`);
  }
  assert.ok(lines.some((l) => l.startsWith('Settled: ')), JSON.stringify(lines));
  const text = await dialog.locator('article').innerText();
  assert.match(text, /Day report/);
  assert.match(text, /Closed at/);
  // The sale still open (cancelled, never paid), with a button to open it.
  await dialog.getByRole('button', { name: `Open sale ${sales.never.order}` }).waitFor();
  const record = await closedDays(page);
  assert.ok(record?.startsWith('closed-days 1\nday\t'), record);
  assert.match(record, /\npaid\tUSD\t2\t2\t19\.50\t0\.00\n/, 'the totals as closed: two paid sales');
  await axeAndShots(page, 'close-day-report');

  await useReport(page, dialog, EN, sales, '');
  w.assertClean();
  await w.context.close();
});

test('Chinese: 日结 refuses a wrong PIN (密码错误), re-checks late answers with progress, reports, prints, shares, exports, opens a sale and marks the day (已于 … 日结, 日结后有变动)', async () => {
  const w = await newWatchedPage(suite.browser, { locale: 'zh-CN', viewport: LAYOUTS[0] });
  const { page } = w;
  await routeConfig(w.context, suite.sim, { shopName: '演示咖啡馆' });
  await page.goto(suite.app.url);
  await page.locator(`form.settings-page option[value="${USDT}"]`).first().waitFor({ state: 'attached' });
  await page.locator('button.save').click();
  await page.locator('.keypad').waitFor();
  const sales = await prepareDay(w);

  await page.locator('nav .nav').nth(1).click();
  await page.getByRole('button', { name: '日结' }).click();
  const pinForm = page.locator('form.close-day-pin');
  await pinForm.getByLabel('店主密码').fill('000000');
  await pinForm.getByRole('button', { name: '日结' }).click();
  await pinForm.getByRole('alert').filter({ hasText: '密码错误' }).waitFor();
  assert.equal(await closedDays(page), null);
  await axeAndShots(page, 'close-day-pin-zh');

  await pinForm.getByLabel('店主密码').fill(PIN);
  await pinForm.getByRole('button', { name: '日结' }).click();
  await page.getByRole('status').filter({ hasText: /正在向 MixPay 复查：已完成 \d 笔，共 [12] 笔/ }).waitFor();
  const dialog = page.getByRole('dialog', { name: '日结' });
  await dialog.waitFor({ timeout: 30_000 });
  await suite.sim.faults({});
  const lines = await reportLines(dialog);
  for (const line of ['交易笔数: 4', '已支付 (1): $12.50', '取消后已付款 (1): $7.00', '金额不符 (1): $25.00', '已取消 (1): $3.00',
    `首个订单号: ${sales.paid.order}`]) {
    assert.ok(lines.includes(line), `${line} in ${JSON.stringify(lines)}`);
  }
  const text = await dialog.locator('article').innerText();
  assert.match(text, /日结报表 \d{4}年\d{1,2}月\d{1,2}日/);
  assert.match(text, /仍未结清或待处理/);
  await dialog.getByRole('button', { name: `打开销售 ${sales.never.order}` }).waitFor();
  await axeAndShots(page, 'close-day-report-zh');
  await useReport(page, dialog, ZH, sales, '-zh');
  w.assertClean();
  await w.context.close();
});
