/**
 * Repeats in the results charts (issue 12): the band over repeats of unequal length (hand-worked),
 * the loss-path and loss charts' mean ± std bands and "each repeat" lines, the CSL scatter's repeat
 * choice, correlations over repeats and its tooltip, and the forgotten client on the partition heatmap.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildCslScatterOption,
  buildLossChartOption,
  buildLossSurfaceOption,
  buildPartitionHeatmapOption,
  type LossPoint,
} from '../../../../src/shared/figures';
import { bandCount, bandOverRepeats, exportOption, methodStyle } from '../../../../src/shared/figures/common';
import { cslSubtitle, cslTooltip } from '../../../../src/shared/figures/csl';
import { pathsByTarget } from '../../../../src/shared/figures/loss-surface';
import { clientRowLabel, FORGOTTEN_OUTLINE, partitionTooltip } from '../../../../src/shared/figures/partition';
import { significant } from '../../../../src/shared/format';
import type { CslArtifact, ExamplesArtifact, LossSurfaceArtifact } from '../../../../src/shared/results';

/* eslint-disable @typescript-eslint/no-explicit-any */
const seriesOf = (o: any): any[] => o.series as any[];
const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

describe('bandOverRepeats', () => {
  it('averages each x over the repeats that have it (hand-worked, unequal lengths)', () => {
    // Repeat A: x 0 -> 1, x 1 -> 3. Repeat B: x 0 -> 3, x 1 -> 5, x 2 -> 10 (one round more).
    // x 0: mean 2, sample std sqrt(((1-2)^2 + (3-2)^2) / 1) = sqrt 2; x 1: mean 4, std sqrt 2; x 2: B alone, 10 ± 0.
    const { xs, summaries } = bandOverRepeats([
      new Map([
        [1, 3],
        [0, 1],
      ]),
      new Map([
        [0, 3],
        [1, 5],
        [2, 10],
      ]),
    ]);
    assert.deepEqual(xs, [0, 1, 2]);
    assert.equal(summaries[0]!.mean, 2);
    assert.ok(close(summaries[0]!.std, Math.SQRT2));
    assert.equal(summaries[1]!.mean, 4);
    assert.ok(close(summaries[1]!.std, Math.SQRT2));
    assert.deepEqual(summaries[2], { mean: 10, std: 0, n: 1 });
  });
  it('leaves out missing values and gives null where no repeat has one', () => {
    const { xs, summaries } = bandOverRepeats([
      new Map([
        [0, null],
        [1, 2],
      ]),
      new Map([
        [0, NaN],
        [1, 4],
      ]),
    ]);
    assert.deepEqual(xs, [0, 1]);
    assert.equal(summaries[0], null);
    assert.equal(summaries[1]!.n, 2);
  });
});

/** A loss-surface artifact of one repeat: paths to 'retrain:0' and a method, losses offset by `shift`. */
const surface = (repeat: number, shift: number, ts = [0, 0.5, 1]): LossSurfaceArtifact => {
  const at = (stage: string) => (repeat > 0 ? `${stage}@${repeat}` : stage);
  const path = (target: string, label: string, base: number) => ({
    target: at(target),
    label,
    points: ts.map((t, i) => ({
      t,
      remaining: { loss: base + i + shift, accuracy: 0.9 },
      unlearning: { loss: base + 10 + shift, accuracy: 0.5 },
      test: { loss: base + 20, accuracy: 0.8 },
    })),
  });
  return {
    remainingSample: 100,
    paths: [path('retrain:0', 'Retrained 1', 0), path('unlearn:fedmemeraser', 'FedMemEraser', 100)],
  };
};

describe('buildLossSurfaceOption over repeats', () => {
  const repeats = [surface(0, 0), surface(1, 2)];
  const methods = ['FedMemEraser'];
  it("matches a later repeat's path to repeat 1's by its first-repeat stage", () => {
    assert.deepEqual(
      pathsByTarget(repeats).map((g) => [g.target, g.label, g.paths.length]),
      [
        ['retrain:0', 'Retrained 1', 2],
        ['unlearn:fedmemeraser', 'FedMemEraser', 2],
      ],
    );
  });
  const mean: any = buildLossSurfaceOption(repeats, { methods, repeats: 'mean' });
  it('draws per target and split a mean line with a ± std band', () => {
    const ids = seriesOf(mean).map((s) => s.id);
    assert.ok(
      ids.includes('mean:1:remaining') && ids.includes('lower:1:remaining') && ids.includes('band:1:remaining'),
      ids.join(),
    );
    assert.equal(bandCount(mean), 2 * 3, 'a band per target and split');
    const line = seriesOf(mean).find((s) => s.id === 'mean:1:remaining');
    // FedMemEraser on D_r: repeat 1 gives 100, 101, 102; repeat 2 (shift 2) 102, 103, 104 -> means 101, 102, 103, std
    // sqrt 2.
    assert.deepEqual(line.data, [
      [0, 101],
      [0.5, 102],
      [1, 103],
    ]);
    const band = seriesOf(mean).find((s) => s.id === 'band:1:remaining');
    assert.ok(
      band.data.every((d: [number, number]) => close(d[1], 2 * Math.SQRT2)),
      'band height is 2 std',
    );
    const lower = seriesOf(mean).find((s) => s.id === 'lower:1:remaining');
    assert.ok(close(lower.data[0][1], 101 - Math.SQRT2));
    // The test split is the same in both repeats: a zero-width band.
    assert.ok(
      seriesOf(mean)
        .find((s) => s.id === 'band:1:test')
        .data.every((d: [number, number]) => d[1] === 0),
    );
  });
  it('keeps the method colour and the split dash; says it is a mean', () => {
    const line = seriesOf(mean).find((s) => s.id === 'mean:1:unlearning');
    assert.equal(line.lineStyle.color, methodStyle('FedMemEraser', methods).color);
    assert.equal(line.lineStyle.type, 'dashed');
    assert.match(mean.title.subtext, /mean ± sample std over 2 repeats/);
    assert.equal(mean.legend.selected['FedMemEraser · test'], false, 'the test split still starts hidden');
  });
  it('exports with the bands and every series shown', () => {
    const out: any = exportOption(mean);
    assert.equal(out.legend[0].selected, undefined);
    assert.equal(seriesOf(out).filter((s) => String(s.id).startsWith('band:')).length, 6);
  });
  it('"each repeat" draws a line per repeat in the method colour', () => {
    const each: any = buildLossSurfaceOption(repeats, { methods, repeats: 'each' });
    const names = seriesOf(each).map((s) => s.name);
    assert.ok(names.includes('FedMemEraser · D_r') && names.includes('FedMemEraser · D_r (repeat 2)'), names.join());
    assert.equal(seriesOf(each).length, 2 * 3 * 2);
    assert.equal(bandCount(each), 0);
    assert.deepEqual(seriesOf(each).find((s) => s.name === 'FedMemEraser · D_r (repeat 2)').data, [
      [0, 102],
      [0.5, 103],
      [1, 104],
    ]);
  });
  it('one repeat: plain lines, as before', () => {
    const one: any = buildLossSurfaceOption([surface(0, 0)], { methods, repeats: 'mean' });
    assert.ok(!seriesOf(one).some((s) => String(s.id ?? '').startsWith('band:')));
    assert.equal(seriesOf(one).length, 6);
  });
});

describe('buildLossChartOption over repeats', () => {
  const rounds: LossPoint[] = [
    { stage: 'original', round: 1, trainLoss: 1, testLoss: 2 },
    { stage: 'original', round: 2, trainLoss: 0.5, testLoss: 1 },
    { stage: 'original@1', round: 1, trainLoss: 3, testLoss: 2 },
  ];
  it("'mean' bands train and test loss per stage over repeats (unequal lengths)", () => {
    const o: any = buildLossChartOption(rounds, { repeats: 'mean' });
    const train = seriesOf(o).find((s) => s.id === 'mean:0:train');
    // Round 1: (1 + 3) / 2 = 2, std sqrt 2; round 2: repeat 1 alone, 0.5.
    assert.deepEqual(train.data, [
      [1, 2],
      [2, 0.5],
    ]);
    assert.ok(close(seriesOf(o).find((s) => s.id === 'band:0:train').data[0][1], 2 * Math.SQRT2));
    assert.equal(seriesOf(o).find((s) => s.id === 'mean:0:test').lineStyle.type, 'dashed');
    assert.equal(train.name, 'Original · train');
  });
  it("'each' keeps a pair of lines per repeat", () => {
    const o: any = buildLossChartOption(rounds, { repeats: 'each' });
    assert.deepEqual(
      seriesOf(o).map((s) => s.name),
      ['Original · train', 'Original · test', 'Original (repeat 2) · train', 'Original (repeat 2) · test'],
    );
  });
});

const cslOf = (cosine: number | null, overlap: number, shift = 0): CslArtifact => ({
  csl: [1.5 + shift, 21.415354190394282, 9],
  score: [0, 0.333333333, 1],
  cosine,
  pearson: 0.5,
  spearman: null,
  topFraction: 0.2,
  overlap,
});
const examples: ExamplesArtifact = {
  ids: [17, 42, 99],
  clients: [0, 0, 1],
  labels: [3, 7, 1],
  noisy: [0, 1, 0],
  score: [0, 0.33, 1],
  group: [0, 0, 1],
  csl: null,
  correct: {},
};

describe('CSL scatter over repeats', () => {
  it("shows the chosen repeat's points and the agreement as mean ± std over repeats", () => {
    const o: any = buildCslScatterOption([cslOf(0.8, 0.5), cslOf(0.6, 0.7, 1)], { repeat: 1, examples });
    assert.deepEqual(seriesOf(o)[0].data[0], [0, 2.5], "repeat 2's CSL");
    assert.match(o.title.text, /repeat 2 of 2/);
    // cosine 0.8 and 0.6: mean 0.70, std sqrt(0.02) = 0.14; overlap 50% and 70%: 60 ± 14%.
    assert.match(o.title.subtext, /cosine 0\.70 ± 0\.14/);
    assert.match(o.title.subtext, /overlap 60 ± 14%/);
    assert.match(o.title.subtext, /Spearman n\/a/);
  });
  it('one repeat keeps the plain line', () => {
    assert.equal(cslSubtitle(cslOf(0.82, 0.82)), 'cosine 0.82 · Pearson 0.50 · Spearman n/a · top 20% overlap 82%');
  });
  it('the tooltip names the example and rounds to three significant digits', () => {
    assert.equal(
      cslTooltip({ score: 0.333333333, csl: 21.415354190394282, id: 42, client: 0, label: 7, noisy: true }),
      'example 42 · client 0 · label 7 (flipped)<br/>CSL 21.4 · memorization score 0.333',
    );
    const o: any = buildCslScatterOption([cslOf(0.8, 0.5)], { examples });
    assert.equal(
      o.tooltip.formatter({ dataIndex: 2 }),
      'example 99 · client 1 · label 1<br/>CSL 9 · memorization score 1',
    );
    const bare: any = buildCslScatterOption(cslOf(0.8, 0.5));
    assert.equal(bare.tooltip.formatter({ dataIndex: 1 }), 'example<br/>CSL 21.4 · memorization score 0.333');
  });
  it('significant() rounds to n significant digits without trailing zeros', () => {
    assert.deepEqual(
      [21.415354190394282, 0.333333, -0.0004567, 1234.5, 2, -0.00001].map((v) => significant(v)),
      ['21.4', '0.333', '-0.000457', '1230', '2', '-0.00001'],
    );
    assert.equal(significant(null), '—');
  });
});

describe('partition heatmap marks the forgotten client', () => {
  const counts = [
    [5, 0],
    [1, 7],
  ];
  const o: any = buildPartitionHeatmapOption(counts, { forgotten: [0] });
  it('labels its row with a star and "(forgotten)", styled apart', () => {
    assert.deepEqual(o.yAxis.data, ['★ 0 (forgotten)', '1']);
    assert.equal(clientRowLabel(1, [0]), '1');
    assert.equal(o.yAxis.axisLabel.formatter('★ 0 (forgotten)'), '{forgotten|★ 0 (forgotten)}');
    assert.equal(o.yAxis.axisLabel.formatter('1'), '1');
  });
  it('outlines exactly its cells, keeping every count', () => {
    const data = seriesOf(o)[0].data;
    const outlined = data.filter((d: any) => !Array.isArray(d)).map((d: any) => [d.value, d.itemStyle.borderColor]);
    assert.deepEqual(outlined, [
      [[0, 0, 5], FORGOTTEN_OUTLINE],
      [[1, 0, 0], FORGOTTEN_OUTLINE],
    ]);
    assert.deepEqual(
      data.filter((d: any) => Array.isArray(d)),
      [
        [0, 1, 1],
        [1, 1, 7],
      ],
    );
  });
  it('says "forgotten" in the tooltip', () => {
    assert.equal(o.tooltip.formatter({ value: [1, 0, 0] }), 'client 0 (forgotten), class 1: 0 examples');
    assert.equal(partitionTooltip(1, 0, 1, [0]), 'client 1, class 0: 1 examples');
  });
  it('without a request: no marks', () => {
    const plain: any = buildPartitionHeatmapOption(counts);
    assert.deepEqual(plain.yAxis.data, ['0', '1']);
    assert.equal(plain.grid.left, 64);
  });
});
