// Chromium (Debian's), driven over CDP by playwright-core, launched as the
// e2e tests launch it. Every adapter provides the same methods:
//   name, version, offline ({ can, why })
//   goto(url), reload(), evaluate(expression), elementOf(expression)
//   click(el), fill(el, text), select(el, optionText), screenshotElement(el)
//   screenshot(), setOffline(on), takeErrors(), close()
import { launchBrowser } from '../../e2e/helpers.mjs';

export async function launch({ viewport }) {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  let errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return {
    name: 'chromium',
    version: `Chromium ${browser.version()}`,
    offline: { can: true },
    pid: null,
    goto: (url) => page.goto(url),
    reload: () => page.reload(),
    evaluate: (expr) => page.evaluate(expr),
    async elementOf(expr) {
      const handle = await page.evaluateHandle(expr);
      const el = handle.asElement();
      if (!el) await handle.dispose();
      return el;
    },
    click: (el) => el.click(),
    fill: (el, text) => el.fill(text),
    select: (el, optionText) => el.selectOption({ label: optionText }),
    screenshotElement: (el) => el.screenshot(),
    screenshot: () => page.screenshot(),
    setOffline: (on) => context.setOffline(on),
    takeErrors() {
      const e = errors;
      errors = [];
      return e;
    },
    close: () => browser.close(),
  };
}
