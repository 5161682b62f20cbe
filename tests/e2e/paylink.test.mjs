// Pay-link mode is MixPay's "only for testing": the payer can edit the link,
// its `amount` overriding `quoteAmount`. The option says so, switching to it
// asks for the owner PIN, and an edited link never reads "Paid" (issue 24, point 4).
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { USDT, chargeAndReadQr, newWatchedPage, routeConfig, setupSuite, storedSale, typeAmount, waitForStatus } from './helpers.mjs';

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
  // The recovery code is shown once after a PIN is set (issue 25).
  const notice = w.page.getByRole('alertdialog', { name: /^(Recovery code: write it down|恢复码)/ });
  await notice.getByRole('button').click();
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
  await w.page.getByRole('alert').filter({ hasText: 'Switching to the pay link needs the current owner PIN.' }).waitFor();
  assert.match(await w.page.getByRole('alert').filter({ hasText: 'Switching to the pay link' }).innerText(),
    /only for testing.*edit it before paying, the amount included/s);
  assert.equal((await storedSettings(w.page)).mode, 'one_time', 'nothing saved without the PIN');
  await w.page.getByLabel('Current owner PIN').fill('975310');
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('alert').filter({ hasText: 'Wrong PIN' }).waitFor();
  assert.equal((await storedSettings(w.page)).mode, 'one_time', 'a wrong PIN saves nothing');

  await w.page.getByLabel('Current owner PIN').fill(PIN);
  await w.page.getByRole('button', { name: 'Save' }).click();
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
  await w.page.getByRole('alert').filter({ hasText: '切换到付款链接需要输入当前店主密码。' }).getByText(/仅供测试/).waitFor();
  await w.page.getByLabel('当前店主密码').fill(PIN);
  await w.page.getByRole('button', { name: '保存' }).click();
  await w.page.getByRole('button', { name: '退格' }).waitFor();
  assert.equal((await storedSettings(w.page)).mode, 'pay_link');
  w.assertClean();
  await w.context.close();
});

test('the payer edits the pay link with &amount=0.01 and pays: the till reads "Payment does not match", never Paid', async () => {
  const w = await firstRunWithPin({ mode: 'pay_link' });
  await typeAmount(w.page, '25');
  const { link, traceId } = await chargeAndReadQr(w.page);
  assert.match(link, /quoteAmount=25(&|$)/);
  // MixPay's documented `amount` takes priority over `quoteAmount`: the
  // payer adds it to the link, opens it and pays 0.01; MixPay reports what
  // was charged.
  const tampered = new URL(link);
  tampered.searchParams.set('amount', '0.01');
  assert.equal((await fetch(tampered)).status, 200);
  await suite.sim.pay({ traceId, amount: '0.01' });
  await waitForStatus(w.page, /Payment does not match/);
  assert.equal(await w.page.getByText('Paid', { exact: true }).count(), 0);
  assert.equal((await storedSale(w.page, traceId)).status.kind, 'mismatch');
  w.assertClean();
  await w.context.close();
});

test('strict mode: an asset MixPay says cannot settle the amount refuses Charge before any QR; another amount goes through', async () => {
  const w = await firstRunWithPin({ strict: true });
  assert.equal((await storedSettings(w.page)).strict, true);
  await suite.sim.faults({ unavailableSettlement: [USDT] });
  await typeAmount(w.page, '3');
  await w.page.getByRole('button', { name: /Charge/ }).click();
  await w.page.getByText('USDT cannot settle $3.00: change the amount or turn strict mode off').waitFor();
  const asked = (await suite.sim.requests()).filter((r) => r.path === '/v1/setting/settlement_assets' && /quoteAmount=3(&|$)/.test(r.query ?? ''));
  assert.equal(asked.length, 1, 'asked once, with the quote');
  assert.match(asked[0].query, /payeeId=3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b/);
  assert.match(asked[0].query, /quoteAssetId=usd/);
  assert.equal(await w.page.getByRole('img', { name: /QR code/ }).count(), 0, 'no QR for a sale nobody can pay');
  assert.equal((await suite.sim.requests()).filter((r) => r.path === '/v1/one_time_payment').length, 0, 'nothing created at MixPay');

  await suite.sim.faults({});
  await w.page.getByRole('button', { name: /Charge/ }).click();
  await w.page.getByRole('img', { name: /QR code/ }).waitFor();
  w.assertClean();
  await w.context.close();
});

test('严格模式：MixPay 表示无法结算该金额时，收款被拒绝', async () => {
  const w = await firstRunWithPin({ strict: true });
  await w.page.evaluate(() => localStorage.setItem('mixpay-pos/lang', 'zh-Hans'));
  await suite.sim.faults({ unavailableSettlement: [USDT] });
  await w.page.reload();
  await w.page.getByRole('button', { name: '3', exact: true }).click();
  await w.page.getByRole('button', { name: /收款/ }).click();
  await w.page.getByText('USDT 无法结算 $3.00：请修改金额或关闭严格模式').waitFor();
  w.assertClean();
  await w.context.close();
});
