// The installable, offline-starting tablet app.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DIST,
  chargeAndReadQr,
  decodeQr,
  launchPersistent,
  newSale,
  newWatchedPage,
  openReadyApp,
  routeConfig,
  setupSuite,
  serveDistCopy,
  statusText,
  typeAmount,
} from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });

const controlled = (page) => page.evaluate(() => navigator.serviceWorker.controller !== null);

async function waitForWorker(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
}

test('the service worker controls the page after a reload', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await waitForWorker(w.page);
  await w.page.reload();
  await w.page.getByRole('button', { name: /Charge/ }).waitFor();
  assert.equal(await controlled(w.page), true);
  const caches = await w.page.evaluate(async () => {
    const keys = await caches.keys();
    const shell = await caches.open(keys.find((k) => k.startsWith('mixpay-pos-shell-')));
    return (await shell.keys()).map((r) => new URL(r.url).pathname);
  });
  assert.ok(caches.some((p) => p.endsWith('.wasm')), caches.join(' '));
  assert.ok(caches.includes('/'));
  assert.ok(!caches.some((p) => p.includes('config.json') || p.includes('/v1/')), 'no config or API in the shell cache');
  w.assertClean();
  await w.context.close();
});

test('offline: the app opens from the cache, refuses a new sale, and resumes checking when back', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await waitForWorker(w.page);
  await typeAmount(w.page, '4');
  const { traceId } = await chargeAndReadQr(w.page);
  await w.context.setOffline(true);
  await w.page.reload();
  // The shell came from the cache: the unfinished sale is back, with an offline banner.
  await w.page.getByRole('img', { name: /QR code/ }).waitFor();
  await w.page.getByText(/^Offline/).waitFor();
  await w.page.getByRole('button', { name: 'Cancel' }).click();
  await w.page.getByRole('button', { name: 'Yes, cancel the sale' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  // Settings and history are intact.
  await w.page.getByRole('button', { name: 'History' }).click();
  await w.page.getByRole('listitem').filter({ hasText: '$4.00' }).waitFor();
  await w.page.getByRole('button', { name: 'Sale', exact: true }).click();
  await typeAmount(w.page, '2');
  await w.page.getByRole('button', { name: /Charge/ }).click();
  await w.page.getByText(/No network: a new sale cannot start/).waitFor();
  // Back online: the cancelled sale is checked again by itself and found paid.
  await suite.sim.pay({ traceId });
  await w.context.setOffline(false);
  await w.page.getByRole('button', { name: 'History' }).click();
  await w.page.getByRole('listitem').filter({ hasText: '$4.00' }).filter({ hasText: 'Paid' }).waitFor({ timeout: 45_000 });
  w.assertClean([/ERR_INTERNET_DISCONNECTED|Failed to load resource|Failed to fetch/]);
  await w.context.close();
});

test('Chromium reports no installability errors', async () => {
  // Incognito contexts are never installable: use a profile on disk.
  const profile = await mkdtemp(join(tmpdir(), 'mixpay-profile-'));
  const context = await launchPersistent(profile);
  try {
    await routeConfig(context, suite.sim);
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(suite.app.url);
    await page.getByRole('button', { name: 'Save' }).waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
    const { url, errors: manifestErrors } = await cdp.send('Page.getAppManifest');
    assert.match(url, /manifest\.webmanifest$/);
    assert.deepEqual(manifestErrors, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
  const manifest = JSON.parse(await readFile(join(DIST, 'manifest.webmanifest'), 'utf8'));
  assert.equal(manifest.display, 'standalone');
  assert.ok(manifest.icons.some((i) => i.purpose === 'maskable' && i.sizes === '512x512'));
  assert.ok(manifest.icons.some((i) => i.sizes === '192x192'));
});

test('a new build shows "Update available", never mid-sale, and reloads on request', async () => {
  const served = await serveDistCopy();
  const { dir } = served;
  try {
    const w = await newWatchedPage(suite.browser);
    await routeConfig(w.context, suite.sim);
    await w.page.goto(served.url);
    await w.page.getByRole('button', { name: 'Save' }).click();
    await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
    await waitForWorker(w.page);
    await w.page.reload();
    await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
    const before = await w.page.evaluate(() => navigator.serviceWorker.controller.scriptURL);

    // Mid-sale when the new version arrives.
    await typeAmount(w.page, '3');
    const { traceId } = await chargeAndReadQr(w.page);
    const sw = await readFile(join(dir, 'sw.js'), 'utf8');
    await writeFile(join(dir, 'sw.js'), sw.replace(/const VERSION = '([^']*)';/, "const VERSION = '$1-next';"));
    await w.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    const banner = w.page.getByText('Update available');
    await banner.waitFor({ timeout: 15_000 });
    assert.equal(await w.page.getByRole('button', { name: 'Reload to update' }).count(), 0, 'not offered mid-sale');
    await suite.sim.pay({ traceId });
    await statusText(w.page).filter({ hasText: /^Paid$/ }).waitFor({ timeout: 15_000 });
    // Now it is offered; the page reloads into the new version.
    const reloaded = w.page.waitForEvent('load');
    await w.page.getByRole('button', { name: 'Reload to update' }).click();
    await reloaded;
    await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
    const version = await w.page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('mixpay-pos-shell-')));
    assert.equal(version.length, 1, `old caches deleted: ${version}`);
    assert.match(version[0], /-next$/);
    assert.ok(before);
    w.assertClean();
    await w.context.close();
  } finally {
    await served.close();
  }
});

test('the screen stays awake while the QR is up, and nothing breaks without the API', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await w.context.addInitScript(() => {
    window.__wakeLog = [];
    Object.defineProperty(navigator, 'wakeLock', {
      configurable: true,
      value: {
        request: async (type) => {
          window.__wakeLog.push(`request ${type}`);
          return { release: async () => window.__wakeLog.push('release') };
        },
      },
    });
  });
  await w.page.reload();
  await typeAmount(w.page, '5');
  const { traceId } = await chargeAndReadQr(w.page);
  await w.page.waitForFunction(() => window.__wakeLog.includes('request screen'));
  await suite.sim.pay({ traceId });
  await statusText(w.page).filter({ hasText: /^Paid$/ }).waitFor({ timeout: 15_000 });
  await w.page.waitForFunction(() => window.__wakeLog.at(-1) === 'release');
  w.assertClean();
  await w.context.close();

  const bare = await openReadyApp(suite.browser, suite.app, suite.sim);
  await bare.context.addInitScript(() => {
    delete Navigator.prototype.wakeLock;
  });
  await bare.page.reload();
  await typeAmount(bare.page, '5');
  const sale = await chargeAndReadQr(bare.page);
  await suite.sim.pay({ traceId: sale.traceId });
  await statusText(bare.page).filter({ hasText: /^Paid$/ }).waitFor({ timeout: 15_000 });
  bare.assertClean();
  await bare.context.close();
});

test('customer view: full-screen QR and amount, switching live to Paid', async () => {
  const { w, link, traceId } = await newSale(suite, '8.8');
  await w.page.getByRole('button', { name: 'Show to customer' }).click();
  const view = w.page.getByRole('dialog', { name: 'Customer view' });
  await view.waitFor();
  assert.equal(await decodeQr(view.getByRole('img', { name: /QR code/ })), link);
  assert.match(await view.innerText(), /\$8\.80/);
  await suite.sim.pay({ traceId });
  // The customer sees the verdict where the QR was; Close shows the cashier's.
  await view.getByText('Paid', { exact: true }).waitFor({ timeout: 15_000 });
  assert.equal(await view.getByRole('img', { name: /QR code/ }).count(), 0);
  await view.getByRole('button', { name: 'Close' }).click();
  assert.equal(await view.count(), 0);
  await statusText(w.page).filter({ hasText: /^Paid$/ }).waitFor();
  w.assertClean();
  await w.context.close();
});

const LAYOUTS = [
  { name: 'portrait-768x1024', width: 768, height: 1024 },
  { name: 'landscape-1024x768', width: 1024, height: 768 },
  { name: 'landscape-1280x800', width: 1280, height: 800 },
  { name: 'portrait-800x1280', width: 800, height: 1280 },
];

test('tablet layouts in light and dark: no sideways scrolling, readable text, big targets', async () => {
  const out = 'target/screenshots';
  await mkdir(out, { recursive: true });
  for (const scheme of ['light', 'dark']) {
    for (const layout of LAYOUTS) {
      const w = await newWatchedPage(suite.browser, { viewport: layout, colorScheme: scheme });
      await routeConfig(w.context, suite.sim);
      await w.page.goto(suite.app.url);
      const shots = [];
      await w.page.getByRole('button', { name: 'Save' }).waitFor();
      shots.push('settings');
      await w.page.screenshot({ path: `${out}/${layout.name}-${scheme}-settings.png`, fullPage: true });
      await w.page.getByRole('button', { name: 'Save' }).click();
      await typeAmount(w.page, '12.5');
      await w.page.screenshot({ path: `${out}/${layout.name}-${scheme}-amount.png` });
      const check = async (screen) => {
        const m = await w.page.evaluate(() => {
          const doc = document.documentElement;
          const small = [...document.querySelectorAll('button, select, input:not([type=checkbox])')]
            .filter((e) => e.offsetParent !== null)
            .map((e) => ({ e, r: e.getBoundingClientRect() }))
            .filter(({ r }) => r.height < 48)
            .map(({ e, r }) => `${e.tagName} "${e.textContent.trim() || e.getAttribute('aria-label') || e.name}" ${Math.round(r.height)}px`);
          return {
            sideways: doc.scrollWidth - doc.clientWidth,
            font: parseFloat(getComputedStyle(document.body).fontSize),
            small,
          };
        });
        assert.ok(m.sideways <= 0, `${layout.name} ${scheme} ${screen}: scrolls sideways by ${m.sideways}px`);
        assert.ok(m.font >= 16, `${layout.name} ${scheme}: body text ${m.font}px`);
        assert.deepEqual(m.small, [], `${layout.name} ${scheme} ${screen}: touch targets under 48px`);
      };
      await check('amount');
      await chargeAndReadQr(w.page);
      await w.page.screenshot({ path: `${out}/${layout.name}-${scheme}-qr.png` });
      await check('qr');
      await w.page.getByRole('button', { name: 'Cancel' }).click();
      await w.page.getByRole('button', { name: 'Yes, cancel the sale' }).click();
      await w.page.getByRole('button', { name: 'History' }).click();
      await w.page.getByRole('listitem').first().waitFor();
      await w.page.screenshot({ path: `${out}/${layout.name}-${scheme}-history.png` });
      await check('history');
      w.assertClean();
      await w.context.close();
    }
  }
});
