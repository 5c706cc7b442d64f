/**
 * Messages from the engine process, a discriminated union (DESIGN.md). The host (CLI or Electron main)
 * stores them and forwards them to the UI; the engine never touches the database or the UI itself.
 */
import type { InlineArtifact, RunSummary } from './results';

export type Phase = 'preparing' | 'training' | 'retraining' | 'unlearning' | 'evaluating';

export interface ClientRound {
  client: number;
  trainLoss: number;
  numExamples: number;
}

export interface RoundEvent {
  type: 'round';
  stage: string;
  round: number;
  totalRounds: number;
  testAccuracy: number;
  testLoss: number;
  trainLoss: number;
  elapsedMs: number;
  clients: ClientRound[];
  /** Rounds finished / planned over the whole run, for a progress bar. */
  progress: { done: number; total: number };
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

/** Messages to the engine process. */
export type EngineCommand = { type: 'start'; config: unknown } | { type: 'cancel' };

export type { RunStatus } from './catalog';
