// Products timings for `make bench` (issue 16): with 500 products, ms from
// tapping the Products tab to all 500 buttons drawn, and from one search
// keystroke to the grid filtered. Medians of BENCH_RUNS runs.
import { launchBrowser, newWatchedPage, routeConfig, startApp, startSim } from '../tests/e2e/helpers.mjs';
import { median, within } from './bench-util.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const COUNT = 500;

/** ms from a click (or keystroke) done in the page to `done()` holding, watched by a MutationObserver. */
function timeInPage(page, act, done) {
  return within(30_000, `the page to show ${done}`, page.evaluate(async ({ act, done }) => {
    const doneFn = new Function(`return (${done})`);
    const t0 = performance.now();
    const finished = new Promise((ok, fail) => {
      const timer = setTimeout(() => { observer.disconnect(); fail(new Error(`not shown 20 s after the act: ${done}`)); }, 20_000);
      const observer = new MutationObserver(() => doneFn() && (observer.disconnect(), clearTimeout(timer), ok(performance.now())));
      observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
    });
    new Function(act)();
    return (await finished) - t0;
  }, { act, done }));
}

export async function benchProducts() {
  const app = await startApp();
  const sim = await startSim({ rateLimit: false });
  const browser = await launchBrowser();
  const cats = ['Coffee', 'Tea', 'Food', 'Juice', 'Other'];
  const products = Array.from({ length: COUNT }, (_, i) => ({
    name: `Item ${i + 1}`, price: `${(i % 40) + 1}.50`, category: cats[i % cats.length],
  }));
  try {
    const w = await newWatchedPage(browser, { viewport: { width: 1024, height: 768 } });
    await routeConfig(w.context, sim, { products });
    await w.page.goto(app.url);
    await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
    await w.page.getByRole('button', { name: 'Save', exact: true }).click();
    await w.page.getByRole('tab', { name: 'Products' }).waitFor();
    const open = [];
    const search = [];
    const tab = (name) => `[...document.querySelectorAll('[role=tab]')].find((t) => t.textContent === '${name}').click()`;
    const count = 'document.querySelectorAll(".product-grid button.product").length';
    for (let i = 0; i < RUNS; i++) {
      await w.page.getByRole('tab', { name: 'Keypad' }).click();
      await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
      open.push(await timeInPage(w.page, tab('Products'), `${count} === ${COUNT}`));
      // One keystroke: "7" after "Item 1" narrows to the names holding "item 17".
      const box = w.page.getByRole('searchbox', { name: 'Search products' });
      await box.fill('Item 1');
      await w.page.waitForFunction(`${count} < ${COUNT}`);
      const before = await w.page.evaluate(count);
      search.push(await timeInPage(
        w.page,
        `const b = document.querySelector('.product-search'); b.value = 'Item 17'; b.dispatchEvent(new Event('input', { bubbles: true }));`,
        `${count} > 0 && ${count} < ${before}`,
      ));
      await box.fill('');
    }
    await w.context.close();
    return [
      [`Open the Products tab (${COUNT} products drawn)`, median(open).toFixed(1)],
      [`One search keystroke with ${COUNT} products (grid filtered)`, median(search).toFixed(1)],
    ];
  } finally {
    await browser.close();
    await app.close();
    await sim.stop();
  }
}
