// Firefox ESR (Debian's firefox-esr), driven over WebDriver BiDi by
// puppeteer-core, headless. puppeteer-core never downloads a browser.
import puppeteer from 'puppeteer-core';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export async function launch({ viewport }) {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX,
    headless: true,
    defaultViewport: viewport,
    protocolTimeout: 60_000,
  });
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  // The first tab does not get defaultViewport: set it.
  await page.setViewport(viewport);
  let errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`page error: ${e.message ?? e}`));
  return {
    name: 'firefox',
    version: `Firefox ${(await browser.version()).replace(/^firefox\//, '')}`,
    // WebDriver BiDi's emulation.setNetworkConditions({ type: 'offline' }).
    offline: { can: true },
    pid: browser.process()?.pid ?? null,
    goto: (url) => page.goto(url, { waitUntil: 'load' }),
    reload: () => page.reload({ waitUntil: 'load' }),
    evaluate: (expr) => page.evaluate(expr),
    async elementOf(expr) {
      const handle = await page.evaluateHandle(expr);
      const el = handle.asElement();
      if (!el) await handle.dispose();
      return el;
    },
    click: (el) => el.click(),
    async fill(el, text) {
      await el.evaluate((e) => {
        e.value = '';
      });
      await el.type(text);
    },
    async select(el, optionText) {
      const value = await el.evaluate(
        (e, t) => [...e.options].find((o) => o.textContent.trim() === t)?.value ?? null,
        optionText,
      );
      if (value === null) throw new Error(`no option "${optionText}"`);
      await el.select(value);
    },
    screenshotElement: async (el) => Buffer.from(await el.screenshot()),
    screenshot: async () => Buffer.from(await page.screenshot()),
    setOffline: (on) => page.setOfflineMode(on),
    takeErrors() {
      const e = errors;
      errors = [];
      return e;
    },
    close: () => browser.close(),
  };
}
