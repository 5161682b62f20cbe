// "Set up another tablet" (issue 27, part 2): Settings, behind the owner
// PIN, makes a QR code and a copyable link that carry this tablet's shop
// settings and products in the fragment (`#setup=…`, deflated, signed with a
// key derived from the owner PIN). A fresh tablet opening it shows what it
// sets and whom it pays, asks for the first tablet's PIN, refuses a wrong
// PIN and an edited link (changing nothing), and on "Use these settings"
// saves them with its own order-number prefix. A tablet that has settings
// asks before replacing them (with its own PIN). A catalogue too large for
// a QR code is said, with the file export offered.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { DEMO_PAYEE, OTHER_PAYEE, chargeAndReadQr, decodeQr, newWatchedPage, routeConfig, seedSales, setupSuite, storedSale, typeAmount, until } from './helpers.mjs';
import { LAYOUTS, axeAndShots as axeAndShotsAtBothLayouts } from './screens.mjs';

const suite = setupSuite({ before, after, beforeEach });
const SHOTS = 'target/screenshots';
const PIN = '583920';
const MENU = [
  { name: 'Latte', price: '3.50', category: 'Coffee' },
  { name: 'Croissant', price: '2', category: 'Food' },
];

const EN = {
  save: 'Save', backspace: 'Backspace', settings: 'Settings', sale: 'Sale', newPin: 'New owner PIN', confirmPin: 'Confirm owner PIN',
  wroteIt: 'I wrote it down', ownerPin: 'Owner PIN', unlock: 'Unlock', setUp: 'Set up another tablet', signPin: 'Owner PIN to sign the link',
  make: 'Make the link', linkLabel: 'Set-up link', firstPin: 'Owner PIN of the first tablet', use: 'Use these settings', close: 'Close',
  title: 'Set up this tablet', settlement: 'Settlement asset',
  wrongPin: 'Wrong PIN: type the owner PIN of the tablet that made the link. Nothing was changed.',
  edited: 'This link was changed after it was made: it is refused and nothing was changed.',
  damaged: /damaged or was edited|changed after it was made/,
  done: /^This tablet is set up\. Its order numbers start with ([2-9A-HJKMNP-Z]{6})\.$/,
  payTo: 'Payments will go to',
};
const ZH = {
  save: '保存', backspace: '退格', settings: '设置', sale: '收银', newPin: '新的店主密码', confirmPin: '确认店主密码',
  wroteIt: null, ownerPin: '店主密码', unlock: '解锁', setUp: '设置另一台平板', signPin: '用于签名链接的店主密码',
  make: '生成链接', linkLabel: '设置链接', firstPin: '第一台平板的店主密码', use: '使用这些设置', close: '关闭',
  title: '设置这台平板', settlement: '收到的资产',
  wrongPin: '密码错误：请输入生成链接的那台平板的店主密码。未做任何更改。',
  edited: '此链接在生成后被修改过：已拒绝，未做任何更改。',
  damaged: /已损坏或被修改|生成后被修改过/,
  done: /^这台平板已设置好。它的订单号以 ([2-9A-HJKMNP-Z]{6}) 开头。$/,
  payTo: '款项将付给',
};

const stored = (page, key) => page.evaluate((k) => localStorage.getItem(k), key);

/** A first run saved with `pin` and `config` (products among it), in `locale`; the recovery code put away. */
async function tablet(t, config = {}, { locale, pin = PIN } = {}) {
  // A tablet's screen: two device pixels to a CSS pixel, so a large code's
  // modules are whole pixels in the screenshot jsQR reads.
  const w = await newWatchedPage(suite.browser, { viewport: LAYOUTS[0], deviceScaleFactor: 2, ...(locale ? { locale } : {}) });
  await routeConfig(w.context, suite.sim, config);
  await w.page.goto(suite.app.url);
  await w.page.getByRole('combobox', { name: t.settlement }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await w.page.getByLabel(t.newPin).fill(pin);
  await w.page.getByLabel(t.confirmPin).fill(pin);
  await w.page.getByRole('button', { name: t.save }).click();
  // The recovery code shown once, then the sale screen.
  await w.page.locator('.recovery-code button').click();
  await w.page.locator('.recovery-code').waitFor({ state: 'detached' });
  return w;
}

/** Settings unlocked → "Set up another tablet" → the PIN → the link, read from the page and from the QR. */
async function makeLink(t, page, pin = PIN) {
  await page.getByRole('navigation').getByRole('button', { name: t.settings, exact: true }).click();
  await page.getByLabel(t.ownerPin, { exact: true }).fill(pin);
  await page.getByRole('button', { name: t.unlock }).click();
  await page.getByRole('button', { name: t.setUp }).click();
  const dialog = page.getByRole('dialog', { name: t.setUp });
  await dialog.getByLabel(t.signPin).fill(pin);
  await dialog.getByRole('button', { name: t.make }).click();
  const qr = dialog.getByRole('img', { name: /QR code|二维码/ });
  await qr.waitFor();
  const link = await dialog.getByLabel(t.linkLabel).inputValue();
  const decoded = await until(() => decodeQr(qr).catch(() => null), 'a QR code jsQR can read', 10_000).catch(async (e) => {
    await mkdir(SHOTS, { recursive: true });
    await qr.screenshot({ path: `${SHOTS}/setup-link-unread.png` });
    throw new Error(`${e.message} (a link of ${link.length} characters)`);
  });
  assert.equal(decoded, link, 'the QR code is the copyable link');
  assert.ok(link.startsWith(`${suite.app.url.replace(/\/$/, '')}/#setup=`) || link.startsWith(`${suite.app.url}#setup=`), link);
  return { dialog, link };
}

/** The shared axe and screenshots, then the first layout again. */
async function axeAndShots(page, name) {
  await axeAndShotsAtBothLayouts(page, name);
  await page.setViewportSize(LAYOUTS[0]);
}

/** The link with the character at `index` of its fragment changed. */
function edited(link, index) {
  const at = link.indexOf('#setup=') + '#setup='.length + index;
  const c = link[at];
  return link.slice(0, at) + (c === 'A' ? 'B' : 'A') + link.slice(at + 1);
}

/** A fresh tablet (empty storage) opening `link`; its set-up screen. */
async function openOnFreshTablet(t, link, locale) {
  const w = await newWatchedPage(suite.browser, { viewport: LAYOUTS[0], ...(locale ? { locale } : {}) });
  await routeConfig(w.context, suite.sim, { shopName: 'Not this one', payeeId: undefined });
  await w.page.goto(link);
  await w.page.getByRole('heading', { name: t.title }).waitFor();
  return w;
}

/** Opens `link` in a page that is already on the app (a new document: not only the fragment). */
async function reopen(page, link) {
  await page.goto('about:blank');
  await page.goto(link);
}

async function refused(t, w, link, pin, message) {
  await reopen(w.page, link);
  await w.page.getByRole('heading', { name: t.title }).waitFor();
  const alert = w.page.locator('.setup-open').getByRole('alert');
  // Read (or refused) once the link is decoded: its PIN field, or the refusal.
  await w.page.locator('.setup-open input[type="password"], .setup-open [role="alert"]').first().waitFor();
  if (await w.page.getByLabel(t.firstPin).count()) {
    await w.page.getByLabel(t.firstPin).fill(pin);
    await w.page.getByRole('button', { name: t.use }).click();
  }
  await alert.waitFor();
  const text = (await alert.innerText()).trim();
  if (message instanceof RegExp) assert.match(text, message);
  else assert.equal(text, message);
  assert.equal(await stored(w.page, 'mixpay-pos/settings'), null, 'nothing saved');
  assert.equal(await stored(w.page, 'mixpay-pos/products'), null, 'no products saved');
  assert.equal(await stored(w.page, 'mixpay-pos/device'), null, 'no device id made');
}

/** The whole journey in one language. */
async function journey(t, locale, shots) {
  const a = await tablet(t, { products: MENU }, { locale });
  // In English, a sale on the first tablet first: it has its own device id
  // (order-number prefix) when it makes the link.
  let prefixA = null;
  if (t === EN) {
    await a.page.locator('#tab-keypad').click();
    await typeAmount(a.page, '1');
    const { traceId } = await chargeAndReadQr(a.page);
    prefixA = (await storedSale(a.page, traceId)).params.order_id.split('-')[0];
    await a.page.getByRole('button', { name: 'Cancel' }).click();
    await a.page.getByRole('button', { name: 'Yes, cancel the sale' }).click();
    await a.page.locator('.qr-box .qr').waitFor({ state: 'detached' });
  }
  const { dialog, link } = await makeLink(t, a.page);
  if (shots) await axeAndShots(a.page, `setup-link-${shots}`);
  await dialog.getByRole('button', { name: t.close }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await a.page.evaluate(() => document.adoptedStyleSheets.length), 0, 'the dialog\'s styles leave with it');

  const b = await openOnFreshTablet(t, link, locale);
  assert.ok(!b.page.url().includes('#'), `the fragment is out of the address: ${b.page.url()}`);
  assert.equal(await b.page.evaluate(() => location.hash), '');
  const screen = b.page.locator('.setup-open');
  const text = await screen.innerText();
  for (const words of [t.payTo, 'Demo Coffee', 'USD', 'USDT', `${DEMO_PAYEE.slice(0, 4)}`]) {
    assert.ok(text.includes(words), `${JSON.stringify(words)} in ${JSON.stringify(text)}`);
  }
  assert.ok((await screen.locator('.setup-payee').innerText()).includes(DEMO_PAYEE.slice(-4)), 'the payee in large type');
  if (shots) await axeAndShots(b.page, `setup-open-${shots}`);

  // A wrong PIN, an edited MAC, an edited body: refused, nothing changed.
  await refused(t, b, link, '111111', t.wrongPin);
  await refused(t, b, edited(link, 90), PIN, t.edited);
  await refused(t, b, edited(link, link.length - link.indexOf('#setup=') - 9), PIN, t.damaged);

  // The real link, the right PIN: set up, with this tablet's own prefix.
  await reopen(b.page, link);
  await b.page.getByLabel(t.firstPin).fill(PIN);
  await b.page.getByRole('button', { name: t.use }).click();
  const done = b.page.locator('.setup-open').getByRole('status');
  await done.waitFor();
  const prefix = (await done.innerText()).trim().match(t.done)?.[1];
  assert.ok(prefix, await done.innerText());
  const settings = JSON.parse(await stored(b.page, 'mixpay-pos/settings'));
  assert.equal(settings.payee_id, DEMO_PAYEE);
  assert.equal(settings.shop_name, 'Demo Coffee');
  assert.equal(settings.pin_guarded, undefined, 'no PIN came with the link');
  assert.equal(await stored(b.page, 'mixpay-pos/owner-pin'), null, 'no PIN came with the link');
  const products = JSON.parse(await stored(b.page, 'mixpay-pos/products')).products.map((p) => p.name);
  assert.deepEqual(products, MENU.map((p) => p.name));
  await b.page.locator('.setup-open').getByRole('button', { name: t.close }).click();

  // A sale on the new tablet: its own order number.
  await b.page.locator('#tab-keypad').click();
  await typeAmount(b.page, '2');
  await b.page.locator('button.charge').click();
  await b.page.locator('.qr-box .qr').waitFor();
  const traceId = await until(() => b.page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('mixpay-pos/sale/'))?.slice(16)), 'the sale');
  const sale = await storedSale(b.page, traceId);
  assert.match(sale.params.order_id, new RegExp(`^${prefix}-000001$`));
  assert.equal(sale.params.payee_id, DEMO_PAYEE);
  if (prefixA) {
    assert.notEqual(prefix, prefixA, 'the new tablet\'s order numbers are its own');
    assert.notEqual(await stored(b.page, 'mixpay-pos/device'), await stored(a.page, 'mixpay-pos/device'));
  } else {
    assert.equal(await stored(a.page, 'mixpay-pos/device'), null, 'the first tablet made no sale: the prefix is the new tablet\'s own');
  }
  a.assertClean();
  b.assertClean();
  await a.context.close();
  await b.context.close();
}

test('English: the link and its QR code in Settings; a fresh tablet refuses a wrong PIN and edited links, then "Use these settings" and a sale with its own order-number prefix', async () => {
  await journey(EN, undefined, 'en');
});

test('Chinese: 设置另一台平板, the same journey in Chinese', async () => {
  await journey(ZH, 'zh-CN', 'zh');
});

test('a tablet that has settings and a PIN asks before replacing them, with its own PIN', async () => {
  const a = await tablet(EN, { products: MENU });
  const { link } = await makeLink(EN, a.page);
  await a.context.close();
  const c = await tablet(EN, { shopName: 'Other Shop' }, { pin: '975318' });
  await reopen(c.page, link);
  await c.page.getByRole('heading', { name: EN.title }).waitFor();
  const screen = c.page.locator('.setup-open');
  await screen.getByText('This tablet already has settings: they will be replaced. Its sales and its order numbers stay.').waitFor();
  await c.page.getByLabel(EN.firstPin).fill(PIN);
  await c.page.getByRole('button', { name: EN.use }).click();
  await screen.getByRole('alert').filter({ hasText: 'Tick "Replace this tablet\'s settings" first.' }).waitFor();
  await c.page.getByRole('checkbox', { name: "Replace this tablet's settings" }).check();
  await c.page.getByLabel('Owner PIN of this tablet').fill('135792');
  await c.page.getByRole('button', { name: EN.use }).click();
  await screen.getByRole('alert').filter({ hasText: 'Wrong PIN of this tablet: nothing was changed.' }).waitFor();
  assert.equal(JSON.parse(await stored(c.page, 'mixpay-pos/settings')).shop_name, 'Other Shop', 'not replaced');
  await c.page.getByLabel('Owner PIN of this tablet').fill('975318');
  await c.page.getByRole('button', { name: EN.use }).click();
  await screen.getByRole('status').waitFor();
  assert.equal(JSON.parse(await stored(c.page, 'mixpay-pos/settings')).shop_name, 'Demo Coffee', 'replaced');
  c.assertClean();
  await c.context.close();
});

test('a tablet with an owner PIN asks for it even when its settings are gone; a link to another payee than its last sales\' is said until acknowledged', async () => {
  const a = await tablet(EN, { payeeId: OTHER_PAYEE });
  const { link } = await makeLink(EN, a.page);
  await a.context.close();
  // The attack: a tablet with a PIN and sales, its settings lost; someone
  // at the counter opens their own link and knows only their own PIN.
  const b = await tablet(EN, {}, { pin: '975318' });
  await seedSales(b.page, 3);
  await b.page.evaluate(() => localStorage.removeItem('mixpay-pos/settings'));
  await reopen(b.page, link);
  await b.page.getByRole('heading', { name: EN.title }).waitFor();
  const screen = b.page.locator('.setup-open');
  await b.page.getByLabel(EN.firstPin).fill(PIN);
  await b.page.getByLabel('Owner PIN of this tablet').fill('135792');
  await b.page.getByRole('button', { name: EN.use }).click();
  await screen.getByRole('alert').filter({ hasText: 'Wrong PIN of this tablet: nothing was changed.' }).waitFor();
  assert.equal(await stored(b.page, 'mixpay-pos/settings'), null, 'nothing saved without this tablet\'s PIN');
  await b.page.getByLabel('Owner PIN of this tablet').fill('975318');
  await b.page.getByRole('button', { name: EN.use }).click();
  await screen.getByRole('status').waitFor();
  assert.equal(JSON.parse(await stored(b.page, 'mixpay-pos/settings')).payee_id, OTHER_PAYEE);
  // The payee is not the last sales': said, and it lasts, as after a reset.
  await b.page.goto(suite.app.url);
  await b.page.getByRole('alert').filter({ hasText: 'The payee changed on' }).waitFor();
  b.assertClean();
  await b.context.close();
});

test('a catalogue too large for a QR code: said, with "Export JSON"; the QR code sets up the settings only', async () => {
  const words = ['Espresso', 'Mocha', 'Bagel', 'Muffin', 'Scone', 'Chai', 'Matcha', 'Waffle', 'Panini', 'Brownie'];
  const menu = Array.from({ length: 400 }, (_, i) => ({
    name: `${words[i % 10]} ${words[(i * 7) % 10]} ${(i * 7919) % 1000}`,
    price: `${(i * 37) % 50 + 1}.${String((i * 13) % 100).padStart(2, '0')}`,
    category: words[(i * 3) % 10],
  }));
  const a = await tablet(EN, { products: menu });
  const { dialog, link } = await makeLink(EN, a.page);
  const alert = dialog.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /With its 400 products the link is too long for a QR code \(\d[\d,]* characters; a QR code holds 2331\)/);
  await dialog.getByText('This link carries the shop settings and 0 products.').waitFor();
  const download = a.page.waitForEvent('download');
  await alert.getByRole('button', { name: 'Export JSON' }).click();
  assert.equal((await download).suggestedFilename(), 'mixpay-products.json');
  await axeAndShots(a.page, 'setup-link-too-long');

  const b = await openOnFreshTablet(EN, link);
  await b.page.getByText('Products: none in this link').waitFor();
  await b.page.getByLabel(EN.firstPin).fill(PIN);
  await b.page.getByRole('button', { name: EN.use }).click();
  await b.page.locator('.setup-open').getByRole('status').waitFor();
  assert.equal(await stored(b.page, 'mixpay-pos/products'), null, 'no products came');
  a.assertClean();
  b.assertClean();
  await a.context.close();
  await b.context.close();
});
