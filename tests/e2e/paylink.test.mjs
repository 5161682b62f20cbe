// Pay-link mode is MixPay's "only for testing": the payer can edit the link,
// its `amount` overriding `quoteAmount`. The option says so, switching to it
// asks for the owner PIN, and an edited link never reads "Paid" (issue 24, point 4).
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { newWatchedPage, routeConfig, setupSuite } from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });
const PIN = '246813';

const storedSettings = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('mixpay-pos/settings')));
const nav = (page, name) => page.getByRole('navigation').getByRole('button', { name, exact: true }).click();

/** A first run saved by the owner with a PIN. */
async function firstRunWithPin(config = {}) {
  const w = await newWatchedPage(suite.browser, { viewport: { width: 800, height: 1100 } });
  await routeConfig(w.context, suite.sim, config);
  await w.page.goto(suite.app.url);
  await w.page.getByRole('button', { name: 'Save' }).waitFor();
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await w.page.getByLabel('New owner PIN').fill(PIN);
  await w.page.getByLabel('Confirm owner PIN').fill(PIN);
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  return w;
}

async function openSettings(page) {
  await nav(page, 'Settings');
  await page.getByLabel('Owner PIN', { exact: true }).fill(PIN);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('button', { name: 'Save' }).waitFor();
}

test('pay-link mode reads "testing only", one-time stays the default, and switching to it asks for the current owner PIN and says why', async () => {
  const w = await firstRunWithPin();
  assert.equal((await storedSettings(w.page)).mode, 'one_time', 'one-time payment is the default');
  await openSettings(w.page);
  const mode = w.page.getByRole('combobox', { name: 'Payment mode' });
  assert.equal(await mode.locator('option:checked').innerText(), 'One-time payment (recommended)');
  await mode.selectOption({ label: 'Pay link (testing only: the payer can edit it)' });
  await w.page.getByRole('button', { name: 'Save' }).click();

  // The attack: an unlocked Settings left at the counter must not be enough.
  const ask = w.page.getByRole('alertdialog', { name: 'Enter the current owner PIN' });
  await ask.waitFor();
  assert.match(await ask.innerText(), /only for testing.*edit it before paying, the amount included/s);
  assert.equal((await storedSettings(w.page)).mode, 'one_time', 'nothing saved before the PIN');
  await ask.getByLabel('Current owner PIN').fill('975310');
  await ask.getByRole('button', { name: 'Confirm with the PIN' }).click();
  await ask.getByRole('alert').filter({ hasText: 'Wrong PIN' }).waitFor();
  assert.equal((await storedSettings(w.page)).mode, 'one_time', 'a wrong PIN saves nothing');

  await ask.getByLabel('Current owner PIN').fill(PIN);
  await ask.getByRole('button', { name: 'Confirm with the PIN' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  assert.equal((await storedSettings(w.page)).mode, 'pay_link');

  // Back to one-time payment needs no PIN: it takes nothing away from the owner.
  await openSettings(w.page);
  await w.page.getByRole('combobox', { name: 'Payment mode' }).selectOption({ label: 'One-time payment (recommended)' });
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  assert.equal((await storedSettings(w.page)).mode, 'one_time');
  w.assertClean();
  await w.context.close();
});

test('在中文界面中，付款链接选项写明仅供测试，切换时要求输入店主密码', async () => {
  const w = await firstRunWithPin();
  await openSettings(w.page);
  await w.page.locator('select.language').selectOption('zh-Hans');
  const mode = w.page.getByRole('combobox', { name: '收款方式' });
  await mode.selectOption({ label: '付款链接（仅供测试：付款人可以修改它）' });
  await w.page.getByRole('button', { name: '保存' }).click();
  const ask = w.page.getByRole('alertdialog', { name: '输入当前店主密码' });
  await ask.getByText('仅供测试').waitFor();
  await ask.getByLabel('当前店主密码').fill(PIN);
  await ask.getByRole('button', { name: '用密码确认' }).click();
  await w.page.getByRole('button', { name: '退格' }).waitFor();
  assert.equal((await storedSettings(w.page)).mode, 'pay_link');
  w.assertClean();
  await w.context.close();
});
