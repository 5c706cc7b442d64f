/**
 * The GME group bars' error bars (issue 12): whisker data equal to mean ± std of the repeats, and,
 * drawn by ECharts itself (server-side SVG, no canvas), each whisker centred on its own bar, also
 * after the legend hides a method and in the exported option.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BarChart, CustomChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { buildGmeChartOption } from '../../../../src/shared/figures';
import { darker } from '../../../../src/shared/figures/gme';
import { exportOption, methodOrder, methodStyle, seriesColors } from '../../../../src/shared/figures/common';
import type { ReportRow, Stat, UnlearningReport } from '../../../../src/shared/results';
import { makeReport } from '../../renderer/fixtures';

/* eslint-disable @typescript-eslint/no-explicit-any */
echarts.use([BarChart, CustomChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, SVGRenderer]);

const st = (values: (number | null)[]): Stat => {
  const xs = values.filter((v): v is number => v !== null);
  const mean = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  const std = xs.length >= 2 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean!) ** 2, 0) / (xs.length - 1)) : null;
  return { mean, std, values };
};

/** Three repeats; FedMemEraser's middle group has a value in one repeat only (no spread: no whisker). */
function threeRepeats(): UnlearningReport {
  const r = makeReport();
  r.repeats = 3;
  const groups: Record<string, (number | null)[][]> = {
    'unlearn:finetune': [
      [0.7, 0.8, 0.9],
      [0.5, 0.6, 0.7],
      [0.95, 0.97, 0.99],
    ],
    'unlearn:fedmemeraser': [
      [0.3, 0.35, 0.4],
      [0.6, null, null],
      [0.9, 0.96, 0.99],
    ],
    retrained: [
      [0.2, 0.3, 0.4],
      [0.4, 0.5, 0.6],
      [0.94, 0.95, 0.96],
    ],
    original: [
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ],
  };
  r.rows = r.rows.map((row): ReportRow => ({ ...row, groupAccuracy: groups[row.key].map(st) }));
  return r;
}

const whiskerSeries = (o: any) => (o.series as any[]).filter((s) => s.type === 'custom');
const barSeries = (o: any) => (o.series as any[]).filter((s) => s.type === 'bar');

describe('GME bars with error bars', () => {
  const report = threeRepeats();
  const option: any = buildGmeChartOption(report);

  it('has one whisker series per bar series, named and coloured as its bar', () => {
    const bars = barSeries(option);
    const whiskers = whiskerSeries(option);
    assert.deepEqual(
      whiskers.map((s) => s.name),
      bars.map((s) => s.name),
    );
    const methods = methodOrder(report);
    assert.equal(whiskers[0].itemStyle.color, methodStyle('Fine-tune', methods).color);
    assert.equal(whiskers[2].itemStyle.color, methodStyle('Retrained', methods, 'baseline').color);
    assert.deepEqual(seriesColors(option), {
      'Fine-tune': bars[0].itemStyle.color,
      FedMemEraser: bars[1].itemStyle.color,
      Retrained: bars[2].itemStyle.color,
    });
  });

  it('whisker data are [group, mean - std, mean + std, mean] of the repeats; none where a group has one value', () => {
    const ft = whiskerSeries(option)[0].data as number[][];
    const sd = (xs: number[]) =>
      Math.sqrt(xs.reduce((a, x) => a + (x - xs.reduce((p, q) => p + q, 0) / xs.length) ** 2, 0) / (xs.length - 1));
    // Group 0: 0.7, 0.8, 0.9 -> mean 0.8, sample std 0.1.
    assert.deepEqual(
      ft.map((d) => d[0]),
      [0, 1, 2],
    );
    assert.ok(
      Math.abs(ft[0][1] - 0.7) < 1e-12 && Math.abs(ft[0][2] - 0.9) < 1e-12 && Math.abs(ft[0][3] - 0.8) < 1e-12,
      String(ft[0]),
    );
    assert.ok(Math.abs(ft[2][2] - ft[2][3] - sd([0.95, 0.97, 0.99])) < 1e-12);
    const fme = whiskerSeries(option)[1].data as number[][];
    assert.deepEqual(
      fme.map((d) => d[0]),
      [0, 2],
      'the group with one value has a bar and no whisker',
    );
    assert.equal(barSeries(option)[1].data[1], 0.6);
    assert.match(option.title.subtext, /± sample std over 3 repeats/);
  });

  it('one repeat: no whiskers and no subtitle', () => {
    const one = makeReport();
    one.repeats = 1;
    one.rows.forEach(
      (r) => (r.groupAccuracy = r.groupAccuracy.map((g) => ({ mean: g.mean, std: null, values: [g.mean] }))),
    );
    const o: any = buildGmeChartOption(one);
    assert.equal(whiskerSeries(o).length, 0);
    assert.equal(o.title.subtext, undefined);
  });

  it('labels groups without % signs; many groups tilt their labels', () => {
    assert.deepEqual(option.xAxis.data, ['(90,100]', '(80,90]', '(0,80]']);
    assert.equal(option.xAxis.axisLabel.rotate, undefined);
    const many = threeRepeats();
    many.groups = Array.from({ length: 10 }, (_, i) => ({
      lo: 10 * i,
      hi: 10 * i + 10,
      label: `(${10 * i}%,${10 * i + 10}%]`,
      counts: [5, 5, 5],
    }));
    assert.equal((buildGmeChartOption(many) as any).xAxis.axisLabel.rotate, 30);
  });

  it('darkens the part of a whisker inside its bar', () => {
    assert.equal(darker('#3b82f6'), '#1e417b');
    assert.equal(darker('#ffffff'), '#808080');
  });
});

describe('the whiskers as ECharts draws them', () => {
  const draw = (option: unknown, hide?: string) => {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 400 });
    chart.setOption(option as any);
    if (hide) chart.dispatchAction({ type: 'legendUnSelect', name: hide });
    const model = (chart as any).getModel();
    const n = model.getSeriesCount();
    const bars: { x: number; width: number; y: number }[][] = [];
    const whiskers: { x: number; top: number; bottom: number }[][] = [];
    for (let i = 0; i < n; i++) {
      const s = model.getSeriesByIndex(i);
      const data = s.getData();
      if (s.subType === 'bar') bars.push(Array.from({ length: data.count() }, (_, j) => data.getItemLayout(j)));
      else {
        whiskers.push(
          Array.from({ length: data.count() }, (_, j) => {
            const el = data.getItemGraphicEl(j);
            if (!el) return null as any;
            const lines = el.children().map((c: any) => c.shape);
            return { x: lines[0].x1, top: lines[0].y1, bottom: lines[2].y2 };
          }),
        );
      }
    }
    const svg = chart.renderToSVGString();
    // The y axis' own data-to-pixel mapping, read before the chart is disposed.
    const axis = model.getComponent('yAxis', 0).axis;
    const y = (v: number) => axis.toGlobalCoord(axis.dataToCoord(v)) as number;
    chart.dispose();
    return { bars, whiskers, svg, y };
  };
  const report = threeRepeats();

  it('centres each whisker on its bar and spans mean - std to mean + std in pixels', () => {
    const option: any = buildGmeChartOption(report);
    const { bars, whiskers, y } = draw(option);
    whiskerSeries(option).forEach((s, k) => {
      (s.data as number[][]).forEach(([g, lo, hi], j) => {
        const bar = bars[k][g];
        const w = whiskers[k][j];
        assert.ok(
          Math.abs(w.x - (bar.x + bar.width / 2)) < 1e-6,
          `series ${k}, group ${g}: whisker at ${w.x}, bar centre ${bar.x + bar.width / 2}`,
        );
        assert.ok(Math.abs(w.top - y(hi)) < 1e-6 && Math.abs(w.bottom - y(lo)) < 1e-6, `series ${k}, group ${g}`);
      });
    });
  });

  it('keeps them on their bars when the legend hides a method, and the exported option draws them too', () => {
    const { bars, whiskers } = draw(buildGmeChartOption(report), 'Fine-tune');
    // FedMemEraser's bars moved into the freed slot; its whiskers followed.
    const fme = whiskerSeries(buildGmeChartOption(report))[1].data as number[][];
    fme.forEach(([g], j) =>
      assert.ok(Math.abs(whiskers[1][j].x - (bars[1][g].x + bars[1][g].width / 2)) < 1e-6, `group ${g}`),
    );
    const exported = draw(exportOption(buildGmeChartOption(report)));
    assert.equal(exported.whiskers.length, 3);
    assert.ok(
      exported.whiskers.every((w) => w.every((x) => x !== null)),
      'every whisker drawn in the exported figure',
    );
    assert.ok(
      (exported.svg.match(/<path d="M[^"]*"[^>]*stroke="#1e417b"/g) ?? []).length >= 3,
      "Fine-tune's whiskers in its darker shade inside the bars",
    );
  });
});
