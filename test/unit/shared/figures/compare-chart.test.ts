import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildCompareCurveOption,
  comparedStages,
  distinctNames,
  RUN_DASHES,
} from '../../../../src/shared/figures/compare';
import type { RoundPoint } from '../../../../src/shared/figures/live-curve';

/* eslint-disable @typescript-eslint/no-explicit-any */
const pts = (stage: string, accs: (number | null)[]): RoundPoint[] =>
  accs.map((a, i) => ({ stage, round: i + 1, testAccuracy: a }));

const runA = {
  name: 'rho 0.2',
  rounds: [
    ...pts('original', [0.5, 0.7]),
    ...pts('retrain:0', [0.4, 0.6]),
    ...pts('unlearn:fedmemeraser', [0.65]),
    ...pts('unlearn:finetune', [0.68]),
  ],
};
const runB = {
  name: 'rho 0.6',
  rounds: [
    ...pts('original', [0.52, 0.71]),
    ...pts('unlearn:fedmemeraser', [0.6]),
    ...pts('unlearn:fedmemeraser@1', [0.61]),
  ],
};

describe('buildCompareCurveOption', () => {
  const option: any = buildCompareCurveOption([runA, runB]);
  const series: any[] = option.series;

  it('draws the original and each method stage of every run; no retrained models, no later repeats', () => {
    assert.equal(series.length, 5);
    assert.deepEqual(
      series.map((s) => s.name),
      [
        'rho 0.2 · Original',
        'rho 0.2 · FedMemEraser',
        'rho 0.2 · Fine-tune',
        'rho 0.6 · Original',
        'rho 0.6 · FedMemEraser',
      ],
    );
  });

  it('plots [round, accuracy] as stored, sorted by round', () => {
    const shuffled = { name: 'x', rounds: [...pts('original', [0.1, 0.2, 0.3])].reverse() };
    const s: any = (buildCompareCurveOption([shuffled]) as any).series[0];
    assert.deepEqual(s.data, [
      [1, 0.1],
      [2, 0.2],
      [3, 0.3],
    ]);
    assert.deepEqual(series[1].data, [[1, 0.65]]);
  });

  it('gives each run its own colour and dash, shared by all of its stages', () => {
    const byRun = (i: number) => series.filter((s) => s.name.startsWith(i === 0 ? 'rho 0.2' : 'rho 0.6'));
    for (const i of [0, 1]) {
      const colours = new Set(byRun(i).map((s) => s.lineStyle.color));
      const dashes = new Set(byRun(i).map((s) => JSON.stringify(s.lineStyle.type)));
      assert.equal(colours.size, 1);
      assert.equal(dashes.size, 1);
    }
    assert.notEqual(byRun(0)[0].lineStyle.color, byRun(1)[0].lineStyle.color);
    assert.notDeepEqual(byRun(0)[0].lineStyle.type, byRun(1)[0].lineStyle.type);
  });

  it('has a distinct dash for each of six runs', () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `r${i}`, rounds: pts('original', [0.5]) }));
    const s: any[] = (buildCompareCurveOption(six) as any).series;
    assert.equal(new Set(s.map((x) => JSON.stringify(x.lineStyle.type))).size, 6);
    assert.equal(new Set(s.map((x) => x.lineStyle.color)).size, 6);
    assert.equal(RUN_DASHES.length >= 6, true);
  });

  it('gives a stage the same marker in every run, and different stages different markers', () => {
    assert.equal(series[0].symbol, series[3].symbol);
    assert.equal(series[1].symbol, series[4].symbol);
    assert.notEqual(series[0].symbol, series[1].symbol);
    assert.notEqual(series[1].symbol, series[2].symbol);
  });

  it('keeps legend entries apart when two runs share a name, and the legend does not page', () => {
    const o: any = buildCompareCurveOption([
      { ...runB, name: 'same' },
      { ...runB, name: 'same' },
    ]);
    assert.deepEqual(
      o.series.map((s: any) => s.name),
      ['same · Original', 'same · FedMemEraser', 'same (2) · Original', 'same (2) · FedMemEraser'],
    );
    assert.notEqual(o.legend.type, 'scroll');
  });

  it('a run with no rounds adds no series', () => {
    const o: any = buildCompareCurveOption([runA, { name: 'empty', rounds: [] }]);
    assert.equal(o.series.length, 3);
  });
});

describe('comparedStages / distinctNames', () => {
  it('puts the original first even when a method stage came first', () => {
    assert.deepEqual(comparedStages([...pts('unlearn:a', [0.1]), ...pts('original', [0.2])]), [
      'original',
      'unlearn:a',
    ]);
  });
  it('numbers repeated names from the second on', () => {
    assert.deepEqual(distinctNames(['a', 'b', 'a', 'a']), ['a', 'b', 'a (2)', 'a (3)']);
  });
});
