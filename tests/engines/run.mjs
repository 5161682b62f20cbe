// The `engines` test layer: the journeys of journeys.mjs in WebKit (WebKitGTK),
// Firefox ESR and Chromium, against the release build (dist/) and the simulator.
//
//   node tests/engines/run.mjs            all engines
//   ENGINES=webkit,firefox node tests/engines/run.mjs
//   JOURNEYS='pay link' node tests/engines/run.mjs     journeys whose name matches
//
// Needs dist/ (`make dist-sim`), target/debug/mixpay-sim (`cargo build -p mixpay-sim`)
// and the browsers (scripts/setup-engines.sh). Starts its own Xvfb for WebKit,
// and ends every browser, driver and Xvfb it started, whatever happens.
// Prints one line per journey, a skip line per check an engine cannot run,
// and ends with `engines: N passed, M failed` and the passes per engine.
import { spawn } from 'node:child_process';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PAYEE, USDT, startSim } from '../e2e/helpers.mjs';
import { serveStatic } from '../../scripts/serve.mjs';
import { Driver } from './driver.mjs';
import { journeys } from './journeys.mjs';

const ALL_ENGINES = ['webkit', 'firefox', 'chromium'];
const engines = (process.env.ENGINES ?? ALL_ENGINES.join(',')).split(',').map((e) => e.trim()).filter(Boolean);
const only = process.env.JOURNEYS ? new RegExp(process.env.JOURNEYS, 'i') : null;
const JOURNEY_MS = Number(process.env.JOURNEY_MS ?? 150_000);
const VIEWPORT = { width: 768, height: 1024 };
const SITE = 'target/engines/site';
const SHOTS = 'target/screenshots/engines';
const LOGS = 'target/test-logs';

for (const e of engines) {
  if (!ALL_ENGINES.includes(e)) throw new Error(`unknown engine ${e}: one of ${ALL_ENGINES.join(', ')}`);
}
if (!existsSync('dist/index.html')) throw new Error('no dist/: run `make dist-sim` first (a build that allows the simulator)');

const started = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

// ---- Everything started here is ended here, on any exit.
const cleanups = [];
let cleaned = false;
async function cleanUp() {
  if (cleaned) return;
  cleaned = true;
  for (const f of cleanups.reverse()) {
    try {
      await Promise.race([f(), new Promise((r) => setTimeout(r, 15_000))]);
    } catch {
      /* keep ending the rest */
    }
  }
}
// Last resort on a hard exit: kill the process groups synchronously.
const pids = new Set();
process.on('exit', () => {
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});
// A stray rejection inside a driver library must not end the run half-way:
// the journey it belongs to fails by its own waits.
process.on('unhandledRejection', (err) => console.log(`engines: unhandled rejection: ${err?.message ?? err}`));
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.log(`engines: stopped by ${sig}`);
    cleanUp().finally(() => process.exit(1));
  });
}

/** Xvfb on a free display (it picks the number and tells it on a pipe). */
async function startXvfb() {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1600x1400x24', '-nolisten', 'tcp'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  pids.add(xvfb.pid);
  let err = '';
  xvfb.stderr.on('data', (d) => (err += d));
  const display = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`Xvfb did not start: ${err}`)), 20_000);
    xvfb.once('exit', (code) => fail(new Error(`Xvfb exited with ${code}: ${err}`)));
    xvfb.stdio[3].on('data', (d) => {
      clearTimeout(timer);
      ok(`:${String(d).trim()}`);
    });
  });
  cleanups.push(async () => {
    xvfb.kill('SIGTERM');
    await new Promise((r) => (xvfb.exitCode !== null ? r() : xvfb.once('exit', r)));
    pids.delete(xvfb.pid);
  });
  return display;
}

async function launchEngine(engine, display) {
  const { launch } = await import(`./adapters/${engine}.mjs`);
  const adapter = await launch({ viewport: VIEWPORT, display, logFile: `${LOGS}/engines-${engine}-driver.log` });
  if (adapter.pid) pids.add(adapter.pid);
  const close = async () => {
    await adapter.close();
    if (adapter.pid) {
      try {
        process.kill(-adapter.pid, 'SIGKILL');
      } catch {
        /* ended with the browser */
      }
      pids.delete(adapter.pid);
    }
  };
  return { driver: new Driver(adapter), close };
}

const withTimeout = (promise, ms, what) => {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, fail) => {
      timer = setTimeout(() => fail(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
};

const results = []; // { engine, journey, outcome: 'pass'|'fail', ms, error }
const skips = []; // { engine, journey, check, reason }
const versions = {};

async function runEngine(engine, sim, display) {
  const shots = join(SHOTS, engine);
  await rm(shots, { recursive: true, force: true });
  await mkdir(shots, { recursive: true });
  let session = null;
  try {
    for (const journey of journeys.filter((j) => !only || only.test(j.name))) {
      const t0 = Date.now();
      let server = null;
      try {
        if (!session) {
          session = await withTimeout(launchEngine(engine, display), 60_000, `starting ${engine}`);
          versions[engine] = session.driver.version;
        }
        await sim.reset();
        // A fresh origin per journey: a first run with empty storage and no worker.
        server = await serveStatic({ dir: SITE, port: 0 });
        let stopped = false;
        const stop = async () => {
          if (stopped) return;
          stopped = true;
          server.closeAllConnections?.();
          await new Promise((r) => server.close(r));
        };
        const d = session.driver;
        await d.takeErrors();
        const t = {
          d,
          sim,
          engine,
          app: { url: `http://127.0.0.1:${server.address().port}/`, stop },
          skip: (check, reason) => {
            skips.push({ engine, journey: journey.name, check, reason });
            console.log(`skip ${engine} › ${journey.name} › ${check}: ${reason}`);
          },
          note: (text) => console.log(`     ${engine} › ${journey.name}: ${text}`),
          shot: async (name) => writeFile(join(shots, `${name}.png`), await d.screenshot()),
          keep: (name, png) => writeFile(join(shots, `${name}.png`), png),
        };
        try {
          await withTimeout(journey.run(t), JOURNEY_MS, journey.name);
          // One build on a fresh origin: an update prompt would be spurious. Noted, not failed.
          if ((await d.count({ role: 'alert', text: /^Update available/ })) > 0) t.note('NOTE: "Update available" is shown, with a single build on a fresh origin');
          const allowed = journey.allowedErrors ?? [];
          const errors = (await d.takeErrors()).filter((e) => !allowed.some((re) => re.test(e)));
          if (errors.length) throw new Error(`errors in the page:\n${errors.join('\n')}`);
        } finally {
          await stop();
        }
        results.push({ engine, journey: journey.name, outcome: 'pass', ms: Date.now() - t0 });
        console.log(`ok   ${engine} › ${journey.name} (${secs(Date.now() - t0)})`);
      } catch (err) {
        results.push({ engine, journey: journey.name, outcome: 'fail', ms: Date.now() - t0, error: err });
        console.log(`FAIL ${engine} › ${journey.name} (${secs(Date.now() - t0)})`);
        console.log(String(err?.stack ?? err).replace(/^/gm, '     '));
        if (session) {
          try {
            const png = await withTimeout(session.driver.screenshot(), 15_000, 'a failure screenshot');
            const file = join(shots, `FAILED-${journey.name.replace(/[^a-z0-9]+/gi, '-')}.png`);
            await writeFile(file, png);
            console.log(`     screen at the failure: ${file}`);
          } catch {
            /* no screenshot then */
          }
          // A fresh browser for the next journey: one failure does not spill over.
          await session.close().catch(() => {});
          session = null;
        }
        if (server) {
          server.closeAllConnections?.();
          server.close();
        }
      }
    }
  } finally {
    if (session) await session.close().catch(() => {});
  }
}

let exitCode = 0;
try {
  await mkdir(LOGS, { recursive: true });
  const sim = await startSim();
  cleanups.push(() => sim.stop());
  // The release build, with a config.json that points at this simulator.
  await rm(SITE, { recursive: true, force: true });
  await cp('dist', SITE, { recursive: true });
  await writeFile(
    join(SITE, 'config.json'),
    JSON.stringify({ apiBase: `${sim.url}/v1`, payBase: sim.url, payeeId: DEMO_PAYEE, quoteAssetId: 'usd', settlementAssetId: USDT, shopName: 'Demo Coffee' }),
  );
  const display = engines.includes('webkit') ? await startXvfb() : null;
  for (const engine of engines) {
    const t0 = Date.now();
    console.log(`=== ${engine}`);
    await runEngine(engine, sim, display);
    console.log(`    ${engine}: ${versions[engine] ?? 'did not start'}, ${secs(Date.now() - t0)}`);
  }
} catch (err) {
  console.log(`engines: could not run: ${err?.stack ?? err}`);
  exitCode = 1;
} finally {
  await cleanUp();
}

const passed = results.filter((r) => r.outcome === 'pass').length;
const failed = results.filter((r) => r.outcome === 'fail').length;
console.log('');
for (const s of skips) console.log(`skipped: ${s.engine} › ${s.journey} › ${s.check}: ${s.reason}`);
console.log(`engines: versions ${engines.map((e) => `${e} ${versions[e] ?? '?'}`).join(', ')}`);
console.log(`engines: ${engines.map((e) => `${e} ${results.filter((r) => r.engine === e && r.outcome === 'pass').length}`).join(', ')}`);
console.log(`engines: took ${secs(Date.now() - started)}`);
console.log(`engines: ${passed} passed, ${failed} failed`);
if (failed > 0 || passed === 0) exitCode = 1;
process.exit(exitCode);
