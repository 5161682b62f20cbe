// Order numbers (issue 13, part 2): a device id made at first start and a
// counter, sent as MixPay's orderId in both link modes, shown on the payment
// screen, in History (searchable) and in the CSV.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { chargeAndReadQr, openReadyApp, setupSuite, statusText, storedSale, typeAmount, openExportMenu
} from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });
const ORDER = /^[A-Z2-9]{6}-\d{6}$/;

/** What the simulator answers when asked by orderId and payeeId, as MixPay allows. */
async function resultByOrder(orderId, payeeId) {
  const r = await fetch(`${suite.sim.url}/v1/payments_result?orderId=${orderId}&payeeId=${payeeId}`);
  return (await r.json()).data;
}

for (const mode of ['one_time', 'pay_link']) {
  test(`${mode}: every sale gets the next order number, sent as orderId and shown on screen`, async () => {
    const w = await openReadyApp(suite.browser, suite.app, suite.sim, { mode });
    const oneTimeBodies = [];
    w.page.on('request', (r) => {
      // Posted as a form (no CORS preflight).
      if (r.url().endsWith('/v1/one_time_payment')) oneTimeBodies.push(Object.fromEntries(new URLSearchParams(r.postData())));
    });
    const numbers = [];
    for (const amount of ['3', '4']) {
      await typeAmount(w.page, amount);
      const { link, traceId } = await chargeAndReadQr(w.page);
      const sale = await storedSale(w.page, traceId);
      const orderId = sale.params.order_id;
      assert.match(orderId, ORDER);
      numbers.push(orderId);
      await w.page.getByText(`Order ${orderId}`).waitFor();
      if (mode === 'pay_link') {
        assert.equal(new URL(link).searchParams.get('orderId'), orderId, 'the pay link carries it');
        // The customer opens the link: MixPay (the simulator) records it.
        const opened = await fetch(link);
        assert.equal(opened.status, 200);
      } else {
        assert.match(link, /\/code\//);
        assert.equal(oneTimeBodies.at(-1).orderId, orderId, 'the one-time payment request carries it');
        assert.equal(oneTimeBodies.at(-1).traceId, traceId);
      }
      await suite.sim.pay({ traceId });
      await statusText(w.page).filter({ hasText: /^Paid$/ }).waitFor({ timeout: 15_000 });
      const byOrder = await resultByOrder(orderId, sale.params.payee_id);
      assert.equal(byOrder.traceId, traceId, 'MixPay finds the payment by its orderId');
      assert.equal(byOrder.orderId, orderId);
      assert.equal(byOrder.status, 'success');
      await w.page.getByRole('button', { name: 'New sale' }).click();
    }
    const [device, first] = numbers[0].split('-');
    assert.equal(numbers[1], `${device}-${String(Number(first) + 1).padStart(6, '0')}`, 'the counter counts up');
    w.assertClean();
    await w.context.close();
  });
}

test('the counter survives a reload, History shows and finds order numbers, and the CSV has them', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  const sell = async (amount, note) => {
    await typeAmount(w.page, amount);
    if (note) await w.page.getByLabel('Note (optional)').fill(note);
    const { traceId } = await chargeAndReadQr(w.page);
    const orderId = (await storedSale(w.page, traceId)).params.order_id;
    await suite.sim.pay({ traceId });
    await statusText(w.page).filter({ hasText: /^Paid$/ }).waitFor({ timeout: 15_000 });
    await w.page.getByRole('button', { name: 'New sale' }).click();
    return orderId;
  };
  const a = await sell('2', 'Espresso');
  await w.page.reload();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  const b = await sell('3', 'Cake');
  assert.equal(a.slice(0, 6), b.slice(0, 6), 'one device id');
  assert.equal(Number(b.slice(7)), Number(a.slice(7)) + 1, 'the counter went on after the reload');

  await w.page.getByRole('button', { name: 'History' }).click();
  await w.page.getByRole('listitem').nth(1).waitFor();
  assert.match(await w.page.getByRole('listitem').filter({ hasText: 'Espresso' }).innerText(), new RegExp(`Order ${a}`));
  const search = w.page.getByRole('searchbox', { name: 'Search' });
  await search.fill(b.slice(-6));
  await w.page.getByText('1 sale', { exact: true }).waitFor();
  assert.match(await w.page.getByRole('listitem').innerText(), /Cake/);
  await search.fill(a.toLowerCase());
  await w.page.getByRole('listitem').filter({ hasText: 'Espresso' }).waitFor();
  assert.equal(await w.page.getByRole('listitem').count(), 1);
  await search.fill('');
  await w.page.getByText('2 sales', { exact: true }).waitFor();

  await openExportMenu(w.page);

  const [download] = await Promise.all([
    w.page.waitForEvent('download'),
    w.page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  const [header, ...rows] = csv.split('\r\n').filter(Boolean);
  const at = header.split(',').indexOf('Order number');
  assert.ok(at > 0, header);
  assert.deepEqual(rows.map((r) => r.split(',')[at]), [a, b]);
  w.assertClean();
  await w.context.close();
});

test('two tablets of one shop never share an order number', async () => {
  const tablets = [
    await openReadyApp(suite.browser, suite.app, suite.sim),
    await openReadyApp(suite.browser, suite.app, suite.sim),
  ];
  const ids = [];
  for (const w of tablets) {
    await typeAmount(w.page, '1');
    const { traceId } = await chargeAndReadQr(w.page);
    ids.push((await storedSale(w.page, traceId)).params.order_id);
  }
  assert.notEqual(ids[0].slice(0, 6), ids[1].slice(0, 6), 'each device made its own id');
  for (const w of tablets) {
    w.assertClean();
    await w.context.close();
  }
});
