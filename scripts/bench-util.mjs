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
