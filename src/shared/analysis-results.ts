/**
 * What each analysis (analysis-schemas.ts) stores: one inline artifact per repeat, kind
 * `analysis-<id>`, named by repeatName (`analysis-distances`, `analysis-distances@1`, ...).
 */
import type { AnalysisId } from './analysis-schemas';

/** One model an analysis compared: its stage id ('original', 'retrain:0', 'unlearn:fedmemeraser') and row label. */
export interface AnalysisModel {
  stage: string;
  label: string;
  role: 'original' | 'retrained' | 'method';
}

/** Figure G6: every pair of models; matrices are indexed [row][column] in `models` order. */
export interface DistancesArtifact {
  models: AnalysisModel[];
  /** Euclidean distance of the flattened parameters. */
  l2: number[][];
  /** Cosine similarity of the flattened parameters. */
  cosine: number[][];
  /** Mean over the examples of KL(row model's softmax || column model's softmax), in nats. */
  kl: number[][];
  klOn: 'unlearn' | 'test';
  klExamples: number;
}

/** Figure G7: per example of D_u, the probability of its label under each of the J retrained models. */
export interface StabilityArtifact {
  /** Training-example ids of D_u, sorted by the mean probability (ascending, ties by id). */
  ids: number[];
  /** probabilities[j][i]: retrained model j, example ids[i]. */
  probabilities: number[][];
  mean: number[];
  spread: number[];
  measure: 'range' | 'std';
  threshold: number;
  /** Examples whose spread is above the threshold, and their share of D_u. */
  unstable: number;
  unstableShare: number;
}

/** Accuracy (fractions) of one model right after a reset. */
export interface ResetOutcome {
  strategy: 'important' | 'redundant';
  ratio: number;
  resetScalars: number;
  /** On the D_r sample; null when D_r is empty. */
  remaining: number | null;
  unlearn: number;
  test: number;
  /** Accuracy on each GME group of D_u (null for an empty group), aligned with `groups`. */
  groupAccuracy: (number | null)[];
}

/** Table H8: the original model and, per ratio, resetting the important or the redundant parameters. */
export interface ResetArtifact {
  groups: { label: string; size: number }[];
  original: Omit<ResetOutcome, 'strategy' | 'ratio' | 'resetScalars'>;
  outcomes: ResetOutcome[];
  totalScalars: number;
  remainingSample: number;
}

/** One model's panel of Figure 1. */
export interface EmbeddingPanel {
  model: AnalysisModel;
  /** 2-D PCA of the features, aligned with the artifact's `ids` / `clients`. */
  points: [number, number][];
  /** Share of the features' variance the two axes explain. */
  explained: [number, number];
  /**
   * Share of the unlearning clients' points whose k nearest neighbours (in the full feature space) are mostly other
   * clients'.
   */
  overlap: number;
  /** That share if the clients' points were perfectly mixed (binomial), to read `overlap` against. */
  overlapChance: number;
}

/** Figure 1: one class's examples from every client, under the original and one retrained model. */
export interface EmbeddingsArtifact {
  class: number;
  k: number;
  /** Dimension of the features (the last dense layer's input). */
  dimension: number;
  /** Training-example ids drawn, grouped by client, and each one's client. */
  ids: number[];
  clients: number[];
  unlearningClients: number[];
  panels: EmbeddingPanel[];
}

/** One round of a stage, under a backdoor (fractions). */
export interface BackdoorPoint {
  round: number;
  testAccuracy: number;
  /** Attack success rate on the test set (other classes, trigger stamped, classified as the target). */
  asr: number;
  /** The backdoored clients' examples: accuracy on the clean ones, share of the triggered ones given the target. */
  cleanAccuracy: number | null;
  triggeredAsTarget: number | null;
}

/** Figure G8: the curves of the original training and of each method that trains, and every model at its end. */
export interface BackdoorArtifact {
  target: number;
  /** Rounds of the original training, then of each method (its own round count, from 1). */
  stages: { stage: string; label: string; role: 'original' | 'method'; points: BackdoorPoint[] }[];
  /** Each model at its end: the original, the retrained models and each method. */
  models: (AnalysisModel & Omit<BackdoorPoint, 'round'>)[];
}

/** Artifact kind of each analysis: the one map ArtifactShapes extends. */
export interface AnalysisArtifactShapes {
  'analysis-distances': DistancesArtifact;
  'analysis-stability': StabilityArtifact;
  'analysis-reset': ResetArtifact;
  'analysis-embeddings': EmbeddingsArtifact;
  'analysis-backdoor': BackdoorArtifact;
}

export const analysisArtifactKind = <I extends AnalysisId>(id: I): `analysis-${I}` => `analysis-${id}`;
