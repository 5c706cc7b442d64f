/**
 * The check of a config against its dataset's real sizes (shared/data-limits.ts): for every field, the
 * last value the data allows passes and the next one is refused, naming the field and the limit.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig, type ExperimentConfig } from '../../../src/shared/config';
import {
  checkConfigAgainstData,
  MNIST_FACTS,
  syntheticFacts,
  type DatasetFacts,
} from '../../../src/shared/data-limits';
import { getPreset } from '../../../src/shared/presets';

type Input = Record<string, unknown>;
const tiny = getPreset('tiny') as Input;

/** The tiny preset (MNIST, 800 training examples, 4 clients, unlearning client 0) with sections replaced. */
const config = (patch: Input = {}): ExperimentConfig => parseConfig({ ...structuredClone(tiny), ...patch });
const request = (r: object) => ({ unlearning: { ...(tiny.unlearning as object), request: r } });

/** A small file dataset: 3 classes, 12 training examples (class 2 has only 2), 6 test, 8x8 images. */
const SMALL: DatasetFacts = {
  name: 'the IDX folder "/data/small"',
  numClasses: 3,
  trainCount: 12,
  testCount: 6,
  trainClassCounts: [5, 5, 2],
  imageSize: [8, 8],
};
const onSmall = (patch: Input = {}) =>
  config({ dataset: { id: 'idx', path: '/data/small' }, partition: { clients: 2 }, ...patch });
const smallDataset = (extra: object) => ({ dataset: { id: 'idx', path: '/data/small', ...extra } });

function issues(c: ExperimentConfig, facts: DatasetFacts = MNIST_FACTS): string[] {
  return checkConfigAgainstData(c, facts).map((i) => `${i.path}: ${i.message}`);
}

test('the tiny preset fits MNIST: no issue', () => {
  assert.deepEqual(issues(config()), []);
});

describe('unlearning.request', () => {
  test('class: 9 is the last MNIST class, 10 and 99 are refused in one sentence naming the classes', () => {
    assert.deepEqual(issues(config(request({ kind: 'class', class: 9 }))), []);
    for (const cls of [10, 99]) {
      assert.deepEqual(issues(config(request({ kind: 'class', class: cls }))), [
        `unlearning.request.class: MNIST has classes 0-9; ${cls} is not one of them`,
      ]);
    }
  });

  test('class: a class the training subsample keeps no example of is refused', () => {
    // 12 examples in proportions 5:5:2, subsampled to 2: quotas 1, 1, 0.
    const small = (cls: number) =>
      onSmall({
        ...smallDataset({ trainSize: 2 }),
        partition: { clients: 1 },
        ...request({ kind: 'class', class: cls }),
      });
    assert.deepEqual(issues(small(1), SMALL), []);
    assert.deepEqual(issues(small(2), SMALL), [
      'unlearning.request.class: class 2 has no example in the training set (dataset.trainSize keeps 2 training examples)',
    ]);
  });

  test('examples: ids count in the training set after dataset.trainSize (800): 799 passes, 800 is refused', () => {
    assert.deepEqual(issues(config(request({ kind: 'examples', examples: [0, 799] }))), []);
    assert.deepEqual(issues(config(request({ kind: 'examples', examples: [0, 800, 5] }))), [
      'unlearning.request.examples.1: example 800 does not exist: dataset.trainSize keeps 800 training examples, ids 0-799',
    ]);
  });

  test('examples: naming every training example leaves nothing to train on', () => {
    const all = Array.from({ length: 12 }, (_, i) => i);
    assert.deepEqual(issues(onSmall(request({ kind: 'examples', examples: all.slice(1) })), SMALL), []);
    assert.deepEqual(issues(onSmall(request({ kind: 'examples', examples: all })), SMALL), [
      'unlearning.request.examples: names every training example (the training set has 12 examples); ' +
        'at least one must remain to train on',
    ]);
  });

  test('randomExamples: at most one less than the training set (799 of 800); 800 and 1e9 are refused', () => {
    assert.deepEqual(issues(config(request({ kind: 'examples', randomExamples: 799 }))), []);
    const refused =
      'unlearning.request.randomExamples: must be at most 799: dataset.trainSize keeps 800 training examples ' +
      'and at least one must remain to train on';
    assert.deepEqual(issues(config(request({ kind: 'examples', randomExamples: 800 }))), [refused]);
    assert.deepEqual(issues(config(request({ kind: 'examples', randomExamples: 1e9 }))), [refused]);
  });

  test('randomExamples against the whole split when dataset.trainSize is unset', () => {
    const whole = config({ dataset: { id: 'mnist' }, ...request({ kind: 'examples', randomExamples: 60_000 }) });
    assert.deepEqual(issues(whole), [
      'unlearning.request.randomExamples: must be at most 59999: the training set has 60000 examples ' +
        'and at least one must remain to train on',
    ]);
  });
});

describe('dataset', () => {
  test('trainSize and testSize: the split sizes pass, one more is refused naming the split', () => {
    const sized = (trainSize: number, testSize: number) => config({ dataset: { id: 'mnist', trainSize, testSize } });
    assert.deepEqual(issues(sized(60_000, 10_000)), []);
    assert.deepEqual(issues(sized(60_001, 10_001)), [
      'dataset.trainSize: asks for 60001 examples but the training split of MNIST has 60000',
      'dataset.testSize: asks for 10001 examples but the test split of MNIST has 10000',
    ]);
  });

  test('synthetic sizes are generated, never refused; its classes still are', () => {
    const synth = (cls: number) =>
      config({ dataset: { id: 'synthetic', trainSize: 100_000 }, ...request({ kind: 'class', class: cls }) });
    assert.deepEqual(issues(synth(9), syntheticFacts(100_000)), []);
    assert.deepEqual(issues(synth(10), syntheticFacts(100_000)), [
      'unlearning.request.class: the synthetic dataset has classes 0-9; 10 is not one of them',
    ]);
  });

  test('backdoor target: the last class passes, the next is refused', () => {
    const target = (t: number) =>
      config({ dataset: { id: 'mnist', trainSize: 800, backdoor: { share: 0.5, target: t } } });
    assert.deepEqual(issues(target(9)), []);
    assert.deepEqual(issues(target(10)), ['dataset.backdoor.target: MNIST has classes 0-9; 10 is not one of them']);
  });

  test('backdoor trigger: as large as the image passes, one pixel more is refused naming the image size', () => {
    const size = (s: number) => onSmall(smallDataset({ backdoor: { share: 0.5, pattern: { size: s } } }));
    assert.deepEqual(issues(size(8), SMALL), []);
    assert.deepEqual(issues(size(9), SMALL), [
      'dataset.backdoor.pattern.size: must be at most 8: the images of the IDX folder "/data/small" are 8x8 pixels',
    ]);
  });

  test('label noise needs a second class to flip to', () => {
    const oneClass: DatasetFacts = { ...SMALL, numClasses: 1, trainClassCounts: [12] };
    const noisy = onSmall({ unlearning: undefined, ...smallDataset({ labelNoise: { clients: [0], rate: 0.5 } }) });
    assert.deepEqual(issues(noisy, SMALL), []);
    assert.deepEqual(issues(noisy, oneClass), [
      'dataset.labelNoise: flips labels to another class, but the IDX folder "/data/small" has only 1',
    ]);
  });
});

describe('partition', () => {
  test('clients: one per training example at most (12 pass, 13 are refused)', () => {
    const clients = (k: number) => onSmall({ partition: { clients: k } });
    assert.deepEqual(issues(clients(12), SMALL), []);
    assert.deepEqual(issues(clients(13), SMALL), [
      'partition.clients: 13 clients need at least one training example each, but the training set has 12 examples',
    ]);
  });

  test('dirichlet minSize: minSize x clients examples at most', () => {
    const min = (m: number) => onSmall({ partition: { clients: 4, scheme: 'dirichlet', minSize: m } });
    assert.deepEqual(issues(min(3), SMALL), []);
    assert.deepEqual(issues(min(4), SMALL), [
      'partition.minSize: 4 examples for each of 4 clients needs 16, but the training set has 12 examples',
    ]);
  });

  test('one-class: a client per class present; no class split between more clients than its examples', () => {
    const oneClass = (k: number) => onSmall({ partition: { clients: k, scheme: 'one-class' } });
    assert.deepEqual(issues(oneClass(2), SMALL), [
      'partition.clients: the one-class partition needs a client for each of the 3 classes in the training set ' +
        'of the IDX folder "/data/small"; got 2',
    ]);
    assert.deepEqual(issues(oneClass(3), SMALL), []);
    // 6 clients: two per class; class 2's 2 examples still suffice. 9: three per class, class 2 has 2.
    assert.deepEqual(issues(oneClass(6), SMALL), []);
    assert.deepEqual(issues(oneClass(9), SMALL), [
      'partition.clients: with 9 clients the one-class partition splits class 2 between more clients ' +
        'than its 2 training examples',
    ]);
  });

  test('one-class is not second-guessed when the classes per client are unknown (CIFAR)', () => {
    const cifar: DatasetFacts = { ...SMALL, trainClassCounts: null };
    assert.deepEqual(issues(onSmall({ partition: { clients: 2, scheme: 'one-class' } }), cifar), []);
  });
});

test('the embeddings analysis class: the last class passes, the next is refused at its entry', () => {
  const embed = (cls: number) =>
    config({
      evaluation: { ...(tiny.evaluation as object), analyses: [{ id: 'distances' }, { id: 'embeddings', class: cls }] },
    });
  assert.deepEqual(issues(embed(9)), []);
  assert.deepEqual(issues(embed(10)), ['evaluation.analyses.1.class: MNIST has classes 0-9; 10 is not one of them']);
});
