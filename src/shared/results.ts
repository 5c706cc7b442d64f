/**
 * What an unlearning run stores (as inline JSON artifacts) and what the CLI, exports and the UI read.
 * Every number that was averaged over repeats keeps its per-repeat values, so mean ± std can be
 * recomputed and nothing is lost to rounding.
 */
import { parseRepeatName } from './stages';
import type { AnalysisArtifactShapes } from './analysis-results';
import type { MethodTrace, SharedStages } from './run-traces';
export type { MethodTrace, SharedStages } from './run-traces';

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
  /**
   * Per repeat: lowest / highest memorization score in the group (null when empty), and how many
   * members the example-id tie-break placed (their score is shared across a group boundary).
   * Absent in reports recorded before these were kept.
   */
  scoreMin?: (number | null)[];
  scoreMax?: (number | null)[];
  placedById?: number[];
  /** Per repeat: label-noise (flipped) examples in the group; present only when the run injects label noise. */
  noisy?: number[];
  /**
   * Per repeat: the flipped examples of the group the original model fits (predicts their flipped label): the ones
   * it memorized. Absent without label noise and in reports recorded before it was kept.
   */
  noisyFit?: number[];
}

/**
 * 'retrained' is the reference every Δ is measured against; 'scoring' is the J retrained models that
 * defined the memorization scores, shown as their own row only when K held-out models are the reference.
 */
export type RowKind = 'original' | 'retrained' | 'method' | 'scoring';

/** Table order of the row kinds. */
export const ROW_KIND_ORDER: readonly RowKind[] = ['original', 'method', 'scoring', 'retrained'];

export interface ReportRow {
  /** 'original', 'retrained', 'retrained-scoring', or the method's stage ('unlearn:fedmemeraser'). */
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
  /** With a backdoor (dataset.backdoor): the attack success rate, fractions. Absent otherwise. */
  attackSuccessRate?: Stat;
  /** Local fairness (Appendix E.2), both variants; null for the original model. */
  fairnessSum: Stat | null;
  fairnessMean: Stat | null;
  /** Time analysis (Figure 2): seconds to first reach the curve's peak test accuracy. */
  timeToPeakSeconds: Stat | null;
  /** Retrain time-to-peak / this row's time-to-peak. */
  speedup: Stat | null;
  /**
   * The whole unlearning time in seconds (training clock of the stage, evaluation excluded) and
   * retraining's whole time divided by it. Absent in reports recorded before they were measured.
   */
  wallSeconds?: Stat | null;
  wallSpeedup?: Stat | null;
}

export interface UnlearningReport {
  request: { kind: 'clients' | 'class' | 'examples'; clients?: number[]; class?: number; examples: number };
  unlearningClients: number[];
  remainingClients: number[];
  memorization: 'correct' | 'probability';
  /** Negative scores were replaced by 0 (the authors' code). Absent in older reports (= false). */
  clipNegative?: boolean;
  fairness: 'sum' | 'mean';
  repeats: number;
  /** J: retrained models that defined the scores. */
  retrainModels: number;
  /** K: held-out retrained models Δ is measured against; 0 = the J scoring models are the reference. */
  referenceModels?: number;
  /** Per repeat: label-noise examples in D_u; present only when the run injects label noise. */
  noisyInUnlearn?: number[];
  /** Per repeat: those the original model fits (see GroupInfo.noisyFit). */
  noisyFitInUnlearn?: number[];
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
  /**
   * Which signal ranked the scalars: Algorithm 1's gradient at Phi_G, or the authors' first-round
   * update. Absent in runs recorded before the rule was selectable; those used the first-round update.
   */
  locate?: 'gradient' | 'first-round-update';
  /** Percentiles 0..100 and log10 of |mean update of the remaining clients| there (Figure H10). */
  percentiles: number[];
  log10Magnitude: number[];
  recommendedRho: number | null;
  kneePercentile: number | null;
  threshold: number | null;
  chosenRho: number | null;
  resetScalars: number;
  totalScalars: number;
  /**
   * What FedMemEraser did, for its panel. Absent in runs recorded before these were kept.
   * How rho was set: the config's number, Appendix H.3's rule ('auto'), the fallback when that rule
   * found no knee ('auto-fallback'), or a threshold on the importance instead of a ratio ('gamma').
   */
  rhoRule?: RhoRule;
  /** The config's gamma when rhoRule is 'gamma'. */
  gamma?: number;
  /** Every parameter tensor in model order, with how many of its scalars were re-initialised. */
  layers?: ResetLayer[];
  /** The model right after the reset, before any fine-tuning (for the first-round-update rule: after round 1). */
  afterReset?: SetAccuracy;
  /** The unlearned model the method returned (the same model Table 1's row assesses). */
  afterFineTune?: SetAccuracy;
  /** Fine-tuning rounds the method ran (0: the reset alone). */
  fineTuneRounds?: number;
}

export type RhoRule = 'fixed' | 'auto' | 'auto-fallback' | 'gamma';

/** One parameter tensor and how many of its scalars the reset replaced. */
export interface ResetLayer {
  name: string;
  shape: number[];
  scalars: number;
  reset: number;
}

/** Accuracy (fractions) of one model on D_r, D_u and the test set. */
export interface SetAccuracy {
  /** Null when D_r is empty. */
  remaining: number | null;
  unlearn: number;
  test: number;
  /** Examples of D_r the accuracy was measured on (all of D_r). */
  remainingExamples: number;
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

/** Examples per class on each client, and client sizes (every run). */
export interface PartitionArtifact {
  classCounts: number[][];
  sizes: number[];
}

/** Which examples label noise flipped, from what to what (runs with dataset.labelNoise). */
export interface LabelNoiseArtifact {
  clients: number[];
  rate: number;
  examples: number[];
  originalLabels: number[];
  noisyLabels: number[];
}

/** A model under a backdoor (runs with dataset.backdoor; engine/metrics/backdoor.ts), fractions. */
export interface BackdoorMetrics {
  /** Attack success rate: triggered test examples of other classes classified as the target. */
  asr: number;
  /** Accuracy on the backdoored clients' examples without the trigger (null: none). */
  cleanAccuracy: number | null;
  /** Share of their triggered examples classified as the target (null: none). */
  triggeredAsTarget: number | null;
}

/** Which training examples carry the backdoor's trigger (runs with dataset.backdoor), and their labels before it. */
export interface BackdoorDataArtifact {
  clients: number[];
  share: number;
  target: number;
  pattern: { size: number; position: string };
  examples: number[];
  originalLabels: number[];
}

/** The resolved unlearning request: how much D_u holds and who leaves. */
export interface RequestArtifact {
  kind: 'clients' | 'class' | 'examples';
  examples: number;
  unlearningClients: number[];
  remainingClients: number[];
}

/** Every inline artifact a run stores, by kind: the one map engine, store, exports and UI share. */
export interface ArtifactShapes extends AnalysisArtifactShapes {
  report: UnlearningReport;
  examples: ExamplesArtifact;
  /** One per FedMemEraser entry and repeat, named by its stage. */
  importance: ImportanceArtifact;
  /** One per Halimi / FedOSD entry and repeat, named by its stage. */
  'method-trace': MethodTrace;
  time: TimeArtifact;
  'loss-surface': LossSurfaceArtifact;
  csl: CslArtifact;
  partition: PartitionArtifact;
  'label-noise': LabelNoiseArtifact;
  backdoor: BackdoorDataArtifact;
  request: RequestArtifact;
  /** Runs of a study only: which trainings were reused from earlier runs of the study. */
  shared: SharedStages;
}

export type ArtifactKind = keyof ArtifactShapes;

/** An inline artifact as the engine emits it: kind, name and the shape that kind has. */
export type InlineArtifact = { [K in ArtifactKind]: { kind: K; name: string; json: ArtifactShapes[K] } }[ArtifactKind];

/** How artifacts are keyed where they travel as a record (RunDetail.artifacts): `${kind}/${name}`. */
export function artifactKey(kind: string, name: string): string {
  return `${kind}/${name}`;
}

/** One artifact out of a RunDetail-style record, typed by its kind; the name defaults to the kind. */
export function artifactOf<K extends ArtifactKind>(
  artifacts: Record<string, unknown>,
  kind: K,
  name: string = kind,
): ArtifactShapes[K] | undefined {
  return artifacts[artifactKey(kind, name)] as ArtifactShapes[K] | undefined;
}

/** Every artifact of one kind in such a record, with its name, in key order. */
export function artifactsOfKind<K extends ArtifactKind>(
  artifacts: Record<string, unknown>,
  kind: K,
): { name: string; json: ArtifactShapes[K] }[] {
  const prefix = `${kind}/`;
  return Object.keys(artifacts)
    .filter((k) => k.startsWith(prefix))
    .sort()
    .map((k) => ({ name: k.slice(prefix.length), json: artifacts[k] as ArtifactShapes[K] }));
}

/**
 * A per-repeat artifact's copies in repeat order: repeat 0 under the kind's own name ('csl'), later
 * repeats under repeatName ('csl@1'); other names are left out. Runs recorded before every repeat had
 * one hold repeat 0 only.
 */
export function byRepeat<T>(kind: string, named: readonly { name: string; json: T }[]): { repeat: number; json: T }[] {
  return named
    .map(({ name, json }) => ({ ...parseRepeatName(name), json }))
    .filter((a) => a.base === kind)
    .sort((a, b) => a.repeat - b.repeat)
    .map(({ repeat, json }) => ({ repeat, json }));
}

/** byRepeat over a RunDetail-style record. */
export function artifactsByRepeat<K extends ArtifactKind>(
  artifacts: Record<string, unknown>,
  kind: K,
): { repeat: number; json: ArtifactShapes[K] }[] {
  return byRepeat(kind, artifactsOfKind(artifacts, kind));
}

/** One method row of a finished unlearning run, as the runs list shows it. */
export interface MethodSummary {
  /** The row's key in the report (its stage). */
  key: string;
  label: string;
  kind: RowKind;
  testAccuracy: number | null;
  unlearnAccuracy: number | null;
  /** |Delta| on the top memorization group. */
  topGroupDelta: number | null;
}

/** What a finished run reports in one line: typed, never keyed by user-chosen labels. */
export interface RunSummary {
  /** The original model's final (training-only runs) or mean (unlearning runs) test accuracy. */
  testAccuracy: number | null;
  testLoss?: number;
  bestTestAccuracy?: number;
  rounds?: number;
  unlearnedExamples?: number;
  /** Every report row but the original, in table order. */
  rows?: MethodSummary[];
}
