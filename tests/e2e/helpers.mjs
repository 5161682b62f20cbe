// Shared set-up for the end-to-end tests: the release build served on localhost,
// Debian's Chromium driven by Playwright, and a guard that fails a test on any
// console error or uncaught page error.
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
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

/** Serves dist/ on a free port. */
export async function startApp(dir = 'dist') {
  const server = await serveStatic({ dir, port: 0 });
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
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
