// Timings of the release build in Chromium against the simulator, for
// `make bench`. Each figure is the median of several runs; the ratio of a
// figure with 10,000 stored sales to the same with 10 is measured in the
// same browser, so machine noise mostly cancels out.
import { launchBrowser, openReadyApp, seedSales, startApp, startSim, typeAmount } from '../tests/e2e/helpers.mjs';
import { median, p95, within } from './bench-util.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** Charge in pay-link mode; ms to the QR on screen and to the sale committed in IndexedDB.
 * Each run adds one (cancelled) sale to the history: n + RUNS at most. */
async function timeCharge(page) {
  await typeAmount(page, '1');
  const t = await within(30_000, 'the QR code and the sale in IndexedDB after Charge', page.evaluate(async () => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.includes('Charge'));
    const t0 = performance.now();
    const qrShown = new Promise((ok, fail) => {
      const timer = setTimeout(() => { observer.disconnect(); fail(new Error('no QR code 20 s after Charge')); }, 20_000);
      // The QR is an <img> (an SVG data: URL) in the role=img box.
      const check = () => document.querySelector('.qr[role=img] img') && (observer.disconnect(), clearTimeout(timer), ok(performance.now()));
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true });
    });
    button.click();
    const t1 = await qrShown;
    // The sale as the history has it: poll IndexedDB until the record is there.
    // The sale in progress: the one unfinished, uncancelled sale held.
    const id = Object.keys(localStorage)
      .filter((k) => k.startsWith('mixpay-pos/sale/'))
      .map((k) => { try { return JSON.parse(localStorage.getItem(k)); } catch { return null; } })
      .find((s) => s && !s.cancelled && !['paid', 'mismatch', 'failed'].includes(s.status?.kind))?.trace_id;
    const db = await new Promise((ok) => { const r = indexedDB.open('mixpay-pos'); r.onsuccess = () => ok(r.result); });
    // Bounded: a figure never hangs the bench (NaN is printed instead).
    let committed = NaN;
    while (id && performance.now() - t0 < 10_000) {
      const found = await new Promise((ok) => { const r = db.transaction('sales').objectStore('sales').get(id); r.onsuccess = () => ok(r.result); });
      if (found) { committed = performance.now() - t0; break; }
      await new Promise((r) => setTimeout(r, 1));
    }
    db.close();
    return { qr: t1 - t0, committed };
  }));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Yes, cancel the sale' }).click();
  // A cancelled sale stays unfinished in localStorage; clear it so the next run has one.
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('mixpay-pos/sale/')).forEach((k) => localStorage.removeItem(k)));
  return t;
}

/** ms from tapping History to the list of all sales drawn. */
async function timeHistory(page) {
  const ms = await within(30_000, 'History drawn', page.evaluate(async () => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'History');
    const t0 = performance.now();
    const drawn = new Promise((ok, fail) => {
      const timer = setTimeout(() => { observer.disconnect(); fail(new Error('History not drawn 20 s after the tap (no "N sales" and list)')); }, 20_000);
      const check = () => /\d+ sales?\b/.test(document.body.textContent) && document.querySelector('.sales li') && (observer.disconnect(), clearTimeout(timer), ok(performance.now()));
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    button.click();
    return (await drawn) - t0;
  }));
  await page.getByRole('button', { name: 'Sale', exact: true }).click();
  return ms;
}

/** Export CSV of every sale from History: ms to the file, and the longest
 * main-thread task meanwhile (Long Tasks API: tasks of 50 ms or more). */
async function timeExport(page) {
  await page.getByRole('button', { name: 'History' }).click();
  await page.getByRole('heading', { name: 'History' }).waitFor();
  await page.getByLabel('From', { exact: true }).fill('');
  await page.getByLabel('To', { exact: true }).fill('');
  await page.evaluate(() => {
    window.__longest = 0;
    window.__longTasks = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    });
    window.__longTasks.observe({ type: 'longtask' });
  });
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const t0 = Date.now();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const ms = Date.now() - t0;
  await download.delete();
  const longest = await page.evaluate(() => { window.__longTasks.disconnect(); return window.__longest; });
  await page.getByRole('button', { name: 'Sale', exact: true }).click();
  return { ms, longest };
}

export async function benchApp() {
  const app = await startApp();
  const sim = await startSim({ rateLimit: false });
  const browser = await launchBrowser();
  const rows = [];
  try {
    const figures = {};
    for (const n of [10, 10_000]) {
      const w = await openReadyApp(browser, app, sim, { mode: 'pay_link' });
      await seedSales(w.page, n);
      await w.page.reload();
      await w.page.getByRole('button', { name: /Charge/ }).waitFor();
      const charge = [];
      const history = [];
      for (let i = 0; i < RUNS; i++) {
        charge.push(await timeCharge(w.page));
        history.push(await timeHistory(w.page));
      }
      const exports = [];
      for (let i = 0; i < Math.min(RUNS, 3); i++) exports.push(await timeExport(w.page));
      figures[n] = {
        qr: median(charge.map((c) => c.qr)),
        committed: median(charge.map((c) => c.committed)),
        history: median(history),
        historyP95: p95(history),
        exportMs: median(exports.map((e) => e.ms)),
        exportLongestTask: Math.max(...exports.map((e) => e.longest)),
      };
      await w.context.close();
    }
    const row = (label, key) => {
      const [a, b] = [figures[10][key], figures[10_000][key]];
      rows.push([label, a.toFixed(1), b.toFixed(1), a ? (b / a).toFixed(2) : '-']);
    };
    row('Charge -> QR on screen (pay link, sale in localStorage)', 'qr');
    row('Charge -> sale committed to the history (IndexedDB)', 'committed');
    row('Open History (first page of 50 read by index, drawn)', 'history');
    row('  p95 of the same', 'historyP95');
    row('Export CSV of every sale (streamed by cursor), ms to the file', 'exportMs');
    row('  longest main-thread task during the export (0: none of 50 ms+)', 'exportLongestTask');
  } finally {
    await browser.close();
    await app.close();
    await sim.stop();
  }
  return rows;
}
