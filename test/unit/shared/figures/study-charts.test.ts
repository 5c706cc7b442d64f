/** Study charts against hand-computed numbers: pooled means, sample-std bands, axes, rows and runs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineChart, ParallelChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import {
  buildStudyEfficiencyChart,
  buildStudyMetricChart,
  buildStudyParallelChart,
  sweptRowLabel,
} from '../../../../src/shared/figures';
import { BASELINE_COLOR } from '../../../../src/shared/figures/common';
import { curve, makeStudy, report, result, type RowSpec } from '../../renderer/study-fixtures';
import { runsAt, valueName } from '../../../../src/shared/figures/study-data';

/* eslint-disable @typescript-eslint/no-explicit-any */
const seriesOf = (o: any): any[] => o.series as any[];
const byId = (o: any, id: string): any => seriesOf(o).find((s) => s.id === id);
/** Rounds away float noise so hand-computed numbers compare exactly; nulls stay null. */
const r9 = (v: any): any => (Array.isArray(v) ? v.map(r9) : typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v);
const s2 = Math.sqrt(0.02 / 3); // sample std of {x - 0.1, x + 0.1, x, x}

const study = makeStudy({ axes: [{ path: 'unlearning.methods[fedmemeraser].rho', values: [0, 0.4, 0.8] }], seeds: 2 });
const fme = (g0: (number | null)[], extra: Partial<RowSpec> = {}): RowSpec => ({
  label: 'FedMemEraser',
  groups: [g0, [0.9, 0.9]],
  ...extra,
});
const ret = (g0: (number | null)[]): RowSpec => ({
  label: 'Retrained',
  kind: 'retrained',
  groups: [g0, [0.95, 0.95]],
  unlearn: [0.5, 0.5],
  test: [0.85, 0.85],
  fairSum: [0, 0],
  fairMean: [0, 0],
  wall: [100, 100],
});
// rho = 0.8 has no runs (a missing cell). Given in reverse so the chart must put them in axis order itself.
const results = [
  result(study, [0.4], 1, report([fme([0.3, 0.3], { unlearn: [0.6, 0.6] }), ret([0.3, 0.3])])),
  result(study, [0.4], 0, report([fme([0.4, 0.2], { unlearn: [0.5, 0.5] }), ret([0.2, 0.4])])),
  result(
    study,
    [0],
    1,
    report([
      fme([0.9, null], {
        unlearn: [0.7, 0.7],
        test: [0.81, 0.81],
        fairSum: [0.002, 0.002],
        fairMean: [0.7, 0.7],
        wall: [14, null],
      }),
      ret([0.3, 0.3]),
    ]),
  ),
  result(
    study,
    [0],
    0,
    report([
      fme([0.5, 0.7], {
        unlearn: [0.6, 0.8],
        test: [0.8, 0.82],
        fairSum: [0.001, 0.003],
        fairMean: [0.5, 0.5],
        wall: [10, 12],
      }),
      ret([0.2, 0.4]),
    ]),
  ),
];

describe('buildStudyMetricChart by row', () => {
  const option: any = buildStudyMetricChart(study, results, { metric: 'group:0', by: 'row' });
  it('draws a mean line and a band pair per row: methods first, the retrained baseline last, no original', () => {
    assert.deepEqual(option.legend.data, ['FedMemEraser', 'Retrained']);
    assert.deepEqual(
      seriesOf(option).map((s) => s.id),
      ['mean:0', 'lower:0', 'band:0', 'mean:1', 'lower:1', 'band:1'],
    );
    assert.deepEqual(
      seriesOf(option).map((s) => s.name),
      ['FedMemEraser', 'FedMemEraser', 'FedMemEraser', 'Retrained', 'Retrained', 'Retrained'],
    );
  });
  it('pools every seed x repeat and skips nulls (0.7, not the mean of seed means 0.75)', () => {
    assert.deepEqual(r9(byId(option, 'mean:0').data), [
      [0, 0.7],
      [0.4, 0.3],
      [0.8, null],
    ]);
    assert.deepEqual(r9(byId(option, 'mean:1').data), [
      [0, 0.3],
      [0.4, 0.3],
      [0.8, null],
    ]);
  });
  it('draws mean ± sample std as a lower bound plus the band height, stacked on each other', () => {
    assert.deepEqual(
      r9(byId(option, 'lower:0').data),
      r9([
        [0, 0.5],
        [0.4, 0.3 - s2],
        [0.8, null],
      ]),
    );
    assert.deepEqual(
      r9(byId(option, 'band:0').data),
      r9([
        [0, 0.4],
        [0.4, 2 * s2],
        [0.8, null],
      ]),
    );
    assert.deepEqual(
      r9(byId(option, 'lower:1').data),
      r9([
        [0, 0.3 - s2],
        [0.4, 0.3 - s2],
        [0.8, null],
      ]),
    );
    const [lower, band, other] = [byId(option, 'lower:0'), byId(option, 'band:0'), byId(option, 'band:1')];
    assert.equal(lower.stack, band.stack);
    assert.notEqual(band.stack, other.stack);
    assert.equal(band.stackStrategy, 'all');
    assert.equal(byId(option, 'mean:0').stack, undefined);
    assert.ok(band.areaStyle && !lower.areaStyle && !byId(option, 'mean:0').areaStyle);
  });
  it('a cell without runs is a gap at its x in every series, never 0', () => {
    for (const s of seriesOf(option)) assert.deepEqual(s.data[2], [0.8, null]);
  });
  it('uses a value x axis for numeric values and percent on the y axis', () => {
    assert.equal(option.xAxis.type, 'value');
    assert.equal(option.xAxis.name, 'rho');
    assert.equal(option.yAxis.axisLabel.formatter(0.5), '50%');
  });
  it('styles the retrained baseline grey and dashed, the methods not', () => {
    assert.equal(byId(option, 'mean:1').lineStyle.type, 'dashed');
    assert.equal(byId(option, 'mean:1').lineStyle.color, BASELINE_COLOR);
    assert.equal(byId(option, 'band:1').areaStyle.color, BASELINE_COLOR);
    assert.equal(byId(option, 'mean:0').lineStyle.type, 'solid');
    assert.notEqual(byId(option, 'mean:0').lineStyle.color, BASELINE_COLOR);
  });
  it('the tooltip gives mean ± std (n) per line and leaves the band helpers out', () => {
    const p = (id: string, seriesName: string) => ({
      seriesId: id,
      seriesName,
      dataIndex: 0,
      marker: '',
      name: '',
      axisValueLabel: '0',
    });
    const text = option.tooltip.formatter([
      p('mean:0', 'FedMemEraser'),
      p('lower:0', 'FedMemEraser'),
      p('band:0', 'FedMemEraser'),
      p('mean:1', '<b>'),
    ]);
    assert.equal(
      text,
      `0<br/>FedMemEraser: 70.00% ± 20.00% (n = 3)<br/>&#60;b&#62;: 30.00% ± ${(s2 * 100).toFixed(2)}% (n = 4)`,
    );
  });
});

describe('buildStudyMetricChart metrics', () => {
  const meanAt0 = (metric: any, rs = results) =>
    r9(byId(buildStudyMetricChart(study, rs, { metric, by: 'row' }), 'mean:0').data[0][1]);
  it('D_u and test accuracy pool their repeats', () => {
    assert.equal(meanAt0('unlearn'), 0.7);
    assert.equal(
      r9(byId(buildStudyMetricChart(study, results, { metric: 'unlearn', by: 'row' }), 'mean:0').data[1][1]),
      0.55,
    );
    assert.equal(meanAt0('test'), 0.81);
  });
  it('wall seconds: mean 12 ± 2 over the three recorded repeats, on a plain axis', () => {
    const o: any = buildStudyMetricChart(study, results, { metric: 'wall', by: 'row' });
    assert.deepEqual(r9(byId(o, 'lower:0').data[0]), [0, 10]);
    assert.deepEqual(r9(byId(o, 'band:0').data[0]), [0, 4]);
    assert.equal(o.yAxis.axisLabel, undefined);
    assert.equal(r9(byId(o, 'mean:1').data[0][1]), 100);
  });
  it("fairness follows the report's variant", () => {
    assert.equal(meanAt0('fairness'), 0.002);
    const asMean = results.map((r) => ({ ...r, report: { ...r.report, fairness: 'mean' as const } }));
    assert.equal(meanAt0('fairness', asMean), 0.6);
  });
});

describe('buildStudyMetricChart axes and rows', () => {
  it('a string axis is a category axis in axis order, with one y per category', () => {
    const s = makeStudy({ axes: [{ path: 'partition.scheme', values: ['iid', 'dirichlet', 'shards'] }] });
    const rs = [
      result(s, ['dirichlet'], 0, report([fme([0.2, 0.4])])),
      result(s, ['iid'], 0, report([fme([0.6, null])])),
    ];
    const o: any = buildStudyMetricChart(s, rs, { metric: 'group:0', by: 'row' });
    assert.equal(o.xAxis.type, 'category');
    assert.deepEqual(o.xAxis.data, ['iid', 'dirichlet', 'shards']);
    assert.deepEqual(r9(byId(o, 'mean:0').data), [0.6, 0.3, null]);
    // One value has no measured spread: a band of height 0, as the report's tables define it.
    assert.deepEqual(r9(byId(o, 'band:0').data), r9([0, 2 * Math.sqrt(0.02), null]));
    assert.deepEqual(
      seriesOf(o).map((x) => x.name),
      ['FedMemEraser', 'FedMemEraser', 'FedMemEraser'],
    );
  });
  it('by group: one line per GME group of the swept row', () => {
    const o: any = buildStudyMetricChart(study, results, { metric: 'test', by: 'group' });
    assert.deepEqual(o.legend.data, ['(80%,100%]', '(0%,80%]']);
    assert.deepEqual(r9(byId(o, 'mean:0').data), [
      [0, 0.7],
      [0.4, 0.3],
      [0.8, null],
    ]);
    assert.deepEqual(r9(byId(o, 'mean:1').data), [
      [0, 0.9],
      [0.4, 0.9],
      [0.8, null],
    ]);
    assert.equal(o.yAxis.axisLabel.formatter(0.25), '25%');
  });
  const withFinetune = results.map((r) => ({
    ...r,
    report: {
      ...r.report,
      rows: [
        ...r.report.rows,
        {
          ...r.report.rows[1],
          key: 'unlearn:finetune',
          label: 'Fine-tune',
          groupAccuracy: [
            { mean: 1, std: 0, values: [1, 1] },
            { mean: 0, std: 0, values: [0, 0] },
          ],
        },
      ],
    },
  }));
  it('with several method rows the axis path names the swept one; `row` overrides it', () => {
    assert.deepEqual(
      r9(byId(buildStudyMetricChart(study, withFinetune, { metric: 'test', by: 'group' }), 'mean:0').data[0]),
      [0, 0.7],
    );
    assert.deepEqual(
      r9(
        byId(buildStudyMetricChart(study, withFinetune, { metric: 'test', by: 'group', row: 'Fine-tune' }), 'mean:0')
          .data[0],
      ),
      [0, 1],
    );
  });
  it('when no row can be told, by group draws nothing and says to choose a row', () => {
    const lr = makeStudy({ axes: [{ path: 'training.lr', values: [0, 0.4, 0.8] }] });
    const o: any = buildStudyMetricChart(lr, withFinetune, { metric: 'test', by: 'group' });
    assert.deepEqual(o.series, []);
    assert.match(o.title.subtext, /choose a row/);
    assert.equal(sweptRowLabel(lr, results), 'FedMemEraser', 'one method row: that one');
    assert.equal(sweptRowLabel(lr, withFinetune), null);
  });
  it('a positional path names its row through the base config', () => {
    const pos = makeStudy({ axes: [{ path: 'unlearning.methods.1.rounds', values: [1, 2] }] });
    assert.equal(sweptRowLabel(pos, withFinetune), 'Fine-tune');
  });
  it('two grid axes: one line per value of the second axis, for the swept row', () => {
    const grid = makeStudy({
      axes: [
        { path: 'unlearning.methods[FedMemEraser].rho', values: [0, 0.4] },
        { path: 'partition.alpha', values: [0.1, 1] },
      ],
    });
    const rs = [
      result(grid, [0, 0.1], 0, report([fme([0.2, 0.2]), ret([0.5, 0.5])])),
      result(grid, [0, 1], 0, report([fme([0.6, 0.8]), ret([0.5, 0.5])])),
      result(grid, [0.4, 1], 0, report([fme([0.1, 0.1]), ret([0.5, 0.5])])),
    ];
    const o: any = buildStudyMetricChart(grid, rs, { metric: 'group:0', by: 'row' });
    assert.deepEqual(o.legend.data, ['alpha=0.1', 'alpha=1']);
    assert.deepEqual(r9(byId(o, 'mean:0').data), [
      [0, 0.2],
      [0.4, null],
    ]);
    assert.deepEqual(r9(byId(o, 'mean:1').data), [
      [0, 0.7],
      [0.4, 0.1],
    ]);
    const groups: any = buildStudyMetricChart(grid, rs, { metric: 'test', by: 'group' });
    assert.deepEqual(groups.legend.data, [
      '(80%,100%] · alpha=0.1',
      '(80%,100%] · alpha=1',
      '(0%,80%] · alpha=0.1',
      '(0%,80%] · alpha=1',
    ]);
    const zip = makeStudy({ ...grid, combine: 'zip' });
    assert.deepEqual(
      (buildStudyMetricChart(zip, rs, { metric: 'group:0', by: 'row' }).legend as { data?: unknown }).data,
      ['FedMemEraser', 'Retrained'],
    );
  });
});

describe('buildStudyEfficiencyChart', () => {
  const t = (fmeAcc: number, retAcc = 0.5) => ({
    curves: [
      curve('retrain:0', 'Retrained 1', [
        [2, retAcc],
        [4, 0.8],
      ]),
      curve('unlearn:fedmemeraser', 'FedMemEraser', [
        [1, fmeAcc],
        [2, fmeAcc + 0.1],
      ]),
    ],
  });
  const rs = [
    result(study, [0], 1, report([fme([0.5, 0.5])]), t(0.11, 0.6)),
    result(study, [0], 0, report([fme([0.5, 0.5])]), t(0.1, 0.4)),
    // rho = 0.4: the first seed recorded no time, so the second seed's curve stands for the cell.
    result(study, [0.4], 0, report([fme([0.5, 0.5])]), null),
    result(study, [0.4], 1, report([fme([0.5, 0.5])]), t(0.3)),
    result(study, [0.8], 0, report([fme([0.5, 0.5])]), null),
  ];
  const option: any = buildStudyEfficiencyChart(study, rs);
  it("draws the swept row's curve per cell with time (first seed's run), then one retrained curve", () => {
    assert.deepEqual(
      seriesOf(option).map((s) => s.name),
      ['rho=0', 'rho=0.4', 'Retrained'],
    );
    assert.deepEqual(r9(seriesOf(option)[0].data), [
      [1, 0.1],
      [2, 0.2],
    ]);
    assert.deepEqual(r9(seriesOf(option)[1].data), [
      [1, 0.3],
      [2, 0.4],
    ]);
  });
  it('takes the retrained curve from the first cell, grey and dashed', () => {
    const r = seriesOf(option)[2];
    assert.deepEqual(r.data, [
      [2, 0.4],
      [4, 0.8],
    ]);
    assert.equal(r.lineStyle.type, 'dashed');
    assert.equal(r.lineStyle.color, BASELINE_COLOR);
    assert.notEqual(seriesOf(option)[0].lineStyle.color, seriesOf(option)[1].lineStyle.color);
    assert.equal(option.xAxis.type, 'value');
  });
  it('draws nothing when every run lacks time', () => {
    assert.deepEqual(buildStudyEfficiencyChart(study, results).series, []);
  });
});

describe('buildStudyParallelChart', () => {
  const grid = makeStudy({
    axes: [
      { path: 'unlearning.methods[FedMemEraser].rho', values: [0, 0.4] },
      { path: 'partition.scheme', values: ['iid', 'shards'] },
    ],
    seeds: 2,
  });
  const run = (v: [number, string], seed: number, top: number) =>
    result(
      grid,
      v,
      seed,
      report([fme([top, top], { unlearn: [0.5, 0.7], test: [0.8, 0.8], fairSum: [0.01, 0.03] }), ret([0.3, 0.3])]),
    );
  const rs = [
    run([0, 'iid'], 0, 0.1),
    run([0, 'iid'], 1, 0.2),
    run([0, 'shards'], 0, 0.3),
    run([0.4, 'shards'], 1, 0.4),
  ];
  const option: any = buildStudyParallelChart(grid, rs);
  it('has one dimension per axis, then top group, D_u, test accuracy and fairness', () => {
    assert.deepEqual(
      option.parallelAxis.map((a: any) => [a.dim, a.name, a.type]),
      [
        [0, 'rho', 'value'],
        [1, 'scheme', 'category'],
        [2, 'Top group (80%,100%]', 'value'],
        [3, 'D_u accuracy', 'value'],
        [4, 'Test accuracy', 'value'],
        [5, 'Fairness (sum)', 'value'],
      ],
    );
    assert.deepEqual(option.parallelAxis[1].data, ['iid', 'shards']);
    assert.equal(option.parallelAxis[2].axisLabel.formatter(0.3), '30%');
  });
  it("draws one line per run with the swept row's values, one series (colour) per first-axis value", () => {
    assert.deepEqual(
      seriesOf(option).map((s) => s.name),
      ['rho=0', 'rho=0.4'],
    );
    assert.deepEqual(r9(seriesOf(option)[0].data), [
      [0, 'iid', 0.1, 0.6, 0.8, 0.02],
      [0, 'iid', 0.2, 0.6, 0.8, 0.02],
      [0, 'shards', 0.3, 0.6, 0.8, 0.02],
    ]);
    assert.deepEqual(r9(seriesOf(option)[1].data), [[0.4, 'shards', 0.4, 0.6, 0.8, 0.02]]);
    assert.equal(
      seriesOf(option).reduce((n, s) => n + s.data.length, 0),
      rs.length,
    );
    assert.notEqual(seriesOf(option)[0].lineStyle.color, seriesOf(option)[1].lineStyle.color);
    assert.equal(option.grid, undefined);
  });
});

describe('the band as ECharts draws it', () => {
  // ECharts' own stacking, rendered to SVG without a canvas (the app's echarts.ts pulls in a DOM-only store).
  echarts.use([
    LineChart,
    ParallelChart,
    GridComponent,
    LegendComponent,
    TitleComponent,
    TooltipComponent,
    SVGRenderer,
  ]);
  const draw = (option: unknown) => {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 400 });
    chart.setOption(option as any);
    const svg = chart.renderToSVGString();
    const model = (chart as any).getModel();
    const stacked = (i: number) => {
      const data = model.getSeriesByIndex(i).getData();
      const dim = data.getCalculationInfo('stackResultDimension');
      return Array.from({ length: data.count() }, (_, j) => data.get(dim, j));
    };
    const band = model.getSeriesCount() >= 3;
    const out = {
      svg,
      series: model.getSeriesCount() as number,
      lower: band ? stacked(1) : [],
      upper: band ? stacked(2) : [],
    };
    chart.dispose();
    return out;
  };
  it('stacks the band on the lower bound: mean - std to mean + std, negative values too', () => {
    const neg = [
      result(study, [0], 0, report([fme([0.5, 0.7], { fairSum: [-0.5, -0.1] })])),
      result(study, [0], 1, report([fme([0.9, null], { fairSum: [-0.3, -0.3] })])),
    ];
    const acc = draw(buildStudyMetricChart(study, neg, { metric: 'group:0', by: 'row' }));
    assert.deepEqual(r9(acc.lower.slice(0, 1)), [0.5]);
    assert.deepEqual(r9(acc.upper.slice(0, 1)), [0.9]);
    const s = Math.sqrt(0.08 / 3); // fairness -0.5, -0.1, -0.3, -0.3: mean -0.3
    const fair = draw(buildStudyMetricChart(study, neg, { metric: 'fairness', by: 'row' }));
    assert.deepEqual(r9(fair.lower.slice(0, 1)), r9([-0.3 - s]));
    assert.deepEqual(r9(fair.upper.slice(0, 1)), r9([-0.3 + s]));
  });
  it('renders the parallel chart, one series per first-axis value', () => {
    const grid = makeStudy({ axes: [{ path: 'unlearning.methods[FedMemEraser].rho', values: [0, 0.4] }] });
    const { svg, series } = draw(buildStudyParallelChart(grid, [result(grid, [0], 0, report([fme([0.1, 0.1])]))]));
    assert.match(svg, /Top group/);
    assert.equal(series, 2);
  });
});

describe('list-valued axes', () => {
  it('find their runs by content (values come back from JSON as new arrays) and read as "0, 1"', () => {
    const study = makeStudy({ axes: [{ path: 'unlearning.request.clients', values: [[0], [0, 1]] }] });
    const rep = report([{ label: 'FedMemEraser', kind: 'method' }]);
    const results = [[0], [0, 1]].map((v) => result(study, [JSON.parse(JSON.stringify(v))], 0, rep));
    assert.equal(runsAt(results, [[0, 1]]).length, 1);
    assert.deepEqual(runsAt(results, [[0, 1]])[0].values, [[0, 1]]);
    assert.equal(valueName(study, 0, [0, 1]), 'clients=0, 1');
  });
});
