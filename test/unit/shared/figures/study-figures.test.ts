/**
 * A study's figure list (the study page's charts and `fedmem study figure`'s files): its three
 * figures under the page's export names, the viewer's metric and lines, and the swept-method row
 * that is only applied when the axes do not name one; then one drawn headless to SVG.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderFigure } from '../../../../src/main/cli/figure-files';
import { buildStudyMetricChart } from '../../../../src/shared/figures';
import {
  STUDY_FIGURE_HEIGHT,
  studyFigures,
  studyMetrics,
  studyRowChoice,
} from '../../../../src/shared/figures/study-figures';
import { makeStudy, report, result, type RowSpec } from '../../renderer/study-fixtures';

// Options hold formatter functions: compare what they draw (functions left out).
const same = (a: unknown, b: unknown) => assert.equal(JSON.stringify(a), JSON.stringify(b));

const fme = (label: string, g0: number[]): RowSpec => ({
  label,
  groups: [g0, [0.9, 0.9]],
  unlearn: [0.5, 0.5],
  test: [0.8, 0.8],
});
const ret: RowSpec = {
  label: 'Retrained',
  kind: 'retrained',
  groups: [
    [0.2, 0.2],
    [0.95, 0.95],
  ],
  unlearn: [0.5, 0.5],
  test: [0.85, 0.85],
};

// The axis names FedMemEraser's rho: the swept method is known.
const named = makeStudy({ axes: [{ path: 'unlearning.methods[fedmemeraser].rho', values: [0.2, 0.5] }], seeds: 1 });
const namedResults = [0.2, 0.5].map((rho) =>
  result(named, [rho], 0, report([fme('FedMemEraser', [rho, rho]), fme('Fine-tune', [0.6, 0.6]), ret])),
);
// The axis is the data split: no method is named, and there are two.
const split = makeStudy({ axes: [{ path: 'partition.scheme', values: ['iid', 'shards'] }], seeds: 1 });
const splitResults = ['iid', 'shards'].map((v) =>
  result(split, [v], 0, report([fme('FedMemEraser', [0.3, 0.3]), fme('Fine-tune', [0.6, 0.6]), ret])),
);

describe("a study's figures", () => {
  it("are the metric, efficiency and parallel charts under the page's export names, with options and captions", () => {
    const figures = studyFigures(named, namedResults);
    assert.deepEqual(
      figures.map((f) => [f.testid, f.file]),
      [
        ['chart-study-metric', 'study-metric'],
        ['chart-study-efficiency', 'study-efficiency'],
        ['chart-study-parallel', 'study-parallel'],
      ],
    );
    for (const f of figures) {
      assert.equal(f.height, STUDY_FIGURE_HEIGHT);
      assert.ok(f.caption.length > 10);
    }
    // The defaults are the page's: the top group, one line per method.
    same(figures[0].option, buildStudyMetricChart(named, namedResults, { metric: 'group:0', by: 'row' }));
    assert.match(studyFigures(named, namedResults, { by: 'group' })[0].caption, /each GME group/);
    same(
      studyFigures(named, namedResults, { metric: 'test' })[0].option,
      buildStudyMetricChart(named, namedResults, { metric: 'test', by: 'row' }),
    );
  });

  it('offers every group, D_u, test, fairness and time as metrics', () => {
    assert.deepEqual(
      studyMetrics(namedResults).map((m) => m.value),
      ['group:0', 'group:1', 'unlearn', 'test', 'fairness', 'wall'],
    );
    assert.deepEqual(
      studyMetrics([]).map((m) => m.value),
      ['unlearn', 'test', 'fairness', 'wall'],
    );
  });

  it('asks for the swept method only when the axes name none and there are several; the first method unless chosen', () => {
    assert.deepEqual(studyRowChoice(named, namedResults), { rows: ['FedMemEraser', 'Fine-tune'], needed: false });
    assert.deepEqual(studyRowChoice(split, splitResults), { rows: ['FedMemEraser', 'Fine-tune'], needed: true });
    const metric = (row?: string) => studyFigures(split, splitResults, { by: 'group', row })[0].option;
    assert.notEqual(JSON.stringify(metric()), JSON.stringify(metric('Fine-tune')), 'the row changes the chart');
    same(metric(), buildStudyMetricChart(split, splitResults, { metric: 'group:0', by: 'group', row: 'FedMemEraser' }));
    same(
      metric('Fine-tune'),
      buildStudyMetricChart(split, splitResults, { metric: 'group:0', by: 'group', row: 'Fine-tune' }),
    );
    // A named axis ignores the row: the chart is the axis's method's.
    same(
      studyFigures(named, namedResults, { by: 'group', row: 'Fine-tune' })[0].option,
      buildStudyMetricChart(named, namedResults, { metric: 'group:0', by: 'group' }),
    );
  });

  it('draws headless to an SVG holding the methods and the swept parameter', () => {
    const svg = renderFigure(studyFigures(named, namedResults)[0], 'svg').toString('utf8');
    for (const label of ['FedMemEraser', 'Fine-tune', 'Retrained', 'rho']) assert.ok(svg.includes(label), label);
  });
});
