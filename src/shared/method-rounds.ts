/**
 * How many rounds each unlearning method entry records (its points on the time curve and its share
 * of the run's progress), written once for the engine, the live view's progress and the estimate.
 * Methods that do not train record one round (their operation); the rest count what they train.
 */
import { unlearnRounds } from './catalog';
import type { ExperimentConfig } from './config';
import { intervalRounds } from './history';
import type { MethodConfig } from './method-schemas';

export function plannedRounds(m: MethodConfig, trainingRounds: number): number {
  switch (m.id) {
    case 'retrain':
      return trainingRounds;
    case 'fedrecovery':
    case 'fedau':
      return 1;
    case 'federaser':
      return intervalRounds(trainingRounds, m.interval).length;
    case 'fedosd':
      return m.unlearningRounds + unlearnRounds(m, trainingRounds);
    default:
      return unlearnRounds(m, trainingRounds);
  }
}

/** Rounds the whole run records: per repeat the original model, J + K retrained models and every method. */
export function runPlannedRounds(
  config: Pick<ExperimentConfig, 'training' | 'unlearning' | 'evaluation' | 'repeats'>,
): number {
  const R = config.training.rounds;
  if (!config.unlearning) return R;
  const methods = config.unlearning.methods
    .filter((m) => m.id !== 'retrain')
    .reduce((sum, m) => sum + plannedRounds(m, R), 0);
  return config.repeats * (R + (config.evaluation.retrainModels + config.evaluation.referenceModels) * R + methods);
}

/**
 * 'evaluating' phases the run goes through (the live view times them): per repeat GME scoring, then the
 * report (engine/unlearning/pipeline.ts, engine/experiment.ts). A training-only run has none.
 */
export function runEvaluationPhases(config: Pick<ExperimentConfig, 'unlearning' | 'repeats'>): number {
  return config.unlearning ? config.repeats + 1 : 0;
}
