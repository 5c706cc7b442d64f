/**
 * Messages from the engine process, a discriminated union, so every host handles each kind or fails to compile. The
 * host (CLI or Electron main)
 * stores them and forwards them to the UI; the engine never touches the database or the UI itself.
 */
import type { BackdoorMetrics, InlineArtifact, RunSummary } from './results';

export type Phase = 'preparing' | 'training' | 'retraining' | 'unlearning' | 'evaluating';

export interface ClientRound {
  client: number;
  trainLoss: number;
  numExamples: number;
}

/** One round of one stage's training, as the engine records it (fl/fedavg.ts) and a round event carries it. */
export interface RoundMetrics {
  stage: string;
  round: number;
  testAccuracy: number;
  testLoss: number;
  /** Mean of the participating clients' mean training losses. */
  trainLoss: number;
  /** Cumulative training time of this stage (excludes evaluation), for time-to-peak analysis. */
  elapsedMs: number;
  clients: ClientRound[];
  /** With a backdoor: what it does to this round's global model (older records lack it). */
  backdoor?: BackdoorMetrics;
}

export interface RoundEvent extends RoundMetrics {
  type: 'round';
  totalRounds: number;
  /**
   * Rounds finished / planned over the whole run, for a progress bar. `replayed` (absent when 0): of
   * `done`, rounds taken from a stored training (a study's shared stage, a resumed run's checkpoint),
   * which arrive at once and so say nothing of the time a round takes.
   */
  progress: RunProgressCount;
}

/** A round event's count of the run's rounds (RoundEvent.progress). */
export interface RunProgressCount {
  done: number;
  total: number;
  replayed?: number;
}

export type EngineEvent =
  | {
      type: 'started';
      backend: string;
      versions: Record<string, string>;
      workers: number;
      pool: 'in-process' | 'threads';
    }
  | { type: 'phase'; phase: Phase; stage: string; label: string }
  | RoundEvent
  /** A small result stored inline, typed by its kind (results.ts ArtifactShapes). */
  | ({ type: 'artifact' } & InlineArtifact)
  /** Model weights; the host writes them to a file beside the database. */
  | { type: 'weights'; name: string; tensors: { name: string; shape: number[]; data: Float32Array }[] }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'done'; summary: RunSummary }
  | { type: 'error'; code: string; message: string };

/**
 * Questions the host asks an engine process that runs no experiment: answering them needs engine
 * code (dataset readers, tfjs), which Electron main never loads.
 */
export type EngineQuery =
  | { kind: 'partition-preview'; config: unknown }
  | { kind: 'backends' }
  /** Loads every backend and times it: asked of a fresh engine process that ends afterwards (compute:doctor). */
  | { kind: 'doctor'; benchmarkSeconds: number };

/** The answer to { kind: 'backends' }: every backend with whether it loads here, and what "auto" picks. */
export interface BackendsAnswer {
  backends: { name: string; available: boolean; reason?: string }[];
  auto: string | null;
}

/** Messages to the engine process. */
/**
 * How the host starts a run beside its config: `historyDir` is where the engine writes the original
 * training's per-round history (the host owns the data dir; the engine only writes files there).
 */
export interface EngineStartOptions {
  historyDir?: string;
  /**
   * A study's shared trainings: the folder (inside the study's) and this run's id, recorded as the
   * producer of what it trains (engine/stage-cache.ts).
   */
  share?: { dir: string; runId: string };
  /**
   * The run's own checkpoint folder (a run outside a study): completed stages and the training in
   * progress are saved there, and a resumed run continues from what it finds (engine/checkpoint).
   */
  checkpoint?: { dir: string; runId: string };
  /** The data folder's cache of `auto`'s backend speed probes (engine/compute/backend-probe.ts); absent: no cache. */
  probeCache?: string;
}

export type EngineCommand =
  | ({ type: 'start'; config: unknown } & EngineStartOptions)
  | { type: 'cancel' }
  | { type: 'query'; id: number; query: EngineQuery };

/** The engine's reply to one query, matched by id; errors keep their code (e.g. INVALID_CONFIG, DATASET_*). */
export type EngineAnswer =
  | { type: 'answer'; id: number; ok: true; value: unknown }
  | { type: 'answer'; id: number; ok: false; code: string; message: string; issues?: unknown };

export type { RunStatus } from './catalog';
