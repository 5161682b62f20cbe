// The till loads only the till (issue 26): History and Settings are wasm parts
// of their own (src/pages/parts.rs, scripts/split.mjs), fetched when first
// opened, precached by the service worker, and a part that cannot be fetched
// never takes the till down.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DIST,
  chargeAndReadQr,
  newWatchedPage,
  openReadyApp,
  routeConfig,
  setupSuite,
  serveDistCopy,
  typeAmount,
  until,
} from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });

const PART = /\/(split_\w+|chunk_\d+)-[0-9a-f]{16}\.wasm$/;
const partOf = (url) => new URL(url).pathname.match(PART)?.[1];

/** Every part's fetch answers 500 while `failing` is true; `failed` lists the URLs refused. */
async function failParts(page) {
  const parts = { failing: true, failed: [] };
  await page.route(PART, (route) => {
    if (!parts.failing) return route.continue();
    parts.failed.push(route.request().url());
    return route.fulfill({ status: 500, body: 'down' });
  });
  return parts;
}

/** Every request the page makes, served by the network or by the worker. */
function recordRequests(page) {
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

/** A ready till whose page is not controlled by the worker (so routes see every fetch). */
async function readyWithoutWorker() {
  const w = await newWatchedPage(suite.browser, { serviceWorkers: 'block', viewport: { width: 800, height: 1100 } });
  await routeConfig(w.context, suite.sim);
  await w.page.goto(suite.app.url);
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  return w;
}

test('the build is split: a loader, a part per back-office screen, all precached by the worker', async () => {
  const files = await readdir(DIST);
  const parts = files.filter((f) => PART.test(`/${f}`));
  assert.ok(parts.some((f) => f.startsWith('split_history-')), files.join(' '));
  assert.ok(parts.some((f) => f.startsWith('split_settings-')), files.join(' '));
  assert.ok(parts.some((f) => f.startsWith('split_payment-')), files.join(' '));
  const sw = await readFile(join(DIST, 'sw.js'), 'utf8');
  const precache = JSON.parse(sw.match(/^const PRECACHE = (.*);$/m)[1]);
  for (const f of parts) assert.ok(precache.includes(f), `${f} is precached`);
  const loader = files.find((f) => /^__wasm_split-[0-9a-f]{16}\.js$/.test(f));
  assert.ok(loader, 'the loader has a content-hashed name');
  assert.ok(precache.includes(loader));
});

test('a reload to the keypad fetches no back-office part, and the sale\'s screen before any Charge; History fetches its own, showing "Loading…" until it is in', async () => {
  const w = await readyWithoutWorker();
  const urls = recordRequests(w.page);
  await w.page.reload();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  await typeAmount(w.page, '12');
  // The sale's screen is fetched once the keypad is up, without a Charge.
  await until(async () => urls.some((u) => partOf(u) === 'split_payment'), 'the sale\'s screen preloaded');
  assert.deepEqual(
    urls.filter((u) => ['split_history', 'split_settings'].includes(partOf(u))),
    [],
    'no back-office part before it is opened',
  );

  // History's part is held back until the "Loading…" has been seen.
  let release;
  const held = new Promise((r) => (release = r));
  await w.page.route(/\/split_history-[0-9a-f]{16}\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await w.page.getByRole('button', { name: 'History' }).click();
  await w.page.getByRole('status').filter({ hasText: 'Loading…' }).waitFor();
  release();
  await w.page.getByRole('heading', { name: 'History' }).waitFor();
  assert.equal(await w.page.getByRole('status').filter({ hasText: 'Loading…' }).count(), 0);
  assert.ok(urls.some((u) => partOf(u) === 'split_history'), urls.join('\n'));
  assert.ok(!urls.some((u) => partOf(u) === 'split_settings'), 'Settings is not fetched for History');

  // Opened again: no second fetch.
  const fetched = urls.filter((u) => partOf(u)).length;
  await w.page.getByRole('button', { name: 'Sale', exact: true }).click();
  await w.page.getByRole('button', { name: 'History' }).click();
  await w.page.getByRole('heading', { name: 'History' }).waitFor();
  assert.equal(urls.filter((u) => partOf(u)).length, fetched);
  w.assertClean();
  await w.context.close();
});

test('a start asks for config.json while the till\'s wasm is still on its way, and once only', async () => {
  const w = await readyWithoutWorker();
  const asked = [];
  w.page.on('request', (r) => new URL(r.url()).pathname === '/config.json' && asked.push(r.url()));
  // The till's wasm held back: only the page itself can ask for config.json
  // now (on a slow network, that round trip overlaps the wasm's download).
  let release;
  const held = new Promise((r) => (release = r));
  await w.page.route(/\/mixpay-pos-[0-9a-f]{16}_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await w.page.reload({ waitUntil: 'commit' });
  await until(() => asked.length > 0, 'config.json asked for before the wasm has arrived');
  release();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  // The start read that answer (its locks): it did not ask again.
  assert.equal(asked.length, 1, asked.join('\n'));
  await typeAmount(w.page, '3');
  await chargeAndReadQr(w.page);
  w.assertClean();
  await w.context.close();
});

/** Resolves once every part the page has asked for so far has arrived. */
function partsSettled(page) {
  const asked = new Set();
  const done = new Set();
  page.on('request', (r) => partOf(r.url()) && asked.add(r.url()));
  const finish = (r) => partOf(r.url()) && done.add(r.url());
  page.on('requestfinished', finish);
  page.on('requestfailed', finish);
  return () => [...asked].every((u) => done.has(u));
}

test('a part that cannot be fetched: the screen says so, the till sells on, and "Try again" loads it', async () => {
  const w = await readyWithoutWorker();
  const settled = partsSettled(w.page);
  const urls = recordRequests(w.page);
  await w.page.reload();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  // The sale path is in memory (preloaded after the keypad) before the server fails.
  await until(() => urls.some((u) => partOf(u) === 'split_payment') && settled(), 'the sale path preloaded');
  const parts = await failParts(w.page);

  await w.page.getByRole('button', { name: 'History' }).click();
  const alert = w.page.getByRole('alert').filter({ hasText: 'This screen could not be loaded' });
  await alert.waitFor();
  assert.equal(await w.page.getByRole('heading', { name: 'History' }).count(), 0);

  // The till is alive: a sale starts and its QR is up.
  await w.page.getByRole('button', { name: 'Sale', exact: true }).click();
  await typeAmount(w.page, '5');
  const { link } = await chargeAndReadQr(w.page);
  assert.match(link, /^http/);
  await w.page.getByRole('button', { name: 'Cancel' }).click();
  await w.page.getByRole('button', { name: 'Yes, cancel the sale' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();

  // Opened again while the server still fails: the same answer.
  await w.page.getByRole('button', { name: 'History' }).click();
  await alert.waitFor();
  // The failure was not kept: "Try again" fetches the part anew.
  parts.failing = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await w.page.getByRole('heading', { name: 'History' }).waitFor();
  await w.page.getByRole('listitem').filter({ hasText: '$5.00' }).waitFor();
  w.assertClean([/status of 500|Failed to load resource|WebAssembly|TypeError|CompileError|HTTP status code/i]);
  await w.context.close();
});

test('the sale path cannot be fetched: Charge says so and records nothing; once it can, the sale starts', async () => {
  const w = await readyWithoutWorker();
  const parts = await failParts(w.page);
  await w.page.reload();
  // The keypad needs no part: it is up though every part fails.
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  await until(() => parts.failed.some((u) => partOf(u) === 'split_payment'), 'the preload of the sale path failed');
  await typeAmount(w.page, '7');
  await w.page.getByRole('button', { name: /Charge/ }).click();
  await w.page.getByRole('alert').filter({ hasText: 'The sale could not start' }).waitFor();
  assert.equal(await w.page.getByRole('img', { name: /QR code/ }).count(), 0);
  const recorded = await w.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('mixpay-pos/sale/')));
  assert.deepEqual(recorded, [], 'no sale recorded');

  // The server is back: the same Charge starts the sale (its part fetched anew).
  parts.failing = false;
  const { link } = await chargeAndReadQr(w.page);
  assert.match(link, /^http/);
  assert.equal(await w.page.getByRole('alert').filter({ hasText: 'The sale could not start' }).count(), 0);
  w.assertClean([/status of 500|Failed to load resource|WebAssembly|TypeError|CompileError|HTTP status code/i]);
  await w.context.close();
});

test('with tips on, the tip screen is the sale path\'s too: Charge says so while it cannot be fetched, then asks for the tip', async () => {
  const w = await readyWithoutWorker();
  await w.page.getByRole('button', { name: 'Settings' }).click();
  await w.page.getByRole('checkbox', { name: 'Ask for a tip' }).check();
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  const parts = await failParts(w.page);
  await w.page.reload();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  await until(() => parts.failed.some((u) => partOf(u) === 'split_payment'), 'the preload of the sale path failed');
  await typeAmount(w.page, '7');
  await w.page.getByRole('button', { name: /Charge/ }).click();
  await w.page.getByRole('alert').filter({ hasText: 'The sale could not start' }).waitFor();
  assert.equal(await w.page.getByRole('heading', { name: 'Add a tip?' }).count(), 0);

  parts.failing = false;
  await w.page.getByRole('button', { name: /Charge/ }).click();
  await w.page.getByRole('heading', { name: 'Add a tip?' }).waitFor();
  await w.page.getByRole('button', { name: 'No tip' }).click();
  await w.page.getByRole('img', { name: /QR code/ }).waitFor();
  w.assertClean([/status of 500|Failed to load resource|WebAssembly|TypeError|CompileError|HTTP status code/i]);
  await w.context.close();
});

test('offline after the first visit: History and Settings open from the worker\'s cache', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  await w.page.evaluate(() => navigator.serviceWorker.ready);
  await w.context.setOffline(true);
  await w.page.reload();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  await w.page.getByRole('button', { name: 'History' }).click();
  await w.page.getByRole('heading', { name: 'History' }).waitFor();
  await w.page.getByRole('button', { name: 'Settings' }).click();
  await w.page.getByRole('heading', { name: 'Settings' }).waitFor();
  await w.page.getByRole('button', { name: 'Save' }).waitFor();
  w.assertClean([/ERR_INTERNET_DISCONNECTED|Failed to load resource|Failed to fetch/]);
  await w.context.close();
});

test('an update: the old till opens its own build\'s parts until reloaded, then the new build\'s', async () => {
  const served = await serveDistCopy();
  const { dir } = served;
  try {
    const w = await newWatchedPage(suite.browser);
    await routeConfig(w.context, suite.sim);
    const urls = recordRequests(w.page);
    await w.page.goto(served.url);
    await w.page.getByRole('button', { name: 'Save' }).click();
    await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
    await w.page.evaluate(() => navigator.serviceWorker.ready);
    await w.page.reload();
    await w.page.getByRole('button', { name: 'Backspace' }).waitFor();

    // A new build is deployed: the old build's History part is gone from
    // the server (its files are content-named), and a new worker is waiting.
    const old = (await readdir(dir)).filter((f) => f.startsWith('split_history-'));
    assert.equal(old.length, 1);
    const renamed = old[0].replace(/-[0-9a-f]{16}\.wasm$/, '-00000000000000ff.wasm');
    await writeFile(join(dir, renamed), await readFile(join(dir, old[0])));
    await rm(join(dir, old[0]));
    const sw = await readFile(join(dir, 'sw.js'), 'utf8');
    await writeFile(
      join(dir, 'sw.js'),
      sw.replace(/const VERSION = '([^']*)';/, "const VERSION = '$1-next';").replaceAll(old[0], renamed),
    );
    await w.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await w.page.getByText('Update available').waitFor({ timeout: 15_000 });

    // The page still runs the old build: its History comes from the old cache.
    await w.page.getByRole('button', { name: 'History' }).click();
    await w.page.getByRole('heading', { name: 'History' }).waitFor();
    const fetchedOld = urls.filter((u) => u.endsWith(`/${old[0]}`));
    assert.ok(fetchedOld.length >= 1, 'the old page asked for its own part');

    // Reloaded into the new version: one shell cache, the new worker's.
    const reloaded = w.page.waitForEvent('load');
    await w.page.getByRole('button', { name: 'Reload to update' }).click();
    await reloaded;
    await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
    await until(
      async () => (await w.page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('mixpay-pos-shell-')))).length === 1,
      'the old shell cache deleted',
    );
    w.assertClean();
    await w.context.close();
  } finally {
    await served.close();
  }
});
