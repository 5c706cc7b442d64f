/**
 * Whether two renderers drew the same picture: a PDF rasterised by poppler (pdftoppm) against its
 * source SVG rasterised by resvg, at the same size. Each 24 px square is averaged first, so anti-aliasing
 * and sub-pixel offsets (which differ between any two renderers) wash out while a missing or misplaced
 * label, bar or line still moves its square's average. Returns the largest difference of a square's
 * average colour, 0-255.
 */
import { execFileSync } from 'node:child_process';
import { Resvg } from '@resvg/resvg-js';
import { resvgFonts, sansSerifFamily } from '../../../src/main/cli/figure-text';
import { PDF_POINTS_PER_PX } from '../../../src/shared/figures/themes';

/** pdftoppm's PPM (P6): width, height, then RGB bytes. */
function readPpm(buf: Buffer): { width: number; height: number; rgb: Buffer } {
  const m = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(buf.toString('latin1', 0, 64));
  if (!m) throw new Error('pdftoppm did not write a P6 image');
  return { width: Number(m[1]), height: Number(m[2]), rgb: buf.subarray(m[0].length) };
}

/** `zoom`: image pixels per chart pixel, for both (the PDF page is PDF_POINTS_PER_PX points per chart pixel). */
export function worstSquareDifference(
  pdfFile: string,
  svg: string,
  zoom: number,
  square = 24,
): { size: [number, number]; worst: number } {
  const dpi = (72 * zoom) / PDF_POINTS_PER_PX;
  const pdf = readPpm(execFileSync('pdftoppm', ['-r', String(dpi), '-singlefile', pdfFile], { maxBuffer: 256e6 }));
  const rendered = new Resvg(svg, {
    font: resvgFonts(sansSerifFamily()),
    fitTo: { mode: 'zoom', value: zoom },
  }).render();
  // Read once: resvg's `pixels` getter copies the whole image on every access.
  const ref = { width: rendered.width, height: rendered.height, pixels: rendered.pixels };
  if (pdf.width !== ref.width || pdf.height !== ref.height) return { size: [pdf.width, pdf.height], worst: 255 };
  let worst = 0;
  for (let top = 0; top < ref.height; top += square) {
    for (let left = 0; left < ref.width; left += square) {
      const a = [0, 0, 0];
      const b = [0, 0, 0];
      let n = 0;
      for (let y = top; y < Math.min(ref.height, top + square); y++) {
        for (let x = left; x < Math.min(ref.width, left + square); x++, n++) {
          for (let c = 0; c < 3; c++) {
            a[c] += pdf.rgb[(y * pdf.width + x) * 3 + c];
            b[c] += ref.pixels[(y * ref.width + x) * 4 + c];
          }
        }
      }
      worst = Math.max(worst, ...a.map((v, c) => Math.abs(v - b[c]) / n));
    }
  }
  return { size: [pdf.width, pdf.height], worst };
}
