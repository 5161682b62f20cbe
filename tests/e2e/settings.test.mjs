// Settings in the owner's words: groups in order, Advanced collapsed, a Save
// bar always on screen, strict mode named by the asset received; screenshots.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { openReadyApp, setupSuite, USDT } from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });

const storedSettings = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('mixpay-pos/settings')));

async function openSettings(page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  await page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
}

test('Settings are grouped Shop, Getting paid, At the counter, Printer, Safety, then Advanced (collapsed); the Save bar stays on screen', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  const { page } = w;
  await openSettings(page);
  const form = page.locator('form.settings-page');
  // Each field in its group.
  const group = (name) => form.getByRole('group', { name, exact: true });
  await group('Shop').getByLabel('Shop name', { exact: true }).waitFor();
  await group('Shop').getByRole('combobox', { name: 'Quote currency' }).waitFor();
  await group('Shop').getByRole('combobox', { name: 'Language' }).waitFor();
  await group('Getting paid').getByLabel('Payee').waitFor();
  await group('Getting paid').getByText('Payments go to 3f2a…5a6b · Demo Coffee').waitFor();
  await group('Getting paid').getByRole('combobox', { name: 'Settlement asset' }).waitFor();
  await group('At the counter').getByRole('checkbox', { name: 'Ask for a tip' }).waitFor();
  await group('Printer').waitFor();
  await group('Safety').getByLabel('New owner PIN').waitFor();
  // Advanced comes last, after Safety, and starts collapsed.
  const order = await form.evaluate((f) => [...f.querySelectorAll('fieldset > legend, details > summary')].map((e) => e.textContent));
  assert.deepEqual(order, ['Shop', 'Getting paid', 'At the counter', 'Printer', 'Safety', 'Advanced']);
  const apiBase = page.getByLabel('API base');
  assert.equal(await apiBase.isVisible(), false, 'Advanced is collapsed');
  assert.equal(await form.locator('details.advanced').getAttribute('open'), null);
  await page.getByText('Advanced', { exact: true }).click();
  await apiBase.waitFor();
  assert.ok(await form.locator('details.advanced').evaluate((d) => d.open));

  // Strict mode names the asset received, and saves as strict.
  const strict = page.getByRole('checkbox', { name: 'Only accept payments that arrive as USDT' });
  assert.equal(await strict.isChecked(), false);
  await strict.check();
  const save = page.getByRole('button', { name: 'Save' });
  // Save is on screen at the top of the page, in landscape and portrait, dark and light.
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    for (const [width, height] of [[1024, 768], [768, 1024]]) {
      await page.setViewportSize({ width, height });
      await page.evaluate(() => window.scrollTo(0, 0));
      const box = await save.boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= height, `Save on screen at ${width}x${height}: ${JSON.stringify(box)}`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollHeight > innerHeight), 'the form is taller than the screen');
      await mkdir('target/screenshots', { recursive: true });
      await page.screenshot({ path: `target/screenshots/settings-${width}x${height}-${colorScheme}.png` });
    }
  }
  // Halfway down, still on screen.
  await page.getByLabel('New owner PIN').scrollIntoViewIfNeeded();
  const box = await save.boundingBox();
  assert.ok(box && box.y + box.height <= 1024);
  await save.click();
  await page.getByRole('button', { name: 'Backspace' }).waitFor();
  const stored = await storedSettings(page);
  assert.equal(stored.strict, true);
  assert.equal(stored.settlement.asset_id, USDT);
  w.assertClean();
  await w.context.close();
});
