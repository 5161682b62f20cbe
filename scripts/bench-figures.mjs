// The figures a merchant feels, for `make bench` (issue 12): payment success
// to "Paid" painted and the requests it costs, cold and warm start, Charge ->
// QR painted, memory over a session of sales. Each is measured in Chromium
// against the simulator; figures only, nothing is asserted. Every wait is
// bounded and says what it waited for when it gives up.
import { readFileSync } from 'node:fs';
import { launchBrowser, openReadyApp, startApp, startSim, typeAmount } from '../tests/e2e/helpers.mjs';
import { nextKeypadPaint, stats, watchKeypad, within } from './bench-util.mjs';
import { floors } from './bench-floors.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
/** Runs of each figure: the cheap ones get more, for a p95 that is not just the slowest run. */
export const FIGURE_RUNS = {
  paid: 4 * RUNS,
  startUp: 2 * RUNS,
  chargeToQr: 4 * RUNS,
  floors: 4 * RUNS,
};
/** Sales of the memory session; the figure compares the first 10 with all of them (issue 26: 1,000). */
export const SESSION_SALES = Math.max(20, Number(process.env.BENCH_SESSION_SALES ?? 1000));
/** When the memory session is measured: after 10 sales, after 300, and at its end. */
const MEMORY_AT = [...new Set([10, 300, SESSION_SALES].filter((n) => n <= SESSION_SALES))];
/** The app's own poll interval, read from its source so the two never drift
 * apart (it was 1.5 s here while the app polled every 2 s). */
const POLL_MS = (() => {
  const src = readFileSync(new URL('../src/domain/schedule.rs', import.meta.url), 'utf8');
  const m = src.match(/pub const POLL_INTERVAL_MS: u32 = ([\d_]+);/);
  if (!m) throw new Error('bench: POLL_INTERVAL_MS not found in src/domain/schedule.rs');
  return Number(m[1].replaceAll('_', ''));
})();

// Lighthouse's "Slow 4G" as DevTools applies it: 562.5 ms added to each
// request, 1474.56 kbit/s down, 675 kbit/s up (kbit of 1024 bits).
export const SLOW_4G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1474.56 * 1024) / 8,
  uploadThroughput: (675 * 1024) / 8,
};
const NO_THROTTLE = { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };

const log = (line) => process.stderr.write(`bench: ${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs a Playwright wait, and names `what` if it times out. */
async function waiting(what, promise) {
  try {
    return await promise;
  } catch (e) {
    throw new Error(`gave up waiting for ${what}: ${e.message.split('\n')[0]}`);
  }
}

// In the page (written out in each function sent there, as the page's CSP
// allows no eval): `afterPaint(done)` calls done(performance.now()) once the
// frame showing the current DOM has been painted, i.e. in the task after the
// next animation frame.

/** The sale in progress: the one unfinished, uncancelled sale the device holds. */
async function saleInProgress(page) {
  const sale = await page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('mixpay-pos/sale/'))
    .map((k) => JSON.parse(localStorage.getItem(k)))
    .find((s) => !s.cancelled && !['paid', 'mismatch', 'failed'].includes(s.status.kind)));
  if (!sale) throw new Error('no sale in progress in localStorage after Charge');
  return sale;
}

/** For a pay link: the customer opens it, which is when MixPay (the simulator) learns of the payment. */
async function openPayLink(sale) {
  const r = await within(10_000, `the simulator's pay page for ${sale.trace_id}`, fetch(sale.link));
  if (!r.ok) throw new Error(`the simulator's pay page answered ${r.status}`);
  await r.arrayBuffer();
}

/**
 * Waits (bounded) until the last minute of the simulator's request log
 * leaves `room` requests in the app's own budget of 28 a minute (a device's
 * ceiling, src/domain/schedule.rs, since issue 24), so that back
 * to back runs time the app's poll and not its budget: a cashier does not
 * start a sale every two seconds for minutes on end.
 */
const APP_BUDGET_PER_MINUTE = 28;
async function budgetRoom(sim, room) {
  const deadline = Date.now() + 75_000;
  for (;;) {
    const now = Date.now();
    const logged = await within(10_000, "the simulator's request log", sim.requests());
    const recent = logged.filter((r) => r.path.startsWith('/v1/') && r.tsMs > now - 60_000).map((r) => r.tsMs);
    const over = recent.length - (APP_BUDGET_PER_MINUTE - room);
    if (over <= 0) return;
    if (now > deadline) throw new Error(`gave up waiting for room in the app's request budget (${recent.length} requests in the last minute)`);
    // The oldest `over` requests leave the window at their time + 60 s.
    await sleep(Math.min(5_000, recent.sort((a, b) => a - b)[over - 1] + 60_000 - now + 20));
  }
}

async function charge(page) {
  await typeAmount(page, '1');
  await page.getByRole('button', { name: /Charge/ }).click();
  await waiting('the QR code after Charge', page.getByRole('img', { name: /QR code/ }).waitFor({ timeout: 20_000 }));
}

async function newSale(page) {
  await page.getByRole('button', { name: 'New sale' }).click({ timeout: 10_000 });
  await waiting('the keypad after New sale', page.getByRole('button', { name: 'Backspace' }).waitFor({ timeout: 10_000 }));
}

/**
 * ms from the simulator turning a payment `success` to "Paid" painted, and
 * the requests the app sent while it waited, at the app's own poll interval.
 * The payment lands at a random moment within one poll interval of the QR,
 * so the figure averages over the poll's phase (its floor is that interval).
 */
async function paidLatency(browser, app, sim, mode, runs) {
  const w = await openReadyApp(browser, app, sim, { mode });
  const latency = [];
  const perRun = [];
  let sent = 0;
  let span = 0;
  let polls = 0;
  try {
    for (let i = 0; i < runs; i++) {
      log(`payment -> "Paid", ${mode}, run ${i + 1} of ${runs}`);
      await budgetRoom(sim, 6);
      await charge(w.page);
      const sale = await saleInProgress(w.page);
      if (mode === 'pay_link') await openPayLink(sale);
      await w.page.evaluate(() => {
        const afterPaint = (done) => requestAnimationFrame(() => {
          const c = new MessageChannel();
          c.port1.onmessage = () => done(performance.now());
          c.port2.postMessage(0);
        });
        window.__paidAt = null;
        const isPaid = () => [...document.querySelectorAll('[role=status]')].some((s) => s.textContent.trim() === 'Paid');
        const observer = new MutationObserver(() => {
          if (!isPaid()) return;
          observer.disconnect();
          afterPaint((t) => { window.__paidAt = performance.timeOrigin + t; });
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      // The payment's moment within the poll's cycle: uniform over one interval.
      await sleep(Math.random() * POLL_MS);
      const paid = await within(10_000, 'the simulator to take the payment', sim.pay({ traceId: sale.trace_id }));
      if (!paid.success) throw new Error(`the simulator refused the payment: ${JSON.stringify(paid)}`);
      // The simulator's clock when it answered: the moment the payment became `success`.
      const successAt = paid.timestampMs;
      const paidAt = await waiting(
        `"Paid" on screen after the payment (${mode}, run ${i + 1})`,
        w.page.waitForFunction(() => window.__paidAt, null, { timeout: 20_000 }).then((h) => h.jsonValue()),
      );
      latency.push(paidAt - successAt);
      // Requests per minute while waiting: every /v1 request after this
      // sale's first check up to the check that saw it paid, over that
      // time (counting from a check, not from the QR, so a short wait is not
      // charged a whole request).
      const logged = await within(10_000, "the simulator's request log", sim.requests());
      const checks = logged
        .filter((r) => r.path === '/v1/payments_result' && r.query.includes(sale.trace_id))
        .map((r) => r.tsMs);
      polls += checks.length;
      if (checks.length >= 2) {
        const [first, last] = [checks[0], checks[checks.length - 1]];
        const n = logged.filter((r) => r.path.startsWith('/v1/') && r.tsMs > first && r.tsMs <= last).length;
        sent += n;
        span += last - first;
        perRun.push((n * 60_000) / (last - first));
      }
      await newSale(w.page);
    }
  } finally {
    await w.context.close();
  }
  return {
    latency: stats(latency),
    requestsPerMinute: {
      ...stats(perRun),
      pooled: span ? (sent * 60_000) / span : NaN,
      requests: sent,
      seconds: span / 1000,
      checksPerSale: polls / runs,
    },
  };
}

/**
 * ms from navigation start to the keypad painted. Cold: no HTTP cache and no
 * service worker, 4x CPU throttling and Slow 4G, files gzip-compressed as a
 * static host sends them. Warm: the next start, from the service worker's
 * cache, 4x CPU throttling, no network throttling.
 */
export async function startUp(browser, app, sim, runs) {
  const cold = [];
  const warm = [];
  const coldBytes = [];
  const firstHistory = [];
  const firstSettings = [];
  const w = await openReadyApp(browser, app, sim);
  try {
    // With settings saved the app no longer reads config.json: routing off,
    // so requests go through Chromium's network stack and its throttling.
    await w.context.unrouteAll();
    await w.context.addInitScript(watchKeypad);
    // Whether the service worker served this page (it claims the page once active, so ask now).
    await w.context.addInitScript(() => { window.__servedByWorker = !!navigator.serviceWorker?.controller; });
    const session = await w.context.newCDPSession(w.page);
    await session.send('Network.enable');
    const origin = new URL(app.url).origin;
    for (let i = 0; i < runs; i++) {
      log(`cold and warm start, run ${i + 1} of ${runs}`);
      await session.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await session.send('Network.emulateNetworkConditions', NO_THROTTLE);
      await session.send('Network.clearBrowserCache');
      await session.send('Storage.clearDataForOrigin', { origin, storageTypes: 'service_workers,cache_storage' });
      await session.send('Network.emulateNetworkConditions', SLOW_4G);
      await session.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      let keypad = nextKeypadPaint(w.page);
      await waiting('the cold navigation to commit', w.page.goto(app.url, { waitUntil: 'commit', timeout: 60_000 }));
      cold.push(await waiting(`the keypad on a cold load (run ${i + 1})`, keypad));
      const how = await w.page.evaluate(() => ({
        controlled: window.__servedByWorker,
        bytes: performance.getEntriesByType('resource').reduce((t, e) => t + e.transferSize, 0)
          + performance.getEntriesByType('navigation')[0].transferSize,
      }));
      if (how.controlled || how.bytes === 0) throw new Error(`the cold load was served from a cache (${JSON.stringify(how)}): clearing it failed`);
      coldBytes.push(how.bytes);
      // Warm: once the service worker has the shell, the next start.
      await session.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await session.send('Network.emulateNetworkConditions', NO_THROTTLE);
      await within(60_000, 'the service worker to install and activate', w.page.evaluate(() => navigator.serviceWorker.ready.then(() => true)));
      await session.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      keypad = nextKeypadPaint(w.page);
      await waiting('the warm reload to commit', w.page.reload({ waitUntil: 'commit', timeout: 60_000 }));
      warm.push(await waiting(`the keypad on a warm start (run ${i + 1})`, keypad));
      if (!(await w.page.evaluate(() => window.__servedByWorker))) {
        throw new Error('the warm start was not served by the service worker');
      }
      // A back-office screen opened for the first time in this page: its
      // part comes from the worker's cache, is compiled, then drawn. One
      // screen per start, so neither finds the other's shared code loaded.
      firstHistory.push(await within(30_000, `History opened (run ${i + 1})`, firstOpen(w.page, 'History')));
      keypad = nextKeypadPaint(w.page);
      await waiting('the warm reload to commit', w.page.reload({ waitUntil: 'commit', timeout: 60_000 }));
      await waiting(`the keypad on a warm start before Settings (run ${i + 1})`, keypad);
      firstSettings.push(await within(30_000, `Settings opened (run ${i + 1})`, firstOpen(w.page, 'Settings')));
    }
    await session.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  } finally {
    await w.context.close();
  }
  return {
    cold: stats(cold),
    warm: stats(warm),
    coldTransferBytes: stats(coldBytes),
    firstHistory: stats(firstHistory),
    firstSettings: stats(firstSettings),
  };
}

/**
 * ms from tapping a back-office tab (History, Settings) to its heading
 * painted, the part it lives in loaded first when this page has not yet.
 */
function firstOpen(page, name) {
  return page.evaluate(async (name) => {
    const afterPaint = (done) => requestAnimationFrame(() => {
      const c = new MessageChannel();
      c.port1.onmessage = () => done(performance.now());
      c.port2.postMessage(0);
    });
    const button = [...document.querySelectorAll('nav button')].find((b) => b.textContent.trim() === name);
    if (!button) throw new Error(`no "${name}" tab`);
    const shown = new Promise((ok) => {
      const there = () => [...document.querySelectorAll('main h2')].some((h) => h.textContent.trim() === name);
      const observer = new MutationObserver(() => {
        if (!there()) return;
        observer.disconnect();
        afterPaint(ok);
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
    const t0 = performance.now();
    button.click();
    return (await shown) - t0;
  }, name);
}

/**
 * In the page: taps Charge and resolves with the ms to the QR image decoded
 * and painted. The app's figure and its floor (bench-floors.mjs) both use it.
 */
export async function chargeToQrInPage() {
  const afterPaint = (done) => requestAnimationFrame(() => {
    const c = new MessageChannel();
    c.port1.onmessage = () => done(performance.now());
    c.port2.postMessage(0);
  });
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent.includes('Charge'));
  const shown = new Promise((ok, fail) => {
    const timer = setTimeout(() => { observer.disconnect(); fail(new Error('no QR code 20 s after Charge')); }, 20_000);
    const observer = new MutationObserver(() => {
      // The QR is an image from a data: URL; painted once decoded.
      const img = document.querySelector('.qr[role=img] img');
      if (!img) return;
      observer.disconnect();
      clearTimeout(timer);
      img.decode().then(() => afterPaint(ok), fail);
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
  const t0 = performance.now();
  button.click();
  return (await shown) - t0;
}

/** ms from tapping Charge to the QR painted, under 4x CPU throttling. */
export async function chargeToQr(browser, app, sim, mode, runs) {
  const w = await openReadyApp(browser, app, sim, { mode });
  const times = [];
  try {
    // One-time mode asks MixPay for the payment first: at a fixed 100 ms.
    if (mode === 'one_time') await sim.faults({ latencyMs: 100 });
    const session = await w.context.newCDPSession(w.page);
    await session.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    for (let i = 0; i < runs; i++) {
      log(`Charge -> QR, ${mode}, run ${i + 1} of ${runs}`);
      await budgetRoom(sim, 4);
      await typeAmount(w.page, '1');
      times.push(await within(30_000, `the QR code after Charge (${mode}, run ${i + 1})`, w.page.evaluate(chargeToQrInPage)));
      await w.page.getByRole('button', { name: 'Cancel' }).click({ timeout: 10_000 });
      await w.page.getByRole('button', { name: 'Yes, cancel the sale' }).click({ timeout: 10_000 });
      await waiting('the keypad after Cancel', w.page.getByRole('button', { name: 'Backspace' }).waitFor({ timeout: 10_000 }));
    }
    await session.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  } finally {
    await sim.faults({});
    await w.context.close();
  }
  return stats(times);
}

/**
 * JS heap (after garbage collection) + wasm linear memory, and DOM nodes,
 * after 10, 300 and SESSION_SALES paid sales in one session (one page, never
 * reloaded). So that the session takes a minute rather than a poll interval
 * per sale, the page runs on Playwright's fake clock and each sale's next
 * check is brought forward: the page's clock and the simulator's (MixPay's)
 * move on together by two poll intervals, which also keeps the app inside its
 * request budget. What stays in memory is what a day of sales leaves.
 */
async function memory(browser, app, sim) {
  const w = await openReadyApp(browser, app, sim, { mode: 'pay_link' });
  const out = {};
  try {
    // Trunk's loader announces the wasm's exports, its memory among them.
    await w.context.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => {
      window.__wasmMemory = e.detail.wasm.memory;
    }));
    await w.page.clock.install();
    await w.page.reload();
    await waiting('the keypad after the reload on the fake clock', w.page.getByRole('button', { name: 'Backspace' }).waitFor({ timeout: 30_000 }));
    if (!(await w.page.evaluate(() => window.__wasmMemory instanceof WebAssembly.Memory))) {
      throw new Error("the wasm's memory was not found (Trunk's TrunkApplicationStarted event)");
    }
    const session = await w.context.newCDPSession(w.page);
    await session.send('Performance.enable');
    const step = 2 * POLL_MS;
    let made = 0;
    for (const n of MEMORY_AT) {
      for (; made < n; made++) {
        if (made % 50 === 0) log(`memory session, sale ${made + 1} of ${SESSION_SALES}`);
        await charge(w.page);
        const sale = await saleInProgress(w.page);
        await openPayLink(sale);
        await within(10_000, 'the simulator to take the payment', sim.pay({ traceId: sale.trace_id }));
        const paid = w.page.getByRole('button', { name: 'New sale' });
        for (let tries = 0; ; tries++) {
          if (tries === 10) throw new Error(`"Paid" for sale ${made + 1} of the memory session, after ${tries} steps of ${step} ms of fake time`);
          await within(10_000, "the simulator's clock", sim.control('/_sim/clock', { advanceMs: step }));
          await w.page.clock.fastForward(step);
          if (await paid.waitFor({ timeout: 2_000 }).then(() => true, () => false)) break;
        }
        await newSale(w.page);
      }
      await session.send('HeapProfiler.collectGarbage');
      await session.send('HeapProfiler.collectGarbage');
      const { usedSize } = await session.send('Runtime.getHeapUsage');
      const wasm = await w.page.evaluate(() => window.__wasmMemory.buffer.byteLength);
      const { metrics } = await session.send('Performance.getMetrics');
      const metric = (name) => metrics.find((m) => m.name === name)?.value ?? NaN;
      const inDocument = await w.page.evaluate(() => document.getElementsByTagName('*').length);
      out[n] = {
        jsHeap: usedSize,
        wasm,
        total: usedSize + wasm,
        domNodes: metric('Nodes'),
        elementsInDocument: inDocument,
        listeners: metric('JSEventListeners'),
      };
    }
  } finally {
    await w.context.close();
  }
  return out;
}

export async function benchFigures() {
  const app = await startApp(undefined, { gzip: true });
  let sim;
  let browser;
  try {
    sim = await startSim({ rateLimit: false });
    browser = await launchBrowser();
    const figures = { runs: FIGURE_RUNS, sessionSales: SESSION_SALES, pollMs: POLL_MS, slow4g: SLOW_4G };
    figures.paid = {
      pay_link: await paidLatency(browser, app, sim, 'pay_link', FIGURE_RUNS.paid),
      one_time: await paidLatency(browser, app, sim, 'one_time', FIGURE_RUNS.paid),
    };
    figures.startUp = await startUp(browser, app, sim, FIGURE_RUNS.startUp);
    figures.chargeToQr = {
      pay_link: await chargeToQr(browser, app, sim, 'pay_link', FIGURE_RUNS.chargeToQr),
      one_time: await chargeToQr(browser, app, sim, 'one_time', FIGURE_RUNS.chargeToQr),
    };
    figures.floors = await floors(browser, app, sim, FIGURE_RUNS.floors, chargeToQrInPage);
    figures.memory = await memory(browser, app, sim);
    return figures;
  } finally {
    await within(20_000, 'the browser to close', browser?.close() ?? Promise.resolve()).catch((e) => log(e.message));
    await within(5_000, 'the app server to close', app.close()).catch((e) => log(e.message));
    await within(5_000, 'the simulator to stop', sim?.stop() ?? Promise.resolve()).catch(() => sim.stop('SIGKILL'));
  }
}
