// Trunk post_build hook, first step: splits the app's wasm into the till
// (the first load) and the back office's parts, fetched when first opened.
//
// Trunk 0.21 has no stage between cargo and wasm-bindgen, and wasm-split must
// run on the linker's output (wasm-bindgen drops the relocations it reads).
// So Trunk builds as usual, and this step redoes the last stages from cargo's
// wasm (linked with --emit-relocs by build.rs under the `split` feature):
//   1. wasm-split-cli  the main module, one split_<part>.wasm per split point
//                      (src/pages/parts.rs), chunk_N.wasm for code the parts
//                      share, and the loader __wasm_split.js
//   2. wasm-bindgen    on the main module, as Trunk ran it (--target web)
//   3. wasm-opt        on the main module and on each part, separately
//   4. terser          on the glue (release only): wasm-bindgen writes readable
//                      JS, 70 KB of it in the first load; and on sw-register.js.
//                      Not the loader: 1 KB, and scripts/weight.mjs reads its
//                      parts from its text
// then overwrites Trunk's .js and _bg.wasm in the staging directory (same
// names, so Trunk's start-up script is unchanged), puts the parts and the
// loader beside them under content-hashed names (an old page can never load
// a new build's part: it gets a 404 and says so, see components/lazy_screen.rs),
// and rewrites the two sha384 integrity values Trunk wrote into index.html.
//
// Runs before csp.mjs and sw-precache.mjs: the service worker precaches every
// part, so the back office opens offline after the first visit.
//
// Tools on PATH (scripts/setup.sh installs them): wasm-split-cli (crate
// wasm_split_cli_support), wasm-bindgen (the version of Cargo.lock), and
// wasm-opt (binaryen 132 from npm, via scripts/with-toolchain.sh).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile, copyFile, mkdir, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { minify } from 'terser';

const BIN = 'mixpay-pos';
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run this as a Trunk post_build hook');
const profile = process.env.TRUNK_PROFILE === 'debug' ? 'debug' : 'release';
// MIXPAY_KEEP_NAMES=1: function names kept through wasm-bindgen and wasm-opt,
// for a CPU profile that names wasm functions (a heavier build, never shipped).
const keepNames = process.env.MIXPAY_KEEP_NAMES === '1';
const targetDir = resolve(process.env.CARGO_TARGET_DIR ?? 'target');
const raw = join(targetDir, 'wasm32-unknown-unknown', profile, `${BIN}.wasm`);
if (!existsSync(raw)) throw new Error(`split: cargo's wasm is not at ${raw}`);

const run = (cmd, args) => {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    if (e.code === 'ENOENT') {
      throw new Error(`split: ${cmd} is not on PATH (scripts/setup.sh installs it; builds run through scripts/with-toolchain.sh)`);
    }
    throw new Error(`split: ${cmd} ${args.join(' ')} failed`);
  }
};
const sha = (algo, bytes) => createHash(algo).update(bytes).digest();
// Classes the app never uses that wasm-bindgen exports anyway: leptos depends
// on server_fn, whose browser side brings wasm-streams, whose
// `#[wasm_bindgen]` stream adapters are exports, so no linker or wasm-opt can
// drop them (10 KB of wasm, 3 KB of glue, all in the first load). This app has
// no server functions. Their exports go from the wasm before wasm-opt (which
// then drops their code) and their classes from the glue; the build stops if
// either is not found as expected or a trace of them is left.
const UNUSED_CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];

const leb = (bytes, at) => {
  let value = 0, shift = 0, b;
  do { b = bytes[at++]; value |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
  return [value >>> 0, at];
};
const toLeb = (n) => {
  const out = [];
  do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n);
  return out;
};

/** `bytes` without the exports whose name `drop` accepts; returns [wasm, names dropped]. */
function withoutExports(bytes, drop) {
  let at = 8;
  const out = [bytes.subarray(0, 8)];
  const dropped = [];
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, body] = leb(bytes, at + 1);
    const end = body + size;
    if (id !== 7) { out.push(bytes.subarray(at, end)); at = end; continue; }
    let [count, p] = leb(bytes, body);
    const kept = [];
    for (let i = 0; i < count; i++) {
      const [len, nameAt] = leb(bytes, p);
      const name = bytes.subarray(nameAt, nameAt + len).toString('utf8');
      const [, next] = leb(bytes, nameAt + len + 1); // kind byte, then index
      if (drop(name)) dropped.push(name); else kept.push(bytes.subarray(p, next));
      p = next;
    }
    const content = Buffer.concat([Buffer.from(toLeb(kept.length)), ...kept]);
    out.push(Buffer.from([7, ...toLeb(content.length)]), content);
    at = end;
  }
  return [Buffer.concat(out), dropped];
}

/** The glue without the classes of UNUSED_CLASSES. */
function withoutUnusedClasses(glue) {
  for (const name of UNUSED_CLASSES) {
    const once = (re, what) => {
      const found = glue.match(re);
      if (!found || found.length !== 1) throw new Error(`split: the glue's ${what} of ${name} was not found once (has wasm-bindgen's output changed?)`);
      glue = glue.replace(re, '');
    };
    once(new RegExp(`export class ${name} \\{[^]*?\\n\\}\\nif \\(Symbol\\.dispose\\) ${name}\\.prototype\\[Symbol\\.dispose\\] = ${name}\\.prototype\\.free;\\n`, 'g'), 'class');
    once(new RegExp(`const ${name}Finalization = [^;]*;\\n`, 'g'), 'finalization registry');
    if (new RegExp(name, 'i').test(glue)) throw new Error(`split: the glue still names ${name}`);
  }
  return glue;
}

const short = (bytes) => sha('sha256', bytes).toString('hex').slice(0, 16);

// Trunk's names: mixpay-pos-<hash>.js and mixpay-pos-<hash>_bg.wasm.
const stagedWasm = (await readdir(staging)).filter((f) => f.startsWith(`${BIN}-`) && f.endsWith('_bg.wasm'));
if (stagedWasm.length !== 1) throw new Error(`split: expected one ${BIN}-*_bg.wasm in ${staging}, found ${stagedWasm.length}`);
const outName = stagedWasm[0].slice(0, -'_bg.wasm'.length);

const work = await mkdtemp(join(tmpdir(), 'mixpay-split-'));
try {
  const splitDir = join(work, 'split');
  const bindgenDir = join(work, 'bindgen');
  await mkdir(splitDir);
  await mkdir(bindgenDir);

  run('wasm-split-cli', ['--target', 'web', '--out-name', outName, raw, splitDir]);
  const parts = (await readdir(splitDir)).filter((f) => f.endsWith('.wasm') && f !== `${outName}.wasm`);
  if (!parts.some((f) => f.startsWith('split_'))) {
    throw new Error('split: wasm-split found no split point (was the wasm built with the `split` feature?)');
  }

  run('wasm-bindgen', [
    '--target', 'web', '--no-typescript', '--keep-lld-exports', '--no-demangle',
    ...(keepNames ? ['--keep-debug'] : []),
    '--out-name', outName, '--out-dir', bindgenDir, join(splitDir, `${outName}.wasm`),
  ]);

  const opt = (file) => {
    if (profile !== 'release') return;
    run('wasm-opt', ['-Oz', ...(keepNames ? ['-g'] : []), '--enable-bulk-memory', '--enable-nontrapping-float-to-int', file, '-o', file]);
  };
  // JS minified in release (npm's terser, package.json). The glue is an ES
  // module, so its top-level names go too; `module = false` for a classic
  // script (sw-register.js), whose top-level names are the page's.
  const minified = async (code, what, module = true) => {
    if (profile !== 'release') return code;
    const out = await minify(code, { module, ecma: 2020, compress: { passes: 2 }, mangle: true });
    if (!out.code) throw new Error(`split: terser gave nothing for ${what}`);
    return out.code;
  };
  const mainWasm = join(bindgenDir, `${outName}_bg.wasm`);
  const lower = UNUSED_CLASSES.map((c) => c.toLowerCase());
  const [trimmed, dropped] = withoutExports(await readFile(mainWasm), (name) =>
    lower.some((c) => name.startsWith(`${c}_`) || name === `__wbg_${c}_free`),
  );
  for (const c of lower) {
    if (!dropped.some((n) => n.includes(c))) throw new Error(`split: the wasm exports nothing of ${c}`);
  }
  await writeFile(mainWasm, trimmed);
  opt(mainWasm);

  // The parts under content-hashed names; the loader refers to them by name.
  let loader = await readFile(join(splitDir, '__wasm_split.js'), 'utf8');
  const placed = [];
  for (const part of parts.sort()) {
    const file = join(splitDir, part);
    opt(file);
    const bytes = await readFile(file);
    const hashed = `${part.slice(0, -'.wasm'.length)}-${short(bytes)}.wasm`;
    const literal = `"./${part}"`;
    if (!loader.includes(literal)) throw new Error(`split: the loader does not name ${part}`);
    loader = loader.replaceAll(literal, `"./${hashed}"`);
    await writeFile(join(staging, hashed), bytes);
    placed.push(hashed);
  }
  const loaderName = `__wasm_split-${short(Buffer.from(loader))}.js`;
  await writeFile(join(staging, loaderName), loader);

  // The glue's `import * as importN from './__wasm_split.js'` points at the
  // hashed name; the key of the wasm's import object stays the module name
  // compiled into the wasm ('./__wasm_split.js').
  let glue = await readFile(join(bindgenDir, `${outName}.js`), 'utf8');
  const loaderImport = /(\bfrom\s*)(['"])\.\/__wasm_split\.js\2/g;
  if (!loaderImport.test(glue)) throw new Error('split: the wasm-bindgen glue does not import ./__wasm_split.js');
  glue = glue.replace(loaderImport, `$1'./${loaderName}'`);
  glue = withoutUnusedClasses(glue);
  glue = await minified(glue, `${outName}.js`);
  await writeFile(join(staging, `${outName}.js`), glue);
  await copyFile(mainWasm, join(staging, `${outName}_bg.wasm`));
  // sw-register.js, public/'s one script in the first load, minified too (a
  // classic script): its comments were half its gzip bytes.
  const register = join(staging, 'sw-register.js');
  await writeFile(register, await minified(await readFile(register, 'utf8'), 'sw-register.js', false));
  // Local JS snippets (wasm-bindgen's inline_js), as Trunk placed them.
  if (existsSync(join(bindgenDir, 'snippets'))) {
    await rm(join(staging, 'snippets'), { recursive: true, force: true });
    await cp(join(bindgenDir, 'snippets'), join(staging, 'snippets'), { recursive: true });
  }

  // Trunk's subresource integrity for the two files just replaced.
  const indexPath = join(staging, 'index.html');
  let html = await readFile(indexPath, 'utf8');
  for (const file of [`${outName}.js`, `${outName}_bg.wasm`]) {
    const integrity = `sha384-${sha('sha384', await readFile(join(staging, file))).toString('base64')}`;
    // Quoted or not: Trunk's minifier drops the quotes where it may.
    const name = file.replace(/[.]/g, '\\.');
    const tag = new RegExp(`<link[^>]*href="?[^"\\s>]*${name}"?[^>]*>`);
    const found = html.match(tag);
    if (found && /integrity=/.test(found[0])) {
      html = html.replace(found[0], found[0].replace(/integrity=("[^"]*"|[^\s>]*)/, `integrity="${integrity}"`));
    } else if (html.includes(file) && html.includes('integrity=')) {
      throw new Error(`split: index.html names ${file} but its integrity attribute was not found`);
    }
  }
  await writeFile(indexPath, html);

  const size = async (f) => (await readFile(join(staging, f))).length;
  console.log(
    `split: ${outName}_bg.wasm ${await size(`${outName}_bg.wasm`)} B; parts ${(
      await Promise.all(placed.map(async (f) => `${f} ${await size(f)} B`))
    ).join(', ')}; loader ${loaderName}`,
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
