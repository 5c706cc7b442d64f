/**
 * The importance chart shades exactly the reset part, keeps its labels apart, averages repeats with
 * a band (or draws each), colours the entry as every chart does, and keeps the shading in exports.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildImportanceOption, resetShading } from '../../../../src/shared/figures/importance';
import { exportOption, methodStyle } from '../../../../src/shared/figures/common';
import type { ImportanceArtifact } from '../../../../src/shared/results';
import { importance } from '../../renderer/fixtures';

/* eslint-disable @typescript-eslint/no-explicit-any */
const seriesOf = (o: any): any[] => o.series as any[];
const second: ImportanceArtifact = {
  ...importance,
  stage: 'unlearn:fedmemeraser@1',
  log10Magnitude: [-9, -7.6, -6.5, -4.9, -3],
  resetScalars: 250,
};

describe('resetShading', () => {
  it('is the lowest reset share of the curve: 300 of 1,000 scalars reset -> percentiles 0 to 30', () => {
    assert.deepEqual(resetShading([importance]), { always: 30, upTo: 30 });
  });
  it('with repeats: reset in every repeat up to the smallest share, in some up to the largest', () => {
    // 300 / 1000 and 250 / 1000: 25% in both, 25-30% in one of them.
    assert.deepEqual(resetShading([importance, second]), { always: 25, upTo: 30 });
  });
  it('a threshold reset is shaded by the share it reset (7 of 9 below gamma -> 77.78%)', () => {
    assert.deepEqual(resetShading([{ ...importance, chosenRho: null, resetScalars: 7, totalScalars: 9 }]), {
      always: 77.777778,
      upTo: 77.777778,
    });
  });
  it('nothing when nothing was reset or another signal chose the scalars', () => {
    assert.equal(resetShading([{ ...importance, resetScalars: 0 }]), null);
    assert.equal(resetShading([{ ...importance, selection: 'important' }]), null);
    assert.equal(resetShading([]), null);
  });
});

describe('buildImportanceOption', () => {
  const methods = ['Fine-tune', 'FedMemEraser'];
  it('shades only the reset range, in the entry colour, not the whole curve', () => {
    const o: any = buildImportanceOption(importance, { methods });
    const s = seriesOf(o)[0];
    assert.equal(s.areaStyle, undefined, 'no fill under the whole curve');
    assert.equal(s.markArea.data.length, 1);
    const [from, to] = s.markArea.data[0];
    assert.equal(from.xAxis, 0);
    assert.equal(to.xAxis, 30);
    const color = methodStyle('FedMemEraser', methods).color;
    assert.equal(from.itemStyle.color, color);
    assert.equal(s.lineStyle.color, color, 'the same colour FedMemEraser has in the other charts');
    assert.match(o.title.subtext, /30% of scalars that were reset/);
  });
  it('another selection shades nothing and says why', () => {
    const o: any = buildImportanceOption({ ...importance, selection: 'important' });
    assert.equal(seriesOf(o)[0].markArea.data.length, 0);
    assert.match(o.title.subtext, /another signal/);
  });
  it('the chosen and the auto rho labels sit at opposite ends of their lines, the threshold is a horizontal line', () => {
    const lines = seriesOf(buildImportanceOption(importance))[0].markLine.data;
    const chosen = lines.find((l: any) => l.name === 'chosen ρ');
    const auto = lines.find((l: any) => l.name === 'recommended ρ');
    assert.equal(chosen.label.position, 'end');
    assert.equal(auto.label.position, 'insideStartTop');
    const threshold = lines.find((l: any) => l.name === 'H.3 threshold');
    assert.equal(threshold.yAxis, -6);
    assert.equal(threshold.xAxis, undefined);
  });
  it('several repeats: a mean line with a ± std band by default', () => {
    const o: any = buildImportanceOption([importance, second]);
    assert.deepEqual(
      seriesOf(o).map((s) => s.id),
      ['mean:0', 'lower:0', 'band:0'],
    );
    // Percentile 0: mean of -8 and -9 is -8.5, sample std sqrt(0.5).
    assert.deepEqual(seriesOf(o)[0].data[0], [0, -8.5]);
    assert.ok(Math.abs(seriesOf(o)[1].data[0][1] - (-8.5 - Math.SQRT1_2)) < 1e-12);
    assert.ok(Math.abs(seriesOf(o)[2].data[0][1] - 2 * Math.SQRT1_2) < 1e-12);
    // The mean line carries the shading: 25% in both repeats, 25-30% in one.
    assert.deepEqual(
      seriesOf(o)[0].markArea.data.map((a: any) => [a[0].xAxis, a[1].xAxis]),
      [
        [0, 25],
        [25, 30],
      ],
    );
    assert.match(o.title.subtext, /25–30% .* 2 repeats/);
  });
  it('several repeats, each: a line per repeat in the entry style, with a legend', () => {
    const o: any = buildImportanceOption([importance, second], { repeats: 'each' });
    assert.deepEqual(
      seriesOf(o).map((s) => s.name),
      ['FedMemEraser (repeat 1)', 'FedMemEraser (repeat 2)'],
    );
    assert.deepEqual(seriesOf(o)[1].data[0], [0, -9]);
    assert.equal(seriesOf(o)[0].lineStyle.color, seriesOf(o)[1].lineStyle.color);
    assert.notEqual(o.legend.show, false);
  });
  it('an exported figure keeps the shading and the guides', () => {
    const o: any = exportOption(buildImportanceOption([importance, second]));
    assert.equal(seriesOf(o)[0].markArea.data.length, 2);
    assert.ok(seriesOf(o)[0].markLine.data.length >= 2);
  });
});
