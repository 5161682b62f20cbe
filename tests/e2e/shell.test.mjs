// The release build starts in Chromium without errors; a first run opens the
// settings, filled from config.json; the keypad works by touch and keyboard.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  newWatchedPage,
  openReadyApp,
  routeConfig,
  setupSuite,
} from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });

test('a first run opens the settings filled from config.json, with no console errors', async () => {
  const w = await newWatchedPage(suite.browser);
  await routeConfig(w.context, suite.sim);
  await w.page.goto(suite.app.url);
  assert.equal(await w.page.title(), 'MixPay PoS');
  await w.page.getByRole('button', { name: 'Save' }).waitFor();
  assert.equal(await w.page.getByLabel('Payee').inputValue(), '3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b');
  assert.equal(await w.page.getByLabel('Shop name').inputValue(), 'Demo Coffee');
  for (const label of ['Quote currency', 'Settlement asset', 'Payment mode']) {
    await w.page.getByLabel(label).waitFor();
  }
  w.assertClean();
  await w.context.close();
});

test('one money format on the keypad: the places to come lighter, Clear and 00', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  const key = (name) => w.page.getByRole('button', { name, exact: true }).click();
  for (const k of ['1', '2', '.', '5']) await key(k);
  const display = w.page.getByLabel('Amount', { exact: true });
  await display.filter({ hasText: /^\$12\.50$/ }).waitFor();
  await w.page.getByRole('button', { name: 'Charge $12.50' }).waitFor();
  // The "0" not typed yet is there, in a lighter tone than the typed digits.
  const tones = await display.evaluate((d) => ({
    pending: d.querySelector('.pending').textContent,
    typed: getComputedStyle(d.querySelector('.digits')).color,
    toCome: getComputedStyle(d.querySelector('.pending')).color,
  }));
  assert.equal(tones.pending, '0');
  assert.notEqual(tones.toCome, tones.typed);
  // "00" past the places is refused whole.
  await key('00');
  await display.filter({ hasText: /^\$12\.50$/ }).waitFor();
  assert.match(await w.page.getByRole('alert').first().innerText(), /At most 2 decimal places/);
  await key('Clear');
  await display.filter({ hasText: /^\$0\.00$/ }).waitFor();
  for (const k of ['1', '2', '00']) await key(k);
  await w.page.getByRole('button', { name: 'Charge $1,200.00' }).waitFor();
  w.assertClean();
  await w.context.close();
});

test('keypad taps and the keyboard show the amount', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  for (const key of ['4', '2', '.', '5', '0', '9']) {
    await w.page.getByRole('button', { name: key, exact: true }).click();
  }
  const display = w.page.getByLabel('Amount', { exact: true });
  await display.filter({ hasText: /^\$42\.50$/ }).waitFor({ timeout: 5000 });
  await w.page.keyboard.press('Escape');
  await w.page.keyboard.type('7.2');
  await w.page.keyboard.press('Backspace');
  await w.page.keyboard.type('5');
  await display.filter({ hasText: /^\$7\.50$/ }).waitFor({ timeout: 5000 });
  assert.match(await w.page.getByRole('alert').first().innerText(), /^$/);
  w.assertClean();
  await w.context.close();
});

test('settings survive a reload', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim, { shopName: 'Corner Shop' });
  await w.page.reload();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  assert.equal(await w.page.getByRole('heading', { level: 1 }).innerText(), 'Corner Shop');
  w.assertClean();
  await w.context.close();
});
