/**
 * PDF figures from the CLI (`--format pdf`), for papers typeset with pdflatex: the SVG the other formats
 * start from, drawn by PDFKit (through svg-to-pdfkit) as vectors on a page the chart's size in points, as
 * the app's PDF export makes it. The app's export (renderer/util/svg-pdf.ts: jsPDF, which needs a DOM)
 * writes PDF's standard Helvetica and spells out symbols beyond Latin-1; here Node can read the font the
 * layout was measured in, so it is embedded (a subset) and ρ stays ρ.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { PDF_POINTS_PER_PX } from '../../shared/figures/themes';

export interface FontFile {
  path: string;
  /** The face inside a font collection (.ttc): its PostScript name. */
  face?: string;
}

/** Where Arial (the family figure-text.ts lays text out in off Linux) lives on macOS and Windows. */
const ARIAL: Record<'normal' | 'bold', string[]> = {
  normal: ['/System/Library/Fonts/Supplemental/Arial.ttf', '/Library/Fonts/Arial.ttf', 'C:\\Windows\\Fonts\\arial.ttf'],
  bold: [
    '/System/Library/Fonts/Supplemental/Arial Bold.ttf',
    '/Library/Fonts/Arial Bold.ttf',
    'C:\\Windows\\Fonts\\arialbd.ttf',
  ],
};

export interface FontFiles {
  normal?: FontFile;
  bold?: FontFile;
}

/** The file of `family` at a weight: fontconfig's on Linux, Arial's known places elsewhere; undefined if not found. */
function fontFile(family: string, weight: 'normal' | 'bold'): FontFile | undefined {
  if (process.platform !== 'linux') {
    const file = ARIAL[weight].find((f) => fs.existsSync(f));
    return file ? { path: file } : undefined;
  }
  try {
    const [file, face] = execFileSync(
      'fc-match',
      ['-f', '%{file}\n%{postscriptname}', `${family}:weight=${weight === 'bold' ? 200 : 80}`],
      { encoding: 'utf8', timeout: 5000 },
    ).split('\n');
    if (file && fs.existsSync(file)) return { path: file, ...(file.toLowerCase().endsWith('.ttc') && { face }) };
  } catch {
    /* no fontconfig: PDFKit's Helvetica */
  }
  return undefined;
}

const found = new Map<string, FontFiles>();
/** The files of the family chart text is laid out in (figure-text.ts sansSerifFamily), looked up once per process. */
export function fontFiles(family: string): FontFiles {
  let files = found.get(family);
  if (!files) found.set(family, (files = { normal: fontFile(family, 'normal'), bold: fontFile(family, 'bold') }));
  return files;
}

/**
 * Text PDFKit cannot draw as ECharts asks: a label with a halo (`paint-order="stroke"`, the outline drawn
 * under the fill) is drawn fill-first by svg-to-pdfkit, so the halo covered the label (white numbers on
 * a heatmap's dark cells vanished). Each such label becomes its outline, then its fill.
 */
export function haloTextFirst(svg: string): string {
  return svg.replace(
    /<text([^>]*?) paint-order="stroke"([^>]*)>([\s\S]*?)<\/text>/g,
    (_m, before: string, after: string, content: string) => {
      const attrs = before + after;
      const outline = attrs.replace(/ fill="[^"]*"/, '') + ' fill="none"';
      const fill = attrs.replace(/ stroke="[^"]*"/, '').replace(/ stroke-width="[^"]*"/, '');
      return `<text${outline}>${content}</text><text${fill}>${content}</text>`;
    },
  );
}

/** One page the chart's size in points (`size` in chart pixels), with the figure drawn on it in vectors. */
export function svgToPdf(svg: string, size: { width: number; height: number }, fonts: FontFiles): Buffer {
  const width = size.width * PDF_POINTS_PER_PX;
  const height = size.height * PDF_POINTS_PER_PX;
  // No clock in the file: the same figure gives the same bytes.
  const doc = new PDFDocument({
    size: [width, height],
    margin: 0,
    info: {
      CreationDate: new Date(0),
      ModDate: new Date(0),
      Producer: 'FedMem Workbench',
      Creator: 'FedMem Workbench',
    },
  });
  const registered = { normal: 'Helvetica', bold: 'Helvetica-Bold' };
  for (const weight of ['normal', 'bold'] as const) {
    const font = fonts[weight];
    if (!font) continue;
    doc.registerFont(`sans-${weight}`, font.path, font.face);
    registered[weight] = `sans-${weight}`;
  }
  // Scaled into the page through the SVG's viewBox (ECharts writes one the chart's size in pixels).
  SVGtoPDF(doc, haloTextFirst(svg), 0, 0, {
    width,
    height,
    fontCallback: (_family: string, bold: boolean) => (bold ? registered.bold : registered.normal),
  });
  doc.end();
  // PDFKit writes the whole file while it ends, into the stream's buffer: read here without waiting on events.
  const chunks: Buffer[] = [];
  for (let c: Buffer | null; (c = doc.read() as Buffer | null) !== null;) chunks.push(c);
  return Buffer.concat(chunks);
}
