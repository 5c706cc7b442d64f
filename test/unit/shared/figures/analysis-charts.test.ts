/**
 * The analyses' chart builders: a heatmap cell per model pair holding the stored number, Figure G7's
 * series in sorted order, and Table H8's bars equal to the table's cells.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildDistanceHeatmapOption,
  buildEmbeddingsOption,
  buildResetChartOption,
  buildStabilityOption,
} from '../../../../src/shared/figures';
import { exportOption, ORIGINAL_COLOR } from '../../../../src/shared/figures/common';
import type { DistancesArtifact, EmbeddingsArtifact, StabilityArtifact } from '../../../../src/shared/analysis-results';
import { embeddingsOverlapTable, embeddingsTable, type AnalysisTable } from '../../../../src/shared/analysis-tables';

/* eslint-disable @typescript-eslint/no-explicit-any */
const d: DistancesArtifact = {
  models: [
    { stage: 'original', label: 'Original', role: 'original' },
    { stage: 'retrain:0', label: 'Retrained 1', role: 'retrained' },
  ],
  l2: [
    [0, 7],
    [7, 0],
  ],
  cosine: [
    [1, 0.2],
    [0.2, 1],
  ],
  kl: [
    [0, 0.3],
    [0.5, 0],
  ],
  klOn: 'test',
  klExamples: 10,
};

test('distance heatmap: one cell per ordered pair with its value, rows = from, columns = to', () => {
  const o = buildDistanceHeatmapOption(d, 'kl') as any;
  assert.deepEqual(o.yAxis.data, ['Original', 'Retrained 1']);
  assert.deepEqual(o.series[0].data, [
    [0, 0, 0],
    [1, 0, 0.3],
    [0, 1, 0.5],
    [1, 1, 0],
  ]);
  assert.equal(o.visualMap.min, 0);
  assert.equal(o.visualMap.max, 0.5);
  assert.equal((exportOption(o) as any).visualMap[0].calculable, false, 'exported without drag handles');
});

test('stability chart: one scatter per retrained model in sorted order and the mean line', () => {
  const s: StabilityArtifact = {
    ids: [5, 2],
    probabilities: [
      [0.1, 0.9],
      [0.3, 1],
    ],
    mean: [0.2, 0.95],
    spread: [0.2, 0.1],
    measure: 'range',
    threshold: 0.15,
    unstable: 1,
    unstableShare: 0.5,
  };
  const o = buildStabilityOption(s) as any;
  assert.deepEqual(
    o.series.map((x: any) => x.name),
    ['Retrained 1', 'Retrained 2', 'Mean'],
  );
  assert.deepEqual(o.series[1].data, [
    [1, 0.3],
    [2, 1],
  ]);
  assert.deepEqual(o.series[2].data, [
    [1, 0.2],
    [2, 0.95],
  ]);
  assert.match(o.title.subtext, /1 of 2 examples \(50\.0%\) unstable: max - min > 0\.15/);
});

test('reset chart: a bar per table column over the table rows, the original in its own colour', () => {
  const t: AnalysisTable = {
    name: 'reset',
    caption: '',
    keyColumns: 1,
    columns: [
      { key: 'set', label: 'Data', type: 'string' },
      { key: 'original', label: 'Original', type: 'number' },
      { key: 'important_0.05', label: 'important 5%', type: 'number' },
      { key: 'redundant_0.05', label: 'redundant 5%', type: 'number' },
    ],
    rows: [
      { set: 'D_u', original: 0.9, 'important_0.05': 0.2, 'redundant_0.05': 0.5 },
      { set: 'Test', original: 0.95, 'important_0.05': 0.3, 'redundant_0.05': null },
    ],
  };
  const o = buildResetChartOption(t) as any;
  assert.deepEqual(o.xAxis.data, ['D_u', 'Test']);
  assert.equal(o.series[1].itemStyle.opacity, 1, 'a single ratio is drawn opaque');
  assert.deepEqual(
    o.series.map((x: any) => [x.name, x.data]),
    [
      ['Original', [0.9, 0.95]],
      ['important 5%', [0.2, 0.3]],
      ['redundant 5%', [0.5, null]],
    ],
  );
  assert.equal(o.series[0].itemStyle.color, ORIGINAL_COLOR);
  assert.notEqual(o.series[1].itemStyle.color, o.series[2].itemStyle.color);
});

const e: EmbeddingsArtifact = {
  class: 1,
  k: 5,
  dimension: 4,
  ids: [10, 11, 20, 21, 30],
  clients: [0, 0, 1, 1, 2],
  unlearningClients: [1],
  panels: [
    {
      model: { stage: 'original', label: 'Original', role: 'original' },
      points: [
        [0, 1],
        [2, 3],
        [4, 5],
        [6, 7],
        [8, 9],
      ],
      explained: [0.5, 0.2],
      overlap: 0.5,
      overlapChance: 0.7,
    },
    {
      model: { stage: 'retrain:0', label: 'Retrained 1', role: 'retrained' },
      points: [
        [1, 0],
        [3, 2],
        [5, 4],
        [7, 6],
        [9, 8],
      ],
      explained: [0.4, 0.3],
      overlap: 1,
      overlapChance: 0.7,
    },
  ],
};

test('embeddings scatter: one series per client, the leaving one last, larger, with the same colour in both panels', () => {
  const a = buildEmbeddingsOption(e, 0) as any;
  const b = buildEmbeddingsOption(e, 1) as any;
  assert.deepEqual(
    a.series.map((s: any) => s.name),
    ['Client 0', 'Client 2', 'Client 1 (leaving)'],
  );
  assert.deepEqual(a.series[2].data, [
    [4, 5, 20],
    [6, 7, 21],
  ]);
  assert.deepEqual(b.series[0].data, [
    [1, 0, 10],
    [3, 2, 11],
  ]);
  assert.ok(a.series[2].symbolSize > a.series[0].symbolSize);
  a.series.forEach((s: any, i: number) => assert.equal(s.itemStyle.color, b.series[i].itemStyle.color));
  assert.equal(new Set(a.series.map((s: any) => s.itemStyle.color)).size, 3, 'three clients, three colours');
  assert.match(a.title.subtext, /50\.0%.*70\.0%[^]*70% of variance/);
});

test('embeddings tables: one export row per point and model, one overlap row per model', () => {
  const t = embeddingsTable([{ repeat: 0, json: e }], 'r');
  assert.equal(t.rows.length, 10);
  assert.deepEqual(t.rows[2], { repeat: 1, model: 'Original', client: 1, id: 20, unlearning: 1, x: 4, y: 5 });
  assert.equal(t.rows.filter((r) => r.unlearning === 1).length, 4);
  assert.match(t.caption, /Original 50\.0%, Retrained 1 100\.0%/);
  const o = embeddingsOverlapTable([{ repeat: 0, json: e }], 'r');
  assert.deepEqual(
    o.rows.map((r) => [r.model, r.overlap, r.chance, r.points]),
    [
      ['Original', 0.5, 0.7, 5],
      ['Retrained 1', 1, 0.7, 5],
    ],
  );
  assert.ok(Math.abs((o.rows[0].explained as number) - 0.7) < 1e-12);
});

test("Figure G8: the original rounds, then the chosen method's rounds continuing the count, four curves", async () => {
  const { buildBackdoorCurveOption } = await import('../../../../src/shared/figures');
  const pt = (round: number, asr: number) => ({
    round,
    testAccuracy: 0.9,
    asr,
    cleanAccuracy: 0.95,
    triggeredAsTarget: asr + 0.01,
  });
  const a = {
    target: 0,
    stages: [
      { stage: 'original', label: 'Original', role: 'original' as const, points: [pt(1, 0.3), pt(2, 0.9)] },
      {
        stage: 'unlearn:finetune',
        label: 'Fine-tune',
        role: 'method' as const,
        points: [pt(1, 0.6), pt(2, 0.2), pt(3, 0.1)],
      },
      { stage: 'unlearn:other', label: 'Other', role: 'method' as const, points: [pt(1, 0.5)] },
    ],
    models: [],
  };
  const o = buildBackdoorCurveOption(a, 'unlearn:finetune') as any;
  assert.equal(o.series.length, 4);
  const asr = o.series.find((s: any) => s.name.startsWith('Attack success'));
  assert.deepEqual(asr.data, [
    [1, 0.3],
    [2, 0.9],
    [3, 0.6],
    [4, 0.2],
    [5, 0.1],
  ]);
  assert.equal(o.series[0].markLine.data[0].xAxis, 2.5, 'unlearning starts after round 2');
});
