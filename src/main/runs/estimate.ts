/**
 * A rough run-time estimate for the wizard, not a promise. The model:
 *
 *   seconds = repeats x (overhead + sum over stages of rounds x (train + eval))
 *   train   = examples trained per round / (samples/s of one worker x parallel workers x 0.95)
 *   eval    = test examples / (3 x samples/s)        (a forward pass costs about a third of a step)
 *
 * Stages: the original model (training.rounds); with an unlearning section also J + K retrained models
 * (evaluation.retrainModels + referenceModels, x training.rounds, on the remaining data) and each method's rounds
 * (their own rounds or the shared default, on the remaining data), then scoring: every resulting model
 * evaluated once on the training and test sets (memorization, GME, fairness), plus the loss surface's
 * points on its D_r subsample. Parallel workers = min(workers, clients per round), since a round
 * trains its clients in parallel and waits for the slowest.
 *
 * Samples/s per worker thread were measured with the wasm backend (one thread, batch 32, 28x28x1)
 * on a 2-core x86-64 machine without a GPU (`npm run bench`); larger images scale them by pixel count. Native
 * backends (tfjs-node, GPU) are usually faster, so for them the figure is an upper bound. The fixed
 * overhead (engine process, backend, dataset, worker start-up) was 4.5 s for the tiny preset there.
 */
import { machineCores } from '../machine-cores';
import { backdoorClients, type ExperimentConfig } from '../../shared/config';
import { plannedRounds } from '../../shared/method-rounds';
import type { RunEstimate } from '../../shared/contract';
import { historyBytes } from '../../shared/history';
import { datasetShape, paramShapes } from '../../shared/model-shapes';
import { DATASETS } from '../../shared/catalog';
import { fmwFileBytes } from '../files/fmw-codec';

export const SAMPLES_PER_SECOND: Record<ExperimentConfig['model']['id'], number> = {
  mlp: 4400,
  cnn: 1300,
  vgg9: 45,
  resnet18: 6,
  resnet34: 3,
};

const PARALLEL_EFFICIENCY = 0.95;
const EVAL_SPEEDUP = 3;
/** Engine process start, backend and dataset load, worker start-up. */
const OVERHEAD_SECONDS = 4.5;

/** Seconds of one run by part, so a study can count the trainings its runs share only once. */
export interface RunCostParts {
  /** The original training of one repeat. */
  originalSeconds: number;
  /** One retrained model (scoring or held-out) of one repeat. */
  retrainedSeconds: number;
  /** Everything else of one repeat: the methods, the scoring evaluations, the loss surface, the analyses. */
  restSeconds: number;
  /** The analyses' share of restSeconds (evaluation.analyses). */
  analysesSeconds: number;
  overheadSeconds: number;
  repeats: number;
  samplesPerSecond: number;
  workers: number;
  trainingSamples: number;
}

export function estimateParts(config: ExperimentConfig, cores = machineCores()): RunCostParts {
  // Split sizes when the config does not subsample (the catalog's; 'idx' assumes an MNIST-sized folder).
  const size = DATASETS[config.dataset.id].facts;
  const train = config.dataset.trainSize ?? size.train;
  const test = config.dataset.testSize ?? size.test;
  const rate = SAMPLES_PER_SECOND[config.model.id] * ((28 * 28) / (size.shape[0] * size.shape[1]));
  const t = config.training;
  const clientsPerRound = Math.max(1, Math.ceil(config.partition.clients * t.clientFraction));
  const workers = Math.max(1, Math.min(config.compute.workers > 0 ? config.compute.workers : cores, clientsPerRound));

  const samplesPerRound = train * t.localEpochs * t.clientFraction;
  // With a backdoor every round also measures the attack: the test set again (triggered) and the backdoored clients'
  // data.
  const bd = config.dataset.backdoor;
  const evalPerRound =
    test + (bd ? test + (train * new Set(backdoorClients(config)).size) / config.partition.clients : 0);
  const roundSeconds = (fraction: number) =>
    (samplesPerRound * fraction) / (rate * workers * (workers > 1 ? PARALLEL_EFFICIENCY : 1)) +
    evalPerRound / (rate * EVAL_SPEEDUP);

  let samples = t.rounds * samplesPerRound;
  const originalSeconds = t.rounds * roundSeconds(1);
  let retrainedSeconds = 0;
  let restSeconds = 0;
  let analysesSeconds = 0;
  const u = config.unlearning;
  if (u) {
    const remaining = remainingFraction(config);
    // J scoring models plus K held-out reference models, each a full retraining.
    const retrainModels = config.evaluation.retrainModels + config.evaluation.referenceModels;
    const methodRounds = u.methods
      .filter((m) => m.id !== 'retrain')
      .reduce((sum, m) => sum + plannedRounds(m, t.rounds), 0);
    samples += (retrainModels * t.rounds + methodRounds) * samplesPerRound * remaining;
    retrainedSeconds = t.rounds * roundSeconds(remaining);
    restSeconds = methodRounds * roundSeconds(remaining);
    const models = 1 + retrainModels + u.methods.filter((m) => m.id !== 'retrain').length;
    restSeconds += (models * (train + test)) / (rate * EVAL_SPEEDUP);
    const ls = config.evaluation.lossSurface;
    if (ls)
      restSeconds +=
        (ls.steps * (1 + 2 * ls.overshoot) * (Math.min(ls.maxRemaining, train) + test)) / (rate * EVAL_SPEEDUP);
    analysesSeconds = analysesCost(config, { train, test, remaining, models }) / rate;
    restSeconds += analysesSeconds;
  }
  return {
    originalSeconds,
    retrainedSeconds,
    restSeconds,
    overheadSeconds: OVERHEAD_SECONDS,
    analysesSeconds,
    repeats: config.repeats,
    samplesPerSecond: Math.round(rate),
    workers,
    trainingSamples: Math.round(config.repeats * samples),
  };
}

export const estimateBasis = (rate: number, model: string, workers: number) =>
  `rough: ${Math.round(rate)} samples/s per wasm worker thread for ${model} x ${workers} worker(s); ` +
  'native/GPU backends are usually faster, and a busy machine is slower';

export function estimateRun(config: ExperimentConfig, cores = machineCores()): RunEstimate {
  const p = estimateParts(config, cores);
  const retrainModels = config.unlearning ? config.evaluation.retrainModels + config.evaluation.referenceModels : 0;
  const perRepeat = p.overheadSeconds + p.originalSeconds + retrainModels * p.retrainedSeconds + p.restSeconds;
  return {
    seconds: Math.round(p.repeats * perRepeat),
    trainingSamples: p.trainingSamples,
    samplesPerSecond: p.samplesPerSecond,
    workers: p.workers,
    historyBytes: estimateHistoryBytes(config),
    analysesSeconds: Math.round(p.repeats * p.analysesSeconds),
    basis: estimateBasis(p.samplesPerSecond, config.model.id, p.workers),
  };
}

/**
 * The history's size on disk: one FMW1 file of the model per recorded global model and client update.
 * Exact for the built-in datasets; an 'idx' folder is assumed to hold 28x28 images of 10 classes.
 */
export function estimateHistoryBytes(config: ExperimentConfig): number {
  const { inputShape, numClasses } = datasetShape(config.dataset.id);
  return historyBytes(config, fmwFileBytes(paramShapes(config.model.id, inputShape, numClasses)));
}

/**
 * The analyses' work in one repeat, in training-step equivalents (divide by samples/s): a forward pass
 * costs 1/EVAL_SPEEDUP of a step, a gradient over data about one step. Distances: every model's outputs on
 * its sample; stability: nothing (it reuses Table 1's evaluation); reset: the two locate gradients (all of
 * D_r and D_u) and, for the original and each strategy x ratio, D_u + the D_r sample + the test set;
 * embeddings: two models' features on one class's sample.
 * backdoor: nothing (the rounds measure the attack, counted with the rounds).
 */
export function analysesCost(
  config: ExperimentConfig,
  s: { train: number; test: number; remaining: number; models: number },
): number {
  const unlearn = s.train * (1 - s.remaining);
  let steps = 0;
  for (const a of config.evaluation.analyses) {
    if (a.id === 'distances')
      steps += (s.models * Math.min(a.maxExamples, a.klOn === 'test' ? s.test : unlearn)) / EVAL_SPEEDUP;
    // Embeddings: two models' features on one class's examples (about a tenth of the data), capped per client.
    if (a.id === 'embeddings')
      steps += (2 * Math.min(a.maxPerClient * config.partition.clients, s.train / 10)) / EVAL_SPEEDUP;
    if (a.id === 'reset')
      steps +=
        s.train +
        ((1 + 2 * a.ratios.length) * (unlearn + Math.min(a.maxRemaining, s.train * s.remaining) + s.test)) /
          EVAL_SPEEDUP;
  }
  return steps;
}

/** The share of training data left after the request (what retraining and unlearning train on). */
function remainingFraction(config: ExperimentConfig): number {
  const r = config.unlearning?.request;
  if (r?.kind === 'clients' && r.clients) return Math.max(0, 1 - new Set(r.clients).size / config.partition.clients);
  if (r?.kind === 'class') return 0.9; // one class of about ten; the classes are unknown until the data is read
  return 1;
}
