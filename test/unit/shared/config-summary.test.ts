import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configSummary, methodSummary } from '../../../src/shared/config-summary';
import { getPreset } from '../../../src/shared/presets';
import { parseConfig } from '../../../src/shared/config';

const asMap = (items: { label: string; value: string }[] | null) =>
  Object.fromEntries((items ?? []).map((i) => [i.label, i.value]));

/** A non-IID label-noise run as the issue describes it: Dirichlet α = 1, ρ = 0.4, noisy clients 0 and 1. */
function noisyDirichlet() {
  const c = getPreset('quick');
  return {
    ...c,
    name: 'noisy dirichlet',
    seed: 7,
    dataset: { id: 'mnist', trainSize: 2000, testSize: 500, labelNoise: { clients: [0, 1], rate: 0.3 } },
    partition: { clients: 5, scheme: 'dirichlet', alpha: 1 },
    training: { ...c.training, rounds: 20, localEpochs: 2, optimizer: 'sgd', lr: 0.05, aggregation: 'weighted' },
    unlearning: {
      request: { kind: 'clients', clients: [1] },
      methods: [
        { id: 'retrain' },
        { id: 'fedmemeraser', rho: 0.4, selection: 'important', rounds: 6 },
        { id: 'halimi', lr: 0.02 },
      ],
    },
    evaluation: { retrainModels: 2 },
    repeats: 1,
  };
}

test('the quick preset reads as its settings', () => {
  assert.deepEqual(asMap(configSummary(getPreset('quick'))), {
    Dataset: 'MNIST, 1,200 train / 1,000 test',
    Model: 'Small CNN',
    Clients: '3 clients, IID',
    Training: '10 rounds × 10 local epochs',
    Batch: '32',
    Optimizer: 'Adam, lr 0.002',
    Aggregation: 'mean of client updates',
    Request: 'forget client 0',
    'Label noise': 'client 0, 10% of labels flipped',
    Methods:
      "Retrained; Fine-tune 3 rounds; FedMemEraser ρ 0.3, selection redundant, 3 rounds; FedMemEraser (authors' locate) ρ 0.3, selection redundant, locate first-round-update, 3 rounds",
    'Retrained models': 'J = 3',
    Repeats: '2 (seeds 42–43)',
    Seed: '42',
  });
});

test('a label-noise Dirichlet α = 1, ρ = 0.4 run does not read like the IID quick run', () => {
  const s = asMap(configSummary(noisyDirichlet()));
  const q = asMap(configSummary(getPreset('quick')));
  assert.equal(s.Dataset, 'MNIST, 2,000 train / 500 test');
  assert.equal(s.Clients, '5 clients, Dirichlet α 1');
  assert.equal(s.Training, '20 rounds × 2 local epochs');
  assert.equal(s.Optimizer, 'SGD, lr 0.05, momentum 0.9');
  assert.equal(s.Aggregation, 'weighted by client size');
  assert.equal(s.Request, 'forget client 1');
  assert.equal(s['Label noise'], 'clients 0, 1, 30% of labels flipped');
  assert.equal(s.Methods, 'Retrained; FedMemEraser ρ 0.4, selection important, 6 rounds; Halimi et al. lr 0.02');
  assert.equal(s['Retrained models'], 'J = 2');
  assert.equal(s.Repeats, '1');
  assert.equal(s.Seed, '7');
  const differing = Object.keys(s).filter((k) => s[k] !== q[k]);
  assert.deepEqual(differing, [
    'Dataset',
    'Clients',
    'Training',
    'Optimizer',
    'Aggregation',
    'Request',
    'Label noise',
    'Methods',
    'Retrained models',
    'Repeats',
    'Seed',
  ]);
});

test('raw and parsed configs give the same summary; other requests and defaults read plainly', () => {
  const raw = noisyDirichlet();
  assert.deepEqual(configSummary(parseConfig(raw)), configSummary(raw));
  const tiny = getPreset('tiny');
  const cls = asMap(
    configSummary({ ...tiny, unlearning: { request: { kind: 'class', class: 3 }, methods: [{ id: 'finetune' }] } }),
  );
  assert.equal(cls.Request, 'forget class 3');
  assert.equal(cls.Methods, 'Fine-tune');
  assert.equal(cls['Label noise'], 'none');
  const ex = asMap(
    configSummary({
      ...tiny,
      unlearning: { request: { kind: 'examples', randomExamples: 50 }, methods: [{ id: 'not' }] },
    }),
  );
  assert.equal(ex.Request, 'forget 50 random examples');
  const plain = asMap(
    configSummary({
      seed: 1,
      dataset: { id: 'mnist' },
      partition: { clients: 4, scheme: 'one-class' },
      training: { rounds: 2 },
    }),
  );
  assert.equal(plain.Dataset, 'MNIST, all train / all test');
  assert.equal(plain.Clients, '4 clients, one class per client');
  assert.equal(plain.Request, 'none (original training only)');
  assert.equal(plain.Methods, 'none');
  assert.equal(configSummary({ seed: 'x' }), null);
});

test('a method lists only what it changes, with its label', () => {
  const m = parseConfig({
    ...(getPreset('tiny') as object),
    unlearning: {
      request: { kind: 'clients', clients: [0] },
      methods: [{ id: 'fedrecovery', sigma: 0.05, label: 'FR' }, { id: 'fedau' }],
    },
  }).unlearning!.methods;
  assert.equal(methodSummary(m[0]), 'FR σ 0.05');
  assert.equal(methodSummary(m[1]), 'FedAU');
});
