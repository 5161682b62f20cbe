// The release build starts in Chromium without errors and the keypad works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newWatchedPage, startApp } from './helpers.mjs';

let app;
let browser;
before(async () => {
  app = await startApp();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
});

test('the app starts with no console errors', async () => {
  const w = await newWatchedPage(browser);
  await w.page.goto(app.url);
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  assert.equal(await w.page.title(), 'MixPay PoS');
  w.assertClean();
  await w.context.close();
});

test('keypad taps show the amount', async () => {
  const w = await newWatchedPage(browser);
  await w.page.goto(app.url);
  for (const key of ['4', '2', '.', '5', '0', '9']) {
    await w.page.getByRole('button', { name: key, exact: true }).click();
  }
  await assert.doesNotReject(
    w.page.getByLabel('Amount').filter({ hasText: /^42\.50$/ }).waitFor({ timeout: 5000 }),
  );
  w.assertClean();
  await w.context.close();
});
