/**
 * What the runs of a study can share (issue 11): two runs whose original training would be the same
 * reuse one original model, and two whose retrained models would be the same reuse those. A key is
 * the canonical JSON of everything the training depends on, so equal keys mean bit-identical
 * training (the engine is deterministic given config and seed, whatever the worker count).
 *
 * The keys are conservative: they keep every config field except those known not to touch that
 * training (a new config field is in the key until someone proves otherwise). A field left out
 * wrongly would silently give a run another run's model; one kept wrongly only costs a training.
 * Written once here for the engine (which caches by these keys), the estimate and the UI.
 */
import { backdoorClients, type ExperimentConfig } from './config';
import { historyRounds } from './history';
import { LAST_LOCAL_METHOD_IDS } from './method-schemas';

/** JSON with object keys sorted at every level, so equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The config minus what never changes a training: its name, repeat count, worker count, methods and evaluation. */
function trainingBasis(config: ExperimentConfig) {
  // Destructured to drop: the rest (seed, dataset, partition, model, training, and any future field) stays.
  const { name: _name, repeats: _repeats, unlearning: _unlearning, evaluation: _evaluation, compute, ...rest } = config;
  // Worker count never changes the numbers (bit-identical by design); the backend may.
  // A backdoor without named clients follows the request, which the rest of the basis leaves out.
  const dataset = rest.dataset.backdoor
    ? { ...rest.dataset, backdoor: { ...rest.dataset.backdoor, clients: backdoorClients(config) } }
    : rest.dataset;
  return { ...rest, dataset, backend: compute.backend };
}

/**
 * The original training of one repeat depends on the training basis and on what it produces on the
 * side for later steps: CSL losses, the recorded history, FedAU's auxiliary head (trained alongside,
 * from the request), the leaving clients' last local models (Halimi et al.).
 */
export function originalTrainingKey(config: ExperimentConfig, repeat: number): string {
  const methods = config.unlearning?.methods ?? [];
  const request = config.unlearning?.request ?? null;
  const fedau = methods.find((m) => m.id === 'fedau');
  const keepsLastLocal =
    methods.some((m) => (LAST_LOCAL_METHOD_IDS as readonly string[]).includes(m.id)) && request?.kind === 'clients';
  return canonicalJson({
    stage: 'original',
    repeat,
    ...trainingBasis(config),
    byproducts: {
      csl: config.evaluation.csl,
      history: historyRounds(config),
      auxHead: fedau ? { method: { ...fedau, label: undefined, rounds: undefined }, request } : null,
      lastLocal: keepsLastLocal ? request : null,
    },
  });
}

/**
 * A retrained model (scoring j or held-out reference j, of one repeat) depends on the basis and on what is forgotten.
 */
export function retrainedModelKey(
  config: ExperimentConfig,
  role: 'retrain' | 'reference',
  index: number,
  repeat: number,
): string {
  return canonicalJson({
    stage: role,
    index,
    repeat,
    ...trainingBasis(config),
    request: config.unlearning?.request ?? null,
  });
}

/** Every training a run needs, by key: one original per repeat, J + K retrained models per repeat. */
export function trainingsOf(config: ExperimentConfig): { original: string[]; retrained: string[] } {
  const original: string[] = [];
  const retrained: string[] = [];
  const repeats = config.unlearning ? config.repeats : 1;
  for (let k = 0; k < repeats; k++) {
    original.push(originalTrainingKey(config, k));
    if (!config.unlearning) continue;
    for (let j = 0; j < config.evaluation.retrainModels; j++)
      retrained.push(retrainedModelKey(config, 'retrain', j, k));
    for (let j = 0; j < config.evaluation.referenceModels; j++)
      retrained.push(retrainedModelKey(config, 'reference', j, k));
  }
  return { original, retrained };
}

/** How many distinct trainings a set of runs needs with sharing, and how many without. */
export interface TrainingCount {
  /** Distinct keys: what the runs train with sharing. */
  keys: Set<string>;
  shared: number;
  unshared: number;
}

export function sharedTrainings(configs: readonly ExperimentConfig[]): {
  original: TrainingCount;
  retrained: TrainingCount;
} {
  const all = configs.map(trainingsOf);
  const count = (pick: (t: { original: string[]; retrained: string[] }) => string[]): TrainingCount => {
    const keys = new Set(all.flatMap(pick));
    return { keys, shared: keys.size, unshared: all.reduce((a, t) => a + pick(t).length, 0) };
  };
  return { original: count((t) => t.original), retrained: count((t) => t.retrained) };
}
