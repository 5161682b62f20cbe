// Where the wasm's bytes go, by crate and by function: the code size of every
// function of a wasm that keeps its names (cargo's own output, before
// wasm-bindgen and wasm-opt strip them), attributed through the `name`
// section. The same idea as twiggy's `top`, in a few lines of JavaScript so
// the bench needs no extra tool. The figures are of the unoptimised-by-
// wasm-opt file: use them to rank, and the weight table for what ships.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

function reader(bytes) {
  let pos = 0;
  const r = {
    get pos() { return pos; },
    set pos(p) { pos = p; },
    byte: () => bytes[pos++],
    u32() {
      let result = 0, shift = 0, b;
      do {
        b = bytes[pos++];
        result += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      return result;
    },
    name() {
      const len = r.u32();
      const s = new TextDecoder().decode(bytes.subarray(pos, pos + len));
      pos += len;
      return s;
    },
  };
  return r;
}

const ESCAPES = { SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',' };

/** v0 symbols (`_R…`: all of them since the wasm build runs rustc with
 * RUSTC_BOOTSTRAP=1, which mangles as nightly does) as paths, by binutils'
 * c++filt (there with the C linker every native Rust build needs), the crates'
 * `[hash]` disambiguators dropped. A symbol it cannot read is left out, and
 * `demangle` gives it its crate's name only. */
export function demangleV0(symbols) {
  const out = new Map();
  if (symbols.length === 0) return out;
  const run = spawnSync('c++filt', [], { input: symbols.join('\n'), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0 || !run.stdout) return out;
  const lines = run.stdout.split('\n');
  symbols.forEach((symbol, i) => {
    const path = lines[i];
    if (path && path !== symbol) out.set(symbol, path.replace(/\[[0-9a-f]{16}\]/g, ''));
  });
  return out;
}

/** A Rust symbol as a path (`_ZN…E` legacy mangling, the hash dropped); a
 * v0 symbol (`_R…`) that `demangleV0` could not read becomes its crate's
 * name only. */
export function demangle(symbol) {
  if (symbol.startsWith('_R')) {
    const m = /C(?:s[0-9A-Za-z]*_)?(\d+)/.exec(symbol);
    if (m) {
      const at = m.index + m[0].length;
      return `${symbol.slice(at, at + Number(m[1]))}::(v0) ${symbol}`;
    }
    return symbol;
  }
  if (!symbol.startsWith('_ZN')) return symbol;
  const parts = [];
  let i = 3;
  while (i < symbol.length && symbol[i] !== 'E') {
    const digits = /^\d+/.exec(symbol.slice(i));
    if (!digits) return symbol;
    i += digits[0].length;
    parts.push(symbol.slice(i, i + Number(digits[0])));
    i += Number(digits[0]);
  }
  if (/^h[0-9a-f]{16}$/.test(parts.at(-1) ?? '')) parts.pop();
  return parts
    .map((p) =>
      p
        .replace(/^_\$/, '$')
        .replace(/\.\./g, '::')
        .replace(/\$u([0-9a-f]+)\$/g, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
        .replace(/\$([A-Z]+)\$/g, (all, k) => ESCAPES[k] ?? all),
    )
    .join('::');
}

/** The crate a (demangled) Rust symbol belongs to: its first path segment. */
export function crateOf(name) {
  // `<T as trait::Path>::f` (`<_ as …>` in v0), a blanket impl, or a trait
  // implemented for a primitive (`<f64 as core::str::FromStr>`): the trait's crate.
  const blanket = /^<(?:[A-Z]\w*|_|str|char|bool|[iuf](?:8|16|32|64|128|size)|\[[^\]]*\]) as ([A-Za-z_]\w*)::/.exec(name);
  if (blanket) return blanket[1];
  const m = /^[<&*\s]*(?:dyn |mut |const )*([A-Za-z_][A-Za-z0-9_]*)::/.exec(name);
  if (m) return m[1];
  // A primitive's own method (`<str>::to_lowercase`, `<[T]>::join`): core or alloc.
  if (/^<(?:str|char|bool|[iuf](?:8|16|32|64|128|size)|\[[^\]]*\])>::/.test(name)) return 'core/alloc (primitives)';
  return name.startsWith('__wbg') || name.startsWith('__wbindgen') ? 'wasm-bindgen glue' : '(other)';
}

/** Sizes of every function body and of the data, by name, from a wasm file. */
export async function wasmSizes(path) {
  const bytes = await readFile(path);
  const r = reader(bytes);
  r.pos = 8;
  let importedFunctions = 0;
  let bodies = [];
  let data = 0;
  const names = new Map();
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        r.name();
        r.name();
        const kind = r.byte();
        if (kind === 0) { importedFunctions++; r.u32(); }
        else if (kind === 1) { r.byte(); const flags = r.u32(); r.u32(); if (flags & 1) r.u32(); }
        else if (kind === 2) { const flags = r.u32(); r.u32(); if (flags & 1) r.u32(); }
        else if (kind === 3) { r.byte(); r.byte(); }
        else { r.byte(); r.u32(); }
      }
    } else if (id === 10) {
      for (let n = r.u32(); n > 0; n--) {
        const len = r.u32();
        bodies.push(len + 1); // the size's own byte(s), roughly
        r.pos += len;
      }
    } else if (id === 11) {
      data += size;
    } else if (id === 0) {
      const section = r.name();
      if (section === 'name') {
        while (r.pos < end) {
          const sub = r.byte();
          const subSize = r.u32();
          const subEnd = r.pos + subSize;
          if (sub === 1) {
            for (let n = r.u32(); n > 0; n--) {
              const index = r.u32();
              names.set(index, r.name());
            }
          }
          r.pos = subEnd;
        }
      }
    }
    r.pos = end;
  }
  const v0 = demangleV0([...names.values()].filter((n) => n.startsWith('_R')));
  const functions = bodies
    .map((size, i) => {
      const raw = names.get(importedFunctions + i) ?? `function[${importedFunctions + i}]`;
      return { raw, name: v0.get(raw) ?? demangle(raw), size };
    })
    // wasm-bindgen's build-time descriptors: it runs and removes them, they never ship.
    .filter((f) => !f.raw.startsWith('__wbindgen_describe'))
    .map(({ name, size }) => ({ name, size }));
  const crates = new Map();
  for (const f of functions) crates.set(crateOf(f.name), (crates.get(crateOf(f.name)) ?? 0) + f.size);
  if (data) crates.set('(data segments)', data);
  const total = bytes.length;
  return {
    total,
    crates: [...crates].map(([crate, size]) => ({ crate, size })).sort((a, b) => b.size - a.size),
    functions: functions.sort((a, b) => b.size - a.size),
  };
}
