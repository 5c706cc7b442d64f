/** Which trainings runs of a study may share: equal keys exactly when the training would be identical. */
/* eslint-disable @typescript-eslint/no-explicit-any -- each edit writes into the preset's plain JSON, before parsing */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig, type ExperimentConfig } from '../../../src/shared/config';
import { getPreset } from '../../../src/shared/presets';
import {
  canonicalJson,
  originalTrainingKey,
  retrainedModelKey,
  sharedTrainings,
  trainingsOf,
} from '../../../src/shared/study-sharing';

const quick = () => getPreset('quick') as Record<string, any>;
const cfg = (edit: (c: Record<string, any>) => void = () => undefined): ExperimentConfig => {
  const c = quick();
  edit(c);
  return parseConfig(c);
};

test('canonicalJson: keys sorted at every level, lists in order, undefined fields dropped', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: undefined } }),
    '{"a":{"d":[3,{"x":2,"y":1}]},"b":1}',
  );
  assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
  assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
});

test('the original training is shared across what does not touch it: method params, evaluation, repeats, name, workers, the request', () => {
  const key = originalTrainingKey(cfg(), 0);
  const same = [
    (c: any) => (c.unlearning.methods[2].rho = 0.8),
    (c: any) => (c.evaluation.memorization = 'correct'),
    (c: any) => (c.evaluation.retrainModels = 5),
    (c: any) => (c.repeats = 5),
    (c: any) => (c.name = 'other'),
    (c: any) => (c.compute = { backend: 'auto', workers: 1 }),
    (c: any) => (c.unlearning.request = { kind: 'clients', clients: [1] }),
  ];
  for (const edit of same) assert.equal(originalTrainingKey(cfg(edit), 0), key, String(edit));
});

test('anything that changes the original training, or what it records on the side, changes its key', () => {
  const key = originalTrainingKey(cfg(), 0);
  const different = [
    (c: any) => (c.seed = 43),
    (c: any) => (c.training.lr = 1e-3),
    (c: any) => (c.partition = { clients: 3, scheme: 'dirichlet', alpha: 0.5 }),
    (c: any) => (c.dataset.trainSize = 1000),
    (c: any) => (c.model = { id: 'mlp' }),
    (c: any) => (c.compute = { backend: 'wasm', workers: 0 }),
    (c: any) => (c.evaluation.csl = false), // CSL losses are collected during the original training
    (c: any) => c.unlearning.methods.push({ id: 'fedrecovery' }), // it records the per-round history
    (c: any) => c.unlearning.methods.push({ id: 'halimi' }), // it keeps the leaving clients' last local models
    (c: any) => c.unlearning.methods.push({ id: 'fedau' }), // its auxiliary head trains alongside
  ];
  for (const edit of different) assert.notEqual(originalTrainingKey(cfg(edit), 0), key, String(edit));
  assert.notEqual(originalTrainingKey(cfg(), 1), key, 'another repeat is another training');
  // With FedAU listed, the auxiliary head depends on the request, so the request enters the key.
  const withAu = (clients: number[]) =>
    cfg((c) => (c.unlearning.methods.push({ id: 'fedau' }), (c.unlearning.request.clients = clients)));
  assert.notEqual(originalTrainingKey(withAu([0]), 0), originalTrainingKey(withAu([1]), 0));
});

test('a retrained model depends on what is forgotten and which model it is, not on the methods', () => {
  const key = retrainedModelKey(cfg(), 'retrain', 0, 0);
  assert.equal(
    retrainedModelKey(
      cfg((c) => (c.unlearning.methods[2].rho = 0.9)),
      'retrain',
      0,
      0,
    ),
    key,
  );
  assert.equal(
    retrainedModelKey(
      cfg((c) => (c.evaluation.memorization = 'correct')),
      'retrain',
      0,
      0,
    ),
    key,
  );
  assert.notEqual(
    retrainedModelKey(
      cfg((c) => (c.unlearning.request.clients = [1])),
      'retrain',
      0,
      0,
    ),
    key,
  );
  assert.notEqual(retrainedModelKey(cfg(), 'retrain', 1, 0), key);
  assert.notEqual(retrainedModelKey(cfg(), 'reference', 0, 0), key);
  assert.notEqual(retrainedModelKey(cfg(), 'retrain', 0, 1), key);
  assert.notEqual(
    retrainedModelKey(
      cfg((c) => (c.seed = 7)),
      'retrain',
      0,
      0,
    ),
    key,
  );
});

test('a rho sweep trains one original and J retrained models per repeat; without sharing, every run trains its own', () => {
  // quick: J = 3, K = 0, 2 repeats; three values of rho.
  const runs = [0, 0.4, 0.8].map((rho) => cfg((c) => (c.unlearning.methods[2].rho = rho)));
  assert.deepEqual(trainingsOf(runs[0]).original.length, 2);
  assert.deepEqual(trainingsOf(runs[0]).retrained.length, 6);
  const n = sharedTrainings(runs);
  assert.deepEqual([n.original.shared, n.original.unshared, n.retrained.shared, n.retrained.unshared], [2, 6, 6, 18]);
  // Two seeds: nothing is shared across seeds.
  const seeds = [42, 43].flatMap((seed) => runs.map((r) => ({ ...r, seed })));
  const m = sharedTrainings(seeds);
  assert.deepEqual([m.original.shared, m.retrained.shared], [4, 12]);
});

test('a backdoor without named clients follows the request, so the request then changes the original training', () => {
  const withBackdoor = (clients: number[], named?: number[]) =>
    cfg((c) => {
      c.dataset.backdoor = { share: 0.5, ...(named && { clients: named }) };
      c.unlearning.request = { kind: 'clients', clients };
    });
  assert.notEqual(originalTrainingKey(withBackdoor([0]), 0), originalTrainingKey(withBackdoor([1]), 0));
  assert.equal(
    originalTrainingKey(withBackdoor([1]), 0),
    originalTrainingKey(withBackdoor([0], [1]), 0),
    'the same clients, named or implied',
  );
  assert.equal(
    originalTrainingKey(withBackdoor([0], [2]), 0),
    originalTrainingKey(withBackdoor([1], [2]), 0),
    'named clients: the request does not matter',
  );
});
