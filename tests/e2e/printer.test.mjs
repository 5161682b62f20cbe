// Printing without the dialog (issue 28): Settings → "Printer" connects a
// printer through the browser's Web Serial (here a virtual serial port the
// test puts at the browser boundary, tests/e2e/printer-port.mjs), and with
// "Print receipts by themselves after Paid" on the receipt prints after
// Paid with no dialog. The bytes the port received are decoded by the test
// (its own GS v 0 reader) into an image: its QR must be the sale's traceId
// (jsQR), and the order number, the total and the Chinese shop name, drawn
// by the page's canvas in the receipt's font, must be found in it. A port
// that fails in the middle of a job gives the message and "Try again"; the
// sale stays Paid; Try again prints it once the printer is back.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { USDT, newWatchedPage, routeConfig, setupSuite, statusText, storedSale, typeAmount, until } from './helpers.mjs';
import { decodeJobs, findIn, imagePng, installFakeSerial } from './printer-port.mjs';

const suite = setupSuite({ before, after, beforeEach });
const SHOTS = 'target/screenshots';
const SHOP = '演示咖啡馆';
// The receipt's font on screen (style/: .receipt), and its size there
// scaled to the printer's 384 dots: 11 px over the 52 mm inside a 58 mm
// receipt (as the app lays the print out).
const FONT = 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace';
const EM_58 = Math.round((11 * 384) / ((52 * 96) / 25.4));
// The receipt is the on-screen one drawn at 384 dots: its 11 px exactly scaled.
const RECEIPT_EM_58 = (11 * 384) / ((52 * 96) / 25.4);

/** A first run with the fake serial port in the page, the settings saved. */
async function openWithPrinter(options = {}) {
  const w = await newWatchedPage(suite.browser, { viewport: { width: 800, height: 1100 }, ...options });
  await installFakeSerial(w.context);
  await routeConfig(w.context, suite.sim, { shopName: SHOP });
  await w.context.addInitScript(() => {
    window.__dialogs = 0;
    window.print = () => { window.__dialogs += 1; };
  });
  await w.page.goto(suite.app.url);
  await w.page.getByRole('button', { name: 'Save' }).waitFor();
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  return w;
}

/** Settings → "Printer": connect the port, auto-print on (and the kitchen ticket), saved. */
async function connectAndTurnOn(page, { kitchen = false } = {}) {
  const section = page.getByRole('group', { name: 'Printer' });
  await section.getByText('No printer connected.').waitFor();
  assert.equal(await section.getByRole('checkbox', { name: 'Print receipts by themselves after Paid' }).isChecked(), false, 'off by default');
  assert.equal(await section.getByRole('checkbox', { name: 'Kitchen ticket' }).isChecked(), false, 'off by default');
  await section.getByRole('button', { name: 'Connect a printer' }).click();
  await section.getByText('Printer connected (serial port).').waitFor();
  await section.getByRole('checkbox', { name: 'Print receipts by themselves after Paid' }).check();
  if (kitchen) await section.getByRole('checkbox', { name: 'Kitchen ticket' }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('button', { name: 'Backspace' }).waitFor();
}

/** A sale of 12.35 USD, paid; its traceId and order number. */
async function paidSale(page, note = '') {
  await typeAmount(page, '12.35');
  if (note) await page.getByLabel('Note (optional)').fill(note);
  await page.getByRole('button', { name: /Charge/ }).click();
  await page.getByRole('img', { name: /QR code/ }).waitFor();
  const traceId = await page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('mixpay-pos/sale/'))
    .map((k) => JSON.parse(localStorage.getItem(k)))
    .find((s) => s.status.kind !== 'paid').trace_id);
  await suite.sim.pay({ traceId });
  await statusText(page).filter({ hasText: /^Paid$/ }).waitFor({ timeout: 15_000 });
  // A tap on the screen keeps Paid up (no new sale by itself) while the test reads.
  await page.locator('p.status.paid').click();
  await page.locator('.auto-return').waitFor({ state: 'detached' });
  return { traceId, orderId: (await storedSale(page, traceId)).params.order_id };
}

/** The jobs received since byte `from` (decoded by the test), once `n` whole ones are in. */
async function printedJobs(page, n = 1, from = 0) {
  return until(async () => {
    const bytes = await page.evaluate((from) => window.__serial.bytes.slice(from), from);
    const jobs = decodeJobs(bytes);
    return jobs.length >= n ? jobs : null;
  }, `${n} whole print job(s) at the virtual port`);
}

/** `text` drawn by the page's canvas in the receipt's font, cut to its ink, as rows of 0/1. */
function drawn(page, text, size, bold = false, offset = 0, offsetY = 0) {
  return page.evaluate(({ text, font, offset, offsetY }) => {
    const c = document.createElement('canvas');
    c.width = 600;
    c.height = 120;
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.fillStyle = '#000';
    ctx.font = font;
    ctx.textBaseline = 'top';
    ctx.fillText(text, 4 + offset, 4 + offsetY);
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    const rows = [];
    for (let y = 0; y < c.height; y += 1) {
      const row = [];
      for (let x = 0; x < c.width; x += 1) {
        const o = (y * c.width + x) * 4;
        const grey = (299 * data[o] + 587 * data[o + 1] + 114 * data[o + 2]) / 1000;
        row.push(grey < 128 ? 1 : 0);
      }
      rows.push(row);
    }
    const inked = (r) => r.some((v) => v);
    const top = rows.findIndex(inked);
    const bottom = rows.length - [...rows].reverse().findIndex(inked);
    const cols = rows[0].map((_, x) => rows.some((r) => r[x]));
    const left = cols.indexOf(true);
    const right = cols.lastIndexOf(true) + 1;
    return rows.slice(top, bottom).map((r) => r.slice(left, right));
  }, { text, font: `${bold ? 700 : 400} ${size}px ${FONT}`, offset, offsetY });
}

/**
 * The receipt open on screen, as a screenshot (taken by the browser, not the
 * app), its content box (inside its padding) resampled to `width` dots and
 * made black and white: what the printed image should look like.
 */
async function onScreenAtPrintWidth(page, width, article = page.getByRole('dialog', { name: 'Receipt' }).locator('article.receipt')) {
  const box = await article.evaluate((el) => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return { w: r.width, left: parseFloat(s.paddingLeft), right: parseFloat(s.paddingRight) };
  });
  const shot = PNG.sync.read(await article.screenshot());
  const dpr = shot.width / box.w;
  const k = ((box.w - box.left - box.right) * dpr) / width;
  const rows = [];
  for (let y = 0; (y + 1) * k <= shot.height; y += 1) {
    const row = new Uint8Array(width);
    for (let x = 0; x < width; x += 1) {
      const o = (Math.floor((y + 0.5) * k) * shot.width + Math.floor(box.left * dpr + (x + 0.5) * k)) * 4;
      row[x] = (299 * shot.data[o] + 587 * shot.data[o + 1] + 114 * shot.data[o + 2]) / 1000 < 128 ? 1 : 0;
    }
    rows.push(row);
  }
  return { width, rows };
}

/** The share of `a`'s black dots that `b` has black too, within one dot. */
function agreement(a, b) {
  let ink = 0;
  let hit = 0;
  for (let y = 0; y < a.rows.length; y += 1) {
    for (let x = 0; x < a.width; x += 1) {
      if (!a.rows[y][x]) continue;
      ink += 1;
      let found = false;
      for (let dy = -1; dy <= 1 && !found; dy += 1) for (let dx = -1; dx <= 1 && !found; dx += 1) found = b.rows[y + dy]?.[x + dx] === 1;
      if (found) hit += 1;
    }
  }
  return hit / ink;
}

/**
 * `agreement` for a long print, band by band: each band of `a`'s rows at the
 * vertical shift (within `maxShift` rows) where `b` agrees best, since text
 * laid out at the printer's width rounds each line's height a little
 * differently and the shift grows down a long page.
 */
function bandAgreement(a, b, band = 48, maxShift = 8) {
  let ink = 0;
  let hit = 0;
  for (let top = 0; top < a.rows.length; top += band) {
    let best = -1;
    let bandInk = 0;
    for (let shift = -maxShift; shift <= maxShift; shift += 1) {
      let n = 0;
      let found = 0;
      for (let y = top; y < Math.min(top + band, a.rows.length); y += 1) {
        for (let x = 0; x < a.width; x += 1) {
          if (!a.rows[y][x]) continue;
          n += 1;
          let ok = false;
          for (let dy = -1; dy <= 1 && !ok; dy += 1) for (let dx = -1; dx <= 1 && !ok; dx += 1) ok = b.rows[y + shift + dy]?.[x + dx] === 1;
          if (ok) found += 1;
        }
      }
      bandInk = n;
      best = Math.max(best, found);
    }
    ink += bandInk;
    hit += Math.max(best, 0);
  }
  return ink ? hit / ink : 0;
}

/**
 * Where `text` is best found in `image`: it may sit between two dots across
 * and between two rows down, so drawn at quarter-dot offsets across and
 * half-row offsets down.
 */
async function bestFind(page, image, text, size, bold = false) {
  let found = { share: 1, x: -1, y: -1 };
  for (const offsetY of [0, 0.5]) {
    for (const offset of [0, 0.25, 0.5, 0.75]) {
      const at = findIn(image, await drawn(page, text, size, bold, offset, offsetY));
      if (at.share < found.share) found = at;
    }
  }
  return found;
}

async function assertPrinted(page, image, what, text, size, bold) {
  const found = await bestFind(page, image, text, size, bold);
  // Text found: at most 20 % of its dots differ (seen: 0 to 13 %); text
  // not there: at least 25 % (a wrong total: 33 %).
  assert.ok(found.share < 0.2, `${what} ${JSON.stringify(text)} printed (best place ${found.x},${found.y}: ${Math.round(found.share * 100)} % of its dots differ)`);
  return found;
}

test('with "Print receipts by themselves after Paid" the receipt prints at the virtual port after Paid, no dialog: its QR, order number, total and Chinese shop name are in the decoded image', async () => {
  // At twice the pixels, so the on-screen receipt can be read at the print's width.
  const w = await openWithPrinter({ deviceScaleFactor: 2 });
  await connectAndTurnOn(w.page, { kitchen: true });
  const { traceId, orderId } = await paidSale(w.page, '2 flat whites');
  const [image, kitchen] = await printedJobs(w.page, 2);
  assert.equal(await w.page.evaluate(() => window.__dialogs), 0, 'no print dialog');
  const port = await w.page.evaluate(() => ({ ...window.__serial, bytes: undefined }));
  assert.equal(port.baudRate, 9600);
  assert.equal(port.requested, 1, 'the browser\'s picker once, at "Connect a printer"');

  assert.equal(image.commands[0], 'ESC @');
  assert.deepEqual(image.commands.slice(-2), ['ESC d 4', 'GS V 1'], 'fed and cut');
  assert.ok(image.commands.slice(1, -2).every((c) => /^GS v 0 48x\d+$/.test(c)), image.commands.join(', '));
  assert.equal(image.width, 384, '58 mm paper: 384 dots');
  assert.ok(image.rows.length > 300, `${image.rows.length} rows`);
  await mkdir(SHOTS, { recursive: true });
  const png = imagePng(image);
  await writeFile(`${SHOTS}/printer-receipt-58mm.png`, PNG.sync.write(png));

  // The QR printed is the sale's traceId (jsQR, not the app's QR code).
  const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  assert.equal(qr?.data, traceId, 'the printed QR is this sale\'s traceId');
  await assertPrinted(w.page, image, 'the order number', orderId, RECEIPT_EM_58);
  const total = await assertPrinted(w.page, image, 'the total', '$12.35', RECEIPT_EM_58 * 1.15, true);
  const shop = await assertPrinted(w.page, image, 'the Chinese shop name', SHOP, RECEIPT_EM_58 * 1.3, true);
  assert.ok(shop.y < total.y, 'the shop name above the total, as on screen');
  // Another amount is not there: the check would fail on the wrong receipt.
  const wrong = await bestFind(w.page, image, '$21.35', RECEIPT_EM_58 * 1.15, true);
  assert.ok(wrong.share >= 0.25, `a total that was not charged is not found (${Math.round(wrong.share * 100)} % differ)`);

  // The kitchen ticket after it: the order number large, the note, no price.
  await writeFile(`${SHOTS}/printer-kitchen-58mm.png`, PNG.sync.write(imagePng(kitchen)));
  await assertPrinted(w.page, kitchen, 'the large order number', orderId, Math.round(EM_58 * 2.2), true);
  await assertPrinted(w.page, kitchen, 'the note', '2 flat whites', Math.round(EM_58 * 1.2));
  assert.ok((await bestFind(w.page, kitchen, '$12.35', EM_58)).share >= 0.25, 'no price on the kitchen ticket');

  // The receipt's Print goes to the printer too, not to the dialog.
  const before = await w.page.evaluate(() => window.__serial.bytes.length);
  await w.page.getByRole('button', { name: 'Receipt' }).click();
  await w.page.getByRole('dialog', { name: 'Receipt' }).getByRole('button', { name: 'Print' }).click();
  const [again] = await printedJobs(w.page, 1, before);
  assert.deepEqual(again.rows, image.rows, 'the same receipt again');
  // The print is the receipt on screen: the screenshot of the open receipt
  // at 384 dots and the decoded print agree dot for dot (within one dot).
  // "Printed." goes by itself: the screenshot without it over the receipt.
  await w.page.locator('.print-notice').waitFor({ state: 'detached' });
  const screen = await onScreenAtPrintWidth(w.page, 384);
  await writeFile(`${SHOTS}/printer-receipt-58mm-screen.png`, PNG.sync.write(imagePng(screen)));
  const [printedOnScreen, screenPrinted] = [agreement(image, screen), agreement(screen, image)];
  assert.ok(Math.abs(screen.rows.length - image.rows.length) <= 4, `heights ${screen.rows.length} on screen, ${image.rows.length} printed`);
  assert.ok(printedOnScreen > 0.9 && screenPrinted > 0.9, `printed dots on screen ${printedOnScreen.toFixed(3)}, on-screen dots printed ${screenPrinted.toFixed(3)}`);
  // A receipt of another sale does not agree as well: the check can fail.
  const shifted = { width: 384, rows: image.rows.slice(12) };
  assert.ok(agreement(shifted, screen) < 0.8, `a print off by 12 rows agrees ${agreement(shifted, screen).toFixed(3)}`);
  assert.equal(await w.page.evaluate(() => window.__dialogs), 0, 'still no dialog');
  w.assertClean();
  await w.context.close();
});

test('the day\'s report prints at the virtual port, no dialog: as on screen, without its buttons', async () => {
  const w = await openWithPrinter({ deviceScaleFactor: 2 });
  const { page } = w;
  await connectAndTurnOn(page);
  const { orderId } = await paidSale(page);
  await printedJobs(page, 1);
  await page.getByRole('button', { name: 'New sale' }).click();
  // A sale cancelled and never paid: "Still open or to settle", with its
  // "Open sale" button on screen.
  await typeAmount(page, '3');
  await page.getByRole('button', { name: /Charge/ }).click();
  await page.getByRole('img', { name: /QR code/ }).waitFor();
  await page.locator('.actions button.cancel').click();
  await page.locator('.confirm-cancel button.yes-cancel').click();
  await page.locator('.keypad').waitFor();

  await page.getByRole('button', { name: 'History' }).click();
  await page.getByRole('button', { name: 'Close the day' }).click();
  const dialog = page.getByRole('dialog', { name: 'Close the day' });
  await dialog.waitFor({ timeout: 30_000 });
  const article = dialog.locator('article');
  const openButton = article.getByRole('button', { name: /^Open sale / });
  await openButton.waitFor();

  const before = await page.evaluate(() => window.__serial.bytes.length);
  await dialog.getByRole('button', { name: 'Print' }).click();
  const [report] = await printedJobs(page, 1, before);
  assert.equal(await page.evaluate(() => window.__dialogs), 0, 'no print dialog');
  assert.deepEqual(report.commands.slice(-2), ['ESC d 4', 'GS V 1'], 'fed and cut');
  assert.equal(report.width, 384, '58 mm paper: 384 dots');
  await mkdir(SHOTS, { recursive: true });
  await writeFile(`${SHOTS}/printer-day-report-58mm.png`, PNG.sync.write(imagePng(report)));
  await assertPrinted(page, report, 'the Chinese shop name', SHOP, RECEIPT_EM_58 * 1.3, true);
  await assertPrinted(page, report, 'the first order number', orderId, RECEIPT_EM_58);
  // And it is the report's (on screen, which the print agrees with below).
  assert.match(await article.innerText(), new RegExp(`First order number\\s*${orderId}`));

  // The print is the report on screen without its buttons (the app's rule
  // for the printer applied on screen): that screenshot agrees with the
  // print, the one with the buttons does not as well.
  await page.locator('.print-notice').waitFor({ state: 'detached' });
  await article.evaluate((a) => a.setAttribute('data-to-printer', ''));
  assert.equal(await openButton.isVisible(), false, 'the buttons hidden for the printer');
  const without = await onScreenAtPrintWidth(page, 384, article);
  await article.evaluate((a) => a.removeAttribute('data-to-printer'));
  const withButtons = await onScreenAtPrintWidth(page, 384, article);
  await writeFile(`${SHOTS}/printer-day-report-58mm-screen.png`, PNG.sync.write(imagePng(without)));
  assert.ok(Math.abs(without.rows.length - report.rows.length) <= 12, `heights ${without.rows.length} on screen, ${report.rows.length} printed`);
  const [printedOnScreen, screenPrinted] = [bandAgreement(report, without), bandAgreement(without, report)];
  assert.ok(printedOnScreen > 0.9 && screenPrinted > 0.9, `printed dots on screen ${printedOnScreen.toFixed(3)}, on-screen dots printed ${screenPrinted.toFixed(3)}`);
  const withIt = bandAgreement(withButtons, report);
  assert.ok(withIt < screenPrinted - 0.02, `the button's dots are not printed (${withIt.toFixed(3)} with it, ${screenPrinted.toFixed(3)} without)`);
  // A print off by 20 rows does not agree: the check can fail.
  const shifted = { width: 384, rows: report.rows.slice(20) };
  assert.ok(bandAgreement(shifted, without, 48, 8) < 0.8, `a print off by 20 rows agrees ${bandAgreement(shifted, without).toFixed(3)}`);
  // The button is still there on screen after the print.
  assert.ok(await openButton.isVisible());
  w.assertClean();
  await w.context.close();
});

test('a port that fails in the middle of a job: the message and "Try again", the sale stays Paid; Try again reconnects and prints', async () => {
  const w = await openWithPrinter();
  await connectAndTurnOn(w.page);
  // The printer takes 1,000 bytes, then its link drops.
  await w.page.evaluate(() => { window.__serial.failAfter = 1000; });
  const { traceId } = await paidSale(w.page);
  const notice = w.page.getByRole('alert').filter({ hasText: 'The printer did not print' });
  await notice.waitFor();
  assert.match(await notice.innerText(), /it may be off, out of paper or disconnected\. The sale is recorded\./);
  const received = await w.page.evaluate(() => window.__serial.bytes.length);
  assert.ok(received > 0 && received < 8000, `the job was cut short (${received} bytes)`);
  // The sale is Paid, on screen and recorded.
  await statusText(w.page).filter({ hasText: /^Paid$/ }).waitFor();
  assert.equal((await storedSale(w.page, traceId)).status.kind, 'paid');
  await w.page.screenshot({ path: `${SHOTS}/printer-failed.png` });

  // The printer is back: Try again opens the port anew and prints it whole.
  await w.page.evaluate(() => { window.__serial.failAfter = null; });
  await notice.getByRole('button', { name: 'Try again' }).click();
  const [job] = await printedJobs(w.page, 1, received);
  const png = imagePng(job);
  assert.equal(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data, traceId);
  const port = await w.page.evaluate(() => ({ opened: window.__serial.opened, closed: window.__serial.closed, requested: window.__serial.requested }));
  assert.deepEqual(port, { opened: 2, closed: 1, requested: 1 }, 'closed after the failure, opened again without the picker');
  await w.page.getByText('Printed.').waitFor();
  assert.equal(await w.page.getByRole('alert').filter({ hasText: 'The printer did not print' }).count(), 0);
  w.assertClean([/NetworkError|device has been lost/]);
  await w.context.close();
});

test('a browser with neither Web Serial nor Web Bluetooth says so in Settings → "Printer" and keeps the print dialog', async () => {
  const w = await newWatchedPage(suite.browser, { viewport: { width: 800, height: 1100 } });
  await w.context.addInitScript(() => {
    for (const api of ['serial', 'bluetooth']) {
      if (api in Navigator.prototype) delete Navigator.prototype[api];
      Object.defineProperty(Navigator.prototype, api, { configurable: true, get: () => undefined });
    }
    window.__dialogs = 0;
    window.print = () => { window.__dialogs += 1; };
  });
  await routeConfig(w.context, suite.sim, { shopName: SHOP });
  await w.page.goto(suite.app.url);
  await w.page.getByRole('button', { name: 'Save' }).waitFor();
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  const section = w.page.getByRole('group', { name: 'Printer' });
  await section.getByText(/^This browser cannot reach a printer by itself/).waitFor();
  assert.equal(await section.getByRole('button', { name: 'Connect a printer' }).count(), 0);
  assert.equal(await section.getByRole('checkbox', { name: 'Print receipts by themselves after Paid' }).isDisabled(), true);
  assert.equal(await section.getByRole('checkbox', { name: 'Kitchen ticket' }).isDisabled(), true);
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  await paidSale(w.page);
  await w.page.getByRole('button', { name: 'Receipt' }).click();
  await w.page.getByRole('dialog', { name: 'Receipt' }).getByRole('button', { name: 'Print' }).click();
  await until(() => w.page.evaluate(() => window.__dialogs === 1), 'the print dialog opened');
  w.assertClean();
  await w.context.close();
});
