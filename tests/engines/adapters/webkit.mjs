// WebKit: Debian's WebKitGTK MiniBrowser, driven by its WebKitWebDriver
// (webkit2gtk-driver) over WebDriver classic with selenium-webdriver, on the
// X display of the Xvfb that the layer started.
//
// WebKitWebDriver has no console log, no script run before the page's own,
// and no network emulation: page errors are collected by a hook put in after
// each load, and going offline is not possible (the journeys say so). Its
// element screenshots are misplaced at fractional offsets: see screenshotElement.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { PNG } from 'pngjs';
import { Builder, Capabilities, WebElement } from 'selenium-webdriver';

export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER =
  process.env.WEBKIT_MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// Installed after each load: keeps console.error calls and uncaught errors.
function errorHook() {
  if (window.__engineErrors) return;
  const errors = (window.__engineErrors = []);
  addEventListener('error', (e) => errors.push(`page error: ${e.message}`));
  addEventListener('unhandledrejection', (e) => errors.push(`page error: ${e.reason?.message ?? e.reason}`));
  const original = console.error;
  console.error = function (...args) {
    errors.push(`console: ${args.map(String).join(' ')}`);
    return original.apply(this, args);
  };
}

export async function launch({ viewport, display, logFile }) {
  if (!display) throw new Error('WebKitGTK needs an X display: the layer starts Xvfb for it');
  const port = await freePort();
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : 'ignore';
  if (log !== 'ignore') await new Promise((ok) => log.once('open', ok));
  // Its own process group, so MiniBrowser and WebKit's helper processes end with it.
  const child = spawn(WEBKIT_DRIVER, [`--port=${port}`], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, DISPLAY: display, NO_AT_BRIDGE: '1', GTK_A11Y: 'none' },
  });
  const exited = new Promise((ok) => child.once('exit', ok));
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  const server = `http://127.0.0.1:${port}`;
  let driver;
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ready = await fetch(`${server}/status`).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('WebKitWebDriver did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const caps = new Capabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    });
    driver = await new Builder().usingServer(server).withCapabilities(caps).build();
    await driver.manage().setTimeouts({ script: 60_000, pageLoad: 60_000 });
    // The window's size includes MiniBrowser's own bars: grow it until the page gets `viewport`.
    await driver.manage().window().setRect({ x: 0, y: 0, width: viewport.width, height: viewport.height });
    const inner = await driver.executeScript('return [innerWidth, innerHeight];');
    await driver.manage().window().setRect({
      x: 0,
      y: 0,
      width: 2 * viewport.width - inner[0],
      height: 2 * viewport.height - inner[1],
    });
  } catch (err) {
    killGroup();
    throw err;
  }
  const version = (await driver.getCapabilities()).get('browserVersion');
  let errors = [];
  const harvest = async () => {
    try {
      const e = await driver.executeScript('return (window.__engineErrors ?? []).splice(0);');
      errors.push(...e);
    } catch {
      /* the page is going away */
    }
  };
  const hook = () => driver.executeScript(`(${errorHook})()`);
  return {
    name: 'webkit',
    version: `WebKitGTK ${version}`,
    offline: { can: false, why: 'WebKitWebDriver has no network emulation (WebDriver classic has none)' },
    pid: child.pid,
    async goto(url) {
      await harvest();
      await driver.get(url);
      await hook();
    },
    async reload() {
      await harvest();
      await driver.navigate().refresh();
      await hook();
    },
    evaluate: (expr) => driver.executeScript(`return ${expr};`),
    async elementOf(expr) {
      const el = await driver.executeScript(`return ${expr};`);
      return el instanceof WebElement ? el : null;
    },
    click: (el) => el.click(),
    async fill(el, text) {
      await el.clear();
      await el.sendKeys(text);
    },
    async select(el, optionText) {
      const option = await driver.executeScript(
        'return [...arguments[0].options].find((o) => o.textContent.trim() === arguments[1]) ?? null;',
        el,
        optionText,
      );
      if (!option) throw new Error(`no option "${optionText}"`);
      // Settings' Save bar stays at the bottom of the screen: a select just
      // under it is scrolled to the middle first, as a person would, or
      // WebKitWebDriver's click on its option lands on the bar.
      await driver.executeScript("arguments[0].scrollIntoView({ block: 'center' });", el);
      await option.click();
    },
    // WebKitWebDriver's own element screenshot is scaled and shifted when the
    // element sits at a fractional offset (y = 303.75): the viewport is taken
    // and cropped to the element's box instead.
    async screenshotElement(el) {
      const box = await driver.executeScript(
        `const e = arguments[0];
         e.scrollIntoView({ block: 'nearest', inline: 'nearest' });
         const r = e.getBoundingClientRect();
         return { x: r.left, y: r.top, w: r.width, h: r.height, scale: devicePixelRatio };`,
        el,
      );
      const shot = PNG.sync.read(Buffer.from(await driver.takeScreenshot(), 'base64'));
      const x = Math.max(0, Math.floor(box.x * box.scale));
      const y = Math.max(0, Math.floor(box.y * box.scale));
      const w = Math.min(shot.width - x, Math.ceil((box.x + box.w) * box.scale) - x);
      const h = Math.min(shot.height - y, Math.ceil((box.y + box.h) * box.scale) - y);
      if (w <= 0 || h <= 0) throw new Error('the element is outside the screen');
      const out = new PNG({ width: w, height: h });
      PNG.bitblt(shot, out, x, y, w, h, 0, 0);
      return PNG.sync.write(out);
    },
    screenshot: async () => Buffer.from(await driver.takeScreenshot(), 'base64'),
    async setOffline() {
      throw new Error('WebKitWebDriver cannot emulate offline');
    },
    async takeErrors() {
      await harvest();
      const e = errors;
      errors = [];
      return e;
    },
    async close() {
      await Promise.race([driver.quit().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
      killGroup();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (log !== 'ignore') log.end();
    },
    killNow: killGroup,
  };
}
