// A virtual serial printer at the browser boundary: an init script that
// puts a fake `navigator.serial` in the page (requestPort and getPorts give
// one port; its writable stream keeps every byte written in
// `window.__serial.bytes`), and a reader of ESC/POS raster (`GS v 0`) that is
// the tests' own, not the app's encoder.
import { PNG } from 'pngjs';

/**
 * Installs the fake Web Serial in every page of `context` (before any
 * script of the page). `window.__serial.failAfter = n` makes each write fail
 * (as a printer switched off or a link that dropped) once n bytes are in;
 * `null` lets them through again.
 */
export async function installFakeSerial(context) {
  await context.addInitScript(() => {
    const state = { bytes: [], writes: 0, opened: 0, closed: 0, requested: 0, baudRate: null, failAfter: null, granted: false };
    window.__serial = state;
    const port = {
      writable: null,
      readable: null,
      async open(options) {
        if (this.writable) throw new DOMException('The port is already open.', 'InvalidStateError');
        state.opened += 1;
        state.baudRate = options?.baudRate ?? null;
        this.writable = new WritableStream({
          write(chunk) {
            if (state.failAfter !== null && state.bytes.length >= state.failAfter) {
              throw new DOMException('The device has been lost.', 'NetworkError');
            }
            state.writes += 1;
            for (const b of chunk) state.bytes.push(b);
          },
        });
      },
      async close() {
        state.closed += 1;
        this.writable = null;
      },
      getInfo() {
        return {};
      },
      addEventListener() {},
      removeEventListener() {},
    };
    Object.defineProperty(Navigator.prototype, 'serial', {
      configurable: true,
      get() {
        return {
          async requestPort() {
            state.requested += 1;
            state.granted = true;
            return port;
          },
          async getPorts() {
            return state.granted ? [port] : [];
          },
          addEventListener() {},
          removeEventListener() {},
        };
      },
    });
  });
}

/**
 * Reads one ESC/POS job: `ESC @`, `GS v 0` bands (m 0), `ESC d n`, `GS V m`.
 * Returns the image (width in dots, rows of 0/1) and the commands seen in
 * order; throws on any byte it does not expect.
 */
export function decodeEscPos(bytes) {
  const commands = [];
  const rows = [];
  let width = null;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === 0x1b && bytes[i + 1] === 0x40) {
      commands.push('ESC @');
      i += 2;
    } else if (b === 0x1d && bytes[i + 1] === 0x76 && bytes[i + 2] === 0x30) {
      const m = bytes[i + 3];
      const x = bytes[i + 4] + 256 * bytes[i + 5];
      const y = bytes[i + 6] + 256 * bytes[i + 7];
      if (m !== 0) throw new Error(`GS v 0 with m=${m}`);
      if (width !== null && width !== x * 8) throw new Error('bands of different widths');
      width = x * 8;
      const data = bytes.slice(i + 8, i + 8 + x * y);
      if (data.length !== x * y) throw new Error('a band cut short');
      for (let r = 0; r < y; r += 1) {
        const row = new Uint8Array(x * 8);
        for (let d = 0; d < x * 8; d += 1) row[d] = (data[r * x + (d >> 3)] >> (7 - (d & 7))) & 1;
        rows.push(row);
      }
      commands.push(`GS v 0 ${x}x${y}`);
      i += 8 + x * y;
    } else if (b === 0x1b && bytes[i + 1] === 0x64) {
      commands.push(`ESC d ${bytes[i + 2]}`);
      i += 3;
    } else if (b === 0x1d && bytes[i + 1] === 0x56) {
      commands.push(`GS V ${bytes[i + 2]}`);
      i += 3;
    } else {
      throw new Error(`unexpected byte 0x${b.toString(16)} at ${i}`);
    }
  }
  return { width, rows, commands };
}

/**
 * The whole jobs in `bytes`, each read by `decodeEscPos` and ending in its
 * cut; a job still coming in at the end is left out.
 */
export function decodeJobs(bytes) {
  const jobs = [];
  let start = 0;
  let i = 0;
  // Walk the commands to find each cut (a raster band may hold any byte).
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === 0x1b && bytes[i + 1] === 0x40) i += 2;
    else if (b === 0x1d && bytes[i + 1] === 0x76 && bytes[i + 2] === 0x30) {
      if (i + 8 > bytes.length) break;
      i += 8 + (bytes[i + 4] + 256 * bytes[i + 5]) * (bytes[i + 6] + 256 * bytes[i + 7]);
    } else if (b === 0x1b && bytes[i + 1] === 0x64) i += 3;
    else if (b === 0x1d && bytes[i + 1] === 0x56) {
      i += 3;
      if (i <= bytes.length) jobs.push(decodeEscPos(bytes.slice(start, i)));
      start = i;
    } else throw new Error(`unexpected byte 0x${b.toString(16)} at ${i}`);
  }
  return jobs;
}

/** The image as a PNG (black dots on white), for people to look at and for jsQR. */
export function imagePng(image, scale = 1) {
  const png = new PNG({ width: image.width * scale, height: image.rows.length * scale });
  for (let y = 0; y < png.height; y += 1) {
    for (let x = 0; x < png.width; x += 1) {
      const v = image.rows[Math.floor(y / scale)][Math.floor(x / scale)] ? 0 : 255;
      const o = (y * png.width + x) * 4;
      png.data[o] = v;
      png.data[o + 1] = v;
      png.data[o + 2] = v;
      png.data[o + 3] = 255;
    }
  }
  return png;
}

/**
 * Where `glyphs` (rows of 0/1, e.g. a text drawn by the page's canvas and
 * cut to its ink) is in `image`: the best place and the share of its dots
 * that differ there. Found means a share under ~0.15.
 */
export function findIn(image, glyphs) {
  const h = glyphs.length;
  const w = glyphs[0].length;
  const inked = [];
  glyphs.forEach((row, gy) => row.forEach((v, gx) => { if (v) inked.push([gx, gy]); }));
  const budget = Math.ceil(inked.length * 0.25);
  let best = { share: 1, x: -1, y: -1 };
  for (let y = 0; y + h <= image.rows.length; y += 1) {
    for (let x = 0; x + w <= image.width; x += 1) {
      // The glyphs' ink first: most places miss it at once.
      let missed = 0;
      for (const [gx, gy] of inked) if (!image.rows[y + gy][x + gx] && ++missed > budget) break;
      if (missed > budget) continue;
      let diff = 0;
      for (let gy = 0; gy < h; gy += 1) {
        const a = image.rows[y + gy];
        const g = glyphs[gy];
        for (let gx = 0; gx < w; gx += 1) if (a[x + gx] !== g[gx]) diff += 1;
      }
      if (diff / inked.length < best.share) best = { share: diff / inked.length, x, y };
    }
  }
  return best;
}
