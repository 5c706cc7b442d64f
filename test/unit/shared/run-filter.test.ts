import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getPreset } from '../../../src/shared/presets';
import type { RunSummary } from '../../../src/shared/results';
import {
  configSearchText,
  hasRunFilter,
  matchesRunFilter,
  queryTerms,
  type FilterableRun,
} from '../../../src/shared/run-filter';
import {
  conditionHolds,
  conditionText,
  metricValue,
  parseCondition,
  summaryRows,
} from '../../../src/shared/run-metrics';

/** A finished quick-style run: the original at 95%, FedMemEraser at 94.5% test, |Δ| 0.375 on the top group. */
const unlearned: RunSummary = {
  testAccuracy: 0.95,
  rows: [
    {
      key: 'unlearn:finetune',
      label: 'Fine-tune',
      kind: 'method',
      testAccuracy: 0.951,
      unlearnAccuracy: 0.8,
      topGroupDelta: 0.425,
    },
    {
      key: 'unlearn:fedmemeraser',
      label: 'FedMemEraser',
      kind: 'method',
      testAccuracy: 0.945,
      unlearnAccuracy: 0.79,
      topGroupDelta: 0.375,
    },
    {
      key: 'retrained',
      label: 'Retrained',
      kind: 'retrained',
      testAccuracy: 0.948,
      unlearnAccuracy: 0.75,
      topGroupDelta: null,
    },
  ],
};

const quick = getPreset('quick');
const run = (o: Partial<FilterableRun>): FilterableRun => ({
  name: 'run',
  note: null,
  tags: [],
  dataset: 'mnist',
  methods: [],
  config: {},
  summary: null,
  ...o,
});

describe('run metrics', () => {
  it('reads the Original row and every report row; old summaries keyed by label still read', () => {
    assert.deepEqual(
      summaryRows(unlearned).map((r) => r.label),
      ['Original', 'Fine-tune', 'FedMemEraser', 'Retrained'],
    );
    const legacy = {
      testAccuracy: 0.9,
      'Fine-tune': { testAccuracy: 0.8, unlearnAccuracy: 0.7 },
    } as unknown as RunSummary;
    assert.deepEqual(summaryRows(legacy), [
      { label: 'Original', testAccuracy: 0.9, unlearnAccuracy: null, topGroupDelta: null },
      { label: 'Fine-tune', testAccuracy: 0.8, unlearnAccuracy: 0.7, topGroupDelta: null },
    ]);
    assert.deepEqual(summaryRows(null), []);
  });

  it('gives a row metric in percent by its label, any case; null when the row or the metric is missing', () => {
    assert.equal(metricValue(unlearned, 'fedmemeraser', 'top-delta'), 37.5);
    assert.equal(metricValue(unlearned, 'Original', 'test'), 95);
    assert.equal(metricValue(unlearned, 'Original', 'du'), null, 'the summary keeps no D_u accuracy for the original');
    assert.equal(metricValue(unlearned, 'Retrained', 'top-delta'), null);
    assert.equal(metricValue(unlearned, 'NoT', 'test'), null);
  });

  it('a condition compares at the precision shown, and a missing metric never meets it', () => {
    // 0.945 * 100 is 94.49999999999999 in floating point; the list shows 94.50%.
    assert.equal(conditionHolds(unlearned, { row: 'FedMemEraser', metric: 'test', op: '>=', value: 94.5 }), true);
    assert.equal(conditionHolds(unlearned, { row: 'FedMemEraser', metric: 'test', op: '>=', value: 94.6 }), false);
    assert.equal(conditionHolds(unlearned, { row: 'FedMemEraser', metric: 'top-delta', op: '<=', value: 40 }), true);
    assert.equal(
      conditionHolds(unlearned, { row: 'Fine-tune', metric: 'top-delta', op: '<=', value: 40 }),
      false,
      '42.5 > 40',
    );
    for (const op of ['>=', '<='] as const) {
      assert.equal(conditionHolds(unlearned, { row: 'Retrained', metric: 'top-delta', op, value: 0 }), false);
      assert.equal(conditionHolds(null, { row: 'Original', metric: 'test', op, value: 0 }), false);
    }
  });

  it('parses a typed condition (row labels with spaces, ≥, a trailing %) and explains a bad one', () => {
    assert.deepEqual(parseCondition("FedMemEraser (authors' locate) top-delta <= 10%"), {
      ok: true,
      condition: { row: "FedMemEraser (authors' locate)", metric: 'top-delta', op: '<=', value: 10 },
    });
    assert.deepEqual(parseCondition('Original test ≥ 94.5'), {
      ok: true,
      condition: { row: 'Original', metric: 'test', op: '>=', value: 94.5 },
    });
    const bad = parseCondition('FedMemEraser speed >= 2');
    assert.equal(bad.ok, false);
    assert.match((bad as { message: string }).message, /"speed" is not a metric; use one of test, du, top-delta/);
    assert.equal(parseCondition('accuracy is high').ok, false);
    assert.equal(
      conditionText({ row: 'FedMemEraser', metric: 'top-delta', op: '<=', value: 10 }),
      'FedMemEraser top-group |Δ| ≤ 10 points',
    );
    assert.equal(
      conditionText({ row: 'Original', metric: 'test', op: '>=', value: 94.5 }),
      'Original test accuracy ≥ 94.5%',
    );
  });
});

describe('runs list filter', () => {
  it('splits a query into words, keeping quoted phrases', () => {
    assert.deepEqual(queryTerms('  Dirichlet "label noise" 0.4 '), ['dirichlet', 'label noise', '0.4']);
    assert.equal(hasRunFilter({ text: '  ' }), false);
    assert.equal(hasRunFilter({ conditions: [{ row: 'Original', metric: 'test', op: '>=', value: 1 }] }), true);
  });

  it('matches every word against name, note, tags and the settings summary', () => {
    const r = run({ name: 'quick baseline', note: 'lr looks high', tags: ['sweep-a'], config: quick });
    assert.ok(matchesRunFilter(r, { text: 'QUICK high' }), 'name and note, any case');
    assert.ok(matchesRunFilter(r, { text: 'sweep-a' }), 'a tag');
    assert.ok(
      matchesRunFilter(r, { text: '"labels flipped" iid' }),
      "the settings summary (quick flips 10% of client 0's labels, IID)",
    );
    assert.ok(!matchesRunFilter(r, { text: 'quick dirichlet' }), 'every word must match');
    const clean = run({ config: { ...quick, dataset: { id: 'mnist', trainSize: 1200, testSize: 1000 } } });
    assert.ok(
      !matchesRunFilter(clean, { text: '"label noise"' }),
      'a setting that is off ("Label noise: none") does not match its name',
    );
    assert.ok(matchesRunFilter(r, { text: '"label noise"' }));
  });

  it('filters by dataset, by a method (id or label) and by metric conditions together', () => {
    const r = run({
      dataset: 'mnist',
      methods: ['Fine-tune', 'FME custom'],
      config: { unlearning: { methods: [{ id: 'finetune' }, { id: 'fedmemeraser', label: 'FME custom' }] } },
      summary: unlearned,
    });
    assert.ok(matchesRunFilter(r, { dataset: 'mnist', method: 'fedmemeraser' }), 'by id although it is labelled');
    assert.ok(matchesRunFilter(r, { method: 'fme CUSTOM' }), 'by label');
    assert.ok(!matchesRunFilter(r, { method: 'fedau' }));
    assert.ok(!matchesRunFilter(r, { dataset: 'cifar10' }));
    const top = { row: 'FedMemEraser', metric: 'top-delta', op: '<=', value: 40 } as const;
    assert.ok(matchesRunFilter(r, { conditions: [top, { row: 'Original', metric: 'test', op: '>=', value: 95 }] }));
    assert.ok(
      !matchesRunFilter(r, { conditions: [top, { row: 'Original', metric: 'test', op: '>=', value: 96 }] }),
      'all must hold',
    );
    assert.ok(!matchesRunFilter(run({ summary: null }), { conditions: [top] }), 'a run without the metric is left out');
  });

  it("reads the config text only when the run's own fields do not match (it may be cached per run)", () => {
    let reads = 0;
    const text = (x: FilterableRun) => (reads++, configSearchText(x.config));
    const r = run({ name: 'alpha', config: quick });
    assert.ok(matchesRunFilter(r, { text: 'alpha' }, text));
    assert.equal(reads, 0);
    assert.ok(matchesRunFilter(r, { text: 'alpha adam' }, text));
    assert.equal(reads, 1);
  });
});
