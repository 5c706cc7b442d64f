/**
 * What a stored study is, as the queue, the IPC contract, the CLI and the UI see it (issue 11). The
 * definition is study.ts' schema; here are its runs (items), their statuses and their results.
 */
import type { AxisValue, StudyInput } from './study';
import type { SharedStages, TimeArtifact, UnlearningReport } from './results';

export type { SharedStages } from './results';

/** One run of a study: a cell (one value per axis) and a seed index. */
export const STUDY_ITEM_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type StudyItemStatus = (typeof STUDY_ITEM_STATUSES)[number];

/**
 * The user's intent for the study: 'active' runs its queued items, 'paused' starts nothing new (a
 * running item finishes). What people read is the derived StudyStatus.
 */
export type StudyState = 'active' | 'paused';

/**
 * running: an item runs; queued: waiting for the queue; paused; done: every item done; failed: finished with failures;
 * cancelled.
 */
export const STUDY_STATUSES = ['queued', 'running', 'paused', 'done', 'failed', 'cancelled'] as const;
export type StudyStatus = (typeof STUDY_STATUSES)[number];

/** The stable key of an item: its cell key and seed index ("rho=0.4#1"). */
export const studyItemKey = (cellKey: string, seedIndex: number) => `${cellKey}#${seedIndex}`;

export interface StudyItem {
  key: string;
  cellKey: string;
  /** One value per axis, in axis order. */
  values: AxisValue[];
  seedIndex: number;
  seed: number;
  /** Queue order (lower runs first). */
  position: number;
  status: StudyItemStatus;
  /** The run that holds this item's results (the latest attempt); null before it starts. */
  runId: string | null;
  error: string | null;
  /** Null until the run reports what it reused. */
  shared: SharedStages | null;
  durationMs: number | null;
  /**
   * On a Redis queue (issue 16): the worker of the latest attempt, its backend and throughput; null for a run made
   * here.
   */
  remote: RemoteRun | null;
}

export interface RemoteRun {
  /** "host:pid" of the worker. */
  worker: string;
  backend: string | null;
  /** 1, or more after a worker was lost and another took the run. */
  attempt: number;
  /**
   * Rounds trained per minute of the attempt (every stage's; rounds replayed from a shared stage left out); null before
   * any.
   */
  roundsPerMinute: number | null;
}

/** Rounds per minute between an attempt's start and its last recorded event. */
export function roundsPerMinute(rounds: number, startedAt: string, updatedAt: string): number | null {
  const minutes = (Date.parse(updatedAt) - Date.parse(startedAt)) / 60_000;
  return rounds > 0 && minutes > 0 ? rounds / minutes : null;
}

export interface StudyListItem {
  id: string;
  name: string;
  createdAt: string;
  state: StudyState;
  status: StudyStatus;
  axes: { path: string; label: string; values: AxisValue[] }[];
  combine: 'grid' | 'zip';
  cells: number;
  seeds: number;
  counts: Record<StudyItemStatus, number>;
}

/** A finished item's results, as the study tables and charts read them. */
export interface StudyRunResult {
  cellKey: string;
  values: AxisValue[];
  seedIndex: number;
  runId: string;
  /** The run's 'report' artifact. */
  report: UnlearningReport;
  /** The run's 'time' artifact (efficiency curves); null when the run has none. */
  time: TimeArtifact | null;
}

/** A study's cost before it starts: what is shared, and the time with and without sharing. */
export interface StudyEstimate {
  runs: number;
  cells: number;
  seeds: number;
  /** Original trainings (per repeat) the study needs with sharing, and would need without. */
  originalTrainings: { shared: number; unshared: number };
  /** Retrained models (J + K per repeat) with sharing, and without. */
  retrainedModels: { shared: number; unshared: number };
  /** Seconds with sharing and without, from this machine's measured throughput. */
  seconds: { shared: number; unshared: number };
  /** Runs already done (an extended study runs only the missing ones); they cost nothing. */
  alreadyDone: number;
  basis: string;
}

export interface StudyDetail extends StudyListItem {
  definition: StudyInput;
  /** How many runs the queue may run at once (workers are split between them). */
  concurrency: number;
  items: StudyItem[];
  /** Results of the done items, in item order. */
  results: StudyRunResult[];
}

/** What people read: running beats queued beats paused; a study with nothing left is done, failed or cancelled. */
export function studyStatus(state: StudyState, counts: Record<StudyItemStatus, number>): StudyStatus {
  if (counts.running > 0) return 'running';
  if (counts.queued > 0) return state === 'active' ? 'queued' : 'paused';
  if (counts.failed > 0) return 'failed';
  if (counts.cancelled > 0) return 'cancelled';
  return 'done';
}
