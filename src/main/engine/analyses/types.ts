/**
 * The interface every analysis implements (one file per analysis, like the unlearning methods): it
 * gets one repeat's models (already trained and assessed by the pipeline) and returns its artifact.
 * Analyses only evaluate: they draw from their own named random streams and never train, so adding
 * one changes no other number of the run.
 */
import type { AnalysisArtifactShapes, AnalysisModel } from '../../../shared/analysis-results';
import type { AnalysisConfigOf, AnalysisId } from '../../../shared/analysis-schemas';
import type { RoundRecord } from '../fl/fedavg';
import type { RepeatResult } from '../metrics/report';
import type { ExperimentContext } from '../prepare';
import type { Weights } from '../types';
import type { ResolvedRequest } from '../unlearning/request';

export interface AnalysisInput {
  exp: ExperimentContext;
  request: ResolvedRequest;
  repeat: number;
  /** This repeat's seed, as the pipeline keys its streams. */
  seed: string;
  /** The original model, the J scoring retrained models, then each method's unlearned model. */
  models: (AnalysisModel & { weights: Weights })[];
  /** The original training's round records (the pipeline's; replayed ones when reused). */
  originalRounds: readonly RoundRecord[];
  /** The repeat's assessments, memorization scores and GME groups. */
  result: RepeatResult;
  log: (level: 'info' | 'warn', message: string) => void;
}

export interface Analysis<I extends AnalysisId> {
  id: I;
  run(input: AnalysisInput, config: AnalysisConfigOf<I>): Promise<AnalysisArtifactShapes[`analysis-${I}`]>;
}

/** A seeded sample of at most `max` of `indices`, in ascending order (the same in every repeat). */
export function sampleIndices(exp: ExperimentContext, stream: string, indices: Int32Array, max: number): Int32Array {
  if (indices.length <= max) return indices;
  return exp.rng.fork(stream).shuffle(indices.slice()).subarray(0, max).sort();
}
