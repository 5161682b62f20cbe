// Renders the app icons in public/icons/ from the vector sources in assets/,
// with Chromium. Run after changing an SVG: `node scripts/make-icons.mjs`.
// The PNGs are committed, so builds need no rasterizer.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { launchBrowser } from '../tests/e2e/helpers.mjs';

const OUT = 'public/icons';
const ICONS = [
  { src: 'assets/icon.svg', out: 'icon-192.png', size: 192 },
  { src: 'assets/icon.svg', out: 'icon-512.png', size: 512 },
  { src: 'assets/icon-maskable.svg', out: 'icon-maskable-512.png', size: 512 },
  // iPad Safari ignores the manifest's icons and wants a full-bleed square.
  { src: 'assets/icon-maskable.svg', out: 'apple-touch-icon.png', size: 180 },
];

await mkdir(OUT, { recursive: true });
const browser = await launchBrowser();
try {
  for (const icon of ICONS) {
    const svg = await readFile(icon.src, 'utf8');
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    const url = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    await page.setContent(`<style>html,body{margin:0;background:transparent}</style><img src="${url}" width="${icon.size}" height="${icon.size}">`);
    await page.locator('img').screenshot({ path: `${OUT}/${icon.out}`, omitBackground: true });
    await page.close();
    console.log(`${OUT}/${icon.out}`);
  }
  await copyFile('assets/icon.svg', `${OUT}/icon.svg`);
} finally {
  await browser.close();
}
