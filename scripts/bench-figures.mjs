// The figures a merchant feels, for `make bench`: payment-to-"Paid" latency,
// cold and warm start, Charge -> QR, memory over a session. Each is measured
// in Chromium against the simulator; figures only, nothing asserted.
import {
  launchBrowser,
  openReadyApp,
  startApp,
  startSim,
  typeAmount,
} from '../tests/e2e/helpers.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SESSION_SALES = Number(process.env.BENCH_SESSION_SALES ?? 300);

const sorted = (xs) => [...xs].sort((a, b) => a - b);
export const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
export const p95 = (xs) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const stats = (xs) => ({ median: median(xs), p95: p95(xs), runs: xs.length });

// Lighthouse's "Slow 4G" as DevTools applies it (request latency and throughput).
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: (1474.56 * 1024) / 8, uploadThroughput: (675 * 1024) / 8 };

async function cdp(page) {
  return page.context().newCDPSession(page);
}

/** Records, in the page, the wall time "Paid" is first painted in the status. */
async function watchPaid(page) {
  await page.evaluate(() => {
    window.__paidAt = null;
    const check = () => {
      const s = document.querySelector('[role=status]');
      if (!window.__paidAt && s && /^Paid$/.test(s.textContent.trim())) {
        observer.disconnect();
        // The frame after the DOM change is the one that shows it.
        requestAnimationFrame(() => { window.__paidAt = Date.now(); });
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

async function paidLatency(browser, app, sim, mode) {
  const w = await openReadyApp(browser, app, sim, { mode });
  const latency = [];
  const perMinute = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      await typeAmount(w.page, '1');
      await w.page.getByRole('button', { name: /Charge/ }).click();
      await w.page.getByRole('img', { name: /QR code/ }).waitFor();
      const traceId = await saleInProgress(w.page);
      await watchPaid(w.page);
      // A little wait so the poll is at a random phase when the payment lands.
      const since = Date.now();
      await new Promise((r) => setTimeout(r, 400 + Math.random() * 1500));
      await sim.pay({ traceId });
      const paidAtSim = Date.now();
      await w.page.waitForFunction(() => window.__paidAt, null, { timeout: 30_000 });
      const paidAt = await w.page.evaluate(() => window.__paidAt);
      latency.push(paidAt - paidAtSim);
      const log = await sim.requests();
      const sent = log.filter((r) => r.path.startsWith('/v1/') && r.ts_ms >= since && r.ts_ms <= paidAt).length;
      perMinute.push((sent * 60_000) / Math.max(1, paidAt - since));
      await w.page.getByRole('button', { name: 'New sale' }).click();
    }
  } finally {
    await w.context.close();
  }
  return { latency: stats(latency), requestsPerMinute: stats(perMinute) };
}

/** ms from navigation to the keypad ready; `cold`: no HTTP cache, no service worker. */
async function startUp(browser, app, sim) {
  const cold = [];
  const warm = [];
  const w = await openReadyApp(browser, app, sim);
  try {
    const session = await cdp(w.page);
    await session.send('Network.enable');
    for (let i = 0; i < RUNS; i++) {
      await session.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await session.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await session.send('Network.clearBrowserCache');
      await session.send('Storage.clearDataForOrigin', { origin: new URL(app.url).origin, storageTypes: 'service_workers,cache_storage' });
      await session.send('Network.emulateNetworkConditions', SLOW_4G);
      await session.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      let t0 = Date.now();
      await w.page.goto(app.url, { waitUntil: 'commit' });
      await w.page.getByRole('button', { name: 'Backspace' }).waitFor({ timeout: 120_000 });
      cold.push(Date.now() - t0);
      // Warm: the service worker holds the shell.
      await session.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await w.page.waitForFunction(() => navigator.serviceWorker?.controller, null, { timeout: 60_000 }).catch(() => w.page.reload());
      await w.page.waitForFunction(() => navigator.serviceWorker?.controller, null, { timeout: 60_000 });
      t0 = Date.now();
      await w.page.reload({ waitUntil: 'commit' });
      await w.page.getByRole('button', { name: 'Backspace' }).waitFor({ timeout: 60_000 });
      warm.push(Date.now() - t0);
    }
    await session.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  } finally {
    await w.context.close();
  }
  return { cold: stats(cold), warm: stats(warm) };
}

/** Charge -> QR painted under 4x CPU throttling. */
async function chargeToQr(browser, app, sim, mode) {
  const w = await openReadyApp(browser, app, sim, { mode });
  const times = [];
  try {
    const session = await cdp(w.page);
    if (mode === 'one_time') await sim.faults({ latencyMs: 100 });
    await session.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    for (let i = 0; i < RUNS; i++) {
      await typeAmount(w.page, '1');
      times.push(await w.page.evaluate(async () => {
        const button = [...document.querySelectorAll('button')].find((b) => b.textContent.includes('Charge'));
        const t0 = performance.now();
        const shown = new Promise((ok) => {
          const observer = new MutationObserver(() => {
            if (document.querySelector('[role=img] svg')) {
              observer.disconnect();
              requestAnimationFrame(() => ok(performance.now()));
            }
          });
          observer.observe(document.body, { childList: true, subtree: true });
        });
        button.click();
        return (await shown) - t0;
      }));
      await w.page.getByRole('button', { name: 'Cancel' }).click();
      await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
    }
    await session.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  } finally {
    await sim.faults({});
    await w.context.close();
  }
  return stats(times);
}

/** The sale in progress (the one unfinished sale the device holds). */
async function saleInProgress(page) {
  return page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('mixpay-pos/sale/'))
    .map((k) => JSON.parse(localStorage.getItem(k)))
    .find((s) => !s.cancelled && !['paid', 'mismatch', 'failed'].includes(s.status.kind))?.trace_id);
}

/** JS heap + wasm memory and DOM nodes after n paid sales in one session.
 * Each sale is paid at once and checked at once through the app's own
 * check-now path (the `online` event), so 300 sales take a minute, not 300
 * poll intervals; what stays in memory is what a day of sales leaves. */
async function memory(browser, app, sim) {
  const w = await openReadyApp(browser, app, sim, { mode: 'pay_link' });
  const out = {};
  try {
    const session = await cdp(w.page);
    await session.send('Performance.enable');
    let made = 0;
    for (const n of [10, SESSION_SALES]) {
      for (; made < n; made++) {
        await typeAmount(w.page, '1');
        await w.page.getByRole('button', { name: /Charge/ }).click();
        await w.page.getByRole('img', { name: /QR code/ }).waitFor();
        await sim.pay({ traceId: await saleInProgress(w.page) });
        await w.page.evaluate(() => window.dispatchEvent(new Event('online')));
        await w.page.getByRole('button', { name: 'New sale' }).click({ timeout: 30_000 });
        await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
      }
      await session.send('HeapProfiler.collectGarbage');
      const { usedSize } = await session.send('Runtime.getHeapUsage');
      const wasm = await w.page.evaluate(() => window.__wasmMemory?.buffer.byteLength ?? 0);
      const { metrics } = await session.send('Performance.getMetrics');
      const nodes = metrics.find((m) => m.name === 'Nodes')?.value ?? 0;
      out[n] = { jsHeap: usedSize, wasm, total: usedSize + wasm, domNodes: nodes };
    }
  } finally {
    await w.context.close();
  }
  return out;
}

export async function benchFigures() {
  const app = await startApp();
  const sim = await startSim({ rateLimit: false });
  const browser = await launchBrowser();
  // Keeps the wasm's memory reachable for the memory figure.
  const keepWasmMemory = () => {
    const wrap = (name) => {
      const original = WebAssembly[name];
      WebAssembly[name] = async (...args) => {
        const result = await original.apply(WebAssembly, args);
        const exports = (result.instance ?? result).exports;
        if (exports?.memory) window.__wasmMemory = exports.memory;
        return result;
      };
    };
    wrap('instantiateStreaming');
    wrap('instantiate');
  };
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript(keepWasmMemory);
    return context;
  };
  try {
    return {
      paid: { pay_link: await paidLatency(browser, app, sim, 'pay_link'), one_time: await paidLatency(browser, app, sim, 'one_time') },
      startUp: await startUp(browser, app, sim),
      chargeToQr: { pay_link: await chargeToQr(browser, app, sim, 'pay_link'), one_time: await chargeToQr(browser, app, sim, 'one_time') },
      memory: await memory(browser, app, sim),
    };
  } finally {
    await browser.close();
    await app.close();
    await sim.stop();
  }
}
