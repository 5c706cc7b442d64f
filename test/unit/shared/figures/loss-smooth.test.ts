import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildLiveCurveOption, buildLossChartOption, smooth, stageLabel } from '../../../../src/shared/figures';
import { exportOption, methodStyle, ORIGINAL_COLOR } from '../../../../src/shared/figures/common';
import { smoothedPoints, smoothedTooltip } from '../../../../src/shared/figures/smooth';

/* eslint-disable @typescript-eslint/no-explicit-any */
const close = (a: (number | null)[], b: (number | null)[]) => {
  assert.equal(a.length, b.length);
  a.forEach((v, i) =>
    v === null || b[i] === null
      ? assert.equal(v, b[i])
      : assert.ok(Math.abs(v - b[i]) < 1e-12, `${i}: ${v} vs ${b[i]}`),
  );
};

describe('smooth (EMA)', () => {
  it('matches hand-computed values', () => {
    // w = 0.5: 1; 0.5·1 + 0.5·2 = 1.5; 0.5·1.5 + 0.5·3 = 2.25
    close(smooth([1, 2, 3], 0.5), [1, 1.5, 2.25]);
    // w = 0.9: 10; 0.9·10 + 0.1·0 = 9; 0.9·9 + 0.1·0 = 8.1
    close(smooth([10, 0, 0], 0.9), [10, 9, 8.1]);
  });
  it('weight 0 leaves the values as they are', () => {
    assert.deepEqual(smooth([3, 1, 2], 0), [3, 1, 2]);
  });
  it('keeps gaps and continues from the last smoothed value', () => {
    // 4; gap; 0.75·4 + 0.25·2 = 3.5
    close(smooth([4, null, 2], 0.75), [4, null, 3.5]);
    close(smooth([null, 2, 4], 0.5), [null, 2, 3]);
  });
  it('clamps the weight to [0, 0.95]', () => {
    // 0.95·0 + 0.05·20 = 1
    close(smooth([0, 20], 2), [0, 1]);
    assert.deepEqual(smooth([1, 5], -1), [1, 5]);
  });
  it('smoothed points keep the raw value for the tooltip', () => {
    assert.deepEqual(
      smoothedPoints(
        [
          [1, 2],
          [2, 4],
        ],
        0,
      ),
      [
        [1, 2],
        [2, 4],
      ],
    );
    assert.deepEqual(
      smoothedPoints(
        [
          [1, 2],
          [2, 4],
        ],
        0.5,
      ),
      [
        [1, 2, 2],
        [2, 3, 4],
      ],
    );
    const html = smoothedTooltip((v) => String(v))([
      { seriesName: 'A', value: [2, 3, 4], axisValueLabel: '2', marker: '' } as any,
    ]);
    assert.match(html, /A: 4 \(smoothed 3\)/);
  });
});

describe('buildLossChartOption', () => {
  const rounds = [
    { stage: 'original', round: 2, trainLoss: 0.9, testLoss: 1.1 },
    { stage: 'original', round: 1, trainLoss: 1.5, testLoss: 1.6 },
    { stage: 'unlearn:finetune', round: 1, trainLoss: 0.7, testLoss: null },
  ];
  const methods = [stageLabel('unlearn:finetune')];
  const option: any = buildLossChartOption(rounds, { methods });
  const series: any[] = option.series;
  it('has a train and a test series per stage', () => {
    const o = stageLabel('original');
    const f = stageLabel('unlearn:finetune');
    assert.deepEqual(
      series.map((s) => s.name),
      [`${o} · train`, `${o} · test`, `${f} · train`, `${f} · test`],
    );
  });
  it('values equal the rounds given, sorted by round, gaps kept', () => {
    assert.deepEqual(series[0].data, [
      [1, 1.5],
      [2, 0.9],
    ]);
    assert.deepEqual(series[1].data, [
      [1, 1.6],
      [2, 1.1],
    ]);
    assert.deepEqual(series[2].data, [[1, 0.7]]);
    assert.deepEqual(series[3].data, [[1, null]]);
  });
  it('train solid, test dashed, in the method colour', () => {
    assert.deepEqual(
      series.map((s) => s.lineStyle.type),
      ['solid', 'dashed', 'solid', 'dashed'],
    );
    assert.equal(series[0].lineStyle.color, ORIGINAL_COLOR);
    const fc = methodStyle(methods[0], methods).color;
    assert.equal(series[2].lineStyle.color, fc);
    assert.equal(series[3].itemStyle.color, fc);
  });
  it('zooms inside the plot; exported figures drop the zoom', () => {
    assert.deepEqual(
      option.dataZoom.map((z: any) => z.type),
      ['inside'],
    );
    assert.equal((exportOption(option) as any).dataZoom, undefined);
    assert.equal(
      (exportOption(buildLiveCurveOption([{ stage: 'original', round: 1, testAccuracy: 0.5 }])) as any).dataZoom,
      undefined,
    );
  });
  it('smooths when asked, raw values third', () => {
    const s: any = buildLossChartOption(rounds, { methods, smoothing: 0.5 });
    // 1.5; 0.5·1.5 + 0.5·0.9 = 1.2
    close(
      s.series[0].data.map((d: number[]) => d[1]),
      [1.5, 1.2],
    );
    assert.deepEqual(
      s.series[0].data.map((d: number[]) => d[2]),
      [1.5, 0.9],
    );
  });
});

describe('buildLiveCurveOption zoom and smoothing', () => {
  it('has an inside zoom and smooths each line', () => {
    const o: any = buildLiveCurveOption(
      [
        { stage: 'original', round: 1, testAccuracy: 0.2 },
        { stage: 'original', round: 2, testAccuracy: 0.6 },
      ],
      { smoothing: 0.5 },
    );
    assert.equal(o.dataZoom[0].type, 'inside');
    close(
      o.series[0].data.map((d: number[]) => d[1]),
      [0.2, 0.4],
    );
    assert.equal(typeof o.tooltip.formatter, 'function');
  });
});
