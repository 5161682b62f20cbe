// Accessibility: axe-core's WCAG 2.0/2.1 A and AA rules on every screen, in
// light and dark, at both tablet layouts; and the app used with the keyboard
// alone, with a focus ring that can be seen.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { newWatchedPage, setupSuite, waitForStatus } from './helpers.mjs';
import { LAYOUTS, axeViolations, walkScreens } from './screens.mjs';

const suite = setupSuite({ before, after, beforeEach });

test('axe-core finds no WCAG 2.1 A/AA violation on any screen, light and dark, at 768x1024 and 1024x768', async () => {
  const w = await newWatchedPage(suite.browser, { viewport: LAYOUTS[0] });
  const found = [];
  const seen = [];
  await walkScreens(w, suite, async (screen) => {
    for (const scheme of ['light', 'dark']) {
      await w.page.emulateMedia({ colorScheme: scheme });
      for (const layout of LAYOUTS) {
        await w.page.setViewportSize({ width: layout.width, height: layout.height });
        for (const v of await axeViolations(w.page)) found.push(`${screen}, ${scheme}, ${layout.name}: ${v}`);
        seen.push(`${screen} ${scheme} ${layout.name}`);
      }
    }
  });
  assert.equal(seen.length, 24 * 4, seen.join('\n'));
  assert.deepEqual(found, []);
  w.assertClean();
  await w.context.close();
});

/** The element with the focus: its name, and whether a ring is drawn round it. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
      tag: el.tagName,
      name: (el.getAttribute('aria-label') || el.textContent || '').trim(),
      ring: el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
  });
}

/** Presses Tab until the focus is on `name` (a button or a field); fails after 40 tabs. */
async function tabTo(page, name) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (name.test(f.name)) {
      assert.ok(f.ring, `no visible focus ring on ${f.tag} "${f.name}"`);
      return;
    }
  }
  throw new Error(`Tab never reached ${name}`);
}

test('keyboard alone: set up, charge, see Paid, start a new sale, open History — a focus ring throughout', async () => {
  const w = await newWatchedPage(suite.browser, { viewport: LAYOUTS[1] });
  const { routeConfig } = await import('./helpers.mjs');
  await routeConfig(w.context, suite.sim);
  await w.page.goto(suite.app.url);
  await w.page.getByRole('button', { name: 'Save' }).waitFor();
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await tabTo(w.page, /^Save$/);
  await w.page.keyboard.press('Enter');
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  // The keypad's keys by Tab and Enter, then the amount typed on the keyboard.
  await tabTo(w.page, /^7$/);
  await w.page.keyboard.press('Enter');
  await w.page.keyboard.type('.5');
  await w.page.getByRole('button', { name: 'Charge $7.50' }).waitFor();
  await tabTo(w.page, /^Charge/);
  await w.page.keyboard.press('Enter');
  await w.page.getByRole('img', { name: /QR code/ }).waitFor();
  const traceId = await w.page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('mixpay-pos/sale/')).map((k) => k.slice(16))[0],
  );
  await suite.sim.pay({ traceId, outcome: 'success' });
  await waitForStatus(w.page, /^Paid$/);
  await tabTo(w.page, /^New sale$/);
  await w.page.keyboard.press('Enter');
  await tabTo(w.page, /^History$/);
  await w.page.keyboard.press('Enter');
  await w.page.getByRole('heading', { name: 'History' }).waitFor();
  await w.page.getByRole('listitem').filter({ hasText: '$7.50' }).waitFor();
  w.assertClean();
  await w.context.close();
});
