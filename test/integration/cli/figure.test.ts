/**
 * `fedmem figure` as a user runs it on a headless machine: a tiny real run on MNIST with two analyses
 * (distances, stability), then its figures as SVG and PNG files: the UI's export names, SVG documents
 * that hold the run's method labels and axis names, PNGs at twice the asked size, PDFs that poppler draws as
 * resvg draws the SVG and that pdflatex includes; and the one-sentence
 * errors for an unknown run, an unknown figure and an --out that cannot be written.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fontFiles } from '../../../src/main/cli/figure-pdf';
import { sansSerifFamily } from '../../../src/main/cli/figure-text';
import { PDF_POINTS_PER_PX } from '../../../src/shared/figures/themes';
import { openDatabase } from '../../../src/main/store';
import type { UnlearningReport } from '../../../src/shared/results';
import { pdflatexVersion } from '../export/pdflatex';
import { worstSquareDifference } from '../support/raster-compare';
import { skipOrFail } from '../support/required-tool';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-figure-'));
const dataDir = path.join(tmp, 'data');
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fedmem(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args, '--data-dir', dataDir], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const config = {
  seed: 5,
  dataset: { id: 'mnist', trainSize: 300, testSize: 200 },
  partition: { clients: 3 },
  training: { rounds: 2, batchSize: 32, lr: 2e-3 },
  compute: { workers: 2 },
  unlearning: { request: { kind: 'clients', clients: [0] }, methods: [{ id: 'finetune', rounds: 1 }] },
  evaluation: {
    retrainModels: 2,
    lossSurface: false,
    csl: false,
    analyses: [{ id: 'distances', maxExamples: 30 }, { id: 'stability' }],
  },
};
const FIGURES = [
  'gme-accuracy',
  'time-analysis',
  'test-accuracy-per-round',
  'loss-per-round',
  'partition',
  'distances-l2',
  'distances-cosine',
  'distances-kl',
  'stability',
];

let runId = '';
let methods: string[] = [];
before(() => {
  const file = path.join(tmp, 'tiny.json');
  fs.writeFileSync(file, JSON.stringify(config));
  const r = fedmem(['run', '--config', file]);
  assert.equal(r.code, 0, r.stderr);
  runId = r.stdout.trim();
  const store = openDatabase(dataDir, { recoverInterrupted: false });
  const report = store.artifacts.json(runId, 'report') as UnlearningReport;
  store.close();
  methods = report.rows.filter((row) => row.kind === 'method').map((row) => row.label);
  assert.deepEqual(methods, ['Fine-tune']);
});

test('--list prints every figure id with its caption', () => {
  const r = fedmem(['figure', runId, '--list']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(
    lines.map((l) => l.split(/\s+/)[0]),
    FIGURES,
  );
  assert.match(lines[FIGURES.indexOf('stability')], /Figure G7/);
});

test("--format svg writes every figure under the UI's export name as an SVG of the run's series and axes", () => {
  const out = path.join(tmp, 'svg');
  const r = fedmem(['figure', runId, '--format', 'svg', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    r.stdout.trim().split('\n'),
    FIGURES.map((f) => path.join(out, `${f}.svg`)),
  );
  assert.deepEqual(fs.readdirSync(out).sort(), FIGURES.map((f) => `${f}.svg`).sort());
  const svg = (name: string) => fs.readFileSync(path.join(out, `${name}.svg`), 'utf8');
  for (const name of FIGURES) {
    assert.match(svg(name), /^<svg [^>]*width="600"/, `${name} is an SVG document 600 px wide`);
    assert.match(svg(name), /<\/svg>\s*$/);
  }
  const gme = svg('gme-accuracy');
  for (const label of [...methods, 'Retrained baseline', 'Memorization-score group'])
    assert.ok(gme.includes(label), `gme-accuracy shows "${label}"`);
  for (const label of ['Original', 'Retrained 1', 'Retrained 2', ...methods])
    assert.ok(svg('distances-l2').includes(label), `distances-l2 shows "${label}"`);
  assert.ok(svg('stability').includes('Examples of D_u, sorted by the mean'));
  // The light theme's card background the UI's exports are drawn on.
  assert.match(gme, /^<svg [^>]*>\s*<rect width="600" height="\d+" x="0" y="0" fill="#ffffff">/);
});

test('--format png draws the chosen figures at twice the asked size', () => {
  const out = path.join(tmp, 'png');
  const r = fedmem([
    'figure',
    runId,
    '--format',
    'png',
    '--out',
    out,
    '--chart',
    'gme-accuracy',
    '--chart',
    'stability',
    '--width',
    '500',
    '--height',
    '300',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(fs.readdirSync(out).sort(), ['gme-accuracy.png', 'stability.png']);
  for (const name of ['gme-accuracy', 'stability']) {
    const png = fs.readFileSync(path.join(out, `${name}.png`));
    assert.deepEqual(
      [...png.subarray(0, 8)],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      `${name} has the PNG signature`,
    );
    assert.equal(png.toString('latin1', 12, 16), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1000, 600], `${name} is 2x 500 x 300`);
  }
});

test("--format pdf: a page the chart's size in points, its font embedded, the same bytes each time, drawn as the SVG is, and pdflatex includes it", (t) => {
  const out = path.join(tmp, 'pdf');
  const r = fedmem(['figure', runId, '--format', 'pdf', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(fs.readdirSync(out).sort(), FIGURES.map((f) => `${f}.pdf`).sort());
  const svgs = path.join(tmp, 'svg-for-pdf');
  assert.equal(fedmem(['figure', runId, '--format', 'svg', '--out', svgs]).code, 0);
  for (const name of FIGURES) {
    const pdf = fs.readFileSync(path.join(out, `${name}.pdf`));
    const svg = fs.readFileSync(path.join(svgs, `${name}.svg`), 'utf8');
    assert.equal(pdf.toString('latin1', 0, 5), '%PDF-');
    assert.match(pdf.toString('latin1', pdf.length - 8), /%%EOF\s*$/);
    const [, width, height] = /^<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg)!;
    const page = `${Number(width) * PDF_POINTS_PER_PX} ${Number(height) * PDF_POINTS_PER_PX}`;
    assert.ok(
      pdf.includes(`/MediaBox [0 0 ${page}]`),
      `${name} is one page of ${page} pt (the app's PDF size for ${width} x ${height} px)`,
    );
    assert.equal(
      pdf.includes('/FontFile2'),
      Boolean(fontFiles(sansSerifFamily()).normal),
      `${name} embeds the font the layout was measured in`,
    );
  }
  const again = path.join(tmp, 'pdf-again');
  assert.equal(fedmem(['figure', runId, '--format', 'pdf', '--out', again, '--chart', 'distances-l2']).code, 0);
  assert.ok(
    fs.readFileSync(path.join(again, 'distances-l2.pdf')).equals(fs.readFileSync(path.join(out, 'distances-l2.pdf'))),
    'the same figure gives the same bytes',
  );

  if (spawnSync('pdftoppm', ['-v']).error) return skipOrFail(t, 'pdftoppm (poppler-utils) is not installed');
  // The heatmaps' white numbers on dark cells (drawn over a halo) are the part svg-to-pdfkit got wrong.
  for (const name of FIGURES) {
    const { worst } = worstSquareDifference(
      path.join(out, `${name}.pdf`),
      fs.readFileSync(path.join(svgs, `${name}.svg`), 'utf8'),
      2,
    );
    assert.ok(
      worst < 12,
      `${name}: a 24 px square differs by ${worst.toFixed(1)} of 255 between poppler's drawing of the PDF and resvg's of the SVG`,
    );
  }
  if (!pdflatexVersion()) return skipOrFail(t, 'pdflatex is not installed');
  fs.writeFileSync(
    path.join(out, 'paper.tex'),
    '\\documentclass{article}\\usepackage{graphicx}\\begin{document}\\includegraphics[width=\\linewidth]{gme-accuracy.pdf}\\end{document}\n',
  );
  const tex = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'paper.tex'], {
    cwd: out,
    encoding: 'utf8',
  });
  assert.equal(tex.status, 0, tex.stdout);
  // Included at its own size: 450 PostScript points (600 px) are 451.6875 of TeX's.
  assert.match(
    fs.readFileSync(path.join(out, 'paper.log'), 'utf8'),
    /<gme-accuracy\.pdf, id=\d+, 451\.6\d*pt x [\d.]+pt>\n.*\n<use gme-accuracy\.pdf>/,
  );
});

test('errors name what is wrong in one sentence: unknown run, unknown figure (with the choices), unwritable --out (the flags: figure-files.test.ts)', () => {
  const unknownRun = fedmem(['figure', 'no-such-run']);
  assert.equal(unknownRun.code, 1);
  assert.equal(unknownRun.stderr, 'fedmem: run no-such-run does not exist\n');

  const unknownChart = fedmem(['figure', runId, '--chart', 'nope']);
  assert.equal(unknownChart.code, 1);
  assert.match(
    unknownChart.stderr,
    /^fedmem: --chart "nope" is not a figure of run [0-9a-f-]+; its figures: gme-accuracy, time-analysis, .*stability\n$/,
  );

  const blocker = path.join(tmp, 'a-file');
  fs.writeFileSync(blocker, 'not a folder');
  const unwritable = fedmem(['figure', runId, '--out', path.join(blocker, 'figs')]);
  assert.equal(unwritable.code, 1);
  assert.match(unwritable.stderr, /^fedmem: cannot write the figures to --out .*a-file\/figs: ENOTDIR\n$/);
});
