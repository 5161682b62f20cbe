// English and Simplified Chinese: the language follows the browser, the
// Settings select switches it at once and remembers it, a whole sale works
// in Chinese, and no screen in Chinese leaves an English word behind.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { newWatchedPage, openReadyApp, routeConfig, setupSuite, typeAmount } from './helpers.mjs';
import { walkScreens } from './screens.mjs';

const suite = setupSuite({ before, after, beforeEach });

const ZH = { locale: 'zh-CN', viewport: { width: 800, height: 1100 } };
const SHOP = '演示咖啡馆';

/** Every word a person sees or hears on the page: text, names, placeholders. */
function shownTexts(page) {
  return page.evaluate(() => {
    const out = [];
    const visible = (el) => (el.tagName === 'OPTION' ? el.parentElement : el).checkVisibility();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      // Codes (traceIds, txids) are shown as code; the Language select lists
      // each language in its own words, so English stays findable.
      if (!el || el.closest('code, script, style, svg, select.language')) continue;
      if (visible(el) && n.textContent.trim()) out.push(n.textContent.trim());
    }
    for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
      if (!visible(el)) continue;
      for (const attr of ['aria-label', 'placeholder', 'title', 'alt']) {
        const v = el.getAttribute(attr);
        if (v && v.trim()) out.push(v.trim());
      }
    }
    return out;
  });
}

/**
 * The English-letter words of `texts` that are not allowed in Chinese: every
 * word but an asset's symbol or name or a currency code (MixPay's lists), a
 * code (anything with a figure in it: ids, hashes), a URL, and the names
 * MixPay, Mixin and the codes UUID, ID, API, CSV, JSON.
 */
function englishWords(texts, allowed) {
  const bad = [];
  for (const text of texts) {
    const words = text.replace(/https?:\/\/\S+/g, ' ').match(/[A-Za-z0-9][A-Za-z0-9'’_-]*/g) ?? [];
    for (const word of words) {
      if (!/[A-Za-z]/.test(word) || /\d/.test(word)) continue;
      if (!allowed.has(word.toLowerCase())) bad.push(`"${word}" in "${text}"`);
    }
  }
  return bad;
}

async function allowedWords(sim) {
  // JSON, like CSV, is the name of a file format (Settings → Products' import and export).
  const words = new Set(['mixpay', 'mixin', 'uuid', 'id', 'api', 'csv', 'json']);
  for (const list of ['quote_assets', 'settlement_assets']) {
    const { data } = await (await fetch(`${sim.url}/v1/setting/${list}`)).json();
    for (const a of data) {
      for (const w of `${a.symbol} ${a.name ?? ''} ${a.assetId}`.split(/[^A-Za-z0-9]+/)) if (w) words.add(w.toLowerCase());
    }
  }
  return words;
}

test('the language follows the browser: Chinese for zh-CN, with <html lang> and the Language select', async () => {
  const w = await newWatchedPage(suite.browser, ZH);
  await routeConfig(w.context, suite.sim);
  await w.page.goto(suite.app.url);
  await w.page.getByRole('button', { name: '保存' }).waitFor();
  assert.equal(await w.page.evaluate(() => document.documentElement.lang), 'zh-Hans');
  const select = w.page.getByRole('combobox', { name: '语言' });
  assert.equal(await select.inputValue(), 'zh-Hans');
  assert.deepEqual(await select.locator('option').allInnerTexts(), ['English', '中文（简体）']);
  w.assertClean();
  await w.context.close();
});

test('Language in Settings switches at once and is remembered after a reload', async () => {
  const w = await openReadyApp(suite.browser, suite.app, suite.sim);
  assert.equal(await w.page.evaluate(() => document.documentElement.lang), 'en');
  await w.page.getByRole('button', { name: 'Settings' }).click();
  await w.page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '中文（简体）' });
  // No Save needed: the screen is Chinese at once.
  await w.page.getByRole('combobox', { name: '语言' }).waitFor();
  await w.page.getByRole('button', { name: '保存' }).waitFor();
  await w.page.getByRole('button', { name: '历史记录' }).waitFor();
  assert.equal(await w.page.evaluate(() => document.documentElement.lang), 'zh-Hans');
  await w.page.reload();
  await w.page.getByRole('button', { name: /收款/ }).waitFor();
  assert.equal(await w.page.evaluate(() => document.documentElement.lang), 'zh-Hans');
  await w.page.getByRole('button', { name: '设置' }).click();
  await w.page.getByRole('combobox', { name: '语言' }).selectOption({ label: 'English' });
  await w.page.getByRole('button', { name: 'Save' }).waitFor();
  assert.equal(await w.page.evaluate(() => document.documentElement.lang), 'en');
  w.assertClean();
  await w.context.close();
});

test('a sale made entirely in Chinese: 收款, 已支付, then 金额不符 for a wrong amount', async () => {
  const w = await newWatchedPage(suite.browser, ZH);
  await routeConfig(w.context, suite.sim, { shopName: SHOP });
  await w.page.goto(suite.app.url);
  await w.page.getByRole('combobox', { name: '收到的资产' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  await w.page.getByRole('button', { name: '保存' }).click();
  await w.page.getByRole('button', { name: '退格' }).waitFor();
  await typeAmount(w.page, '12.50');
  await w.page.getByLabel('备注（可选）').fill('4 号桌');
  const chargeButton = w.page.getByRole('button', { name: /收款/ });
  assert.equal(await chargeButton.innerText(), '收款 $12.50');
  await chargeButton.click();
  await w.page.getByRole('img', { name: /付款二维码/ }).waitFor();
  await w.page.getByRole('status').filter({ hasText: '等待付款' }).waitFor();
  const traceId = await w.page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('mixpay-pos/sale/')).map((k) => k.slice(16))[0],
  );
  await suite.sim.pay({ traceId, outcome: 'success' });
  await w.page.getByRole('status').filter({ hasText: '已支付' }).waitFor();
  assert.equal((await w.page.getByRole('status').innerText()).trim(), '已支付');
  await w.page.getByText('详情', { exact: true }).click();
  await w.page.getByText('顾客已付 12.50 USDT').waitFor();
  await w.page.getByRole('button', { name: '新交易' }).click();

  await typeAmount(w.page, '25');
  await w.page.getByRole('button', { name: /收款/ }).click();
  await w.page.getByRole('img', { name: /付款二维码/ }).waitFor();
  const second = await w.page.evaluate((first) =>
    Object.keys(localStorage).filter((k) => k.startsWith('mixpay-pos/sale/')).map((k) => k.slice(16)).find((id) => id !== first),
    traceId,
  );
  await suite.sim.pay({ traceId: second, quoteAmount: '2.5' });
  const status = w.page.getByRole('status').filter({ hasText: /金额不符|不匹配/ });
  await status.waitFor();
  assert.doesNotMatch(await status.innerText(), /已支付/);
  await w.page.getByRole('heading', { name: '请勿交付商品' }).waitFor();
  await w.page.getByRole('listitem').filter({ hasText: '实收 $2.50，应收 $25.00' }).waitFor();

  // History in Chinese: status words and dates in Chinese.
  await w.page.getByRole('button', { name: '新交易' }).click();
  await w.page.getByRole('button', { name: '历史记录' }).click();
  await w.page.getByRole('listitem').filter({ hasText: '已支付' }).waitFor();
  await w.page.getByRole('listitem').filter({ hasText: '金额不符' }).waitFor();
  assert.match(await w.page.locator('.sale .when').first().innerText(), /^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
  w.assertClean();
  await w.context.close();
});

test('every screen in Chinese: no English word left (asset symbols and names, codes and URLs aside)', async () => {
  const allowed = await allowedWords(suite.sim);
  const w = await newWatchedPage(suite.browser, ZH);
  const found = [];
  const screens = [];
  await walkScreens(
    w,
    suite,
    async (screen) => {
      screens.push(screen);
      assert.equal(await w.page.evaluate(() => document.documentElement.lang), 'zh-Hans', screen);
      for (const word of englishWords(await shownTexts(w.page), allowed)) found.push(`${screen}: ${word}`);
    },
    { shopName: SHOP },
    [
      ['拿铁', '3.50', '咖啡'],
      ['可颂', '2', '点心'],
    ],
  );
  assert.equal(screens.length, 24, screens.join(', '));
  assert.deepEqual(found, []);
  w.assertClean();
  await w.context.close();
});
