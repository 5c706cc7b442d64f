import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildCslScatterOption,
  buildGmeChartOption,
  buildImportanceOption,
  buildLiveCurveOption,
  buildLossSurfaceOption,
  buildPartitionHeatmapOption,
  buildTimeChartOption,
  stageLabel,
} from '../../../../src/shared/figures';
import { BASELINE_COLOR } from '../../../../src/shared/figures/common';
import { csl, importance, lossSurface, makeReport, time } from '../../renderer/fixtures';

/* eslint-disable @typescript-eslint/no-explicit-any */
const seriesOf = (o: any): any[] => o.series as any[];

describe('buildGmeChartOption', () => {
  const report = makeReport();
  const option: any = buildGmeChartOption(report);
  const bars = seriesOf(option).filter((s) => s.type === 'bar');
  it('has one category per group, in report order (the % signs in the axis name)', () => {
    assert.deepEqual(option.xAxis.data, ['(90,100]', '(80,90]', '(0,80]']);
    assert.match(option.xAxis.name, /percentiles/);
  });
  it('has a bar series per method plus the retrained baseline last, without the original, then their whiskers', () => {
    assert.deepEqual(
      bars.map((s) => s.name),
      ['Fine-tune', 'FedMemEraser', 'Retrained'],
    );
    assert.deepEqual(
      seriesOf(option).map((s) => s.type),
      ['bar', 'bar', 'bar', 'custom', 'custom', 'custom'],
    );
  });
  it('series data equal the stored group means', () => {
    assert.deepEqual(seriesOf(option)[0].data, [0.8, null, 0.97]);
    assert.deepEqual(seriesOf(option)[1].data, [0.35, null, 0.96]);
    assert.deepEqual(seriesOf(option)[2].data, [0.3, null, 0.95]);
  });
  it('an empty group is a gap (null), never 0', () => {
    for (const s of bars) {
      assert.equal(s.data[1], null);
      assert.notEqual(s.data[1], 0);
    }
  });
  it('styles the retrained baseline apart: grey with a hatch, the methods in their own colours', () => {
    assert.equal(seriesOf(option)[2].itemStyle.color, BASELINE_COLOR);
    assert.ok(seriesOf(option)[2].itemStyle.decal);
    assert.notEqual(seriesOf(option)[0].itemStyle.color, BASELINE_COLOR);
    assert.equal(seriesOf(option)[0].itemStyle.decal, undefined);
  });
});

describe('buildTimeChartOption', () => {
  const option: any = buildTimeChartOption(time);
  it('plots [seconds, accuracy] for every curve', () => {
    assert.equal(seriesOf(option).length, 2);
    assert.deepEqual(seriesOf(option)[0].data, [
      [2.5, 0.5],
      [5, 0.8],
      [7.5, 0.85],
    ]);
    assert.deepEqual(seriesOf(option)[1].data, [
      [2, 0.83],
      [4.1, 0.86],
    ]);
    assert.deepEqual(
      seriesOf(option).map((s) => s.name),
      ['Retrained 1', 'FedMemEraser'],
    );
  });
  it('marks each peak at (peakSeconds, peakAccuracy)', () => {
    assert.deepEqual(seriesOf(option)[1].markPoint.data[0].coord, [4.1, 0.86]);
  });
  it('uses seconds on a value x axis', () => {
    assert.equal(option.xAxis.type, 'value');
    assert.match(option.xAxis.name, /\(s\)/);
  });
});

describe('buildImportanceOption', () => {
  const option: any = buildImportanceOption(importance);
  it('plots log10 magnitude against percentile', () => {
    assert.deepEqual(seriesOf(option)[0].data, [
      [0, -8],
      [25, -7.2],
      [50, -6.5],
      [75, -5.1],
      [100, -2],
    ]);
  });
  it('says which locate rule ranked the scalars (old runs: the first-round update)', () => {
    assert.equal(option.yAxis.name, 'log10 |mean gradient|');
    const old: any = buildImportanceOption({ ...importance, locate: undefined });
    assert.equal(old.yAxis.name, 'log10 |first-round update|');
  });
  it('marks the chosen rho at percentile 100 * rho', () => {
    const lines = seriesOf(option)[0].markLine.data;
    const chosen = lines.find((l: any) => l.name === 'chosen ρ');
    assert.equal(chosen.xAxis, 30);
    assert.match(chosen.label.formatter, /0\.3/);
  });
  const rhoLines = (o: any) => seriesOf(o)[0].markLine.data.filter((l: any) => l.xAxis !== undefined);
  it('adds the recommended rho only when it differs', () => {
    const lines = seriesOf(option)[0].markLine.data;
    assert.equal(lines.find((l: any) => l.name === 'recommended ρ').xAxis, 42);
    const same: any = buildImportanceOption({ ...importance, recommendedRho: 0.3 });
    assert.equal(rhoLines(same).length, 1);
    const none: any = buildImportanceOption({ ...importance, chosenRho: null, recommendedRho: null });
    assert.equal(rhoLines(none).length, 0);
  });
  it('labels a computed rho with at most three decimals', () => {
    const o: any = buildImportanceOption({ ...importance, recommendedRho: 0.16309295058039408 });
    assert.equal(rhoLines(o)[1].label.formatter, 'auto ρ = 0.163');
  });
  it('avoids float noise in the percentile (0.07 * 100)', () => {
    const option7: any = buildImportanceOption({ ...importance, chosenRho: 0.07, recommendedRho: null });
    assert.equal(rhoLines(option7)[0].xAxis, 7);
  });
});

describe('buildLossSurfaceOption', () => {
  const option: any = buildLossSurfaceOption(lossSurface);
  it('has a line per path and split with [t, loss] data', () => {
    assert.deepEqual(
      seriesOf(option).map((s) => s.name),
      ['Retrained 1 · D_r', 'Retrained 1 · D_u', 'Retrained 1 · test'],
    );
    assert.deepEqual(seriesOf(option)[0].data, [
      [0, 0.1],
      [0.5, 1.1],
      [1, 2.1],
    ]);
    assert.deepEqual(seriesOf(option)[2].data, [
      [0, 0.3],
      [0.5, 1.3],
      [1, 2.3],
    ]);
  });
  it('hides the test split until chosen in the legend', () => {
    assert.deepEqual(option.legend.selected, { 'Retrained 1 · test': false });
  });
  it('marks the original (t=0) and the target (t=1)', () => {
    assert.deepEqual(
      seriesOf(option)[0].markLine.data.map((d: any) => d.xAxis),
      [0, 1],
    );
  });
});

describe('buildCslScatterOption', () => {
  const option: any = buildCslScatterOption(csl);
  it('plots [score, csl] per example', () => {
    assert.deepEqual(seriesOf(option)[0].data, [
      [0, 1.5],
      [0.33, 3.25],
      [1, 9],
    ]);
    assert.equal(seriesOf(option)[0].type, 'scatter');
  });
  it('states the agreement measures, n/a for a missing one', () => {
    assert.match(option.title.subtext, /cosine 0\.82/);
    assert.match(option.title.subtext, /Spearman n\/a/);
    assert.match(option.title.subtext, /top 20% overlap 82%/);
  });
});

describe('buildPartitionHeatmapOption', () => {
  const counts = [
    [5, 0, 2],
    [1, 7, 0],
  ];
  const option: any = buildPartitionHeatmapOption(counts);
  it('has one cell [class, client, count] per count, zeros included', () => {
    assert.deepEqual(seriesOf(option)[0].data, [
      [0, 0, 5],
      [1, 0, 0],
      [2, 0, 2],
      [0, 1, 1],
      [1, 1, 7],
      [2, 1, 0],
    ]);
  });
  it('labels classes and clients and scales the colours to the largest count', () => {
    assert.deepEqual(option.xAxis.data, ['0', '1', '2']);
    assert.deepEqual(option.yAxis.data, ['0', '1']);
    assert.equal(option.visualMap.max, 7);
  });
  it('copes with no data', () => {
    const empty: any = buildPartitionHeatmapOption([]);
    assert.deepEqual(seriesOf(empty)[0].data, []);
    assert.equal(empty.visualMap.max, 1);
  });
});

describe('buildLiveCurveOption', () => {
  it('has one line per stage, rounds sorted, a replayed round replaced', () => {
    const option: any = buildLiveCurveOption([
      { stage: 'original', round: 2, testAccuracy: 0.6 },
      { stage: 'original', round: 1, testAccuracy: 0.4 },
      { stage: 'retrain:0', round: 1, testAccuracy: 0.3 },
      { stage: 'original', round: 2, testAccuracy: 0.65 },
      { stage: 'unlearn:fedmemeraser', round: 1, testAccuracy: null },
    ]);
    assert.deepEqual(
      seriesOf(option).map((s) => s.name),
      ['Original', 'Retrained 1', 'FedMemEraser'],
    );
    assert.deepEqual(seriesOf(option)[0].data, [
      [1, 0.4],
      [2, 0.65],
    ]);
    assert.deepEqual(seriesOf(option)[1].data, [[1, 0.3]]);
    assert.deepEqual(seriesOf(option)[2].data, [[1, null]]);
  });
  it('is valid with no rounds yet', () => {
    assert.deepEqual(seriesOf(buildLiveCurveOption([])), []);
  });
});

describe('stageLabel', () => {
  it('names stages', () => {
    assert.equal(stageLabel('original'), 'Original');
    assert.equal(stageLabel('retrain:2'), 'Retrained 3');
    assert.equal(stageLabel('retrain:0@1'), 'Retrained 1 (repeat 2)');
    assert.equal(stageLabel('unlearn:finetune'), 'Fine-tune');
    assert.equal(stageLabel('unlearn:rho-0.5'), 'rho-0.5');
  });
});
