// The core journeys of a shop, written once and run in every engine
// (tests/engines/run.mjs runs them through adapters/<engine>.mjs).
//
// Each journey gets `t`:
//   t.d       the Driver (driver.mjs): goto, click, fill, select, waitFor, …
//   t.app     { url, stop() } the release build on a fresh origin (fresh storage)
//   t.sim     the MixPay simulator (reset before each journey)
//   t.shot(name)            a screenshot of the screen into target/screenshots/engines/<engine>/
//   t.keep(name, png)       a PNG kept there (an undecodable QR code)
//   t.skip(check, reason)   a check this engine cannot run, printed as a skip with its reason
//   t.note(text)            a line for the log
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { DEMO_PAYEE, USDT } from '../e2e/helpers.mjs';
import { waitUntil } from './driver.mjs';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PAY_WAIT = { timeout: 45_000 };

const button = (name) => ({ role: 'button', name });
const STATUS = { role: 'status' };
const QR = { role: 'img', name: /QR code/ };

/**
 * Whether the QR code's picture is decoded and has stopped moving: its <img> is
 * complete and its box is the one seen at the previous call (the slot sizes
 * itself to the room left, and WebKit decodes an image after it is in the DOM).
 */
function qrSettled() {
  const img = document.querySelector('.qr img');
  if (!img || !img.complete || img.naturalWidth === 0) return false;
  const r = img.getBoundingClientRect();
  const box = `${r.x},${r.y},${r.width},${r.height}`;
  const same = window.__qrBox === box && r.width > 0;
  window.__qrBox = box;
  return same;
}

/**
 * Decodes the QR code in a screenshot of the element with jsQR (not our encoder),
 * once its picture has settled. A screenshot can still catch a frame in the middle
 * of a paint, so up to three are taken (each kept if it fails) before failing.
 */
async function readQr(t, q = QR) {
  const kept = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    await t.d.waitForPage(qrSettled, [], { what: 'the QR code decoded and laid out' });
    const shot = await t.d.screenshotOf(q);
    const png = PNG.sync.read(shot);
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    if (code) {
      if (kept.length) t.note(`QR code read at attempt ${attempt} (unreadable: ${kept.join(', ')})`);
      return code.data;
    }
    const name = `FAILED-qr-${Date.now()}-${attempt}`;
    await t.keep(name, shot);
    kept.push(`${name}.png ${png.width}x${png.height}`);
  }
  assert.fail(`no QR code could be decoded from three screenshots (kept: ${kept.join(', ')})`);
}

/** The settings screen of a first run, once the currency lists are in. */
async function firstRun(t) {
  await t.d.goto(t.app.url);
  await t.d.find(button('Save'));
  // The lists must be in before saving, so places and limits are MixPay's.
  await t.d.waitForPage(
    () => [...document.querySelectorAll('option')].some((o) => /USDT/.test(o.textContent)),
    [],
    { what: 'the settlement assets from MixPay' },
  );
}

async function openReadyApp(t) {
  await firstRun(t);
  await t.d.click(button('Save'));
  await t.d.find(button('Backspace'));
}

async function typeAmount(t, text) {
  for (const key of text) await t.d.click(button(key));
  await t.d.find({ role: 'button', name: new RegExp(`^Charge \\$${text.replace('.', '\\.')}`) });
}

/** The one unfinished, uncancelled sale recorded on the device. */
function saleInProgress() {
  const open = Object.keys(localStorage)
    .filter((k) => k.startsWith('mixpay-pos/sale/'))
    .map((k) => JSON.parse(localStorage.getItem(k)))
    .filter((s) => !s.cancelled && !['paid', 'mismatch', 'failed'].includes(s.status.kind));
  return open.length === 1 ? open[0] : null;
}

/** Charges; returns the QR's link (decoded from a screenshot) and the sale's traceId. */
async function charge(t) {
  await t.d.click(button(/^Charge/));
  await t.d.find(QR);
  const sale = await t.d.waitForPage(saleInProgress, [], { what: 'the sale recorded on the device' });
  const link = await readQr(t);
  return { link, traceId: sale.trace_id };
}

async function newSale(t, amount, note) {
  await typeAmount(t, amount);
  if (note !== undefined) await t.d.fill({ label: 'Note (optional)' }, note);
  return charge(t);
}

/** The app's checks of a sale that reached the simulator. */
async function checksOf(t, traceId) {
  return (await t.sim.requests()).filter((r) => r.path === '/v1/payments_result' && r.query?.includes(traceId));
}

/** Waits until the app has asked MixPay about the sale more than `seen` times. */
async function waitForCheck(t, traceId, seen = 0) {
  return waitUntil(async () => (await checksOf(t, traceId)).length > seen, {
    timeout: 30_000,
    what: `a check of sale ${traceId} at the simulator`,
  });
}

const waitStatus = (t, pattern, opts = PAY_WAIT) => t.d.waitFor({ ...STATUS, text: pattern }, opts);

async function switchToPayLink(t) {
  await t.d.click(button('Settings'));
  await t.d.find(button('Save'));
  await t.d.select({ label: 'Payment mode' }, 'Pay link (testing only: the payer can edit it)');
  await t.d.click(button('Save'));
  await t.d.find(button('Backspace'));
  const mode = await t.d.evaluate(() => JSON.parse(localStorage.getItem('mixpay-pos/settings')).mode);
  assert.equal(mode, 'pay_link');
}

export const journeys = [
  {
    name: 'first run and Save',
    async run(t) {
      await firstRun(t);
      assert.equal(await t.d.value({ label: /^Payee/ }), DEMO_PAYEE);
      assert.equal(await t.d.value({ label: 'Shop name' }), 'Demo Coffee');
      await t.shot('settings');
      await t.d.click(button('Save'));
      await t.d.find(button('Backspace'));
      const saved = await t.d.evaluate(() => JSON.parse(localStorage.getItem('mixpay-pos/settings')));
      assert.equal(saved.payee_id, DEMO_PAYEE);
      await typeAmount(t, '12.50');
      await t.d.waitFor({ role: 'button', name: 'Charge $12.50' });
      await t.shot('keypad');
      // Saved on the device: a reload opens the keypad, not the settings.
      await t.d.reload();
      await t.d.find(button('Backspace'));
      assert.equal(await t.d.count(button('Save')), 0);
    },
  },

  {
    name: 'one-time payment: QR, paid, verified',
    async run(t) {
      await openReadyApp(t);
      const { link, traceId } = await newSale(t, '12.50', 'Table 4');
      assert.match(traceId, UUID_V4);
      const code = link.match(new RegExp(`^${t.sim.url}/code/([0-9a-f-]{36})$`))?.[1];
      assert.ok(code, `QR link ${link}`);
      // What MixPay recorded is what was charged.
      const before = await t.sim.result(traceId);
      assert.equal(before.status, 'unpaid');
      assert.equal(before.quoteAmount, '12.5');
      assert.equal(before.remark, 'Demo Coffee: Table 4');
      assert.match(await t.d.text(STATUS), /Waiting for payment/);
      await t.d.waitFor({ text: /^\$12\.50$/, css: '.sale-amount' });
      // The screen stays on where the engine has the Screen Wake Lock; else a hint says so.
      const wake = await t.d.evaluate(() => 'wakeLock' in navigator);
      if (wake) assert.equal(await t.d.count({ text: /auto-lock/, css: 'p' }), 0);
      else await t.d.waitFor({ text: /auto-lock/, css: 'p' });
      await waitForCheck(t, traceId);
      await t.shot('qr');

      await t.sim.pay({ code, outcome: 'success' });
      assert.equal(await waitStatus(t, /^Paid$/), 'Paid');
      // What was paid is behind Details (opening it also keeps Paid up).
      await t.d.click({ text: 'Details', css: 'summary' });
      await t.d.waitFor({ text: 'Customer paid 12.50 USDT', css: 'p' });
      await t.shot('paid');
      const stored = await t.d.evaluate((id) => JSON.parse(localStorage.getItem(`mixpay-pos/sale/${id}`) ?? 'null'), traceId);
      assert.ok(stored === null || stored.status.kind === 'paid', 'the verdict is recorded');
      await t.d.click(button('New sale'));
      await t.d.find(button(/^Charge/));
    },
  },

  {
    name: 'pay link: every parameter in the QR, paid',
    async run(t) {
      await openReadyApp(t);
      await switchToPayLink(t);
      const started = Math.floor(Date.now() / 1000);
      const { link, traceId } = await newSale(t, '3.05', 'Tea & cake #4 + 10%');
      const url = new URL(link);
      assert.equal(`${url.origin}${url.pathname}`, `${t.sim.url}/pay`);
      const p = url.searchParams;
      assert.equal(p.get('payeeId'), DEMO_PAYEE);
      assert.equal(p.get('traceId'), traceId);
      assert.match(traceId, UUID_V4);
      assert.equal(p.get('quoteAssetId'), 'usd');
      assert.equal(p.get('quoteAmount'), '3.05');
      assert.equal(p.get('settlementAssetId'), USDT);
      assert.equal(p.get('remark'), 'Demo Coffee: Tea & cake #4 + 10%');
      const expiry = Number(p.get('expiredTimestamp'));
      assert.ok(Math.abs(expiry - (started + 15 * 60)) <= 10, `expiry ${expiry}`);
      // No request was needed to show it.
      const created = (await t.sim.requests()).filter((r) => r.path === '/v1/one_time_payment');
      assert.equal(created.length, 0);
      // The customer's phone opens the link; they pay what it says.
      assert.equal((await fetch(link)).status, 200);
      await t.sim.pay({ traceId });
      assert.equal(await waitStatus(t, /^Paid$/), 'Paid');
    },
  },

  {
    name: 'a tampered amount is flagged',
    async run(t) {
      await openReadyApp(t);
      const { traceId } = await newSale(t, '25');
      await waitForCheck(t, traceId);
      // The payer paid another amount than the one charged.
      await t.sim.pay({ traceId, quoteAmount: '2.5' });
      const text = await waitStatus(t, /does not match/);
      assert.doesNotMatch(text, /Paid/);
      await t.d.waitFor({ text: 'Do not hand over goods', css: 'h2' });
      await t.d.waitFor({ text: 'Received $2.50, expected $25.00', css: 'li' });
      await t.shot('mismatch');
    },
  },

  {
    name: 'reload mid-sale, then paid',
    async run(t) {
      await openReadyApp(t);
      const { link, traceId } = await newSale(t, '11');
      await waitForCheck(t, traceId);
      await t.d.reload();
      // The same sale is back and is checked again.
      await t.d.find(QR);
      await t.d.waitFor({ text: /^\$11\.00$/, css: '.sale-amount' });
      assert.equal(await readQr(t), link, 'the same QR as before the reload');
      const seen = (await checksOf(t, traceId)).length;
      await waitForCheck(t, traceId, seen);
      await t.sim.pay({ traceId });
      assert.equal(await waitStatus(t, /^Paid$/), 'Paid');
    },
  },

  {
    name: 'History totals and CSV export',
    async run(t) {
      await openReadyApp(t);
      const sell = async (amount, note, pay, verdict) => {
        const { traceId } = await newSale(t, amount, note);
        await t.sim.pay({ traceId, ...pay });
        await waitStatus(t, verdict);
        await t.d.click(button('New sale'));
        await t.d.find(button('Backspace'));
      };
      await sell('10.5', '=HYPERLINK("http://x")', {}, /^Paid$/);
      await sell('2.25', 'Latte, "large"', {}, /^Paid$/);
      await sell('99', 'tampered', { quoteAmount: '1' }, /does not match/);
      await t.d.click(button('History'));
      await t.d.find({ role: 'heading', name: 'History' });
      const totals = { role: 'table', name: 'Totals of verified payments' };
      const row = await t.d.text({ role: 'row', text: /USD/, within: totals });
      assert.match(row, /USD\s+2\s+12\.75/);
      await t.d.waitFor({ text: '3 sales', css: 'p' });
      assert.equal(await t.d.count({ role: 'listitem' }), 3);
      await t.shot('history');

      // The file the page builds: the Blob handed to the download link.
      await t.d.evaluate(() => {
        window.__csv = null;
        const createObjectURL = URL.createObjectURL;
        URL.createObjectURL = (blob) => {
          window.__csvBlob = blob;
          return createObjectURL.call(URL, blob);
        };
        const click = HTMLAnchorElement.prototype.click;
        HTMLAnchorElement.prototype.click = function () {
          // Recorded, not followed: a download dialog is no business of the test.
          if (!this.download) return click.call(this);
          window.__csv = { name: this.download, href: this.href };
        };
      });
      await t.d.click(button('Export'));
      await t.d.click(button('Export CSV'));
      const file = await t.d.waitForPage(async () => {
        if (!window.__csv || !window.__csvBlob) return null;
        return { ...window.__csv, type: window.__csvBlob.type, text: await window.__csvBlob.text() };
      }, [], { what: 'the CSV file' });
      assert.match(file.name, /^mixpay-sales-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv$/);
      assert.match(file.href, /^blob:/);
      assert.match(file.type, /^text\/csv/);
      const lines = file.text.split('\r\n');
      assert.equal(lines[0], 'Date,Status,Amount,Currency,Paid amount,Paid asset,Note,Trace ID,Transaction,Payee,Mode,Failure reason,Paid on failed sale,Paid on failed sale asset,Surplus,Surplus asset,Settled amount,Settled asset,Order number,Lines,subtotal,tip,total');
      assert.equal(lines.length, 5, file.text);
      assert.match(file.text, /,Paid,10\.50,USD,10\.5,USDT,"'=HYPERLINK\(""http:\/\/x""\)",/);
      assert.match(file.text, /,Paid,2\.25,USD,2\.25,USDT,"Latte, ""large""",/);
      assert.match(file.text, /,Does not match,99\.00,USD,,,tampered,/);
      await t.d.waitFor({ text: `Exported 3 sales to ${file.name}.`, css: 'p' });
    },
  },

  {
    name: 'offline start from the service worker',
    async run(t) {
      await openReadyApp(t);
      await t.d.waitForPage(async () => !!(await navigator.serviceWorker.ready).active, [], { what: 'the service worker' });
      await t.d.reload();
      await t.d.find(button('Backspace'));
      await t.d.waitForPage(() => navigator.serviceWorker.controller !== null, [], { what: 'the page to be controlled by the worker' });
      const cached = await t.d.evaluate(async () => {
        const keys = await caches.keys();
        const shell = await caches.open(keys.find((k) => k.startsWith('mixpay-pos-shell-')));
        return (await shell.keys()).map((r) => new URL(r.url).pathname);
      });
      assert.ok(cached.some((p) => p.endsWith('.wasm')), cached.join(' '));
      // The site is gone (a dead Wi-Fi, a host down): the app still opens from the cache,
      // with its settings and its history.
      await t.app.stop();
      await t.d.reload();
      await t.d.find(button('Backspace'));
      assert.equal(await t.d.evaluate(() => navigator.serviceWorker.controller !== null), true);
      await t.d.click(button('History'));
      await t.d.find({ role: 'heading', name: 'History' });
      await t.d.click(button('Sale'));
      await t.d.find(button('Backspace'));
      if (!t.d.offline.can) {
        t.skip('offline banner and refusal of a new sale with the network off', t.d.offline.why);
        return;
      }
      // The network off in the engine: an offline start, the banner, no new sale.
      await t.d.setOffline(true);
      try {
        await t.d.reload();
        await t.d.find(button('Backspace'));
        await t.d.waitFor({ role: 'alert', text: /^Offline/ });
        await typeAmount(t, '2');
        await t.d.click(button(/^Charge/));
        await t.d.waitFor({ text: /No network: a new sale cannot start/, css: 'p' });
        await t.shot('offline');
      } finally {
        await t.d.setOffline(false);
      }
    },
    // Fetches that fail while the network is off are the test's doing.
    // What each engine logs for a request the network did not carry (Firefox
    // words a failed cross-origin request as "CORS request did not succeed").
    allowedErrors: [/Failed to load resource|Failed to fetch|NetworkError|ERR_INTERNET_DISCONNECTED|network|CORS request did not succeed/i],
  },

  {
    name: 'no Screen Wake Lock: a hint to turn off auto-lock, no error',
    async run(t) {
      await openReadyApp(t);
      const has = await t.d.evaluate(() => ({
        wakeLock: 'wakeLock' in navigator,
        share: 'share' in navigator,
        locks: 'locks' in navigator,
        clipboard: !!navigator.clipboard,
      }));
      const missing = Object.entries(has).filter(([, v]) => !v).map(([k]) => k);
      t.note(`has ${Object.entries(has).filter(([, v]) => v).map(([k]) => k).join(', ') || 'none of them'}` +
        (missing.length ? `; lacks ${missing.join(', ')}` : ''));
      // As in a browser without the API (or an iPad before iOS 16.4).
      await t.d.evaluate(() => {
        delete Navigator.prototype.wakeLock;
        delete navigator.wakeLock;
      });
      assert.equal(await t.d.evaluate(() => 'wakeLock' in navigator), false);
      const { traceId } = await newSale(t, '5');
      const hint = await t.d.waitFor({ text: /auto-lock/, css: 'p' });
      assert.match(hint, /screen/);
      await t.shot('no-wake-lock');
      await t.sim.pay({ traceId });
      await waitStatus(t, /^Paid$/);
      assert.equal(await t.d.count({ text: /auto-lock/, css: 'p' }), 0, 'no hint once paid');
    },
  },
];
