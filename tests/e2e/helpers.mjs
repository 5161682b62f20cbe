// Shared set-up for the end-to-end tests: the release build served on localhost,
// Debian's Chromium driven by Playwright, and a guard that fails a test on any
// console error or uncaught page error.
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveStatic } from '../../scripts/serve.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The release build under test: `dist/`, or the directory in MIXPAY_DIST (the
 * CI's Debian-toolchain build is served from its own directory this way).
 */
export const DIST = process.env.MIXPAY_DIST || 'dist';

/**
 * The simulator's origin as test builds declare it: the tests' builds are
 * made with MIXPAY_SIM_ORIGIN set to this (see the Makefile's `dist-sim`).
 */
export const SIM_ORIGIN = 'http://127.0.0.1:*';

/** Serves the release build (DIST) on a free port; `gzip` as a compressing host (the bench). */
export async function startApp(dir = DIST, { gzip = false } = {}) {
  const index = readFileSync(`${dir}/index.html`, 'utf8');
  if (!index.includes(`<meta name="mixpay-extra-origins" content="${SIM_ORIGIN}"`)) {
    throw new Error(
      `${dir} is a shop's build (MixPay's origins only): the tests need the simulator allowed. ` +
        `Build with MIXPAY_SIM_ORIGIN='${SIM_ORIGIN}' (make dist-sim).`,
    );
  }
  const server = await serveStatic({ dir, port: 0, gzip });
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, dir, close: () => new Promise((ok) => server.close(ok)) };
}

/**
 * A copy of the build served on its own port, for the update tests: the test
 * writes the "next build" into `dir` while the page runs. `close` stops the
 * server and removes the copy.
 */
export async function serveDistCopy() {
  const dir = await mkdtemp(join(tmpdir(), 'mixpay-dist-'));
  await cp(DIST, dir, { recursive: true });
  const served = await startApp(dir);
  return {
    dir,
    url: served.url,
    close: async () => {
      await served.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A browser with a profile on disk (not incognito), as an installed app has. */
export async function launchPersistent(userDataDir) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * A new page whose console errors and page errors are collected; call
 * `assertClean()` at the end of a test.
 */
export async function newWatchedPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  return {
    context,
    page,
    errors,
    assertClean(allowed = []) {
      const left = errors.filter((e) => !allowed.some((re) => re.test(e)));
      if (left.length) throw new Error(`errors in the page:\n${left.join('\n')}`);
    },
  };
}

/** Decodes the QR code in a screenshot of `locator` with jsQR (not our encoder). */
export async function decodeQr(locator) {
  const png = PNG.sync.read(await locator.screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!code) throw new Error('no QR code could be decoded from the screenshot');
  return code.data;
}

/**
 * Decodes the QR image's own bytes (the PNG of its `data:` URL, read by
 * pngjs, then jsQR on it scaled 4x): what the screen shows is the code
 * itself, not only something a screenshot happens to scan.
 */
export async function decodeQrImage(locator) {
  const src = await locator.locator('img').getAttribute('src');
  const prefix = 'data:image/png;base64,';
  if (!src?.startsWith(prefix)) throw new Error(`the QR image is not a PNG data: URL: ${src?.slice(0, 40)}`);
  const png = PNG.sync.read(Buffer.from(src.slice(prefix.length), 'base64'));
  const scale = 4;
  const width = png.width * scale;
  const height = png.height * scale;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = ((y / scale | 0) * png.width + (x / scale | 0)) * 4;
      rgba.set(png.data.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  const code = jsQR(rgba, width, height);
  if (!code) throw new Error('no QR code could be decoded from the image\'s PNG');
  return code.data;
}

// ---- The MixPay simulator (sim/), started per test file on a free port.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export const DEMO_PAYEE = '3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b';
export const OTHER_PAYEE = 'b7e3a1d2-4c5f-4a6b-8d9e-0f1a2b3c4d5e';
export const USDT = '4d8c508b-91c5-375b-92b0-ee702ed2dac5';
const SIM_BIN = process.env.MIXPAY_SIM_BIN ?? 'target/debug/mixpay-sim';

// Simulators still running when this process ends (a run stopped by a
// watchdog's exit, say) are killed, not left holding their ports.
const runningSims = new Set();
process.once('exit', () => runningSims.forEach((child) => child.kill('SIGKILL')));

/** Starts the simulator on `port` (0 picks a free one; a fixed port lets a
 * test restart it where the app expects it). */
export async function startSim({ rateLimit = true, port = 0 } = {}) {
  const args = ['--port', String(port), ...(rateLimit ? [] : ['--no-rate-limit'])];
  const child = spawn(SIM_BIN, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  runningSims.add(child);
  child.once('exit', () => runningSims.delete(child));
  let out = '';
  child.stdout.setEncoding('utf8');
  const url = await new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`simulator exited with ${code}: ${out}`)));
    // A missing binary emits 'error' and never 'exit': without this the test hangs.
    child.once('error', (e) => fail(new Error(`cannot start the simulator ${SIM_BIN} (cargo build -p mixpay-sim): ${e.message}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/on (http:\/\/[\d.:]+)\//);
      if (m) ok(m[1]);
    });
  });
  const control = async (path, body) => {
    const r = await fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return r.json();
  };
  return {
    url,
    control,
    reset: () => control('/_sim/reset', {}),
    pay: (body) => control('/_sim/pay', body),
    faults: (body) => control('/_sim/faults', body),
    requests: () => control('/_sim/requests'),
    result: async (traceId) => (await (await fetch(`${url}/v1/payments_result?traceId=${traceId}`)).json()).data,
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    /** Stops it; `'SIGKILL'` is a crash (nothing flushed, connections cut). */
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

/** The app's config.json pointed at the simulator, served by Playwright's router. */
export async function routeConfig(context, sim, extra = {}) {
  const config = {
    apiBase: `${sim.url}/v1`,
    payBase: sim.url,
    payeeId: DEMO_PAYEE,
    quoteAssetId: 'usd',
    settlementAssetId: USDT,
    shopName: 'Demo Coffee',
    ...extra,
  };
  await context.route('**/config.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) }),
  );
}

/** Opens the app on a first run, accepts the provisioned settings, and waits for the keypad. */
export async function openReadyApp(browser, app, sim, config = {}) {
  const w = await newWatchedPage(browser, { viewport: { width: 800, height: 1100 } });
  await routeConfig(w.context, sim, config);
  await w.page.goto(app.url);
  await w.page.getByRole('button', { name: 'Save' }).waitFor();
  // The lists must be in before saving, so places and limits are MixPay's.
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  return w;
}

export async function typeAmount(page, text) {
  for (const key of text) {
    await page.getByRole('button', { name: key, exact: true }).click();
  }
}

/** Charges and returns the decoded QR link and the traceId of the sale. */
export async function chargeAndReadQr(page) {
  await page.getByRole('button', { name: /Charge/ }).click();
  return saleOnScreen(page);
}

/** The sale on screen once its QR is up: the decoded link and its traceId. */
export async function saleOnScreen(page) {
  const qr = page.getByRole('img', { name: /QR code/ });
  await qr.waitFor();
  const link = await decodeQr(qr);
  // The sale in progress is the one unfinished, uncancelled sale recorded on the device.
  const traceId = await page.evaluate(() => {
    const open = Object.keys(localStorage)
      .filter((k) => k.startsWith('mixpay-pos/sale/'))
      .map((k) => JSON.parse(localStorage.getItem(k)))
      .filter((s) => !s.cancelled && !['paid', 'mismatch', 'failed'].includes(s.status.kind));
    if (open.length !== 1) throw new Error(`expected one sale in progress, found ${open.length}`);
    return open[0].trace_id;
  });
  return { link, traceId };
}

export function statusText(page) {
  return page.getByRole('status');
}

/** Every record of the app's IndexedDB history, as stored (`json` holds the sale). */
export async function historyRecords(page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('mixpay-pos');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const records = await new Promise((ok, fail) => {
      const r = db.transaction('sales').objectStore('sales').getAll();
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    db.close();
    return records;
  });
}

/** A sale as the IndexedDB history alone has it, or null. */
export async function historyRecord(page, traceId) {
  return page.evaluate(async (id) => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('mixpay-pos');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const record = await new Promise((ok, fail) => {
      const r = db.transaction('sales').objectStore('sales').get(id);
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    db.close();
    return record ? JSON.parse(record.json) : null;
  }, traceId);
}

/** A sale as the device recorded it: the localStorage copy, else the IndexedDB history. */
export async function storedSale(page, traceId) {
  const local = await page.evaluate((id) => localStorage.getItem(`mixpay-pos/sale/${id}`), traceId);
  return local ? JSON.parse(local) : historyRecord(page, traceId);
}

/** Fills localStorage to its last few characters, with smaller and smaller pieces. */
export async function fillLocalStorage(page) {
  await page.evaluate(() => {
    let i = 0;
    for (const size of [50_000, 1_000, 20]) {
      const chunk = 'x'.repeat(size);
      try { for (;;) localStorage.setItem(`fill-${i++}`, chunk); } catch { /* full at this size */ }
    }
  });
}

/** Polls `check` every 100 ms until it returns something truthy, which it returns. */
export async function until(check, what, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the role=status region matches `pattern`; returns its text. */
export async function waitForStatus(page, pattern, timeout = 20_000) {
  await statusText(page).filter({ hasText: pattern }).waitFor({ timeout });
  return statusText(page).innerText();
}

/**
 * Puts `n` final sales (one a minute back from now; every 7th failed, the
 * rest paid) straight into the app's IndexedDB history, in its stored form.
 */
/** Opens History's Export menu, whose "Export CSV" downloads the sales of the dates chosen. */
export async function openExportMenu(page) {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByRole('button', { name: 'Export CSV' }).waitFor();
}

/** Seeds `n` final sales, sale i at the returned time minus (i + 1) minutes. */
export async function seedSales(page, n) {
  return page.evaluate(async ({ n, payee, usdt }) => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('mixpay-pos');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const tx = db.transaction([...db.objectStoreNames], 'readwrite');
    const store = tx.objectStore('sales');
    const now = Date.now();
    const pad = (n) => String(n).padStart(2, '0');
    const localDay = (ms) => { const d = new Date(ms); return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`; };
    for (let i = 0; i < n; i++) {
      const created = now - (i + 1) * 60_000;
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const failed = i % 7 === 0;
      // Every 5th sale has an order number and a tip of 0.50 inside its total.
      const tipped = i % 5 === 0;
      const orderId = tipped ? `SEEDAB-${String(i).padStart(6, '0')}` : '';
      const note = `seed ${i}`;
      const sale = {
        trace_id: id, created_ms: created,
        params: { payee_id: payee, trace_id: id, quote_asset_id: 'usd', quote_amount: `${(i % 50) + 1}.5`, settlement_asset_id: usdt,
          strict: false, remark: '', expired_timestamp: Math.floor(created / 1000) + 900, order_id: orderId },
        quote_symbol: 'USD', decimals: 2, note, mode: 'one_time', link: `http://x/code/${id}`,
        status: failed ? { kind: 'failed', code: '40000', reason: 'Payment overtime' } : { kind: 'paid' },
        cancelled: false, last_result: null, updated_ms: created, tip: tipped ? '0.50' : null,
      };
      // The fields the history's indexes read (see sale_history_db.rs); the
      // search texts on every other record only, as records written before
      // they were stored lack them (the search then reads the sale).
      store.put({
        trace_id: id, created_ms: created, final: true, open: 0, kind: failed ? 'failed' : 'paid',
        day: localDay(created), json: JSON.stringify(sale),
        ...(i % 2 === 0 ? { search: [orderId.toLowerCase(), note, id] } : {}),
      });
    }
    // Sales written behind the app's back: its per-day totals are counted
    // again from the sales when next read (the marker record is gone).
    if (db.objectStoreNames.contains('days')) tx.objectStore('days').clear();
    await new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); });
    db.close();
    return now;
  }, { n, payee: DEMO_PAYEE, usdt: USDT });
}

/**
 * The per-file fixtures of an e2e test file: the release build served, a
 * simulator, one browser; the simulator is reset before every test.
 * Read them as `suite.app`, `suite.sim`, `suite.browser` inside tests.
 */
export function setupSuite({ before, after, beforeEach }) {
  const suite = {};
  before(async () => {
    suite.app = await startApp();
    suite.sim = await startSim();
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.app?.close();
    await suite.sim?.stop();
  });
  beforeEach(() => suite.sim.reset());
  return suite;
}

/** The simulator's log of `payments_result` requests. */
export async function resultPolls(sim) {
  return (await sim.requests()).filter((r) => r.path === '/v1/payments_result');
}


/** A ready app with a sale of `amount` charged: the page, the QR's link and the traceId. */
export async function newSale(suite, amount, config = {}) {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim, config);
  await typeAmount(w.page, amount);
  return { w, ...(await chargeAndReadQr(w.page)) };
}
