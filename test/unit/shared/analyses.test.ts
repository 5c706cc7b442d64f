/**
 * The analyses' config section and table models: defaults and plain messages, the G.1 finding's two
 * means on a hand-made matrix, Table H8's layout from two repeats (means by hand), the wizard's round
 * trip of the block, and the estimate counting their cost.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig, validateConfig } from '../../../src/shared/config';
import type { DistancesArtifact, ResetArtifact } from '../../../src/shared/analysis-results';
import { distanceFinding, distancesTable, resetTable } from '../../../src/shared/analysis-tables';
import { configToForm, formToConfig } from '../../../src/renderer/src/wizard/form';
import { estimateRun } from '../../../src/main/runs/estimate';
import { PRESETS } from '../../../src/shared/presets';

const base = {
  seed: 1,
  dataset: { id: 'mnist', trainSize: 600, testSize: 200 },
  partition: { clients: 3 },
  training: { rounds: 2 },
  unlearning: { request: { kind: 'clients', clients: [0] }, methods: [{ id: 'finetune' }] },
};

test('analyses default to none; each entry takes its defaults; a repeat and a bad value are refused in plain words', () => {
  assert.deepEqual(parseConfig(base).evaluation.analyses, []);
  const c = parseConfig({
    ...base,
    evaluation: { analyses: [{ id: 'distances' }, { id: 'stability' }, { id: 'reset' }] },
  });
  assert.deepEqual(c.evaluation.analyses, [
    { id: 'distances', klOn: 'unlearn', maxExamples: 1000 },
    { id: 'stability', spread: 'range', threshold: 0.5 },
    { id: 'reset', ratios: [0.05], maxRemaining: 2000 },
  ]);
  const twice = validateConfig({ ...base, evaluation: { analyses: [{ id: 'stability' }, { id: 'stability' }] } });
  assert.equal(twice.ok, false);
  assert.match(JSON.stringify(!twice.ok && twice.issues), /listed twice/);
  const bad = validateConfig({ ...base, evaluation: { analyses: [{ id: 'reset', ratios: [1.5] }] } });
  assert.deepEqual(!bad.ok && bad.issues, [{ path: 'evaluation.analyses.0.ratios.0', message: 'must be at most 1' }]);
});

const distances: DistancesArtifact = {
  models: [
    { stage: 'original', label: 'Original', role: 'original' },
    { stage: 'retrain:0', label: 'Retrained 1', role: 'retrained' },
    { stage: 'retrain:1', label: 'Retrained 2', role: 'retrained' },
    { stage: 'unlearn:finetune', label: 'Fine-tune', role: 'method' },
  ],
  l2: [
    [0, 10, 12, 3],
    [10, 0, 14, 9],
    [12, 14, 0, 11],
    [3, 9, 11, 0],
  ],
  cosine: [
    [1, 0.1, 0.3, 0.9],
    [0.1, 1, 0.2, 0.1],
    [0.3, 0.2, 1, 0.3],
    [0.9, 0.1, 0.3, 1],
  ],
  kl: [
    [0, 0.1, 0.3, 0.01],
    [0.2, 0, 0.5, 0.1],
    [0.4, 0.7, 0, 0.2],
    [0.01, 0.1, 0.2, 0],
  ],
  klOn: 'unlearn',
  klExamples: 50,
};

test('the G.1 finding: mean over retrained pairs vs mean from the retrained models to the original', () => {
  const f = distanceFinding(distances);
  assert.equal(f.betweenRetrained.l2, 14);
  assert.equal(f.retrainedToOriginal.l2, (10 + 12) / 2);
  assert.equal(f.betweenRetrained.kl, (0.5 + 0.7) / 2, 'KL both ways');
  assert.ok(Math.abs(f.retrainedToOriginal.kl! - (0.1 + 0.3 + 0.2 + 0.4) / 4) < 1e-12);
  assert.ok(Math.abs(f.retrainedToOriginal.cosine! - 0.2) < 1e-12);
  assert.equal(f.betweenRetrained.pairs, 1);
  const t = distancesTable([{ repeat: 0, json: distances }], 'r');
  assert.equal(t.rows.length, 16);
  assert.deepEqual(t.rows[1], { repeat: 1, from: 'Original', to: 'Retrained 1', l2: 10, cosine: 0.1, kl: 0.1 });
  assert.match(t.caption, /retrained models 14\.000 vs retrained to original 11\.000/);
});

const reset = (shift: number): ResetArtifact => ({
  groups: [
    { label: '(50%,100%]', size: 2 },
    { label: '(0%,50%]', size: 0 },
  ],
  original: { remaining: 0.9 + shift, unlearn: 0.95, test: 0.9, groupAccuracy: [1, null] },
  outcomes: [
    {
      strategy: 'important',
      ratio: 0.05,
      resetScalars: 5,
      remaining: 0.3,
      unlearn: 0.2 + shift,
      test: 0.3,
      groupAccuracy: [0.5, null],
    },
    {
      strategy: 'redundant',
      ratio: 0.05,
      resetScalars: 5,
      remaining: 0.8,
      unlearn: 0.6,
      test: 0.8,
      groupAccuracy: [0, null],
    },
  ],
  totalScalars: 100,
  remainingSample: 40,
});

test('Table H8 layout: one row per GME group, then D_u, D_r and test; a column per strategy and ratio; means over repeats', () => {
  const t = resetTable(
    [
      { repeat: 0, json: reset(0) },
      { repeat: 1, json: reset(0.1) },
    ],
    'r',
  );
  assert.deepEqual(
    t.columns.map((c) => c.key),
    ['set', 'original', 'important_0.05', 'redundant_0.05'],
  );
  assert.deepEqual(
    t.columns.map((c) => c.label),
    ['Data', 'Original', 'important 5%', 'redundant 5%'],
  );
  assert.deepEqual(
    t.rows.map((r) => r.set),
    ['Group (50%,100%]', 'Group (0%,50%]', 'D_u', 'D_r (sample)', 'Test'],
  );
  assert.equal(t.rows[0]['redundant_0.05'], 0);
  assert.equal(t.rows[1].original, null, 'an empty group stays empty');
  assert.ok(Math.abs((t.rows[2]['important_0.05'] as number) - 0.25) < 1e-12, 'mean of 0.2 and 0.3');
  assert.ok(Math.abs((t.rows[3].original as number) - 0.95) < 1e-12);
  assert.match(t.caption, /mean over 2 repeats/);
});

test('the wizard keeps the analyses block through config -> form -> config', () => {
  const config = {
    ...base,
    evaluation: {
      analyses: [
        { id: 'stability', spread: 'std', threshold: 0.3 },
        { id: 'reset', ratios: [0.05, 0.2], maxRemaining: 500 },
      ],
    },
  };
  const form = configToForm(config);
  assert.equal(form.evaluation.analyses.distances.on, false);
  assert.equal(form.evaluation.analyses.reset.ratios, '0.05, 0.2');
  const back = formToConfig(form) as { evaluation: { analyses: unknown } };
  assert.deepEqual(back.evaluation.analyses, [
    { id: 'stability', spread: 'std', threshold: 0.3 },
    { id: 'reset', ratios: [0.05, 0.2], maxRemaining: 500 },
  ]);
  form.evaluation.analyses.distances.on = true;
  assert.equal(
    (formToConfig(form) as { evaluation: { analyses: { id: string }[] } }).evaluation.analyses[0].id,
    'distances',
  );
});

test('the estimate counts the analyses: stability is free, distances and reset cost time', () => {
  const plain = estimateRun(parseConfig(base), 2);
  assert.equal(plain.analysesSeconds, 0);
  const stab = estimateRun(parseConfig({ ...base, evaluation: { analyses: [{ id: 'stability' }] } }), 2);
  assert.equal(stab.seconds, plain.seconds);
  const all = estimateRun(
    parseConfig({
      ...base,
      evaluation: { analyses: [{ id: 'distances' }, { id: 'reset', ratios: [0.05, 0.1, 0.2] }] },
    }),
    2,
  );
  assert.ok(all.analysesSeconds! > 0 && all.seconds > plain.seconds);
  // A backdoor costs evaluation every round (the attack is measured on each round's model); its analysis adds nothing.
  const withBackdoor = { ...base, dataset: { ...base.dataset, backdoor: { share: 0.5 } } };
  const bd = estimateRun(parseConfig(withBackdoor), 2);
  assert.ok(bd.seconds > plain.seconds);
  assert.equal(
    estimateRun(parseConfig({ ...withBackdoor, evaluation: { analyses: [{ id: 'backdoor' }] } }), 2).seconds,
    bd.seconds,
  );
  for (const name of ['analysis-distances', 'analysis-stability', 'analysis-reset', 'analysis-backdoor'] as const) {
    const c = parseConfig(PRESETS[name]);
    assert.equal(c.evaluation.analyses.length, 1);
    assert.ok(estimateRun(c, 2).seconds < 600, `${name} runs in minutes here`);
  }
});

test("a run's settings summary names its analyses, and says nothing of them when there are none", async () => {
  const { configSummary } = await import('../../../src/shared/config-summary');
  const none = configSummary(base)!;
  assert.equal(
    none.find((i) => i.label === 'Analyses'),
    undefined,
  );
  const some = configSummary({ ...base, evaluation: { analyses: [{ id: 'distances' }, { id: 'reset' }] } })!;
  assert.equal(some.find((i) => i.label === 'Analyses')?.value, 'Parameter distances; Reset without fine-tuning');
});

test('the wizard keeps the embeddings entry, with or without a class', () => {
  for (const entry of [
    { id: 'embeddings', class: 3, maxPerClient: 50, k: 7 },
    { id: 'embeddings', maxPerClient: 200, k: 5 },
  ]) {
    const form = configToForm({ ...base, evaluation: { analyses: [entry] } });
    assert.equal(form.evaluation.analyses.embeddings.on, true);
    assert.deepEqual((formToConfig(form) as { evaluation: { analyses: unknown } }).evaluation.analyses, [entry]);
  }
  assert.ok(PRESETS['analysis-embeddings'].evaluation.analyses.some((a) => a.id === 'embeddings'));
});

test('backdoor: its defaults, and the analysis refused without a backdoor on the data', () => {
  const c = parseConfig({
    ...base,
    dataset: { ...base.dataset, backdoor: { share: 0.5 } },
    evaluation: { analyses: [{ id: 'backdoor' }] },
  });
  assert.deepEqual(c.dataset.backdoor, { share: 0.5, target: 0, pattern: { size: 3, position: 'bottom-right' } });
  const missing = validateConfig({ ...base, evaluation: { analyses: [{ id: 'backdoor' }] } });
  assert.deepEqual(!missing.ok && missing.issues, [
    {
      path: 'evaluation.analyses.0.id',
      message: 'the backdoor analysis needs a backdoor on the data (set dataset.backdoor)',
    },
  ]);
  const client = validateConfig({ ...base, dataset: { ...base.dataset, backdoor: { share: 0.5, clients: [3] } } });
  assert.match(JSON.stringify(!client.ok && client.issues), /dataset\.backdoor\.clients\.0.*client 3 does not exist/);
});

test('the wizard keeps the backdoor and its analysis through config -> form -> config', () => {
  const config = {
    ...base,
    dataset: { ...base.dataset, backdoor: { share: 0.3, target: 7, pattern: { size: 4, position: 'top-left' } } },
    evaluation: { analyses: [{ id: 'backdoor' }] },
  };
  const form = configToForm(config);
  assert.equal(form.dataset.backdoor, true);
  assert.equal(form.dataset.backdoorClients, '', 'no clients named: the request decides');
  const back = formToConfig(form) as { dataset: { backdoor: unknown }; evaluation: { analyses: unknown } };
  assert.deepEqual(back.dataset.backdoor, config.dataset.backdoor);
  assert.deepEqual(back.evaluation.analyses, [{ id: 'backdoor' }]);
  form.dataset.backdoorClients = '1';
  assert.deepEqual(
    (formToConfig(form) as { dataset: { backdoor: { clients: number[] } } }).dataset.backdoor.clients,
    [1],
  );
  form.dataset.backdoor = false;
  assert.equal((formToConfig(form) as { dataset: { backdoor?: unknown } }).dataset.backdoor, undefined);
});
