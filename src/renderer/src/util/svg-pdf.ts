/**
 * An SVG document as a one-page vector PDF (paths stay paths, text stays text), for figures in LaTeX:
 * jsPDF writes the PDF and svg2pdf.js walks the SVG into its drawing calls. Both are loaded on the
 * first PDF export only, so they stay out of the bundle every window loads.
 * Text uses PDF's standard Helvetica (see pdf-text.ts).
 */
import type { jsPDF as JsPdf } from 'jspdf';
import { PDF_POINTS_PER_PX } from '../../../shared/figures/themes';
import { pdfReadySvg } from './pdf-text';

/**
 * svg2pdf.js places centred and end-anchored text by measuring it with the browser's fonts, which are
 * wider than the PDF's Helvetica where Helvetica is not installed, so centred titles drifted left by
 * ~10% of their width. Anchoring each such label at its start, measured with the PDF's own metrics,
 * puts it where ECharts meant. (Charts' text is sans-serif, drawn in Helvetica.)
 */
function anchorWithPdfMetrics(root: Element, pdf: JsPdf): void {
  for (const t of root.querySelectorAll('text')) {
    const anchor = t.getAttribute('text-anchor');
    if ((anchor !== 'middle' && anchor !== 'end') || t.children.length > 0) continue;
    const style = t.getAttribute('style') ?? '';
    const size = Number(/font-size:\s*([\d.]+)px/.exec(style)?.[1] ?? 12);
    pdf.setFont('helvetica', /font-weight:\s*bold/.test(style) ? 'bold' : 'normal');
    const width = pdf.getStringUnitWidth(t.textContent ?? '') * size;
    t.setAttribute('x', String(Number(t.getAttribute('x') ?? 0) - (anchor === 'middle' ? width / 2 : width)));
    t.setAttribute('text-anchor', 'start');
  }
  // svg2pdf.js sets a font only where the SVG changes it, assuming jsPDF's default is current.
  pdf.setFont('helvetica', 'normal');
}

export async function svgToPdf(svg: string, width: number, height: number): Promise<Blob> {
  const [{ jsPDF }, { svg2pdf }] = await Promise.all([import('jspdf'), import('svg2pdf.js')]);
  const root = new DOMParser().parseFromString(pdfReadySvg(svg), 'image/svg+xml').documentElement;
  if (root.nodeName !== 'svg') throw new Error('the chart did not render to SVG');
  // The page is the chart's size in points, so LaTeX scales it like any figure.
  const w = width * PDF_POINTS_PER_PX;
  const h = height * PDF_POINTS_PER_PX;
  const pdf = new jsPDF({ unit: 'pt', format: [w, h], orientation: w >= h ? 'landscape' : 'portrait', compress: true });
  anchorWithPdfMetrics(root, pdf);
  await svg2pdf(root, pdf, { x: 0, y: 0, width: w, height: h });
  return pdf.output('blob');
}
