/**
 * The figure commands' pieces without a run: their flags (one-sentence errors naming the flag),
 * --chart's selection, --list's text, and a figure drawn to SVG (the option's labels, the light
 * card background, the asked size) and to PNG (twice that size); the PDF path's rewrite of haloed labels.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { figureListText, parseFigureFlags, renderFigure, selectFigures } from '../../../src/main/cli/figure-files';
import { haloTextFirst } from '../../../src/main/cli/figure-pdf';
import { buildGmeChartOption } from '../../../src/shared/figures';
import type { FigureSpec } from '../../../src/shared/figures/figure-spec';
import { makeReport } from '../renderer/fixtures';

const gme: FigureSpec = {
  testid: 'chart-gme',
  file: 'gme-accuracy',
  caption: 'GME accuracy.',
  option: buildGmeChartOption(makeReport()),
  height: 340,
};
const other: FigureSpec = { ...gme, testid: 'chart-x', file: 'partition', caption: 'Examples per class.' };

test('flags: svg by default; a bad format or size is one sentence naming the flag', () => {
  assert.deepEqual(parseFigureFlags({}), {
    format: 'svg',
    size: { width: undefined, height: undefined },
    chart: undefined,
    out: undefined,
    list: undefined,
  });
  assert.deepEqual(parseFigureFlags({ format: 'png', width: '800', height: '450' }).size, { width: 800, height: 450 });
  assert.throws(() => parseFigureFlags({ format: 'gif' }), {
    message: '--format must be one of svg, png, pdf, not "gif"',
  });
  assert.throws(() => parseFigureFlags({ width: '12.5' }), {
    message: '--width must be a whole number of pixels from 50 to 8000, not "12.5"',
  });
  assert.throws(() => parseFigureFlags({ height: '9' }), /^Error: --height must be a whole number of pixels/);
});

test('--chart picks figures by file name in list order; an unknown one lists the figures there are', () => {
  assert.deepEqual(
    selectFigures([gme, other], undefined, 'run r').map((f) => f.file),
    ['gme-accuracy', 'partition'],
  );
  assert.deepEqual(
    selectFigures([gme, other], ['partition'], 'run r').map((f) => f.file),
    ['partition'],
  );
  assert.throws(() => selectFigures([gme, other], ['partition', 'gme'], 'run r'), {
    message: '--chart "gme" is not a figure of run r; its figures: gme-accuracy, partition',
  });
  assert.equal(figureListText([gme, other]), 'gme-accuracy  GME accuracy.\npartition     Examples per class.\n');
});

test('SVG: the option drawn at the asked size on the light card colour, with its series and axis names', () => {
  const svg = renderFigure(gme, 'svg', { width: 700, height: 420 }).toString('utf8');
  assert.match(svg, /^<svg width="700" height="420"/);
  assert.match(svg, /<rect width="700" height="420" x="0" y="0" fill="#ffffff">/);
  for (const label of ['Fine-tune', 'FedMemEraser', 'Memorization-score group']) assert.ok(svg.includes(label), label);
  // Without a height, the page's: the plot height plus the legend's extra rows at that width.
  assert.match(renderFigure(gme, 'svg', { width: 700 }).toString('utf8'), /^<svg width="700" height="340"/);
});

test("PNG: the same drawing at twice the size, as the app's PNG export", () => {
  const png = renderFigure(gme, 'png', { width: 300, height: 200 });
  assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [600, 400]);
});

test('a label drawn over a halo becomes its outline, then its fill (svg-to-pdfkit ignores paint-order); other text is untouched', () => {
  const halo =
    '<text text-anchor="middle" transform="translate(258 67.6)" fill="#eee" stroke="rgb(30,78,216)" stroke-width="2" paint-order="stroke" stroke-miterlimit="2">22.59</text>';
  const plain = '<text transform="translate(402 67.6)" fill="#333">0.80</text>';
  assert.equal(
    haloTextFirst(`<g>${halo}${plain}</g>`),
    '<g><text text-anchor="middle" transform="translate(258 67.6)" stroke="rgb(30,78,216)" stroke-width="2" stroke-miterlimit="2" fill="none">22.59</text>' +
      '<text text-anchor="middle" transform="translate(258 67.6)" fill="#eee" stroke-miterlimit="2">22.59</text>' +
      `${plain}</g>`,
  );
});
