/**
 * Text in the CLI's figures. Without a canvas, ECharts lays text out with built-in character widths
 * (Arial's), but the files are drawn in whatever family "sans-serif" is here: DejaVu Sans on most
 * Linux machines is ~11% wider (bold ~23%), so legend entries ran into the next entry's symbol. The
 * estimate is scaled by the ratio of that family's width to it, measured once per weight with resvg
 * (the same renderer that draws the PNG), so the layout leaves the room the glyphs take.
 */
import { execFileSync } from 'node:child_process';
import { Resvg } from '@resvg/resvg-js';
import { setPlatformAPI } from 'echarts/core';
// ECharts' own text estimate (the default it replaces): zrender is the renderer ECharts is built on.
import { platformApi } from 'zrender/lib/core/platform.js';

let sansSerif: string | undefined;
/**
 * The family the charts' "sans-serif" text is drawn in. resvg 2.6 maps it to Arial and, where Arial
 * is missing (most Linux machines), to its default family, a serif face: so both are set to this. On
 * Linux fontconfig names the family a browser there would use for the app's own export; elsewhere Arial.
 */
export function sansSerifFamily(): string {
  if (sansSerif !== undefined) return sansSerif;
  sansSerif = 'Arial';
  if (process.platform === 'linux') {
    try {
      sansSerif =
        execFileSync('fc-match', ['-f', '%{family[0]}', 'sans-serif'], { encoding: 'utf8', timeout: 5000 }).trim() ||
        'DejaVu Sans';
    } catch {
      sansSerif = 'DejaVu Sans';
    }
  }
  return sansSerif;
}

/**
 * resvg's font settings for drawing chart text in `family` (the PNG export, the width measurement, the tests' reference
 * drawing).
 */
export const resvgFonts = (family: string) => ({
  loadSystemFonts: true,
  sansSerifFamily: family,
  defaultFontFamily: family,
});

// Every printable ASCII character but the three XML would need escaped.
const SAMPLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))
  .join('')
  .replace(/[<>&]/g, '');

/** How much wider `family` draws the sample than ECharts' estimate of it, at a weight. */
function widthRatio(family: string, weight: 'normal' | 'bold'): number {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="10000" height="200"><text x="0" y="120" xml:space="preserve" style="font-size:100px;font-family:sans-serif;font-weight:${weight}">${SAMPLE}</text></svg>`;
  const drawn = new Resvg(svg, { font: resvgFonts(family) }).getBBox()?.width;
  const guessed = estimate(SAMPLE, `${weight} 100px sans-serif`).width;
  return drawn && guessed ? drawn / guessed : 1;
}

// Taken before measureTextIn replaces it.
const estimate = platformApi.measureText.bind(platformApi);

let installedFor: string | undefined;
/** From now on this process lays chart text out at `family`'s widths (idempotent). */
export function measureTextIn(family: string): void {
  if (installedFor === family) return;
  installedFor = family;
  const ratios = new Map<string, number>();
  setPlatformAPI({
    measureText: (text: string, font?: string) => {
      const width = estimate(text, font).width;
      // Monospace text is estimated per character already; the charts use sans-serif.
      if (font?.includes('mono')) return { width };
      const weight = font && /\b(bold|bolder|[6-9]00)\b/.test(font) ? 'bold' : 'normal';
      let ratio = ratios.get(weight);
      if (ratio === undefined) ratios.set(weight, (ratio = widthRatio(family, weight)));
      return { width: width * ratio };
    },
  });
}
