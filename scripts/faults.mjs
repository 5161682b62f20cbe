// `make faults`: the fault suite. Drives the release build (dist/) in Chromium
// against the MixPay simulator through thirteen kinds of trouble, each a real
// sequence of sales (charge on the keypad, QR decoded with jsQR, the customer
// pays through the simulator, the cashier waits for the verdict, New sale),
// and prints figures per scenario:
//
//   sales        sales made (a QR was shown)
//   paid         sales that showed "Paid" on screen
//   false paid   "Paid" on screen, or `paid` in a stored record, for a sale the
//                simulator did not verify-successfully pay for this sale's
//                payee, asset and amount                          must be 0
//   lost/wrong   sales missing from what the app recorded (localStorage
//                `mixpay-pos/sale/<traceId>` and the IndexedDB `sales` store,
//                the newer copy winning, as History reads them), or recorded
//                with another amount or final status                must be 0
//   max/60s      the most /v1 requests in any 60 s, from the simulator's log
//                                                                   must be <= 60
//   1429s        /v1 answers that were "too many requests" (HTTP 429 or code
//                1429), from the simulator's log; must be 0 in the scenarios
//                that do not inject them (two-tablets)
//   paid ms      median time from the simulator's success (/_sim/pay answered)
//                to "Paid" on screen; a figure, never a bar
//
//   node scripts/faults.mjs            full mode (a few sales per scenario)
//   node scripts/faults.mjs --quick    fewer sales, for `make test`
//   node scripts/faults.mjs --only=reload,two-tabs   some scenarios
//
// Exits non-zero on any false Paid, lost or wrong sale, window over 60, or a
// scenario that could not run. Figures also go to target/faults.json. Every
// wait is on a condition (the screen, stored records, the simulator's request
// log) with a generous timeout; the only pause is a cashier's second before
// tapping Charge or "Try again" once more.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import {
  DEMO_PAYEE,
  decodeQr,
  fillLocalStorage,
  launchBrowser,
  routeConfig,
  startApp,
  startSim,
  typeAmount,
} from '../tests/e2e/helpers.mjs';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const ONLY = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const MODE = QUICK ? 'quick' : 'full';

/** Timeouts (ms): generous, so a slow machine fails on a bar, never on a wait. */
const T = {
  verdict: 90_000, // a sale's verdict on screen (backoff after errors is at most 30 s)
  screen: 30_000, // a screen or a control to appear
  recorded: 15_000, // a charged sale to appear in storage
  settle: QUICK ? 45_000 : 70_000, // every stored record right after the scenario (background checks come every 20 s)
  scenario: QUICK ? 240_000 : 600_000,
};
const WINDOW_MS = 60_000;
const RATE_BAR = 60;
const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] : null);
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
/** A cashier's moment before tapping again: not a synchronisation (the
 * condition is checked after the tap), just how fast a person retries. */
const cashierThinks = () => pause(1_000);

/** Cancel on the QR screen, then "Yes, cancel the sale" in the question it asks. */
async function cancelSale(page) {
  await page.getByRole('button', { name: 'Cancel' }).click({ timeout: T.screen });
  await page.getByRole('button', { name: 'Yes, cancel the sale' }).click({ timeout: T.screen });
}

/** `promise`, or an error once `ms` have passed (the watchdog of a whole step). */
async function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} took over ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` (node state, the page, the simulator's log) until it returns a truthy value. */
async function until(check, { timeout, what, every = 200 }) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await pause(every);
  }
}

/** "12.50" and "12.5" are the same amount. */
function decimal(text) {
  const s = String(text ?? '').trim();
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  let [int, frac = ''] = s.split('.');
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

/** Another amount than the sale's: one more in the integer part ("3.17" for "2.17"). */
const tampered = (amount) => amount.replace(/^\d+/, (int) => String(Number(int) + 1));

/** The most requests in any window of `ms`, from sorted times. */
export function maxInWindow(times, ms = WINDOW_MS) {
  const ts = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < ts.length; i++) {
    while (ts[i] - ts[j] >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

// ---- In the page: what the cashier sees, reported as it changes.

/** Reports the payment screen's sale (its note), status line and time at every change. */
const SCREEN_WATCH = () => {
  let last = '';
  const report = () => {
    const screen = document.querySelector('.payment-page');
    if (!screen) return;
    const status = screen.querySelector('[role=status]')?.textContent.trim() ?? '';
    const note = screen.querySelector('.sale-note')?.textContent.trim() ?? '';
    const key = `${note}\n${status}`;
    if (key === last) return;
    last = key;
    window.__faultsScreen?.({ note, status, t: Date.now() });
  };
  new MutationObserver(report).observe(document, { subtree: true, childList: true, characterData: true });
};

/** IndexedDB unavailable: `indexedDB.open` throws, as Chromium does where
 * storage is denied (SecurityError). The real one is kept for the suite's reads. */
const IDB_UNAVAILABLE = () => {
  const realOpen = IDBFactory.prototype.open;
  window.__faultsRealIdbOpen = (name) => realOpen.call(indexedDB, name);
  IDBFactory.prototype.open = function () {
    throw new DOMException('access to the Indexed Database API is denied in this context', 'SecurityError');
  };
};

/** A tab slow to hear about other tabs: its `storage` events arrive 1 s late. */
const SLOW_STORAGE_EVENTS = () => {
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (this === window && type === 'storage' && listener) {
      const late = (ev) =>
        setTimeout(() => (typeof listener === 'function' ? listener.call(window, ev) : listener.handleEvent(ev)), 1_000);
      return add.call(this, type, late, options);
    }
    return add.call(this, type, listener, options);
  };
};

/** What the app recorded for each traceId: the localStorage copy and the IndexedDB one. */
async function readRecords(page, ids) {
  return page.evaluate(async (ids) => {
    const open = window.__faultsRealIdbOpen ?? ((name) => indexedDB.open(name));
    const parse = (json) => {
      try { return JSON.parse(json); } catch { return { unreadable: true }; }
    };
    const idb = {};
    let idbError = null;
    try {
      const db = await new Promise((ok, fail) => {
        const r = open('mixpay-pos');
        // Never create the database ourselves: that would be a version with no store.
        r.onupgradeneeded = () => r.transaction.abort();
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      if (db.objectStoreNames.contains('sales')) {
        const all = await new Promise((ok, fail) => {
          const r = db.transaction('sales').objectStore('sales').getAll();
          r.onsuccess = () => ok(r.result);
          r.onerror = () => fail(r.error);
        });
        for (const rec of all) if (ids.includes(rec.trace_id)) idb[rec.trace_id] = parse(rec.json);
      }
      db.close();
    } catch (e) {
      idbError = String(e?.name ?? e);
    }
    const out = {};
    for (const id of ids) {
      const local = localStorage.getItem(`mixpay-pos/sale/${id}`);
      out[id] = { local: local ? parse(local) : null, idb: idb[id] ?? null };
    }
    return { records: out, idbError };
  }, ids);
}

/** The sale a link belongs to, from storage: localStorage first, else IndexedDB. */
async function traceIdOfLink(page, link) {
  return page.evaluate(async (link) => {
    for (const k of Object.keys(localStorage).filter((k) => k.startsWith('mixpay-pos/sale/'))) {
      try {
        const s = JSON.parse(localStorage.getItem(k));
        if (s.link === link) return s.trace_id;
      } catch { /* not ours to judge here */ }
    }
    const open = window.__faultsRealIdbOpen ?? ((name) => indexedDB.open(name));
    try {
      const db = await new Promise((ok, fail) => {
        const r = open('mixpay-pos');
        r.onupgradeneeded = () => r.transaction.abort();
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      const all = db.objectStoreNames.contains('sales')
        ? await new Promise((ok) => {
          const r = db.transaction('sales').objectStore('sales').getAll();
          r.onsuccess = () => ok(r.result);
          r.onerror = () => ok([]);
        })
        : [];
      db.close();
      for (const rec of all) {
        try { if (JSON.parse(rec.json).link === link) return rec.trace_id; } catch { /* skip */ }
      }
    } catch { /* no history database */ }
    return null;
  }, link);
}

/** Runs one step of a sale; an error says which sale and step it stopped at. */
async function step(sale, what, fn) {
  try {
    return await fn();
  } catch (e) {
    throw new Error(`sale ${sale.n}, ${what}: ${e.message.split('\n')[0]}`);
  }
}

/** "waiting (cancelled)", or "none". */
const kindOf = (rec) => (rec ? `${rec.status?.kind}${rec.cancelled ? ' (cancelled)' : ''}` : 'none');

// ---- One scenario's run: its browser context, its sales, its figures.

class Run {
  constructor(suite, scenario) {
    this.suite = suite;
    this.scenario = scenario;
    this.sales = [];
    this.screen = []; // { tab, note, status, t }
    this.failedRequests = []; // { tab, url, t }
    this.pageErrors = [];
    this.logs = []; // request logs of simulators that were killed
    this.notes = [];
    this.contexts = [];
    this.tabs = new WeakMap();
    this.tabCount = 0;
    // The page each sale was charged on: its records are in that context's storage.
    this.salePages = new Map();
  }

  get sim() {
    return this.suite.sim;
  }

  note(text) {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** A new browser context with the screen watch (and `initScripts`), the
   * app opened in it and set up from config.json. */
  async open({ config = {}, initScripts = [] } = {}) {
    const context = await this.suite.browser.newContext({ viewport: { width: 800, height: 1100 } });
    this.contexts.push(context);
    await context.exposeBinding('__faultsScreen', ({ page }, ev) => this.screen.push({ tab: this.tabOf(page), ...ev }));
    await context.addInitScript(SCREEN_WATCH);
    for (const script of initScripts) await context.addInitScript(script);
    await routeConfig(context, this.sim, config);
    const page = await this.tab(context);
    await page.getByRole('button', { name: 'Save' }).waitFor({ timeout: T.screen });
    await page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' })
      .waitFor({ state: 'attached', timeout: T.screen });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: /Charge/ }).waitFor({ timeout: T.screen });
    return { context, page };
  }

  /** Opens the app in a new tab of `context` (`initScripts` for this tab only). */
  async tab(context, initScripts = []) {
    const page = await context.newPage();
    this.tabs.set(page, `tab${++this.tabCount}`);
    page.on('pageerror', (e) => this.pageErrors.push(`${this.tabOf(page)}: ${e.message}`));
    page.on('requestfailed', (r) => this.failedRequests.push({ tab: this.tabOf(page), url: r.url(), t: Date.now() }));
    for (const script of initScripts) await page.addInitScript(script);
    await page.goto(this.suite.app.url);
    return page;
  }

  tabOf(page) {
    return this.tabs.get(page) ?? 'tab?';
  }

  /** A unique amount and note for the next sale, so the screen says which sale it shows. */
  nextSale(kind) {
    const n = this.sales.length + 1;
    const sale = {
      n,
      kind,
      amount: `${this.scenario.index + 1}.${String(n * 7 + 3).padStart(2, '0')}`,
      note: `${this.scenario.id} #${n}`,
      traceId: null,
      link: null,
      verified: false, // the simulator paid it, verified, for this sale
      paidSentAt: null,
      paidAt: null,
      expect: null, // the final status it must be recorded with
      events: [],
    };
    this.sales.push(sale);
    return sale;
  }

  /** Types the amount and note, taps Charge until the QR is up (tapping
   * "Try again" if the payment could not be created); the QR's link and the
   * sale's traceId are read. */
  async charge(page, sale) {
    this.salePages.set(sale, page);
    await typeAmount(page, sale.amount);
    await page.getByLabel('Note (optional)').fill(sale.note);
    const qr = page.getByRole('img', { name: /^QR code to pay/ });
    const refused = page.locator('.notice').filter({ hasText: /cannot be reached|No network/ });
    const createError = page.locator('.create-error');
    const deadline = Date.now() + T.verdict;
    // A tap on something that went away meanwhile is no error: the loop looks again.
    const tap = (locator) => locator.click({ timeout: 5_000 }).then(() => true, () => false);
    await page.getByRole('button', { name: /Charge/ }).click();
    for (;;) {
      await qr.or(refused).or(createError).first().waitFor({ timeout: T.verdict });
      if (await qr.isVisible()) break;
      if (Date.now() > deadline) throw new Error(`no QR after ${T.verdict / 1000} s of taps`);
      await cashierThinks();
      if (await createError.isVisible()) {
        if (await tap(createError.getByRole('button', { name: 'Try again' }))) sale.events.push('payment not created: Try again');
      } else if (await refused.isVisible()) {
        if (await tap(page.getByRole('button', { name: /Charge/ }))) sale.events.push('charge refused: tapped Charge again');
      }
    }
    sale.link = await decodeQr(qr);
    sale.traceId = new URL(sale.link).searchParams.get('traceId') ??
      (await until(() => traceIdOfLink(page, sale.link), { timeout: T.recorded, what: `sale ${sale.n} in storage` }));
  }

  /** The customer opens the link (so MixPay knows a pay link's traceId) and
   * pays, exactly or (`quoteAmount`) another amount. */
  async pay(sale, { quoteAmount } = {}) {
    const opened = await fetch(sale.link, { signal: AbortSignal.timeout(T.screen) });
    if (!opened.ok) sale.events.push(`payer page answered ${opened.status}`);
    await opened.arrayBuffer();
    sale.paidSentAt = Date.now();
    const body = { traceId: sale.traceId, ...(quoteAmount ? { quoteAmount } : {}) };
    const answer = await this.sim.pay(body);
    sale.paidAt = Date.now();
    const d = answer?.data ?? {};
    sale.verified = answer?.success === true && d.status === 'success' &&
      String(d.payeeId).toLowerCase() === DEMO_PAYEE && String(d.quoteAssetId).toLowerCase() === 'usd' &&
      decimal(d.quoteAmount) === decimal(sale.amount) && String(d.traceId).toLowerCase() === sale.traceId;
    sale.expect = sale.verified ? 'paid' : d.status === 'success' ? 'mismatch' : null;
    if (!answer?.success) sale.events.push(`simulator refused the payment: ${answer?.message}`);
  }

  /** Waits for the verdict on screen; the cashier cancels if none comes. Then New sale. */
  async verdict(page, sale) {
    const status = page.getByRole('status').filter({ hasText: /^Paid$|does not match|Payment failed/ });
    try {
      await status.waitFor({ timeout: T.verdict });
      sale.shown = (await status.innerText()).trim();
      await page.getByRole('button', { name: 'New sale' }).click();
    } catch (e) {
      if (page.isClosed()) throw e;
      sale.events.push(`no verdict on screen in ${T.verdict / 1000} s; cashier cancelled`);
      this.note(`sale ${sale.n}: no verdict on screen in ${T.verdict / 1000} s`);
      await cancelSale(page);
    }
    await page.getByRole('button', { name: /Charge/ }).waitFor({ timeout: T.screen });
  }

  /** One whole sale: charge, `beforePay`, pay (tampered or not), `afterPay`, verdict. */
  async sell(page, { tamper = false, beforePay, afterPay } = {}) {
    const sale = this.nextSale(tamper ? 'tampered' : 'paid');
    await step(sale, 'charge', () => this.charge(page, sale));
    if (beforePay) await step(sale, 'before the payment', () => beforePay(sale));
    await step(sale, 'payment', () => this.pay(sale, tamper ? { quoteAmount: tampered(sale.amount) } : {}));
    if (afterPay) await step(sale, 'after the payment', () => afterPay(sale));
    await step(sale, 'verdict', () => this.verdict(page, sale));
    return sale;
  }

  /** Sales made with `plan` (a list of 'pay' | 'tamper'), faults on meanwhile. */
  async sellAll(page, plan, hooks = () => ({})) {
    for (const [i, kind] of plan.entries()) await this.sell(page, { tamper: kind === 'tamper', ...hooks(i) });
  }

  /** The simulator's request log, including those of simulators killed during the run. */
  async requestLog() {
    return [...this.logs.flat(), ...(await this.sim.requests())];
  }

  async killSim() {
    this.logs.push(await this.sim.requests());
    await this.sim.stop('SIGKILL');
  }

  async restartSim() {
    this.suite.sim = await startSim({ port: this.suite.simPort });
  }

  /** After the scenario: every stored record right, waited for (background re-checks) up to T.settle. */
  async judge(page) {
    const ids = this.sales.filter((s) => s.traceId).map((s) => s.traceId);
    const start = Date.now();
    let found;
    // Each sale's records from the context it was charged in (two tablets: two storages).
    const read = async () => {
      const pages = new Set(this.sales.map((s) => this.salePages.get(s) ?? page));
      const all = { records: {}, idbError: null };
      for (const p of pages) {
        const own = this.sales.filter((s) => s.traceId && (this.salePages.get(s) ?? page) === p).map((s) => s.traceId);
        const got = await readRecords(p.isClosed() ? page : p, own);
        Object.assign(all.records, got.records);
        all.idbError ??= got.idbError;
      }
      return all;
    };
    for (;;) {
      found = await read();
      const verdicts = this.sales.map((s) => this.judgeSale(s, found.records[s.traceId]));
      if (verdicts.every((v) => !v.wrong)) {
        this.settledMs = Date.now() - start;
        break;
      }
      if (Date.now() - start > T.settle) break;
      await pause(500);
    }
    if (found.idbError === 'AbortError') this.note('no IndexedDB history database exists');
    else if (found.idbError) this.note(`IndexedDB could not be read: ${found.idbError}`);
    const results = this.sales.map((s) => ({ sale: s, ...this.judgeSale(s, found.records[s.traceId]) }));
    return results;
  }

  /** What is wrong with one sale's stored records, if anything. */
  judgeSale(sale, rec = { local: null, idb: null }) {
    const copies = [rec.local, rec.idb].filter(Boolean);
    const falsePaid = !sale.verified && copies.some((c) => c.status?.kind === 'paid');
    // History's reading: the IndexedDB record, replaced by a newer localStorage copy.
    const shown = rec.local && (!rec.idb || rec.local.updated_ms >= rec.idb.updated_ms) ? rec.local : rec.idb;
    let wrong = null;
    if (!sale.traceId) wrong = 'never recorded (no traceId found)';
    else if (!shown) wrong = 'not recorded';
    else if (shown.unreadable) wrong = 'record unreadable';
    else if (decimal(shown.params?.quote_amount) !== decimal(sale.amount)) wrong = `amount ${shown.params?.quote_amount}`;
    else if (sale.expect && shown.status?.kind !== sale.expect) {
      wrong = `recorded ${shown.status?.kind}${shown.cancelled ? ' (cancelled)' : ''}, expected ${sale.expect}`;
    }
    return { falsePaid, wrong, recorded: shown?.status?.kind ?? null };
  }

  /** The scenario's figures. */
  async figures(page) {
    const judged = await this.judge(page);
    const log = await this.requestLog();
    const api = log.filter((r) => r.path.startsWith('/v1/'));
    const byNote = new Map(this.sales.map((s) => [s.note, s]));
    const falsePaid = new Set();
    const paidOnScreen = new Set();
    const latencies = [];
    for (const ev of this.screen) {
      if (ev.status !== 'Paid') continue;
      const sale = byNote.get(ev.note);
      if (!sale || !sale.verified || ev.t < sale.paidSentAt) {
        falsePaid.add(sale?.note ?? `unknown sale "${ev.note}"`);
        continue;
      }
      if (!paidOnScreen.has(sale.note)) {
        paidOnScreen.add(sale.note);
        latencies.push(ev.t - sale.paidAt);
      }
    }
    // A verdict that went back to an open status on a screen (Paid, then "Waiting").
    for (const sale of this.sales) {
      const seen = this.screen.filter((e) => e.note === sale.note);
      const paidAt = seen.findIndex((e) => e.status === 'Paid');
      const back = paidAt >= 0 && seen.slice(paidAt + 1).some((e) => e.tab === seen[paidAt].tab && e.status !== 'Paid');
      if (back) this.note(`sale ${sale.n}: Paid on screen, then "${seen.slice(paidAt + 1).find((e) => e.status !== 'Paid').status}"`);
    }
    const wrong = [];
    for (const j of judged) {
      if (j.falsePaid) falsePaid.add(j.sale.note);
      if (j.wrong) wrong.push(`sale ${j.sale.n} (${j.sale.kind}): ${j.wrong}`);
    }
    for (const w of wrong) this.note(w);
    for (const e of this.pageErrors) this.note(`page error ${e}`);
    const f = {
      sales: this.sales.length,
      paidOnScreen: paidOnScreen.size,
      tampered: this.sales.filter((s) => s.kind === 'tampered').length,
      falsePaid: falsePaid.size,
      lostOrWrong: wrong.length,
      maxPerMinute: maxInWindow(api.map((r) => r.tsMs)),
      rateLimited: api.filter((r) => r.status === 429 || r.code === 1429).length,
      apiRequests: api.length,
      paidMsMedian: median(latencies),
      paidMs: latencies,
      // How long after the sales every stored record was right (background re-checks); null: never.
      recordsRightAfterMs: this.settledMs ?? null,
    };
    f.ok = f.falsePaid === 0 && f.lostOrWrong === 0 && f.maxPerMinute <= RATE_BAR && f.sales > 0 &&
      (!this.scenario.no1429 || f.rateLimited === 0);
    if (this.scenario.no1429 && f.rateLimited) this.note(`${f.rateLimited} answers were 1429`);
    return f;
  }

  async close() {
    for (const c of this.contexts) await c.close().catch(() => {});
  }
}

// ---- The scenarios.

/** The sales of a scenario in each mode. */
const plan = (quick, full) => (QUICK ? quick : full);
const PLAIN = plan(['pay', 'tamper'], ['pay', 'tamper', 'pay', 'pay', 'pay']);

/** Faults on every /v1 request from once the app is set up to the end of the sales. */
function faultScenario(id, what, spec) {
  return {
    id,
    what,
    async run(r) {
      const { page } = await r.open();
      await r.sim.faults(spec);
      await r.sellAll(page, PLAIN);
      await r.sim.faults({});
      return page;
    },
  };
}

const SCENARIOS = [
  faultScenario('500s', '30 % of /v1 requests answer 500 (MixPay code -1)', { errorRate: 0.3 }),
  faultScenario('latency-3s', 'every /v1 request answers 3 s late', { latencyMs: 3_000 }),
  faultScenario('dropped', '30 % of /v1 connections cut with no answer', { dropRate: 0.3 }),
  faultScenario('malformed', '30 % of /v1 answers are 200 with a body that is not JSON', { malformedRate: 0.3 }),
  {
    id: '1429-storm',
    what: 'a storm of 429/1429 on every /v1 request starts while the first sale waits; the customer pays during it',
    async run(r) {
      const { page } = await r.open();
      const storm = QUICK ? 10 : 25;
      await r.sellAll(page, plan(['pay', 'tamper'], ['pay', 'pay', 'tamper', 'pay', 'pay']), (i) => ({
        beforePay: i === 0 && (async () => {
          await r.sim.faults({ rateLimitStorm: storm });
          await page.getByText(/Too many requests/).first().waitFor({ timeout: T.screen });
        }),
      }));
      return page;
    },
  },
  {
    id: 'sim-restart',
    what: 'pay-link sales; MixPay (the simulator) is killed while the QR is up, the app sees it gone, it restarts on the same port with an empty ledger, and the customer re-opens the link and pays',
    async run(r) {
      const { page } = await r.open({ config: { mode: 'pay_link' } });
      const outage = async (sale) => {
        // The customer has scanned the QR and opened MixPay's page; then MixPay goes down.
        await (await fetch(sale.link, { signal: AbortSignal.timeout(T.screen) })).arrayBuffer();
        await r.killSim();
        await page.getByText(/Reconnecting/).first().waitFor({ timeout: T.screen });
        sale.events.push('simulator killed after the payer opened the link; app showed Reconnecting');
        await r.restartSim();
        sale.events.push('simulator restarted with an empty ledger; the payer opens the link again and pays');
      };
      await r.sellAll(page, plan(['pay', 'tamper'], ['pay', 'tamper', 'pay', 'pay', 'pay']), (i) => ({
        beforePay: (i === 0 || i === 2) && outage,
      }));
      return page;
    },
  },
  {
    id: 'offline',
    what: 'the browser goes offline while the QR is up; the customer pays meanwhile; the app fails a check, then the network returns',
    async run(r) {
      const { context, page } = await r.open();
      const offline = async () => {
        await context.setOffline(true);
        await page.getByText(/^Offline/).first().waitFor({ timeout: T.screen });
      };
      const backOnline = async (sale) => {
        // The app tried MixPay after the payment and could not reach it.
        await until(() => r.failedRequests.some((f) => f.t > sale.paidAt && f.url.includes('/v1/payments_result')), {
          timeout: T.verdict, what: 'a failed check while offline',
        });
        await context.setOffline(false);
      };
      await r.sellAll(page, plan(['pay', 'tamper'], ['pay', 'tamper', 'pay', 'pay', 'pay']), (i) => ({
        beforePay: i % 2 === 0 && offline,
        afterPay: i % 2 === 0 && backOnline,
      }));
      return page;
    },
  },
  {
    id: 'reload',
    what: 'the page is reloaded mid-sale: with the QR up before the customer pays, or just after the customer paid',
    async run(r) {
      const { page } = await r.open();
      const reloadBack = async () => {
        await page.reload();
        await page.getByRole('img', { name: /^QR code to pay/ })
          .or(page.getByRole('status').filter({ hasText: /^Paid$|does not match/ })).first().waitFor({ timeout: T.screen });
      };
      await r.sellAll(page, plan(['pay', 'tamper'], ['pay', 'tamper', 'pay', 'pay', 'pay']), (i) => ({
        beforePay: i % 2 === 0 && reloadBack,
        afterPay: i % 2 === 1 && reloadBack,
      }));
      return page;
    },
  },
  {
    id: 'two-tabs',
    what: 'a second tab shows the sale; the customer pays and a cashier taps Cancel in it: while the first tab\'s deciding check is held 2 s at MixPay, or the moment the first tab shows Paid (and New sale is tapped there), the second tab hearing of other tabs\' writes 1 s late',
    async run(r) {
      const { context, page } = await r.open();
      /** What the two stores hold for the sale right now. */
      const snapshot = async (sale, when) => {
        const { records } = await readRecords(page, [sale.traceId]);
        const rec = records[sale.traceId];
        sale.events.push(`${when}: localStorage ${kindOf(rec.local)}, IndexedDB ${kindOf(rec.idb)}`);
      };
      for (const kind of plan(['before', 'after'], ['before', 'after', 'tamper', 'before', 'after'])) {
        const sale = r.nextSale(kind === 'tamper' ? 'tampered' : `paid, Cancel ${kind} Paid in tab 2`);
        await step(sale, 'charge', () => r.charge(page, sale));
        const second = await step(sale, 'second tab', async () => {
          const tab = await r.tab(context, [SLOW_STORAGE_EVENTS]);
          await tab.getByText(sale.note).waitFor({ timeout: T.screen });
          await tab.getByRole('img', { name: /^QR code to pay/ }).waitFor({ timeout: T.screen });
          return tab;
        });
        const cancelInSecond = async () => {
          await second.getByRole('button', { name: /Charge/ }).waitFor({ timeout: T.screen });
          await snapshot(sale, 'tab 2 back on the keypad');
        };
        if (kind === 'tamper') {
          await r.pay(sale, { quoteAmount: tampered(sale.amount) });
        } else if (kind === 'before') {
          await step(sale, 'Cancel while the deciding check is in flight', async () => {
            // Hold the checks 2 s at MixPay so a Cancel lands while the deciding one is in flight.
            await r.sim.faults({ latencyMs: 2_000, endpoints: ['payments_result'] });
            await r.pay(sale);
            await until(async () => (await r.sim.requests()).some((q) =>
              q.path === '/v1/payments_result' && q.query.includes(sale.traceId) && q.tsMs > sale.paidAt), {
              timeout: T.screen, what: 'a check of the paid sale',
            });
            await cancelSale(second);
            sale.events.push('Cancel tapped (and confirmed) in tab 2 while tab 1\'s check was in flight');
            await cancelInSecond();
            await r.sim.faults({});
          });
        } else {
          await step(sale, 'Cancel the moment tab 1 shows Paid', async () => {
            await r.pay(sale);
            const paid = page.getByRole('status').filter({ hasText: /^Paid$/ });
            await paid.waitFor({ timeout: T.verdict });
            sale.shown = 'Paid';
            // Both cashiers act at once: New sale in tab 1, Cancel in tab 2 (still showing "Waiting").
            const tap = (label) => {
              const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === label);
              button?.click();
              return Boolean(button);
            };
            // Cancel asks once in the page: the cashier confirms at once (the
            // question is drawn within a frame or two of the tap).
            const tapAndConfirm = async () => {
              const find = (label) => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === label);
              const cancel = find('Cancel');
              if (!cancel) return false;
              cancel.click();
              for (let frame = 0; frame < 60 && !find('Yes, cancel the sale'); frame++) {
                await new Promise((ok) => requestAnimationFrame(ok));
              }
              const yes = find('Yes, cancel the sale');
              yes?.click();
              return Boolean(yes);
            };
            const tapped = await second.evaluate(tapAndConfirm);
            const left = await page.evaluate(tap, 'New sale');
            sale.events.push(tapped ? 'Cancel tapped in tab 2 as tab 1 showed Paid' : 'tab 2 had no Cancel left');
            sale.events.push(left ? 'New sale tapped in tab 1' : 'tab 1 had no New sale button at that moment');
            if (tapped) await cancelInSecond();
            // Missed: the cashier looks again, waits for the verdict and taps New sale then.
            if (!left) await r.verdict(page, sale);
            await page.getByRole('button', { name: /Charge/ }).waitFor({ timeout: T.screen });
          });
        }
        if (kind !== 'after') await step(sale, 'verdict', () => r.verdict(page, sale));
        await second.close();
      }
      return page;
    },
  },
  {
    id: 'late-after-cancel',
    what: 'the cashier cancels an unpaid sale, the app checks it once more (unpaid), then the customer pays it; more sales follow; the late payment must end up Paid in the records (background re-check)',
    async run(r) {
      const { page } = await r.open();
      const cancelThenLatePayment = async () => {
        const sale = r.nextSale('paid late, after Cancel');
        await step(sale, 'charge', () => r.charge(page, sale));
        await step(sale, 'Cancel', async () => {
          await cancelSale(page);
          const cancelledAt = Date.now();
          await page.getByRole('button', { name: /Charge/ }).waitFor({ timeout: T.screen });
          // The app has looked at the cancelled sale again and seen it unpaid: the payment is really late.
          await until(async () => (await r.sim.requests()).some((q) =>
            q.path === '/v1/payments_result' && q.query.includes(sale.traceId) && q.tsMs > cancelledAt), {
            timeout: T.verdict, what: 'a background check of the cancelled sale',
          });
        });
        await step(sale, 'payment after Cancel', () => r.pay(sale));
      };
      for (const kind of plan(['late', 'pay'], ['late', 'tamper', 'pay', 'late', 'pay'])) {
        if (kind === 'late') await cancelThenLatePayment();
        else await r.sell(page, { tamper: kind === 'tamper' });
      }
      return page;
    },
  },
  {
    id: 'storage-full',
    what: 'localStorage is filled before the sales; one sale is reloaded mid-sale (QR up, customer pays after the reload)',
    async run(r) {
      const { page } = await r.open();
      await fillLocalStorage(page);
      for (const kind of plan(['pay', 'reload'], ['pay', 'tamper', 'reload', 'pay', 'pay'])) {
        if (kind !== 'reload') {
          await r.sell(page, { tamper: kind === 'tamper' });
          continue;
        }
        const sale = r.nextSale('paid, page reloaded mid-sale');
        await step(sale, 'charge', () => r.charge(page, sale));
        const back = await step(sale, 'reload', async () => {
          await page.reload();
          const qr = page.getByRole('img', { name: /^QR code to pay/ });
          await qr.or(page.getByRole('button', { name: /Charge/ })).first().waitFor({ timeout: T.screen });
          return qr.isVisible();
        });
        if (!back) r.note(`sale ${sale.n}: not brought back on screen after the reload`);
        // The customer scanned the QR before the reload and pays anyway.
        await step(sale, 'payment', () => r.pay(sale));
        if (back) await step(sale, 'verdict', () => r.verdict(page, sale));
      }
      return page;
    },
  },
  {
    id: 'two-tablets',
    what: 'two tablets on one network (two browser profiles: two devices, one address at MixPay), each with a QR up for 2 minutes (70 s in quick mode), then both customers pay: no 1429 at all',
    no1429: true,
    async run(r) {
      const hold = QUICK ? 70_000 : 120_000;
      const tablets = [await r.open(), await r.open()];
      const sales = [];
      for (const { page } of tablets) {
        const sale = r.nextSale('paid, QR up beside another tablet');
        await step(sale, 'charge', () => r.charge(page, sale));
        sales.push({ page, sale });
      }
      await step(sales[1].sale, 'both QRs up', () => until(async () => {
        const polls = (await r.sim.requests()).filter((q) => q.path === '/v1/payments_result');
        return sales.every(({ sale }) => {
          const t = polls.filter((q) => q.query.includes(sale.traceId)).map((q) => q.tsMs);
          return t.length > 1 && t[t.length - 1] - t[0] >= hold;
        });
      }, { timeout: hold + 60_000, what: `both QRs up for ${hold / 1000} s` }));
      for (const { page, sale } of sales) {
        await step(sale, 'payment', () => r.pay(sale));
        await step(sale, 'verdict', () => r.verdict(page, sale));
      }
      return tablets[0].page;
    },
  },
  {
    id: 'idb-unavailable',
    what: 'indexedDB.open throws (SecurityError) from the first start; one sale is reloaded mid-sale',
    async run(r) {
      const { page } = await r.open({ initScripts: [IDB_UNAVAILABLE] });
      const reloadBack = async () => {
        await page.reload();
        await page.getByRole('img', { name: /^QR code to pay/ }).waitFor({ timeout: T.screen });
      };
      await r.sellAll(page, plan(['pay', 'tamper'], ['pay', 'tamper', 'pay', 'pay', 'pay']), (i) => ({
        beforePay: i === (QUICK ? 1 : 2) && reloadBack,
      }));
      return page;
    },
  },
];

// ---- The suite.

function fmtRow(cells, widths) {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
}

const HEADER = ['scenario', 'sales', 'paid', 'false paid', 'lost/wrong', 'max/60s', '1429s', 'paid ms', 'result'];
const WIDTHS = [18, 5, 4, 10, 10, 7, 5, 7, 6];
const rowOf = (s) => [
  s.id,
  s.figures?.sales ?? '-',
  s.figures?.paidOnScreen ?? '-',
  s.figures?.falsePaid ?? '-',
  s.figures?.lostOrWrong ?? '-',
  s.figures?.maxPerMinute ?? '-',
  s.figures?.rateLimited ?? '-',
  s.figures?.paidMsMedian ?? '-',
  s.ok ? 'ok' : 'FAIL',
];

async function main() {
  for (const [path, how] of [['dist/index.html', 'make dist-sim'], [process.env.MIXPAY_SIM_BIN ?? 'target/debug/mixpay-sim', 'cargo build -p mixpay-sim']]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run ${how} first`);
  }
  const chosen = SCENARIOS.map((s, index) => ({ ...s, index })).filter((s) => !ONLY || ONLY.includes(s.id));
  if (!chosen.length) throw new Error(`no scenario named ${ONLY}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  const suite = {};
  const cleanup = async () => {
    await suite.browser?.close().catch(() => {});
    await suite.sim?.stop('SIGKILL').catch(() => {});
    await suite.app?.close().catch(() => {});
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => cleanup().finally(() => process.exit(130)));
  }
  const started = Date.now();
  const results = [];
  try {
    suite.app = await startApp();
    suite.sim = await startSim();
    suite.simPort = Number(new URL(suite.sim.url).port);
    suite.browser = await launchBrowser();
    console.log(`fault suite, ${MODE} mode: ${chosen.length} scenarios, release build against the simulator on ${suite.sim.url}\n`);
    console.log(fmtRow(HEADER, WIDTHS));
    console.log(WIDTHS.map((w) => '-'.repeat(w)).join('  '));
    for (const scenario of chosen) {
      // A simulator killed by a scenario that failed half-way is started again.
      if (suite.sim.exited) suite.sim = await startSim({ port: suite.simPort });
      await suite.sim.reset();
      const r = new Run(suite, scenario);
      const t0 = Date.now();
      const result = { id: scenario.id, what: scenario.what, ok: false };
      try {
        // The sales and the reading of the records, under one watchdog.
        const work = async () => {
          const page = await scenario.run(r);
          await r.sim.faults({});
          return r.figures(page);
        };
        result.figures = await within(work(), T.scenario, 'scenario');
        result.ok = result.figures.ok;
      } catch (e) {
        result.error = e.message.split('\n')[0];
        r.note(`could not run: ${result.error}`);
        // What was recorded still counts: read it if a page is left (not after the watchdog).
        const page = r.contexts[0]?.pages()[0];
        if (page && r.sales.length && !result.figures && !/took over/.test(result.error)) {
          try {
            result.figures = await within(r.figures(page), T.settle + 30_000, 'reading the records');
          } catch { /* the figures are lost with the page */ }
        }
      } finally {
        await r.close();
      }
      result.seconds = Math.round((Date.now() - t0) / 1000);
      result.notes = r.notes;
      result.sales = r.sales.map((s) => ({
        n: s.n, kind: s.kind, amount: s.amount, traceId: s.traceId, verifiedPaid: s.verified,
        expected: s.expect, shownOnScreen: s.shown ?? null, events: s.events,
        screen: r.screen.filter((e) => e.note === s.note).map((e) => `${e.tab} +${e.t - t0} ms: ${e.status}`),
      }));
      results.push(result);
      console.log(fmtRow(rowOf(result), WIDTHS) + `   ${result.seconds} s`);
      for (const n of r.notes) console.log(`    ${n}`);
    }
  } finally {
    await cleanup();
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;

  console.log(`\nFault suite, ${MODE} mode, ${seconds} s (bars: false paid 0, lost/wrong 0, max/60s <= ${RATE_BAR}; paid ms is a figure)`);
  console.log(fmtRow(HEADER, WIDTHS));
  console.log(WIDTHS.map((w) => '-'.repeat(w)).join('  '));
  for (const r of results) console.log(fmtRow(rowOf(r), WIDTHS));
  for (const r of results.filter((r) => !r.ok)) {
    console.log(`\n${r.id} fails: ${r.notes.join('; ') || 'see target/faults.json'}`);
  }
  await mkdir('target', { recursive: true });
  await writeFile('target/faults.json', JSON.stringify({ mode: MODE, seconds, passed, failed, scenarios: results }, null, 2));
  console.log(`\nfaults: ${passed} passed, ${failed} failed (figures in target/faults.json)`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(`fault suite: ${e.message}`);
  process.exitCode = 2;
});
