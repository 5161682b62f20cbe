// The counter cannot redirect the money: owner PIN, payee-change
// confirmation, pinned MixPay origins, the Content Security Policy, and
// config.json read field by field.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEMO_PAYEE,
  DIST,
  OTHER_PAYEE,
  chargeAndReadQr,
  newWatchedPage,
  routeConfig,
  seedSales,
  setupSuite,
  startApp,
  typeAmount,
  until,
  waitForStatus,
  openExportMenu,
} from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });
const PIN = '2468';

const stored = (page, key) => page.evaluate((k) => JSON.parse(localStorage.getItem(k)), key);
const storedSettings = (page) => stored(page, 'mixpay-pos/settings');
const lockout = (page) => stored(page, 'mixpay-pos/owner-pin-lockout');

/** A first run saved by the owner, with `pin` set when given. */
async function firstRun(config = {}, { pin } = {}) {
  const w = await newWatchedPage(suite.browser, { viewport: { width: 800, height: 1100 } });
  // Every policy violation in the page, from before its first script.
  await w.context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await routeConfig(w.context, suite.sim, config);
  await w.page.goto(suite.app.url);
  await w.page.getByRole('button', { name: 'Save' }).waitFor();
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  if (pin) {
    await w.page.getByLabel('New owner PIN').fill(pin);
    await w.page.getByLabel('Confirm owner PIN').fill(pin);
  }
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  return w;
}

const nav = (page, name) => page.getByRole('navigation').getByRole('button', { name, exact: true }).click();

async function unlock(page, pin) {
  await page.getByLabel('Owner PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

test('owner PIN: set, Settings locked, wrong PIN refused, lockout kept across a reload, right PIN opens', async () => {
  const w = await newWatchedPage(suite.browser, { viewport: { width: 800, height: 1100 } });
  await routeConfig(w.context, suite.sim);
  await w.page.goto(suite.app.url);
  // First run: no PIN yet, and the app says so.
  await w.page.getByText('Set an owner PIN').waitFor();
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await w.page.getByLabel('New owner PIN').fill('12');
  await w.page.getByLabel('Confirm owner PIN').fill('12');
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('alert').filter({ hasText: '4 to 8 digits' }).waitFor();
  await w.page.getByLabel('New owner PIN').fill(PIN);
  await w.page.getByLabel('Confirm owner PIN').fill('2469');
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('alert').filter({ hasText: 'differ' }).waitFor();
  await w.page.getByLabel('Confirm owner PIN').fill(PIN);
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  assert.equal(await w.page.getByText('Set an owner PIN').count(), 0, 'the banner goes once a PIN is set');

  // Only a salted PBKDF2-SHA-256 hash is stored.
  const record = await stored(w.page, 'mixpay-pos/owner-pin');
  assert.equal(record.algorithm, 'PBKDF2-SHA-256');
  assert.ok(record.iterations >= 100_000, `${record.iterations} iterations`);
  assert.ok(record.salt.length >= 32, 'a 16-byte salt at least');
  const everything = await w.page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!everything.includes(PIN), 'the PIN is nowhere in clear');

  // Locked: not one field of the settings is in the page.
  await nav(w.page, 'Settings');
  await w.page.getByRole('button', { name: 'Unlock' }).waitFor();
  assert.equal(await w.page.getByRole('button', { name: 'Save' }).count(), 0);
  assert.equal(await w.page.getByLabel(/Payee/).count(), 0);
  assert.equal(await w.page.getByLabel('API base').count(), 0);

  // Five wrong tries are refused one by one; the fifth starts the lockout.
  for (let i = 1; i <= 5; i++) {
    await unlock(w.page, '1111');
    await until(async () => (await lockout(w.page))?.failures === i, `wrong try ${i} counted`);
    await w.page.getByRole('alert').filter({ hasText: 'Wrong PIN' }).waitFor();
  }
  assert.equal(await w.page.getByRole('button', { name: 'Save' }).count(), 0);
  await unlock(w.page, PIN);
  await w.page.getByRole('alert').filter({ hasText: /Too many wrong PINs: try again in (29|30) s/ }).waitFor();
  assert.equal(await w.page.getByRole('button', { name: 'Save' }).count(), 0, 'the right PIN is refused during the lockout');

  // A reload does not give the tries back.
  await w.page.reload();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  await nav(w.page, 'Settings');
  await unlock(w.page, PIN);
  await w.page.getByRole('alert').filter({ hasText: /Too many wrong PINs/ }).waitFor();
  assert.equal(await w.page.getByRole('button', { name: 'Save' }).count(), 0);

  // The 30 s are over (the stored lockout's end moved to now, rather than a sleep).
  const kept = await lockout(w.page);
  assert.equal(kept.failures, 5);
  await w.page.evaluate((l) => localStorage.setItem('mixpay-pos/owner-pin-lockout', JSON.stringify({ ...l, until_ms: Date.now() - 1 })), kept);
  // A sixth wrong try doubles the lockout to 60 s.
  await unlock(w.page, '9999');
  await until(async () => (await lockout(w.page)).failures === 6, 'the sixth wrong try counted');
  const doubled = await lockout(w.page);
  const secs = await w.page.evaluate((u) => (u - Date.now()) / 1000, doubled.until_ms);
  assert.ok(secs > 55 && secs <= 60, `${secs} s`);
  await w.page.evaluate((l) => localStorage.setItem('mixpay-pos/owner-pin-lockout', JSON.stringify({ ...l, until_ms: Date.now() - 1 })), doubled);
  await unlock(w.page, PIN);
  await w.page.getByRole('button', { name: 'Save' }).waitFor();
  assert.equal(await lockout(w.page), null, 'the right PIN clears the count');

  // A sale starting locks the settings again.
  await nav(w.page, 'Sale');
  await typeAmount(w.page, '2');
  await chargeAndReadQr(w.page);
  await w.page.getByRole('button', { name: 'Cancel' }).click();
  await w.page.getByRole('button', { name: 'Yes, cancel the sale' }).click();
  await nav(w.page, 'Settings');
  await w.page.getByRole('button', { name: 'Unlock' }).waitFor();
  assert.equal(await w.page.getByRole('button', { name: 'Save' }).count(), 0);
  w.assertClean();
  await w.context.close();
});

test('CSV export needs the PIN; the list of sales stays visible to the cashier', async () => {
  const w = await firstRun({}, { pin: PIN });
  await seedSales(w.page, 3);
  await nav(w.page, 'History');
  await w.page.getByText('seed 0').waitFor();
  assert.equal(await w.page.getByRole('listitem').count(), 3, 'the list is there');
  assert.equal(await w.page.getByRole('button', { name: 'Export CSV' }).count(), 0);
  await w.page.getByText('Export CSV needs the owner PIN').waitFor();
  await unlock(w.page, '0000');
  await w.page.getByRole('alert').filter({ hasText: 'Wrong PIN' }).waitFor();
  assert.equal(await w.page.getByRole('button', { name: 'Export CSV' }).count(), 0);
  await unlock(w.page, PIN);
  await openExportMenu(w.page);
  const [download] = await Promise.all([
    w.page.waitForEvent('download'),
    w.page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  assert.match(csv, /^Date,Status,Amount/);
  assert.equal(csv.split('\r\n').filter(Boolean).length, 4, csv);
  w.assertClean();
  await w.context.close();
});

test('a payee change shows the old and the new payee side by side and waits for a confirmation', async () => {
  const w = await firstRun();
  // The sale screen shows whom the customer pays.
  await typeAmount(w.page, '3');
  await chargeAndReadQr(w.page);
  await w.page.getByText('to 3f2a…5a6b · Demo Coffee').waitFor();
  await w.page.getByRole('button', { name: 'Show to customer' }).click();
  await w.page.getByRole('dialog', { name: 'Customer view' }).getByText('to 3f2a…5a6b · Demo Coffee').waitFor();
  await w.page.getByRole('button', { name: 'Close' }).click();
  await w.page.getByRole('button', { name: 'Cancel' }).click();
  await w.page.getByRole('button', { name: 'Yes, cancel the sale' }).click();

  await nav(w.page, 'Settings');
  await w.page.getByLabel(/Payee/).fill(OTHER_PAYEE);
  await w.page.getByRole('button', { name: 'Save' }).click();
  const dialog = w.page.getByRole('alertdialog', { name: 'Confirm the new payee' });
  await dialog.waitFor();
  const text = await dialog.innerText();
  assert.match(text, new RegExp(`Old payee[\\s\\S]*${DEMO_PAYEE}[\\s\\S]*New payee[\\s\\S]*${OTHER_PAYEE}`));
  assert.equal((await storedSettings(w.page)).payee_id, DEMO_PAYEE, 'nothing saved before the confirmation');
  await dialog.getByRole('button', { name: 'Keep the old payee' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await w.page.getByLabel(/Payee/).inputValue(), DEMO_PAYEE);

  await w.page.getByLabel(/Payee/).fill(OTHER_PAYEE);
  await w.page.getByRole('button', { name: 'Save' }).click();
  await dialog.getByRole('button', { name: 'Confirm new payee' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  assert.equal((await storedSettings(w.page)).payee_id, OTHER_PAYEE);
  w.assertClean();
  await w.context.close();
});

test('an API base that is not MixPay\'s is refused, and an http: one outside this device too', async () => {
  const w = await firstRun();
  const before = await storedSettings(w.page);
  let evil = 0;
  await w.context.route(/evil\.example|shop\.example/, (route) => {
    evil += 1;
    return route.abort();
  });
  await nav(w.page, 'Settings');
  await w.page.getByText('Advanced').click();
  await w.page.getByLabel('API base').fill('https://evil.example/v1');
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('alert').filter({ hasText: "API base: only MixPay's address (https://api.mixpay.me/v1) is allowed" }).waitFor();
  await w.page.getByLabel('API base').fill('http://shop.example/v1');
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('alert').filter({ hasText: 'an http: address is refused' }).waitFor();
  // A Mixin ID would be looked up at the API base: refused before any request.
  await w.page.getByLabel(/Payee/).fill('7000123456');
  await w.page.getByLabel('API base').fill('https://evil.example/v1');
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('alert').filter({ hasText: "only MixPay's address" }).waitFor();
  assert.deepEqual(await storedSettings(w.page), before, 'nothing saved');
  assert.equal(evil, 0, 'no request left for another origin');
  w.assertClean();
  await w.context.close();
});

test('a whole sale, History, Settings and the update prompt raise no policy violation under the shipped policy', async () => {
  // The headers a host sends with the build (dist/_headers), on every file.
  const response = await fetch(suite.app.url);
  const csp = response.headers.get('content-security-policy');
  for (const d of ["default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'", "object-src 'none'", "worker-src 'self'", "manifest-src 'self'"]) {
    assert.ok(csp.includes(d), `${d} in ${csp}`);
  }
  assert.ok(!/unsafe-inline|'unsafe-eval'/.test(csp), csp);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  assert.ok(response.headers.get('permissions-policy'));
  const html = await response.text();
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/.test(html), 'no inline script');

  // A build of its own, so a new version can be put out under the page.
  const dir = await mkdtemp(join(tmpdir(), 'mixpay-dist-'));
  await cp(DIST, dir, { recursive: true });
  const served = await startApp(dir);
  const app = suite.app;
  suite.app = served;
  try {
    const w = await firstRun();
    await typeAmount(w.page, '7.5');
    const { link } = await chargeAndReadQr(w.page);
    const code = link.split('/code/')[1];
    await w.page.getByRole('button', { name: 'Show to customer' }).click();
    await w.page.getByRole('button', { name: 'Close' }).click();
    await suite.sim.pay({ code, outcome: 'success' });
    await waitForStatus(w.page, /^Paid$/);
    await w.page.getByRole('button', { name: 'New sale' }).click();
    await nav(w.page, 'History');
    await w.page.getByRole('listitem').first().waitFor();
    await nav(w.page, 'Settings');
    await w.page.getByRole('button', { name: 'Save' }).waitFor();
    await nav(w.page, 'Sale');
    // The worker controls the page from the next load on; then a new version comes.
    await w.page.evaluate(() => navigator.serviceWorker.ready);
    await w.page.reload();
    await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
    const sw = await readFile(join(dir, 'sw.js'), 'utf8');
    await writeFile(join(dir, 'sw.js'), sw.replace(/const VERSION = '([^']*)';/, "const VERSION = '$1-next';"));
    await w.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await w.page.getByText('Update available').waitFor();
    await Promise.all([
      w.page.waitForEvent('load'),
      w.page.getByRole('button', { name: 'Reload to update' }).click(),
    ]);
    await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
    assert.deepEqual(await w.page.evaluate(() => window.__violations), []);

    // The listener does see a violation: an image from elsewhere is blocked.
    await w.page.evaluate(() => {
      const img = document.createElement('img');
      img.src = 'https://evil.example/pixel.png';
      document.body.append(img);
    });
    await until(() => w.page.evaluate(() => window.__violations.length > 0), 'the control violation');
    assert.match((await w.page.evaluate(() => window.__violations)).join(), /img-src https:\/\/evil\.example/);
    w.assertClean([/evil\.example/]);
    await w.context.close();
  } finally {
    suite.app = app;
    await served.close();
  }
});

test('config.json with one bad field fills the rest and names the bad one; lost settings are said loudly', async () => {
  const w = await newWatchedPage(suite.browser, { viewport: { width: 800, height: 1100 } });
  await routeConfig(w.context, suite.sim, { expiryMinutes: 'soon' });
  await w.page.goto(suite.app.url);
  await w.page.getByRole('alert').filter({ hasText: 'config.json: skipped expiryMinutes' }).waitFor();
  // The rest was taken.
  assert.equal(await w.page.getByLabel('Shop name', { exact: true }).inputValue(), 'Demo Coffee');
  assert.equal(await w.page.getByLabel(/Payee/).inputValue(), DEMO_PAYEE);
  assert.equal(await w.page.getByLabel('Expiry (minutes)').inputValue(), '15');
  // A first run takes no sale until the owner saves it.
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await nav(w.page, 'Sale');
  await typeAmount(w.page, '1');
  await w.page.getByRole('button', { name: /Charge/ }).click();
  await w.page.getByText('check them and save before the first sale').waitFor();
  await nav(w.page, 'Settings');
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();

  // The browser drops the settings, the sales stay: said, not silent.
  await seedSales(w.page, 2);
  await w.page.evaluate(() => localStorage.removeItem('mixpay-pos/settings'));
  await w.page.reload();
  await w.page.getByRole('alert').filter({ hasText: 'The saved settings are gone from this device' }).waitFor();
  w.assertClean();
  await w.context.close();
});

test('"Reset this device" after typing the shop name erases settings and PIN, keeps the sales', async () => {
  const w = await firstRun({}, { pin: PIN });
  await seedSales(w.page, 2);
  await nav(w.page, 'Settings');
  await w.page.getByText('Forgot the PIN?').click();
  await w.page.getByLabel('Shop name to confirm').fill('Other Shop');
  await w.page.getByRole('button', { name: 'Reset this device' }).click();
  await w.page.getByText("That is not this shop's name.").waitFor();
  assert.ok(await stored(w.page, 'mixpay-pos/owner-pin'));
  await w.page.getByLabel('Shop name to confirm').fill('demo coffee');
  await Promise.all([w.page.waitForEvent('load'), w.page.getByRole('button', { name: 'Reset this device' }).click()]);
  await w.page.getByRole('button', { name: 'Save' }).waitFor();
  await w.page.getByText('Set an owner PIN').waitFor();
  assert.equal(await stored(w.page, 'mixpay-pos/owner-pin'), null);
  assert.equal(await storedSettings(w.page), null);
  assert.equal(await w.page.getByText('The saved settings are gone').count(), 0, 'a reset is not a loss');
  await nav(w.page, 'History');
  await w.page.getByText('seed 1').waitFor();
  w.assertClean();
  await w.context.close();
});
