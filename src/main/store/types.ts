/** The records the store hands out: camelCase, JSON columns already parsed. */

import type { RunStatus } from '../../shared/catalog';
import type { RunSummary } from '../../shared/results';

export { RUN_STATUSES, type ActiveRunStatus, type RunStatus, type TerminalRunStatus } from '../../shared/catalog';

export const INTERRUPTED_REASON = 'the process stopped while this run was in progress';

export interface Experiment {
  id: string;
  name: string;
  config: unknown;
  createdAt: string;
}

export interface Run {
  id: string;
  experimentId: string | null;
  name: string;
  status: RunStatus;
  /** The validated run config as given to `create`; callers re-validate with zod if they need the type. */
  config: unknown;
  seed: number | null;
  backend: string | null;
  /** Package versions the run was produced with, e.g. { node, tfjs, app, 'better-sqlite3' }. */
  versions: Record<string, string>;
  phase: string | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  /** Free-form key metrics for listings. */
  summary: RunSummary | null;
  /** The study this run belongs to (one attempt of one of its items), or null. */
  studyId: string | null;
  /** The user's free-text note, or null. */
  note: string | null;
  /** The user's tags, sorted. */
  tags: string[];
  /** The process recording it ("host:pid:token"), null for runs stored before owners existed. */
  owner: string | null;
  /** When its owner last renewed it (ISO), while it is queued or running. */
  heartbeatAt: string | null;
  /** When another process asked its owner to cancel it (ISO), until it is resumed; null if never. */
  cancelRequestedAt: string | null;
}

export interface RoundMetric {
  runId: string;
  /** e.g. 'original', 'retrain:0', 'unlearn:fedmemeraser' */
  stage: string;
  round: number;
  testAccuracy: number | null;
  testLoss: number | null;
  trainLoss: number | null;
  elapsedMs: number | null;
}

export interface ClientMetric {
  runId: string;
  stage: string;
  round: number;
  client: number;
  trainLoss: number | null;
  numExamples: number | null;
}

export interface Artifact {
  id: string;
  runId: string;
  /** e.g. 'weights', 'partition', 'table' */
  kind: string;
  name: string;
  /** Relative to the data dir, '/'-separated; null for inline artifacts. */
  path: string | null;
  sha256: string | null;
  /** Small artifacts stored inline (parsed). */
  json: unknown;
  bytes: number;
  createdAt: string;
}

export interface RunEvent {
  runId: string;
  seq: number;
  at: string;
  /** e.g. 'phase', 'warning', 'error', 'interrupted' */
  type: string;
  data: unknown;
}
