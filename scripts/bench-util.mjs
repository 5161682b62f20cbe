// What the bench scripts share: medians, p95s and bounded waits.

const sorted = (xs) => [...xs].sort((a, b) => a - b);
export const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
/** Nearest rank: below 20 runs it is the slowest run. */
export const p95 = (xs) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
export const stats = (xs) => ({ median: xs.length ? median(xs) : NaN, p95: xs.length ? p95(xs) : NaN, runs: xs.length });

/**
 * `promise`, or an error naming `what` after `ms`: a hung wait fails the
 * bench with a clear message instead of holding the machine.
 */
export function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * In the page, as an init script: says on the console when the keypad has
 * been painted (the task after the next animation frame once its Backspace
 * key is in the DOM). Through the console rather than `waitForFunction`,
 * which would inject Playwright's own script (about 40 ms at 4x CPU) into
 * the very start being timed.
 */
export function watchKeypad() {
  const afterPaint = (done) => requestAnimationFrame(() => {
    const c = new MessageChannel();
    c.port1.onmessage = () => done(performance.now());
    c.port2.postMessage(0);
  });
  const observer = new MutationObserver(() => {
    if (!document.querySelector('button[aria-label="Backspace"]')) return;
    observer.disconnect();
    afterPaint((t) => console.debug(`mixpay-bench keypad ${t}`));
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** When `watchKeypad` next reports the keypad painted on `page` (ms since its navigation): call it before navigating. */
export function nextKeypadPaint(page, ms = 60_000) {
  const painted = new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      page.off('console', heard);
      fail(new Error(`no keypad painted within ${ms / 1000} s`));
    }, ms);
    const heard = (message) => {
      const m = /^mixpay-bench keypad (\S+)$/.exec(message.text());
      if (!m) return;
      page.off('console', heard);
      clearTimeout(timer);
      ok(Number(m[1]));
    };
    page.on('console', heard);
  });
  // A caller that failed before awaiting it leaves no unhandled rejection.
  painted.catch(() => {});
  return painted;
}
