// Sound and vibration (issue 13, part 4): Web Audio tones after a user
// gesture, a pleasant one on Paid and a distinct warning on a mismatch, a
// vibration where the device has one, and none of it with "Sounds" off.
// An init script wraps the browser's AudioContext and navigator.vibrate to
// record what the app asked of them (the real ones still run).
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { chargeAndReadQr, newWatchedPage, routeConfig, setupSuite, statusText, typeAmount } from './helpers.mjs';

const suite = setupSuite({ before, after, beforeEach });

function spyOnSound() {
  const log = { contexts: 0, resumes: 0, tones: [], vibrations: [] };
  window.__sound = log;
  const Real = window.AudioContext;
  window.AudioContext = class extends Real {
    constructor(...args) {
      super(...args);
      log.contexts++;
    }
    resume() {
      log.resumes++;
      return super.resume();
    }
    createOscillator() {
      const osc = super.createOscillator();
      const start = osc.start.bind(osc);
      const ctx = this;
      osc.start = (when) => {
        log.tones.push({ type: osc.type, hz: osc.frequency.value, state: ctx.state });
        return start(when);
      };
      return osc;
    }
  };
  navigator.vibrate = (pattern) => {
    log.vibrations.push(Array.isArray(pattern) ? pattern : [pattern]);
    return true;
  };
}

async function openApp({ sounds }) {
  const w = await newWatchedPage(suite.browser, { viewport: { width: 800, height: 1100 } });
  await w.context.addInitScript(spyOnSound);
  await routeConfig(w.context, suite.sim);
  await w.page.goto(suite.app.url);
  await w.page.getByRole('combobox', { name: 'Settlement asset' }).locator('option', { hasText: 'USDT' }).waitFor({ state: 'attached' });
  const box = w.page.getByRole('checkbox', { name: 'Sounds' });
  assert.equal(await box.isChecked(), true, '"Sounds" is on by default');
  if (!sounds) await box.uncheck();
  await w.page.getByRole('button', { name: 'Save' }).click();
  await w.page.getByRole('button', { name: 'Backspace' }).waitFor();
  // Taps before the setting was saved may have made a context (nothing plays from it).
  w.contextsAtSave = (await soundLog(w.page)).contexts;
  return w;
}

const soundLog = (page) => page.evaluate(() => JSON.parse(JSON.stringify(window.__sound)));

async function sell(page, amount, pay) {
  await typeAmount(page, amount);
  const { traceId } = await chargeAndReadQr(page);
  const before = await soundLog(page);
  await suite.sim.pay({ traceId, ...pay });
  await statusText(page).filter({ hasText: /^Paid$|does not match/ }).waitFor({ timeout: 15_000 });
  return before;
}

test('Paid chimes and a mismatch warns, after the first tap unlocked sound; the device vibrates', async () => {
  const w = await openApp({ sounds: true });
  const before = await sell(w.page, '5');
  assert.equal(before.tones.length, 0, 'nothing plays before the verdict');
  assert.equal(before.contexts, 1, 'the first tap made the one AudioContext');
  const paid = await (async () => {
    for (;;) {
      const log = await soundLog(w.page);
      if (log.tones.length) return log;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  assert.deepEqual(paid.tones.map((t) => [t.type, t.hz]), [['sine', 880], ['sine', 1318.5]]);
  assert.ok(paid.tones.every((t) => t.state === 'running'), JSON.stringify(paid.tones));
  assert.deepEqual(paid.vibrations, [[80]]);

  await w.page.getByRole('button', { name: 'New sale' }).click();
  await sell(w.page, '6', { quoteAmount: '1' });
  await w.page.waitForFunction(() => window.__sound.tones.length > 2);
  const warned = await soundLog(w.page);
  const warning = warned.tones.slice(2);
  assert.deepEqual(warning.map((t) => t.type), ['square', 'square', 'square']);
  assert.ok(warning.every((t) => t.hz < 300), 'low, unlike the chime');
  assert.deepEqual(warned.vibrations.at(-1), [200, 100, 200, 100, 300]);
  assert.equal(warned.contexts, 1, 'one context for the whole session');
  w.assertClean();
  await w.context.close();
});

test('with "Sounds" off nothing plays, no AudioContext is made, nothing vibrates', async () => {
  const w = await openApp({ sounds: false });
  await sell(w.page, '5');
  await w.page.getByRole('button', { name: 'New sale' }).click();
  await sell(w.page, '6', { quoteAmount: '1' });
  // The verdicts are on screen: any sound is scheduled with them, before the next frame.
  await w.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  const log = await soundLog(w.page);
  assert.deepEqual(log.tones, [], 'no tone');
  assert.deepEqual(log.vibrations, [], 'no vibration');
  assert.equal(log.contexts, w.contextsAtSave, 'no AudioContext made once "Sounds" was off');
  w.assertClean();
  await w.context.close();
});
