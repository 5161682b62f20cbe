// Sale screens that fill the tablet (issue 15, part 2): at 768x1024,
// 800x1280, 1024x768 and 1280x800, light and dark, no sale screen scrolls,
// nothing of the app lies outside the screen or overflows its box sideways,
// "Paid" is at least 64 px, Charge reads the amount as money ("Charge
// $12.50") and every part of the customer view (turned too) is on screen.
// The navigation gives way to "Sale in progress" from Charge until the
// outcome is left. Screenshots of every screen at every size go to
// target/screenshots/layout-<screen>-<w>x<h>-<theme>.png.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import {
  chargeAndReadQr,
  newWatchedPage,
  openReadyApp,
  routeConfig,
  setupSuite,
  statusText,
  typeAmount,
  waitForStatus,
} from './helpers.mjs';
import { walkScreens } from './screens.mjs';

const suite = setupSuite({ before, after, beforeEach });
const SHOTS = 'target/screenshots';
const SIZES = [
  { width: 768, height: 1024 },
  { width: 800, height: 1280 },
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
];
const THEMES = ['light', 'dark'];

/**
 * How the page sits in the viewport: the document's scroll size, and every
 * element of the app (or of `root`) that lies outside the viewport or whose
 * content overflows it sideways. Elements inside a box that scrolls or
 * clips (the product grid, the cart's lines, a progress bar) are that box's
 * business: the box itself is measured.
 */
function measure(page, root = '.shell') {
  return page.evaluate((root) => {
    const W = innerWidth;
    const H = innerHeight;
    const clips = (e) => {
      const s = getComputedStyle(e);
      return s.overflowX !== 'visible' || s.overflowY !== 'visible';
    };
    const inClipping = (e) => {
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) if (clips(p)) return true;
      return false;
    };
    const name = (e) =>
      `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''}` +
      ` "${(e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 30)}"`;
    const outside = [];
    const sideways = [];
    for (const e of document.querySelectorAll(`${root}, ${root} *`)) {
      if (!e.checkVisibility() || inClipping(e)) continue;
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < -0.5 || r.top < -0.5 || r.right > W + 0.5 || r.bottom > H + 0.5) {
        outside.push(`${name(e)} at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`);
      }
      if (!clips(e) && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) {
        sideways.push(`${name(e)}: ${e.scrollWidth} in ${e.clientWidth}`);
      }
    }
    const doc = document.documentElement;
    return { W, H, scrollHeight: doc.scrollHeight, scrollWidth: doc.scrollWidth, outside, sideways };
  }, root);
}

/** Fails unless the screen fits the viewport as the issue asks. */
async function assertFits(page, what) {
  const m = await measure(page);
  assert.ok(m.scrollHeight <= m.H, `${what}: the page scrolls (scrollHeight ${m.scrollHeight} > ${m.H})`);
  assert.ok(m.scrollWidth <= m.W, `${what}: the page scrolls sideways (scrollWidth ${m.scrollWidth} > ${m.W})`);
  assert.deepEqual(m.outside, [], `${what}: elements outside the viewport`);
  assert.deepEqual(m.sideways, [], `${what}: elements overflowing sideways`);
}

/**
 * Shows the screen at every size in light and dark: checks it fits (and
 * `extra(page, what)`), saves a screenshot. Motion is reduced so the
 * screenshots show the finished drawing.
 */
async function everySize(page, screen, extra = async () => {}) {
  await mkdir(SHOTS, { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
      const what = `${screen} at ${size.width}x${size.height} ${theme}`;
      await assertFits(page, what);
      await extra(page, what);
      await page.screenshot({ path: `${SHOTS}/layout-${screen}-${size.width}x${size.height}-${theme}.png` });
    }
  }
}

/** Every element of the customer view lies inside the viewport. */
async function customerViewInside(page, what) {
  const m = await measure(page, '.customer-view');
  assert.deepEqual(m.outside, [], `${what}: parts of the customer view outside the screen`);
  assert.ok((await page.locator('.customer-view *').count()) > 3, `${what}: the customer view is there`);
}

async function paidIsLarge(page, what) {
  const status = statusText(page);
  assert.equal((await status.innerText()).trim(), 'Paid', what);
  const size = await status.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok(size >= 64, `${what}: "Paid" at ${size}px`);
}

/** The sale on screen's traceId: the one open sale the device recorded. */
function openTraceId(page) {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('mixpay-pos/sale/'))
      .map((k) => JSON.parse(localStorage.getItem(k)))
      .find((s) => !s.cancelled && !['paid', 'mismatch', 'failed'].includes(s.status.kind)).trace_id,
  );
}

/** Changes stored settings the way a save would, then starts the app again with them. */
async function withSettings(page, change) {
  await page.evaluate((change) => {
    const s = JSON.parse(localStorage.getItem('mixpay-pos/settings'));
    const apply = new Function('s', change);
    apply(s);
    localStorage.setItem('mixpay-pos/settings', JSON.stringify(s));
  }, change);
  await page.reload();
}

async function charge(page, amount) {
  await typeAmount(page, amount);
  return (await chargeAndReadQr(page)).traceId;
}

test('every sale screen fits the tablet at four sizes, light and dark, with no scrolling', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  const { page } = w;
  // Paid stays up long enough to be measured at every size with its countdown.
  await withSettings(page, 's.auto_return_seconds = 30;');
  await page.getByRole('button', { name: 'Backspace' }).waitFor();

  await typeAmount(page, '12.5');
  await everySize(page, 'keypad', async (p, what) => {
    assert.equal(await p.getByRole('button', { name: 'Charge $12.50', exact: true }).count(), 1, `${what}: Charge reads the amount`);
  });

  let traceId = (await chargeAndReadQr(page)).traceId;
  await everySize(page, 'qr');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Yes, cancel the sale' }).waitFor();
  await everySize(page, 'cancel');
  await page.getByRole('button', { name: 'Keep waiting' }).click();

  await page.getByRole('button', { name: 'Show to customer' }).click();
  const view = page.getByRole('dialog', { name: 'Customer view' });
  await view.waitFor();
  await everySize(page, 'customer', customerViewInside);
  await view.getByRole('button', { name: 'Turn 180°' }).click();
  await page.locator('.customer-view.turned').waitFor();
  await everySize(page, 'customer-turned', customerViewInside);
  await view.getByRole('button', { name: 'Turn 180°' }).click();
  await suite.sim.pay({ traceId });
  await view.getByText('Paid', { exact: true }).waitFor({ timeout: 15_000 });
  await everySize(page, 'customer-paid', customerViewInside);
  await view.getByRole('button', { name: 'Close' }).click();

  await waitForStatus(page, /^Paid$/);
  await everySize(page, 'paid', paidIsLarge);
  await page.getByRole('button', { name: 'New sale' }).click();

  traceId = await charge(page, '25');
  await suite.sim.pay({ traceId, quoteAmount: '2.5' });
  await waitForStatus(page, /does not match/);
  await everySize(page, 'mismatch');
  // Kept open to settle: a line more under the actions.
  await page.getByRole('button', { name: 'Keep this sale open' }).click();
  await page.getByText('Kept open: History shows this sale as to settle.').waitFor();
  await everySize(page, 'mismatch-kept');
  await page.getByRole('button', { name: 'New sale' }).click();

  traceId = await charge(page, '10');
  await suite.sim.pay({ traceId, outcome: 'underpaid' });
  await page.getByText(/^Still due/).waitFor({ timeout: 15_000 });
  await everySize(page, 'underpaid');
  await page.getByRole('button', { name: 'Show to customer' }).click();
  await view.getByText(/Please pay the remaining/).waitFor();
  await everySize(page, 'customer-underpaid', customerViewInside);
  await view.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Yes, cancel the sale' }).click();

  traceId = await charge(page, '6');
  await suite.sim.pay({ traceId, outcome: 'failed' });
  await page.locator('p.status.failed').waitFor({ timeout: 15_000 });
  await everySize(page, 'failed');
  await page.getByRole('button', { name: 'New sale' }).click();

  await charge(page, '4');
  await suite.sim.control('/_sim/clock', { advanceMs: 16 * 60 * 1000 });
  await page.getByRole('heading', { name: 'This payment expired' }).waitFor({ timeout: 30_000 });
  await everySize(page, 'expired');
  await page.getByRole('button', { name: 'New sale' }).click();

  // Tips asked for: the customer's tip screen after Charge.
  await withSettings(page, 's.tips.enabled = true;');
  await typeAmount(page, '20');
  await page.getByRole('button', { name: 'Charge $20.00' }).click();
  await page.getByRole('button', { name: 'No tip' }).waitFor();
  await everySize(page, 'tip', async (p, what) => {
    // The customer's screen alone: the cashier's keypad is not under or beside it.
    assert.equal(await p.locator('.keypad').isVisible(), false, `${what}: the keypad shows through`);
  });
  w.assertClean();
  await w.context.close();
});

test('with products: the Products tab and the keypad beside the cart fit the tablet too', async () => {
  const products = [
    { name: 'Latte', price: '3.50', category: 'Coffee' },
    { name: 'Flat white with oat milk', price: '4.20', category: 'Coffee' },
    { name: 'Croissant', price: '2', category: 'Food' },
    { name: 'Banana bread', price: '3', category: 'Food' },
    ...Array.from({ length: 30 }, (_, i) => ({ name: `Cake ${i + 1}`, price: `${i + 2}.25`, category: 'Cakes' })),
  ];
  const w = await newWatchedPage(suite.browser, { viewport: SIZES[0] });
  await routeConfig(w.context, suite.sim, { products });
  const { page } = w;
  await page.goto(suite.app.url);
  await page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('tab', { name: 'Products' }).waitFor();
  for (const name of ['Latte', 'Latte', 'Croissant', 'Banana bread', 'Flat white with oat milk']) {
    await page.getByRole('button', { name: new RegExp(`^${name} `) }).click();
  }
  await page.getByRole('list', { name: 'Cart' }).getByRole('listitem').nth(3).waitFor();
  await everySize(page, 'products', async (p, what) => {
    assert.equal(await p.getByRole('button', { name: 'Charge $16.20', exact: true }).count(), 1, `${what}: Charge reads the cart's total`);
  });
  await page.getByRole('tab', { name: 'Keypad' }).click();
  await typeAmount(page, '7.5');
  await everySize(page, 'keypad-cart');
  w.assertClean();
  await w.context.close();
});

test('the navigation gives way to "Sale in progress" from Charge until the outcome is left', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  const { page } = w;
  const nav = page.getByRole('navigation');
  const inProgress = page.getByText('Sale in progress', { exact: true });
  await nav.getByRole('button', { name: 'History' }).waitFor();
  assert.equal(await inProgress.isVisible(), false);

  await withSettings(page, 's.tips.enabled = true;');
  await typeAmount(page, '5');
  await page.getByRole('button', { name: 'Charge $5.00' }).click();
  await page.getByRole('button', { name: 'No tip' }).waitFor();
  await inProgress.waitFor();
  assert.equal(await nav.count(), 0, 'no navigation on the tip screen');
  // Back on the tip screen leaves the sale before it began.
  await page.getByRole('button', { name: 'Back' }).click();
  await nav.getByRole('button', { name: 'History' }).waitFor();
  assert.equal(await inProgress.isVisible(), false);

  await page.getByRole('button', { name: 'Charge $5.00' }).click();
  await page.getByRole('button', { name: 'No tip' }).click();
  await page.getByRole('img', { name: /QR code/ }).waitFor();
  const traceId = await openTraceId(page);
  await inProgress.waitFor();
  assert.equal(await nav.count(), 0, 'no navigation on the QR screen');
  assert.equal(await page.getByRole('button', { name: 'History' }).count(), 0);
  // Cancel is how the cashier leaves an unpaid sale.
  await page.getByRole('button', { name: 'Cancel' }).waitFor();
  await suite.sim.pay({ traceId });
  await waitForStatus(page, /^Paid$/);
  assert.equal(await nav.count(), 0, 'no navigation on the outcome');
  assert.ok(await inProgress.isVisible());
  await page.getByRole('button', { name: 'New sale' }).click();
  await nav.getByRole('button', { name: 'History' }).waitFor();
  assert.equal(await inProgress.isVisible(), false);
  w.assertClean();
  await w.context.close();
});

test('a phone (390x844) keeps a usable keypad and sale: nothing sideways, big keys, Charge within reach', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  const { page } = w;
  await page.setViewportSize({ width: 390, height: 844 });
  await typeAmount(page, '3.2');
  for (const screen of ['keypad', 'qr', 'paid']) {
    if (screen === 'qr') await chargeAndReadQr(page);
    if (screen === 'paid') {
      await suite.sim.pay({ traceId: await openTraceId(page) });
      await waitForStatus(page, /^Paid$/);
    }
    await page.screenshot({ path: `${SHOTS}/layout-${screen}-390x844-light.png`, fullPage: true });
    const m = await measure(page);
    assert.deepEqual(m.sideways, [], `phone ${screen}: elements overflowing sideways`);
    assert.ok(m.scrollWidth <= m.W, `phone ${screen}: scrolls sideways (${m.scrollWidth} > ${m.W})`);
    const keys = screen !== 'keypad' ? [] : await page.locator('.keypad .key').evaluateAll((ks) => ks.map((k) => k.getBoundingClientRect().height));
    assert.ok(keys.every((h) => h >= 48), `phone ${screen}: keys ${keys}`);
  }
  w.assertClean();
  await w.context.close();
});

test('in Chinese the sale screens fit too (1024x768, the shortest)', async () => {
  const w = await newWatchedPage(suite.browser, { locale: 'zh-CN', viewport: { width: 1024, height: 768 } });
  const sale = new Set(['keypad', 'qr', 'customer view', 'customer view turned', 'paid', 'mismatch', 'underpaid', 'cancel confirmation', 'failed', 'products tab', 'clear cart', 'tip screen']);
  const seen = [];
  await walkScreens(w, suite, async (screen) => {
    if (!sale.has(screen)) return;
    seen.push(screen);
    const what = `${screen} in Chinese`;
    await w.page.emulateMedia({ reducedMotion: 'reduce' });
    await assertFits(w.page, what);
    if (screen.startsWith('customer view')) await customerViewInside(w.page, what);
    await w.page.screenshot({ path: `${SHOTS}/layout-zh-${screen.replace(/ /g, '-')}-1024x768-light.png` });
  });
  assert.equal(seen.length, sale.size, seen.join(', '));
  w.assertClean();
  await w.context.close();
});
