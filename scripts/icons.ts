/**
 * Renders resources/icon.svg to every icon the installers use: resources/icons/NxN.png (Linux,
 * 16..1024), resources/icon.png (1024), resources/icon.ico (Windows, 16..256) and resources/icon.icns
 * (macOS, 16..1024). The SVG is rasterised by the Chromium the browser tests use (scripts/chromium.ts),
 * so no image library is needed. The outputs are committed: building the app never runs this.
 *
 *   node --import tsx scripts/icons.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ensureChromium } from './chromium';
import { encodeIcns, encodeIco, type SizedPng } from './icon-formats';
import { exitWithUsageIfAsked } from './usage';

export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const ICNS_SIZES = [16, 32, 64, 128, 256, 512, 1024];

const RESOURCES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../resources');

async function render(svg: string): Promise<Map<number, Uint8Array>> {
  const browser = await chromium.launch({
    executablePath: ensureChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const out = new Map<number, Uint8Array>();
    for (const size of ICON_SIZES) {
      await page.setViewportSize({ width: size, height: size });
      const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
      await page.setContent(
        `<html><body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      await page.waitForFunction('document.querySelector("img")?.complete === true');
      out.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    }
    return out;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const pngs = await render(fs.readFileSync(path.join(RESOURCES, 'icon.svg'), 'utf8'));
  const pick = (sizes: number[]): SizedPng[] => sizes.map((size) => ({ size, data: pngs.get(size)! }));
  fs.mkdirSync(path.join(RESOURCES, 'icons'), { recursive: true });
  for (const [size, data] of pngs) fs.writeFileSync(path.join(RESOURCES, 'icons', `${size}x${size}.png`), data);
  fs.writeFileSync(path.join(RESOURCES, 'icon.png'), pngs.get(1024)!);
  fs.writeFileSync(path.join(RESOURCES, 'icon.ico'), encodeIco(pick(ICO_SIZES)));
  fs.writeFileSync(path.join(RESOURCES, 'icon.icns'), encodeIcns(pick(ICNS_SIZES)));
  process.stdout.write(`wrote ${pngs.size} PNGs, icon.png, icon.ico and icon.icns to ${RESOURCES}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  exitWithUsageIfAsked(`
usage: npm run icons
  Renders resources/icon.svg in Chromium to resources/icons/NxN.png (16..1024), resources/icon.png,
  resources/icon.ico and resources/icon.icns, overwriting them (they are committed).
`);
  await main();
}
