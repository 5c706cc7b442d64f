import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig, validateConfig } from '../../../src/shared/config';
import { getPreset, presetNames, presetNeedsPath } from '../../../src/shared/presets';

const base = { seed: 1, dataset: { id: 'mnist' }, partition: { clients: 4 }, training: { rounds: 2 } };

test('defaults follow the paper: Adam, lr 1e-4, unweighted FedAvg, cnn, auto backend', () => {
  const c = parseConfig(base);
  assert.equal(c.training.optimizer, 'adam');
  assert.equal(c.training.lr, 1e-4);
  assert.equal(c.training.aggregation, 'mean');
  assert.equal(c.model.id, 'cnn');
  assert.equal(c.compute.backend, 'auto');
  assert.equal(c.partition.scheme, 'iid');
  assert.equal(c.partition.alpha, 0.5);
});

test('every error names its field and the rule it broke', () => {
  const r = validateConfig({ ...base, training: { rounds: 0, lr: -1, bogus: 1 }, model: { id: 'gpt' } });
  assert.equal(r.ok, false);
  const issues = r.ok ? [] : r.issues;
  const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
  assert.equal(byPath['training.rounds'], 'must be at least 1');
  assert.equal(byPath['training.lr'], 'must be greater than 0');
  assert.match(byPath['training'], /unknown key "bogus"/);
  assert.equal(byPath['model.id'], 'must be one of: mlp, cnn, vgg9, resnet18, resnet34');
});

test('wrong types and missing sections are reported as such', () => {
  const r = validateConfig({ seed: 'x' });
  assert.equal(r.ok, false);
  const byPath = Object.fromEntries((r.ok ? [] : r.issues).map((i) => [i.path, i.message]));
  assert.equal(byPath.seed, 'must be a number (got "x")');
  assert.equal(byPath.dataset, 'is required');
  assert.equal(byPath.training, 'is required');
});

test('cross-field rules: dataset path for folder datasets, noise clients within the partition', () => {
  assert.throws(
    () => parseConfig({ ...base, dataset: { id: 'cifar10' } }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.issues, [{ path: 'dataset.path', message: 'is required for dataset "cifar10"' }]);
      return true;
    },
  );
  const r = validateConfig({ ...base, dataset: { id: 'mnist', labelNoise: { clients: [1, 4], rate: 0.3 } } });
  assert.equal(r.ok, false);
  assert.deepEqual(r.ok ? null : r.issues.map((i) => i.path), ['dataset.labelNoise.clients.1']);
});

test('every preset is a valid config (paper presets once given their dataset folder)', () => {
  for (const name of presetNames()) {
    const input = getPreset(name) as { dataset: { path?: string } };
    if (presetNeedsPath(name)) {
      assert.throws(() => parseConfig(input), /dataset\.path: is required/, name);
      input.dataset.path = '/data/somewhere';
    }
    assert.doesNotThrow(() => parseConfig(input), name);
  }
  const c10 = parseConfig({
    ...getPreset('paper-cifar10-noniid'),
    dataset: { id: 'cifar10', path: '/d', trainSize: 50000 },
  });
  assert.equal(c10.partition.scheme, 'dirichlet');
  assert.equal(c10.partition.alpha, 0.5);
  assert.equal(c10.training.lr, 1e-4);
  assert.equal(c10.training.localEpochs, 3);
  assert.deepEqual(
    c10.unlearning!.methods.find((m) => m.id === 'fedmemeraser'),
    { id: 'fedmemeraser', rho: 0.4, rounds: 30, selection: 'redundant', locate: 'gradient' },
  );
  assert.throws(
    () => getPreset('nope'),
    /unknown preset "nope"; choose one of tiny, quick, baselines, paper-cifar10-iid/,
  );
});

test('messages are plain words: whole numbers, lists, and what a union accepts', () => {
  const r = validateConfig({
    seed: 1.5,
    dataset: { id: 'mnist' },
    partition: { clients: 3 },
    training: { rounds: 2 },
    unlearning: { request: { kind: 'clients', clients: [0] }, methods: [{ id: 'fedmemeraser', rho: 'most' }] },
    evaluation: { groups: 'top' },
  });
  const byPath = Object.fromEntries((r.ok ? [] : r.issues).map((i) => [i.path, i.message]));
  assert.equal(byPath.seed, 'must be a whole number (got 1.5)');
  assert.equal(byPath['unlearning.methods.0.rho'], 'must be a number from 0 to 1, or "auto"');
  assert.equal(byPath['evaluation.groups'], 'must be a list (got "top")');
  for (const m of Object.values(byPath)) assert.doesNotMatch(m, /a int|a array|Invalid input/);
});

test('wrong types read in plain words, each next to its field', () => {
  const quick = getPreset('quick');
  const r = validateConfig({
    ...quick,
    seed: null,
    dataset: { ...quick.dataset, trainSize: '1200', augment: 'yes', labelNoise: { clients: [0.5], rate: 'high' } },
    partition: { clients: 3, scheme: 'random', alpha: 'one' },
    training: { localEpochs: 2.5, batchSize: [32], optimizer: 'rmsprop', lr: 0.01 },
    unlearning: { request: { kind: 'everything' }, methods: [{ id: 'magic' }, { id: 'finetune', rounds: 'three' }] },
    evaluation: { retrainModels: 0, memorization: 3 },
    repeats: true,
  });
  assert.equal(r.ok, false);
  assert.deepEqual(r.ok ? [] : r.issues, [
    { path: 'seed', message: 'must be a number (got empty)' },
    { path: 'dataset.trainSize', message: 'must be a number (got "1200")' },
    { path: 'dataset.augment', message: 'must be true or false (got "yes")' },
    { path: 'dataset.labelNoise.clients.0', message: 'must be a whole number (got 0.5)' },
    { path: 'dataset.labelNoise.rate', message: 'must be a number (got "high")' },
    { path: 'partition.scheme', message: 'must be one of: iid, dirichlet, one-class' },
    { path: 'partition.alpha', message: 'must be a number (got "one")' },
    { path: 'training.rounds', message: 'is required' },
    { path: 'training.localEpochs', message: 'must be a whole number (got 2.5)' },
    { path: 'training.batchSize', message: 'must be a number (got a list)' },
    { path: 'training.optimizer', message: 'must be one of: adam, sgd' },
    { path: 'unlearning.request.kind', message: 'must be one of: clients, class, examples' },
    {
      path: 'unlearning.methods.0.id',
      message:
        'must be one of: retrain, finetune, fedmemeraser, halimi, liu, not, fedrecovery, fedau, fedosd, federaser',
    },
    { path: 'unlearning.methods.1.rounds', message: 'must be a number (got "three")' },
    { path: 'evaluation.retrainModels', message: 'must be at least 1' },
    { path: 'evaluation.memorization', message: 'must be one of: correct, probability' },
    { path: 'repeats', message: 'must be a number (got true)' },
  ]);
  for (const i of r.ok ? [] : r.issues)
    assert.doesNotMatch(i.message, /Invalid|expected|received|a int\b|discriminator/);
});

test('sizes, rounds, epochs and batch size have upper bounds with plain messages', () => {
  const quick = getPreset('quick');
  const r = validateConfig({
    ...quick,
    dataset: { ...quick.dataset, trainSize: 20_000_000, testSize: 1e9 },
    training: { ...quick.training, rounds: 10_001, localEpochs: 1001, batchSize: 1e9 },
  });
  const byPath = Object.fromEntries((r.ok ? [] : r.issues).map((i) => [i.path, i.message]));
  assert.deepEqual(byPath, {
    'dataset.trainSize': 'must be at most 10,000,000',
    'dataset.testSize': 'must be at most 10,000,000',
    'training.rounds': 'must be at most 10,000',
    'training.localEpochs': 'must be at most 1,000',
    'training.batchSize': 'must be at most 65,536',
  });
  const atLimit = validateConfig({
    ...quick,
    training: { ...quick.training, rounds: 10_000, localEpochs: 1000, batchSize: 65_536 },
  });
  assert.equal(atLimit.ok, true);
  const huge = validateConfig({ ...quick, training: { ...quick.training, rounds: 1e20 } });
  assert.deepEqual(huge.ok ? [] : huge.issues.map((i) => i.message), ['is too large', 'must be at most 10,000']);
});

test("FedOSD's entry takes the public code's defaults and rejects keys it does not know", () => {
  const unlearning = (m: Record<string, unknown>) => ({
    ...base,
    unlearning: { request: { kind: 'clients', clients: [0] }, methods: [m] },
  });
  const c = parseConfig(unlearning({ id: 'fedosd' }));
  assert.deepEqual(c.unlearning!.methods[0], {
    id: 'fedosd',
    unlearningRounds: 100,
    signal: 'pseudo-gradient',
    postProjection: true,
  });
  const r = validateConfig(unlearning({ id: 'fedosd', signal: 'ascent', lr: 0, momentum: 0.9 }));
  const paths = (r.ok ? [] : r.issues).map((i) => i.path).sort();
  assert.deepEqual(paths, ['unlearning.methods.0', 'unlearning.methods.0.lr', 'unlearning.methods.0.signal']);
});
