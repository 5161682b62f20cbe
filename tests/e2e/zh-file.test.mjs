// The Chinese words are a data file (i18n/zh-Hans.txt), fetched when Chinese
// is chosen: English stays on screen until it is in, the service worker
// serves it offline after a first visit, and when it cannot be fetched the
// app stays in English and says so in both languages.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIST, newWatchedPage, openReadyApp, routeConfig, serveDistCopy, setupSuite, until } from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });

const FILE = 'i18n/zh-Hans.txt';
const UNAVAILABLE = /Chinese could not be loaded.*无法载入中文/;

/** The first run's steps of `openReadyApp`, on a page of `options` (e.g. no service worker). */
async function readyApp(options) {
  const w = await newWatchedPage(suite.browser, { viewport: { width: 800, height: 1100 }, ...options });
  await routeConfig(w.context, suite.sim);
  await w.page.goto(suite.app.url);
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  return w;
}

const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);
// These pages block service workers (so that routing the file is all the
// network there is): sw-register.js then finds no registration.
const NO_WORKER = /reading 'waiting'/;

test('the service worker precaches the Chinese file with its SHA-256, and serves it offline after a first visit', async () => {
  const bytes = await readFile(`${DIST}/${FILE}`);
  const sw = await readFile(`${DIST}/sw.js`, 'utf8');
  const precache = JSON.parse(sw.match(/^const PRECACHE = (.*);$/m)[1]);
  const hashes = JSON.parse(sw.match(/^const HASHES = (.*);$/m)[1]);
  assert.ok(precache.includes(FILE), precache.join(' '));
  assert.equal(hashes[FILE], createHash('sha256').update(bytes).digest('hex'));

  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await w.page.evaluate(() => navigator.serviceWorker.ready);
  await w.page.reload();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  assert.equal(await w.page.evaluate(() => navigator.serviceWorker.controller !== null), true);
  // The first visit fetched nothing of the Chinese: English only.
  const fetched = await w.page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.ok(!fetched.some((u) => u.includes('zh-Hans')), fetched.join(' '));

  await w.context.setOffline(true);
  await w.page.getByRole('button', { name: 'Settings' }).click();
  await w.page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '中文（简体）' });
  await w.page.getByRole('combobox', { name: '语言' }).waitFor();
  await w.page.getByRole('button', { name: '保存' }).waitFor();
  assert.equal(await htmlLang(w.page), 'zh-Hans');
  assert.equal(await w.page.getByRole('alert').filter({ hasText: UNAVAILABLE }).count(), 0);
  // Still offline, a reload starts in Chinese from the cache.
  await w.page.reload();
  await w.page.getByRole('button', { name: '退格' }).waitFor();
  assert.equal(await htmlLang(w.page), 'zh-Hans');
  await w.context.setOffline(false);
  w.assertClean([/ERR_INTERNET_DISCONNECTED|Failed to load resource|Failed to fetch/]);
  await w.context.close();
});

test('the Chinese file cannot be fetched: English stays, a banner says so in both languages, and a later choice loads it', async () => {
  const w = await readyApp({ serviceWorkers: 'block' });
  await w.context.route(`**/${FILE}`, (route) => route.abort('internetdisconnected'));
  await w.page.getByRole('button', { name: 'Settings' }).click();
  await w.page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '中文（简体）' });
  const banner = w.page.getByRole('alert').filter({ hasText: UNAVAILABLE });
  await banner.waitFor();
  // English throughout, and the select shows the language on screen.
  assert.equal(await htmlLang(w.page), 'en');
  await w.page.getByRole('button', { name: 'Save' }).waitFor();
  assert.equal(await w.page.getByRole('combobox', { name: 'Language' }).inputValue(), 'en');
  assert.equal(await w.page.getByRole('button', { name: '保存' }).count(), 0);

  // Once the file can be fetched, choosing Chinese again works and the banner goes.
  await w.context.unroute(`**/${FILE}`);
  await w.page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '中文（简体）' });
  await w.page.getByRole('button', { name: '保存' }).waitFor();
  await banner.waitFor({ state: 'detached' });
  assert.equal(await htmlLang(w.page), 'zh-Hans');
  w.assertClean([/ERR_INTERNET_DISCONNECTED|Failed to load resource/, NO_WORKER]);
  await w.context.close();
});

test('while the Chinese file is on its way, the screen stays English; it switches once the file is in', async () => {
  const w = await readyApp({ serviceWorkers: 'block' });
  await w.page.evaluate(() => localStorage.setItem('mixpay-pos/lang', 'zh-Hans'));
  let release;
  const held = new Promise((ok) => (release = ok));
  let asked = false;
  await w.context.route(`**/${FILE}`, async (route) => {
    asked = true;
    await held;
    await route.continue();
  });
  await w.page.reload();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  await until(() => asked, 'the Chinese file is asked for');
  assert.equal(await htmlLang(w.page), 'en');
  // Never an empty label while waiting.
  assert.equal(await w.page.getByRole('button', { name: 'Settings' }).innerText(), 'Settings');
  release();
  await w.page.getByRole('button', { name: '退格' }).waitFor();
  assert.equal(await htmlLang(w.page), 'zh-Hans');
  w.assertClean([NO_WORKER]);
  await w.context.close();
});

test('an update brings its own Chinese file in its own cache: the old till keeps its build\'s file until reloaded', async () => {
  const served = await serveDistCopy();
  const { dir } = served;
  try {
    const w = await openReadyApp(suite.browser, served, suite.sim);
    await w.page.evaluate(() => navigator.serviceWorker.ready);
    await w.page.evaluate(() => localStorage.setItem('mixpay-pos/lang', 'zh-Hans'));
    await w.page.reload();
    await w.page.getByRole('button', { name: '退格' }).waitFor();
    assert.equal(await w.page.evaluate(() => navigator.serviceWorker.controller !== null), true);

    // A new build is deployed whose Chinese differs: the server's file and
    // the new worker's list (its version, the file's SHA-256) change.
    const next = (await readFile(join(dir, FILE), 'utf8')).replace(/^退格$/m, '退格键');
    assert.ok(next.includes('退格键\n'));
    await writeFile(join(dir, FILE), next);
    const nextHash = createHash('sha256').update(next).digest('hex');
    const sw = await readFile(join(dir, 'sw.js'), 'utf8');
    const oldHash = JSON.parse(sw.match(/^const HASHES = (.*);$/m)[1])[FILE];
    await writeFile(
      join(dir, 'sw.js'),
      sw.replace(/const VERSION = '([^']*)';/, "const VERSION = '$1-next';").replace(oldHash, nextHash),
    );
    await w.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await w.page.getByText('有可用更新').or(w.page.getByText('Update available')).waitFor({ timeout: 15_000 });

    // The new build's file waits in the new build's cache, beside its wasm...
    const cached = await w.page.evaluate(async (file) => {
      const out = {};
      for (const key of (await caches.keys()).filter((k) => k.startsWith('mixpay-pos-shell-'))) {
        const cache = await caches.open(key);
        const names = (await cache.keys()).map((r) => new URL(r.url).pathname.split('/').pop());
        out[key] = { zh: await (await cache.match(file))?.text(), wasm: names.some((n) => /^mixpay-pos-.*_bg\.wasm$/.test(n)) };
      }
      return out;
    }, FILE);
    const [oldCache, newCache] = [Object.keys(cached).find((k) => !k.endsWith('-next')), Object.keys(cached).find((k) => k.endsWith('-next'))];
    assert.ok(oldCache && newCache, Object.keys(cached).join(' '));
    assert.ok(cached[newCache].zh.includes('退格键\n') && cached[newCache].wasm, 'the new file with the new build');
    assert.ok(!cached[oldCache].zh.includes('退格键') && cached[oldCache].wasm, 'the old file kept with the old build');

    // ...and the old till, reloaded before updating, still gets its own
    // build's file (the new one would be refused by its hash: English).
    await w.page.reload();
    await w.page.getByRole('button', { name: '退格', exact: true }).waitFor();
    assert.equal(await w.page.getByRole('alert').filter({ hasText: UNAVAILABLE }).count(), 0);
    assert.equal(await htmlLang(w.page), 'zh-Hans');
    w.assertClean();
    await w.context.close();
  } finally {
    await served.close();
  }
});
