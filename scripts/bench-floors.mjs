// The browser's own share of two of issue 26's figures: the app's screens
// as plain pages, timed as the app is, in the same browser and process. A
// figure near its floor has little left that the app's code can win back.
//
// - Warm start floor: the keypad's DOM as it stands after start-up, saved as
//   a static page with the build's CSS (no script, no wasm, no service
//   worker), reloaded at 4x CPU to the keypad painted (the local server
//   sends it again: no-cache).
// - Charge -> QR floor: that page with one small script whose click on
//   Charge replaces the body with the QR screen's DOM as the app drew it
//   (the same QR image), timed by the same page function as the app's
//   Charge -> QR (`chargeToQrInPage`).
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReadyApp, typeAmount } from '../tests/e2e/helpers.mjs';
import { serveStatic } from './serve.mjs';
import { nextKeypadPaint, stats, watchKeypad, within } from './bench-util.mjs';

const log = (line) => process.stderr.write(`bench: ${line}\n`);

// Loaded by the floor page (the build's CSP allows scripts of the origin only).
const SWAP_SCRIPT = `fetch('qr-screen.json').then((r) => r.json()).then((html) => {
  document.addEventListener('click', (e) => {
    const button = e.target.closest('button');
    if (button && button.textContent.includes('Charge')) document.body.innerHTML = html;
  });
  window.__swapReady = true;
});
`;

export async function floors(browser, app, sim, runs, chargeToQrInPage) {
  const dir = await mkdtemp(join(tmpdir(), 'mixpay-floor-'));
  let server;
  try {
    // The screens as the app drew them.
    const w = await openReadyApp(browser, app, sim, { mode: 'pay_link' });
    await typeAmount(w.page, '1');
    const head = await w.page.evaluate(() => [...document.head.querySelectorAll('meta[charset], meta[name=viewport], meta[name=mixpay-extra-origins], link[rel=stylesheet]')]
      .map((e) => e.outerHTML).join(''));
    const keypad = await w.page.evaluate(() => document.body.outerHTML);
    await w.page.getByRole('button', { name: /Charge/ }).click();
    await w.page.getByRole('img', { name: /QR code/ }).waitFor({ timeout: 20_000 });
    // Without inline style attributes, which the build's CSP refuses in
    // markup set by script (the time bar's width: full at Charge anyway).
    const qrScreen = await w.page.evaluate(() => document.body.innerHTML.replace(/ style="[^"]*"/g, ''));
    await w.context.close();

    for (const f of await readdir(app.dir)) {
      if (f.endsWith('.css') || f === '_headers') await copyFile(join(app.dir, f), join(dir, f));
    }
    const page = (script) => `<!doctype html><html lang="en"><head>${head}<title>floor</title>${script}</head>${keypad}</html>`;
    await writeFile(join(dir, 'index.html'), page(''));
    await writeFile(join(dir, 'swap.html'), page('<script src="swap.js" defer></script>'));
    await writeFile(join(dir, 'swap.js'), SWAP_SCRIPT);
    await writeFile(join(dir, 'qr-screen.json'), JSON.stringify(qrScreen));
    server = await serveStatic({ dir, port: 0, gzip: true });
    const url = `http://127.0.0.1:${server.address().port}/`;

    const context = await browser.newContext({ viewport: { width: 800, height: 1100 } });
    await context.addInitScript(watchKeypad);
    const p = await context.newPage();
    const session = await context.newCDPSession(p);
    const warm = [];
    const swap = [];
    // Every load of the keypad page reports its paint: each navigation's
    // report is awaited, so none is taken for the next one's.
    const keypadPage = async () => {
      const painted = nextKeypadPaint(p, 30_000);
      await p.goto(url);
      await painted;
    };
    try {
      await keypadPage();
      for (let i = 0; i < runs; i++) {
        log(`floors, run ${i + 1} of ${runs}`);
        await session.send('Emulation.setCPUThrottlingRate', { rate: 4 });
        const keypad = nextKeypadPaint(p, 30_000);
        await p.reload({ waitUntil: 'commit', timeout: 60_000 });
        warm.push(await keypad);
        await session.send('Emulation.setCPUThrottlingRate', { rate: 1 });
        const swapPainted = nextKeypadPaint(p, 30_000);
        await p.goto(`${url}swap.html`);
        await swapPainted;
        await p.waitForFunction(() => window.__swapReady, null, { timeout: 30_000 });
        // (Playwright's injected script is in this page by now, outside the timing.)
        await session.send('Emulation.setCPUThrottlingRate', { rate: 4 });
        swap.push(await within(30_000, `the floor's QR screen (run ${i + 1})`, p.evaluate(chargeToQrInPage)));
        await session.send('Emulation.setCPUThrottlingRate', { rate: 1 });
        await keypadPage();
      }
    } finally {
      await context.close();
    }
    return { warm: stats(warm), chargeToQr: stats(swap) };
  } finally {
    if (server) await new Promise((ok) => server.close(ok));
    await rm(dir, { recursive: true, force: true });
  }
}
