/**
 * The real consumer of the LaTeX export: wraps an exported table in a plain `article` (one- or
 * two-column), compiles it with pdflatex and reads the log for what a user would hit: errors,
 * "Float too large", overfull boxes. Packages come only from the table's own "% needs" line, so a
 * missing one there fails the compile.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function pdflatexVersion(): string | null {
  const r = spawnSync('pdflatex', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : null;
}

export interface Paper {
  name: string;
  /** Class options, e.g. "10pt,twocolumn,a4paper". */
  options: string;
  twocolumn: boolean;
}

export const PAPERS: Paper[] = [
  { name: 'onecolumn', options: '10pt,letterpaper', twocolumn: false },
  { name: 'twocolumn', options: '10pt,twocolumn,a4paper', twocolumn: true },
];

/** The packages a table says it needs ("% needs \usepackage{booktabs,longtable}"). */
export function neededPackages(tex: string): string[] {
  return [...tex.matchAll(/^% needs \\usepackage\{([^}]*)\}/gm)].flatMap((m) => m[1].split(',').map((s) => s.trim()));
}

/**
 * A document around the table. A longtable cannot be set in two-column mode, so in the two-column
 * paper it follows \onecolumn, as the table's own comment tells authors. `measure` typesets the
 * table's (outermost) tabular once more in a box and prints its width, for the fit report.
 */
export function wrap(tex: string, paper: Paper, measure?: { font: string }): string {
  const long = tex.includes('\\begin{longtable}');
  const tabular = measure
    ? tex.slice(tex.indexOf('\\begin{tabular}'), tex.lastIndexOf('\\end{tabular}') + '\\end{tabular}'.length)
    : '';
  return [
    `\\documentclass[${paper.options}]{article}`,
    `\\usepackage{${[...new Set(neededPackages(tex))].join(',')}}`,
    '\\begin{document}',
    '\\typeout{TEXTWIDTH=\\the\\textwidth}',
    'Some text before the table.',
    paper.twocolumn && long ? '\\onecolumn' : '',
    tex,
    measure
      ? `\\setbox0\\hbox{\\${measure.font}\\setlength{\\tabcolsep}{3pt}${tabular}}\\typeout{TABLEWIDTH=\\the\\wd0}`
      : '',
    'Some text after the table.',
    '\\end{document}',
    '',
  ].join('\n');
}

export interface Compiled {
  log: string;
  pdf: string;
  pages: number;
  textWidth: number | null;
  tableWidth: number | null;
}

export function compile(dir: string, name: string, doc: string): Promise<Compiled> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.tex`), doc);
  return new Promise((resolve, reject) => {
    execFile(
      'pdflatex',
      ['-interaction=nonstopmode', '-halt-on-error', '-no-shell-escape', `${name}.tex`],
      { cwd: dir, timeout: 60_000 },
      (err) => {
        const logFile = path.join(dir, `${name}.log`);
        if (!fs.existsSync(logFile)) return reject(err ?? new Error(`pdflatex wrote no log for ${name}`));
        const log = fs.readFileSync(logFile, 'latin1');
        const pages = Number(/Output written on .*\((\d+) pages?/.exec(log)?.[1] ?? 0);
        const pt = (key: string) => {
          const m = new RegExp(`${key}=([0-9.]+)pt`).exec(log);
          return m ? Number(m[1]) : null;
        };
        resolve({
          log,
          pdf: path.join(dir, `${name}.pdf`),
          pages,
          textWidth: pt('TEXTWIDTH'),
          tableWidth: pt('TABLEWIDTH'),
        });
      },
    );
  });
}

/** What a user would see go wrong: errors, floats too large, overfull boxes wider than `overfullPt`. */
export function problems(log: string, overfullPt = 1): string[] {
  const out: string[] = [];
  const lines = log.split('\n');
  lines.forEach((l, i) => {
    if (l.startsWith('! ')) out.push(`${l} ${lines.slice(i + 1, i + 3).join(' ')}`.trim());
    if (/Float too large/.test(l)) out.push(l.trim());
    const over = /Overfull \\hbox \(([0-9.]+)pt too wide\)/.exec(l);
    if (over && Number(over[1]) > overfullPt) out.push(l.trim());
  });
  if (/LaTeX Error|Emergency stop|Fatal error/.test(log) && out.length === 0)
    out.push('pdflatex stopped (see the log)');
  return out;
}

/** Pages as PNG at 80 dpi for a person to look at. */
export function renderPng(pdf: string, outDir: string, stem: string): Promise<string[]> {
  fs.mkdirSync(outDir, { recursive: true });
  return new Promise((resolve, reject) => {
    execFile(
      'pdftoppm',
      ['-png', '-r', '80', pdf, path.join(outDir, stem)],
      { timeout: 60_000 },
      (err: Error | null) => {
        if (err) return reject(err);
        resolve(
          fs
            .readdirSync(outDir)
            .filter((f) => f.startsWith(stem + '-') || f === `${stem}.png`)
            .map((f) => path.join(outDir, f)),
        );
      },
    );
  });
}

/** Runs `jobs` at most `limit` at a time (pdflatex is ~1 s each; the machine has 2 cores). */
export async function pool<T>(jobs: (() => Promise<T>)[], limit = 2): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}
