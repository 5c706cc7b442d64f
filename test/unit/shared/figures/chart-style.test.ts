/**
 * Issue 12: one style per method across every chart of a run, wrapping legends, the export option,
 * and repeats drawn as mean ± std bands (hand-computed).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildGmeChartOption,
  buildLiveCurveOption,
  buildLossSurfaceOption,
  buildPartitionHeatmapOption,
  buildTimeChartOption,
} from '../../../../src/shared/figures';
import {
  BASELINE_COLOR,
  exportOption,
  fitLegend,
  legendRows,
  meanStd,
  methodOrder,
  methodStyle,
  ORIGINAL_COLOR,
  PALETTE,
  seriesColors,
  withLegend,
} from '../../../../src/shared/figures/common';
import type { LossSurfaceArtifact } from '../../../../src/shared/results';
import { lossSurface, makeReport, time } from '../../renderer/fixtures';

/* eslint-disable @typescript-eslint/no-explicit-any */
const seriesOf = (o: any): any[] => o.series as any[];
const byId = (o: any, id: string) => seriesOf(o).find((s) => s.id === id);
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≈ ${b}`);

const report = makeReport();
const methods = methodOrder(report);
const rounds = ['original', 'retrain:0', 'unlearn:finetune', 'unlearn:fedmemeraser'].flatMap((stage) =>
  [1, 2].map((round) => ({ stage, round, testAccuracy: 0.5 })),
);
const paths: LossSurfaceArtifact = {
  ...lossSurface,
  paths: [...lossSurface.paths, { ...lossSurface.paths[0], target: 'unlearn:fedmemeraser', label: 'FedMemEraser' }],
};

describe('methodStyle: one colour per method', () => {
  it('follows the report row order of the methods', () => {
    assert.deepEqual(methods, ['Fine-tune', 'FedMemEraser']);
    assert.equal(methodStyle('Fine-tune', methods).color, PALETTE[0]);
    assert.equal(methodStyle('FedMemEraser', methods).color, PALETTE[1]);
    assert.notEqual(methodStyle('Fine-tune', methods).symbol, methodStyle('FedMemEraser', methods).symbol);
  });
  it('is deterministic for a label outside the list, and grey / fixed for the baseline and the original', () => {
    assert.deepEqual(methodStyle('Other', methods), methodStyle('Other', methods));
    assert.equal(methodStyle('Retrained', methods, 'baseline').color, BASELINE_COLOR);
    assert.equal(methodStyle('Retrained', methods, 'baseline').lineType, 'dashed');
    assert.equal(methodStyle('Original', methods, 'original').color, ORIGINAL_COLOR);
    assert.ok(!PALETTE.includes(ORIGINAL_COLOR));
  });
  it('gives a method the same colour in the group bars, time curves, per-round curves and loss path of one run', () => {
    const gme = seriesColors(buildGmeChartOption(report));
    const t = seriesColors(buildTimeChartOption(time, { methods }));
    const live = seriesColors(buildLiveCurveOption(rounds, { methods }));
    const loss = seriesColors(buildLossSurfaceOption(paths, { methods }));
    assert.equal(gme['FedMemEraser'], PALETTE[1]);
    assert.equal(t['FedMemEraser'], gme['FedMemEraser']);
    assert.equal(live['FedMemEraser'], gme['FedMemEraser']);
    assert.equal(loss['FedMemEraser · D_r'], gme['FedMemEraser']);
    assert.equal(live['Fine-tune'], gme['Fine-tune']);
    assert.notEqual(gme['Fine-tune'], gme['FedMemEraser']);
    // The baseline grey everywhere; the original its own colour.
    assert.equal(gme['Retrained'], BASELINE_COLOR);
    assert.equal(t['Retrained 1'], BASELINE_COLOR);
    assert.equal(live['Retrained 1'], BASELINE_COLOR);
    assert.equal(loss['Retrained 1 · D_r'], BASELINE_COLOR);
    assert.equal(live['Original'], ORIGINAL_COLOR);
  });
  it('keeps the marker and dash too (line series)', () => {
    const t = seriesOf(buildTimeChartOption(time, { methods })).find((s) => s.name === 'FedMemEraser');
    const live = seriesOf(buildLiveCurveOption(rounds, { methods })).find((s) => s.name === 'FedMemEraser');
    assert.equal(t.symbol, live.symbol);
    assert.equal(t.lineStyle.type, live.lineStyle.type);
    assert.equal(
      seriesOf(buildLiveCurveOption(rounds, { methods })).find((s) => s.name === 'Retrained 1').lineStyle.type,
      'dashed',
    );
  });
  it('without the report, the per-round chart orders methods as their stages appear', () => {
    assert.equal(seriesColors(buildLiveCurveOption(rounds))['FedMemEraser'], PALETTE[1]);
  });
});

describe('legends wrap', () => {
  it('a plain legend, with more bottom room for more entries', () => {
    const few: any = buildGmeChartOption(report);
    assert.equal(few.legend.type, 'plain');
    assert.equal(legendRows(['a', 'b']), 1);
    const names = Array.from({ length: 15 }, (_, i) => `A long method label ${i}`);
    assert.ok(legendRows(names) >= 4);
    const many: any = withLegend({
      grid: { bottom: 64 },
      series: names.map((name) => ({ type: 'line', name, data: [] })),
    });
    assert.ok(many.grid.bottom > few.grid.bottom);
    assert.deepEqual(many.legend.data, names);
  });
  it("refits the legend's room to the chart's real width", () => {
    const o: any = buildLossSurfaceOption({
      ...lossSurface,
      paths: [...paths.paths, { ...paths.paths[1], target: 'unlearn:finetune', label: 'Fine-tune' }],
    });
    const narrow: any = fitLegend(o, 300);
    const wide: any = fitLegend(o, 1200);
    assert.ok(narrow.grid.bottom > wide.grid.bottom, `${narrow.grid.bottom} > ${wide.grid.bottom}`);
    assert.equal(wide.grid.bottom, 42 + 22 * legendRows(o.legend.data, 1200));
    assert.equal(fitLegend(o, 0), o);
    assert.equal((exportOption(o) as any).legend[0].__axisRoom, undefined);
  });
});

describe('exportOption', () => {
  it('shows every series: no unselected legend entries, no page arrows, no controls', () => {
    const screen: any = {
      ...buildLossSurfaceOption(lossSurface),
      toolbox: { feature: { saveAsImage: {} } },
      dataZoom: [{ type: 'slider' }, { type: 'inside' }],
    };
    assert.deepEqual(screen.legend.selected, { 'Retrained 1 · test': false });
    const out: any = exportOption(screen);
    assert.equal(out.legend.length, 1);
    assert.equal(out.legend[0].selected, undefined);
    assert.equal(out.legend[0].type, 'plain');
    assert.equal(out.toolbox, undefined);
    assert.equal(out.dataZoom, undefined);
    assert.equal(out.animation, false);
    assert.equal(out.series.length, screen.series.length);
    // The on-screen option is untouched.
    assert.deepEqual(screen.legend.selected, { 'Retrained 1 · test': false });
    assert.ok(screen.toolbox);
  });
  it('turns a scroll legend plain and freezes visualMap handles', () => {
    const out: any = exportOption({
      legend: { type: 'scroll', pageButtonPosition: 'end' },
      visualMap: { calculable: true, min: 0, max: 1 },
    });
    assert.equal(out.legend[0].type, 'plain');
    assert.equal(out.legend[0].pageButtonPosition, undefined);
    assert.equal(out.visualMap[0].calculable, false);
    const heat: any = exportOption(buildPartitionHeatmapOption([[1, 2]]));
    assert.equal(heat.visualMap[0].calculable, false);
  });
});

describe('repeats as mean ± std', () => {
  // Two repeats of each stage: original 0.4/0.6 then 0.5/0.9; FedMemEraser 0.8/0.8 then 0.7/null.
  const two = [
    { stage: 'original', round: 1, testAccuracy: 0.4 },
    { stage: 'original', round: 2, testAccuracy: 0.5 },
    { stage: 'unlearn:fedmemeraser', round: 1, testAccuracy: 0.8 },
    { stage: 'unlearn:fedmemeraser', round: 2, testAccuracy: 0.7 },
    { stage: 'original@1', round: 1, testAccuracy: 0.6 },
    { stage: 'original@1', round: 2, testAccuracy: 0.9 },
    { stage: 'unlearn:fedmemeraser@1', round: 1, testAccuracy: 0.8 },
    { stage: 'unlearn:fedmemeraser@1', round: 2, testAccuracy: null },
  ];
  it('meanStd: sample std, 0 for one value, null for none', () => {
    const s = meanStd([0.4, 0.6, null])!;
    close(s.mean, 0.5);
    close(s.std, Math.sqrt(0.02));
    assert.equal(s.n, 2);
    assert.deepEqual(meanStd([0.7, null]), { mean: 0.7, std: 0, n: 1 });
    assert.equal(meanStd([null]), null);
  });
  it('per round: a mean line and a band mean - std .. mean + std per stage', () => {
    const o: any = buildLiveCurveOption(two, { methods, repeats: 'mean' });
    assert.deepEqual([...new Set(seriesOf(o).map((s) => s.name))], ['Original', 'FedMemEraser']);
    const mean = byId(o, 'mean:0').data;
    assert.deepEqual(
      mean.map((p: number[]) => p[0]),
      [1, 2],
    );
    close(mean[0][1], 0.5);
    close(mean[1][1], 0.7);
    const sd1 = Math.sqrt(0.02);
    const sd2 = Math.sqrt(0.08);
    close(byId(o, 'lower:0').data[0][1], 0.5 - sd1);
    close(byId(o, 'band:0').data[0][1], 2 * sd1);
    close(byId(o, 'lower:0').data[1][1], 0.7 - sd2);
    close(byId(o, 'band:0').data[1][1], 2 * sd2);
    assert.equal(byId(o, 'band:0').stackStrategy, 'all');
    assert.equal(byId(o, 'band:0').stack, byId(o, 'lower:0').stack);
    // One value at round 2: the mean is that value, no spread.
    close(byId(o, 'mean:1').data[1][1], 0.7);
    close(byId(o, 'band:1').data[1][1], 0);
    assert.equal(byId(o, 'mean:1').itemStyle.color, methodStyle('FedMemEraser', methods).color);
    assert.equal(byId(o, 'band:1').areaStyle.color, methodStyle('FedMemEraser', methods).color);
  });
  it("'each' draws a line per repeat in its method's colour", () => {
    const o: any = buildLiveCurveOption(two, { methods, repeats: 'each' });
    assert.deepEqual(
      seriesOf(o).map((s) => s.name),
      ['Original', 'FedMemEraser', 'Original (repeat 2)', 'FedMemEraser (repeat 2)'],
    );
    assert.equal(seriesOf(o)[1].itemStyle.color, seriesOf(o)[3].itemStyle.color);
  });
  it('one repeat stays plain lines', () => {
    const o: any = buildLiveCurveOption(rounds, { methods, repeats: 'mean' });
    assert.equal(seriesOf(o).length, 4);
    assert.ok(seriesOf(o).every((s) => s.stack === undefined));
  });
  it('time: mean accuracy at the mean seconds of each round, with the band and the peak of the mean', () => {
    const timed = [
      { stage: 'unlearn:fedmemeraser', round: 1, testAccuracy: 0.83, elapsedMs: 2000 },
      { stage: 'unlearn:fedmemeraser', round: 2, testAccuracy: 0.86, elapsedMs: 4100 },
      { stage: 'unlearn:fedmemeraser@1', round: 1, testAccuracy: 0.81, elapsedMs: 3000 },
      { stage: 'unlearn:fedmemeraser@1', round: 2, testAccuracy: 0.9, elapsedMs: 5100 },
      { stage: 'retrain:0', round: 1, testAccuracy: 0.5, elapsedMs: 2500 },
      { stage: 'original', round: 1, testAccuracy: 0.1, elapsedMs: 1000 },
    ];
    const o: any = buildTimeChartOption(time, { methods, rounds: timed, repeats: 'mean' });
    // Only the artifact's curves (retrain:0, FedMemEraser); the original is not one of them here.
    assert.deepEqual([...new Set(seriesOf(o).map((s) => s.name))], ['Retrained 1', 'FedMemEraser']);
    const mean = byId(o, 'mean:1').data;
    close(mean[0][0], 2.5);
    close(mean[0][1], 0.82);
    close(mean[1][0], 4.6);
    close(mean[1][1], 0.88);
    close(byId(o, 'band:1').data[0][1], 2 * Math.sqrt(0.0002));
    assert.deepEqual(
      byId(o, 'mean:1').markPoint.data[0].coord.map((v: number) => Math.round(v * 1000) / 1000),
      [4.6, 0.88],
    );
    assert.equal(byId(o, 'mean:0').lineStyle.color, BASELINE_COLOR);
    const each: any = buildTimeChartOption(time, { methods, rounds: timed, repeats: 'each' });
    assert.deepEqual(
      seriesOf(each).map((s) => s.name),
      ['Retrained 1', 'FedMemEraser', 'FedMemEraser (repeat 2)'],
    );
    assert.deepEqual(seriesOf(each)[2].data, [
      [3, 0.81],
      [5.1, 0.9],
    ]);
  });
});
