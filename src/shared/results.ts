/**
 * What an unlearning run stores (as inline JSON artifacts) and what the CLI, exports and the UI read.
 * Every number that was averaged over repeats keeps its per-repeat values, so mean ± std can be
 * recomputed and nothing is lost to rounding.
 */

/** A statistic over repeats; null mean when every repeat had no value (e.g. an empty GME group). */
export interface Stat {
  mean: number | null;
  std: number | null;
  values: (number | null)[];
}

export interface GroupInfo {
  lo: number;
  hi: number;
  label: string;
  /** Examples per group in each repeat. */
  counts: number[];
}

export type RowKind = 'original' | 'retrained' | 'method';

export interface ReportRow {
  /** 'original', 'retrained', or the method's stage ('unlearn:fedmemeraser'). */
  key: string;
  label: string;
  kind: RowKind;
  methodId?: string;
  /** Accuracy on each GME group of D_u (fractions in [0,1]), aligned with report.groups. */
  groupAccuracy: Stat[];
  /** |mean - retrained mean| per group (Eq. 11); null for the retrained row or empty groups. */
  groupDelta: (number | null)[];
  unlearnAccuracy: Stat;
  unlearnDelta: number | null;
  testAccuracy: Stat;
  /** Local fairness (Appendix E.2), both variants; null for the original model. */
  fairnessSum: Stat | null;
  fairnessMean: Stat | null;
  /** Time analysis (Figure 2): seconds to first reach the curve's peak test accuracy. */
  timeToPeakSeconds: Stat | null;
  /** Retrain time-to-peak / this row's time-to-peak. */
  speedup: Stat | null;
}

export interface UnlearningReport {
  request: { kind: 'clients' | 'class' | 'examples'; clients?: number[]; class?: number; examples: number };
  unlearningClients: number[];
  remainingClients: number[];
  memorization: 'correct' | 'probability';
  fairness: 'sum' | 'mean';
  repeats: number;
  retrainModels: number;
  groups: GroupInfo[];
  rows: ReportRow[];
}

/** Per example of D_u, first repeat (the `examples` table). */
export interface ExamplesArtifact {
  ids: number[];
  clients: number[];
  labels: number[];
  noisy: number[];
  score: number[];
  /** Index into report.groups, or -1 when no group covers the example. */
  group: number[];
  csl: number[] | null;
  /** Correctness (0/1) under each model key: 'original', 'retrain:0'..., method stages. */
  correct: Record<string, number[]>;
}

export interface ImportanceArtifact {
  stage: string;
  selection: string;
  /** Percentiles 0..100 and log10 of |mean update of the remaining clients| there (Figure H10). */
  percentiles: number[];
  log10Magnitude: number[];
  recommendedRho: number | null;
  kneePercentile: number | null;
  threshold: number | null;
  chosenRho: number | null;
  resetScalars: number;
  totalScalars: number;
}

export interface TimeCurve {
  stage: string;
  label: string;
  points: { round: number; seconds: number; testAccuracy: number }[];
  peakAccuracy: number;
  peakRound: number;
  peakSeconds: number;
}

export interface TimeArtifact {
  curves: TimeCurve[];
}

export interface LossSurfacePoint {
  t: number;
  remaining: { loss: number; accuracy: number };
  unlearning: { loss: number; accuracy: number };
  test: { loss: number; accuracy: number };
}

export interface LossSurfaceArtifact {
  /** From the original model (t = 0) toward each target (t = 1). */
  paths: { target: string; label: string; points: LossSurfacePoint[] }[];
  remainingSample: number;
}

export interface CslArtifact {
  csl: number[];
  score: number[];
  cosine: number | null;
  pearson: number | null;
  spearman: number | null;
  topFraction: number;
  overlap: number;
}
