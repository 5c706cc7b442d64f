/**
 * Figures to files for `fedmem figure` and `fedmem study figure`: the figure list a results page
 * draws (charts/run-figures.ts, charts/study-figures.ts) rendered headless. SVG is the same drawing
 * the UI's SVG export makes (figureSvg: ECharts server-side rendering, light theme, card background);
 * PNG rasterises that SVG with resvg at the UI's pixel ratio, so no browser or canvas is needed; PDF
 * draws it in vectors for pdflatex (figure-pdf.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { DEFAULT_FIGURE_WIDTH, figureLayout, type FigureSpec } from '../../shared/figures/figure-spec';
import { PNG_PIXEL_RATIO } from '../../shared/figures/themes';
import { figureSvg } from '../../shared/figures/echarts';
import { CliError } from '../process-exit';
import { fontFiles, svgToPdf } from './figure-pdf';
import { numberFlag } from './numbers';
import { measureTextIn, resvgFonts, sansSerifFamily } from './figure-text';

export const FIGURE_FORMATS = ['svg', 'png', 'pdf'] as const;
export type FigureFormat = (typeof FIGURE_FORMATS)[number];

/** What the figure commands read from their flags (commander's shapes: strings and lists). */
export interface FigureFlags {
  chart?: string[];
  format?: string;
  out?: string;
  width?: string;
  height?: string;
  list?: boolean;
}

/** The size flags' rule: a whole number of pixels from 50 to 8000. */
const PIXELS = { min: 50, max: 8000, unit: 'pixels' };

export function figureFormat(value: string | undefined): FigureFormat {
  const format = FIGURE_FORMATS.find((f) => f === (value ?? 'svg'));
  if (!format) throw new CliError(`--format must be one of ${FIGURE_FORMATS.join(', ')}, not "${value}"`);
  return format;
}

/** The figures --chart names (every one without it); an unknown id is an error that lists the ids there are. */
export function selectFigures(figures: FigureSpec[], ids: readonly string[] | undefined, owner: string): FigureSpec[] {
  if (!ids?.length) return figures;
  const known = figures.map((f) => f.file);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length)
    throw new CliError(
      `--chart ${unknown.map((u) => `"${u}"`).join(', ')} is not a figure of ${owner}; its figures: ${known.join(', ') || 'none'}`,
    );
  return figures.filter((f) => ids.includes(f.file));
}

export interface FigureChoices {
  format: FigureFormat;
  size: { width?: number; height?: number };
  chart?: string[];
  out?: string;
  list?: boolean;
}

/** The flags checked before anything is read, so a mistyped one fails at once. */
export function parseFigureFlags(flags: FigureFlags): FigureChoices {
  return {
    format: figureFormat(flags.format),
    size: { width: numberFlag('--width', flags.width, PIXELS), height: numberFlag('--height', flags.height, PIXELS) },
    chart: flags.chart,
    out: flags.out,
    list: flags.list,
  };
}

/** One figure's file contents: an SVG document, a PNG of it at PNG_PIXEL_RATIO, or a one-page vector PDF of it. */
export function renderFigure(
  spec: FigureSpec,
  format: FigureFormat,
  size: { width?: number; height?: number } = {},
): Buffer {
  const family = sansSerifFamily();
  measureTextIn(family);
  const layout = figureLayout(spec, size.width ?? DEFAULT_FIGURE_WIDTH, size.height);
  const svg = figureSvg(layout.option, layout, 'light');
  if (format === 'svg') return Buffer.from(svg);
  if (format === 'pdf') return svgToPdf(svg, { width: layout.width, height: layout.height }, fontFiles(family));
  return new Resvg(svg, { font: resvgFonts(family), fitTo: { mode: 'zoom', value: PNG_PIXEL_RATIO } }).render().asPng();
}

/** `--list`: one line per figure, its id (the file name) and its caption. */
export function figureListText(figures: FigureSpec[]): string {
  const width = Math.max(0, ...figures.map((f) => f.file.length));
  return figures.map((f) => `${f.file.padEnd(width)}  ${f.caption}\n`).join('');
}

/**
 * Renders the chosen figures into --out (made if missing; default the current folder); prints each
 * file's path on stdout and a summary on stderr. Returns the paths written.
 */
export function writeFigures(figures: FigureSpec[], flags: FigureChoices, owner: string): string[] {
  const { format, size } = flags;
  if (flags.list) {
    process.stdout.write(figureListText(figures));
    return [];
  }
  const chosen = selectFigures(figures, flags.chart, owner);
  if (!chosen.length) throw new CliError(`${owner} has no figures yet`);
  const dir = path.resolve(flags.out ?? '.');
  const written: string[] = [];
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const spec of chosen) {
      const file = path.join(dir, `${spec.file}.${format}`);
      fs.writeFileSync(file, renderFigure(spec, format, size));
      written.push(file);
      process.stdout.write(`${file}\n`);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code) throw e;
    throw new CliError(`cannot write the figures to --out ${flags.out ?? '.'}: ${code}`);
  }
  process.stderr.write(
    `wrote ${written.length} figure${written.length === 1 ? '' : 's'} of ${owner} as ${format} to ${dir}\n`,
  );
  return written;
}
