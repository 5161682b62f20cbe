// Trunk post_build hook (before sw-precache.mjs): puts the app under a strict
// Content Security Policy.
//  - Trunk's inline start-up script moves into a file of its own (named by its
//    hash), so scripts come from 'self' only: no 'unsafe-inline', no hashes to
//    keep in step.
//  - index.html gets the policy as a <meta http-equiv>, and dist/_headers (the
//    format Netlify and Cloudflare Pages read; scripts/serve.mjs sends it too)
//    carries it with what a meta tag cannot: frame-ancestors and the other
//    security headers.
//  - MIXPAY_SIM_ORIGIN (e.g. `http://127.0.0.1:*`, space-separated) adds the
//    local MixPay simulator for tests and the demo: to the policy, and to a
//    <meta name="mixpay-extra-origins"> that the app's pinned origins read.
//    A shop's build (`make dist`) leaves it unset: MixPay's origins only.
//
//   node scripts/csp.mjs [--dir DIR]     (Trunk sets TRUNK_STAGING_DIR)
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIXPAY_CONNECT = ['https://api.mixpay.me', 'https://mixpay.me'];
// MixPay's asset icons: its own hosts and Mixin's image CDN.
export const MIXPAY_IMAGES = ['https://mixpay.me', 'https://*.mixpay.me', 'https://mixin-images.zeromesh.net'];

/** Only loopback origins may be added (the simulator), never another host. */
export function simOrigins(text = '') {
  const list = text.split(/\s+/).filter(Boolean);
  for (const o of list) {
    if (!/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:(\d+|\*))?$/.test(o)) {
      throw new Error(`MIXPAY_SIM_ORIGIN: ${o} is not a loopback origin`);
    }
  }
  return list;
}

/** The policy, as one header value; `forHeader` adds what a meta cannot carry. */
export function policy(extra = [], { forHeader = false } = {}) {
  const directives = [
    ["default-src", "'none'"],
    ['script-src', "'self'", "'wasm-unsafe-eval'"],
    ['style-src', "'self'"],
    ['img-src', "'self'", 'data:', ...MIXPAY_IMAGES, ...extra],
    ['connect-src', "'self'", ...MIXPAY_CONNECT, ...extra],
    ['worker-src', "'self'"],
    ['manifest-src', "'self'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['object-src', "'none'"],
  ];
  // Not `require-trusted-types-for 'script'`: Leptos's renderer assigns
  // innerHTML (History's list), which Trusted Types blocks (issue 25 tried it).
  if (forHeader) directives.push(['frame-ancestors', "'none'"]);
  return directives.map((d) => d.join(' ')).join('; ');
}

export const OTHER_HEADERS = {
  // HTTPS only, for a year, once the browser has seen the app over HTTPS.
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  // No window opened from elsewhere keeps a handle on the app's.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy':
    'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), ' +
    'screen-wake-lock=(self), fullscreen=(self), clipboard-write=(self)',
};

export function headersFile(extra) {
  const lines = ['/*', `  Content-Security-Policy: ${policy(extra, { forHeader: true })}`];
  for (const [k, v] of Object.entries(OTHER_HEADERS)) lines.push(`  ${k}: ${v}`);
  return `${lines.join('\n')}\n`;
}

const escapeAttr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

export async function applyPolicy(dir, extra) {
  const indexPath = join(dir, 'index.html');
  let html = await readFile(indexPath, 'utf8');
  // Trunk's start-up script, inline: into a file named by its content. (A
  // release build's index.html is minified by Trunk: attributes may be unquoted.)
  html = await replaceAsync(html, /<script type="?module"?>([\s\S]*?)<\/script>/g, async (_, body) => {
    const name = `start-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.js`;
    await writeFile(join(dir, name), body.trim() + '\n');
    return `<script type="module" src="/${name}"></script>`;
  });
  const inline = html.match(/<script(?![^>]*\bsrc=)[^>]*>/g);
  if (inline) throw new Error(`an inline script is left in index.html: ${inline.join(' ')}`);
  if (/<style[\s>]|\sstyle=|\son[a-z]+=/i.test(html)) {
    throw new Error('index.html has inline styles or event handlers the policy would block');
  }
  if (/http-equiv="?Content-Security-Policy/i.test(html)) throw new Error('index.html already has a policy');
  let metas = `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(policy(extra))}" />`;
  if (extra.length) metas += `\n    <meta name="mixpay-extra-origins" content="${escapeAttr(extra.join(' '))}" />`;
  const charset = /<meta charset="?utf-8"?\s*\/?>/i;
  const found = html.match(charset);
  if (!found) throw new Error('index.html has no <meta charset="utf-8" />');
  html = html.replace(found[0], `${found[0]}\n    ${metas}`);
  await writeFile(indexPath, html);
  await writeFile(join(dir, '_headers'), headersFile(extra));
}

async function replaceAsync(text, re, fn) {
  const parts = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    parts.push(text.slice(last, m.index), await fn(...m));
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--dir');
  const dir = i > 0 ? process.argv[i + 1] : process.env.TRUNK_STAGING_DIR;
  if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run this as a Trunk post_build hook, or pass --dir');
  const extra = simOrigins(process.env.MIXPAY_SIM_ORIGIN);
  await applyPolicy(dir, extra);
  console.log(`csp: strict policy written${extra.length ? `, with the simulator at ${extra.join(' ')}` : ' (MixPay only)'}`);
}
