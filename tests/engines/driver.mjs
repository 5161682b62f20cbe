// What a journey does to a browser, on top of one small adapter per engine
// (adapters/*.mjs). The adapter knows its protocol; this file knows how to
// wait: every step polls a condition on the screen until it holds or a
// generous timeout runs out, and never sleeps a fixed time.
import { describeQuery, encodeQuery, findInPage } from './dom.mjs';

/** Default wait for something on the screen, in ms. */
export const WAIT_MS = 30_000;
const POLL_MS = 100;

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` until it returns a truthy value, which is returned. Errors
 * thrown by `check` (a page mid-navigation, a stale element) are retried;
 * the last one is reported if time runs out.
 */
export async function waitUntil(check, { timeout = WAIT_MS, what = 'a condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const why = last ? ` (last error: ${String(last.message ?? last).split('\n')[0]})` : '';
      throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}${why}`);
    }
    await pause(POLL_MS);
  }
}

/** The source of a call of `fn` with `args`, as an expression every driver can evaluate. */
export function callSource(fn, ...args) {
  return `(${fn})(...${JSON.stringify(args)})`;
}

export class Driver {
  /** `adapter`: see adapters/chromium.mjs for the methods each engine provides. */
  constructor(adapter) {
    this.a = adapter;
    this.name = adapter.name;
  }

  get version() {
    return this.a.version;
  }

  /** Whether the engine can emulate going offline, and if not why. */
  get offline() {
    return this.a.offline;
  }

  goto(url) {
    return this.a.goto(url);
  }

  /** Reloads, and waits until the document is a new one (not the old one still up). */
  async reload() {
    await this.a.evaluate('window.__beforeReload = true');
    await this.a.reload();
    await waitUntil(async () => (await this.a.evaluate('window.__beforeReload === undefined')) === true, {
      what: 'the reloaded page',
    });
  }

  /** Runs `fn(...args)` in the page (fn must be self-contained) and returns its JSON result. */
  evaluate(fn, ...args) {
    return this.a.evaluate(callSource(fn, ...args));
  }

  /** Waits until `fn(...args)` is truthy in the page. */
  waitForPage(fn, args = [], { timeout = WAIT_MS, what } = {}) {
    return waitUntil(() => this.evaluate(fn, ...args), { timeout, what: what ?? String(fn) });
  }

  /** The element for a query, once it is on the screen. */
  async find(q, { timeout = WAIT_MS } = {}) {
    const src = callSource(findInPage, encodeQuery(q), 'element');
    return waitUntil(() => this.a.elementOf(src), { timeout, what: describeQuery(q) });
  }

  /** Waits until a query matches; returns its text. */
  async waitFor(q, { timeout = WAIT_MS } = {}) {
    const src = callSource(findInPage, encodeQuery(q), 'text');
    return waitUntil(async () => {
      const text = await this.a.evaluate(src);
      return text === null ? null : { text };
    }, { timeout, what: describeQuery(q) }).then((r) => r.text);
  }

  /** Waits until nothing matches the query any more. */
  async waitGone(q, { timeout = WAIT_MS } = {}) {
    const src = callSource(findInPage, encodeQuery(q), 'count');
    await waitUntil(async () => (await this.a.evaluate(src)) === 0, { timeout, what: `no ${describeQuery(q)}` });
  }

  /** How many elements match now (no waiting). */
  count(q) {
    return this.a.evaluate(callSource(findInPage, encodeQuery(q), 'count'));
  }

  /** The text of the first match, once there is one. */
  text(q, opts) {
    return this.waitFor(q, opts);
  }

  /** The value of a form field, once it is on the screen. */
  async value(q, { timeout = WAIT_MS } = {}) {
    const src = callSource(findInPage, encodeQuery(q), 'value');
    return waitUntil(async () => {
      const v = await this.a.evaluate(src);
      return v === null ? null : { v };
    }, { timeout, what: describeQuery(q) }).then((r) => r.v);
  }

  /** Finds and acts on an element, finding it again if it was re-rendered in between. */
  async act(q, action, { timeout = WAIT_MS } = {}) {
    const src = callSource(findInPage, encodeQuery(q), 'element');
    return waitUntil(async () => {
      const el = await this.a.elementOf(src);
      if (!el) return null;
      const r = await action(el);
      return { r };
    }, { timeout, what: describeQuery(q) }).then((x) => x.r);
  }

  click(q, opts) {
    return this.act(q, (el) => this.a.click(el), opts);
  }

  /** Replaces a field's text by typing `text` into it. */
  fill(q, text, opts) {
    return this.act(q, (el) => this.a.fill(el, text), opts);
  }

  /** Picks the option whose text is `optionText` in a <select>. */
  select(q, optionText, opts) {
    return this.act(q, (el) => this.a.select(el, optionText), opts);
  }

  /** PNG of one element. */
  screenshotOf(q, opts) {
    return this.act(q, (el) => this.a.screenshotElement(el), opts);
  }

  /** PNG of the viewport. */
  screenshot() {
    return this.a.screenshot();
  }

  setOffline(on) {
    return this.a.setOffline(on);
  }

  /** Errors the page reported (console.error, uncaught errors) since the last call. */
  takeErrors() {
    return this.a.takeErrors();
  }

  close() {
    return this.a.close();
  }
}
