/** The live view's bar and ETA inputs from the stored detail and what arrived live (run-clock.ts measures). */
import type { RunDetail } from '../../../shared/contract';
import type { RunProgressCount } from '../../../shared/events';
import { plannedEvaluations } from '../../../shared/progress';
import { marksOfEvents, mergeMarks, sessionStartMs, type PhaseMark, type RunClockInput } from './run-clock';

/** When the run started (or was created, until it starts), in ms; null without a detail. */
export function startedAtMs(detail: Pick<RunDetail, 'startedAt' | 'createdAt'> | null): number | null {
  const at = detail?.startedAt ?? detail?.createdAt;
  return at ? Date.parse(at) : null;
}

export function elapsedMs(startedAt: number | null, nowMs: number): number {
  return startedAt === null ? 0 : Math.max(0, nowMs - startedAt);
}

/** What the stored detail tells the clock (read once per detail, not per tick). */
export interface StoredClockFacts {
  marks: PhaseMark[];
  sinceMs: number | null;
  evaluations: number;
}

export function storedClockFacts(detail: Pick<RunDetail, 'events' | 'config'> | null): StoredClockFacts {
  const events = detail?.events ?? [];
  return {
    marks: marksOfEvents(events),
    sinceMs: sessionStartMs(events),
    evaluations: plannedEvaluations(detail?.config),
  };
}

export interface LiveClockState {
  liveMarks: readonly PhaseMark[];
  progress: RunProgressCount | null;
  lastRoundAtMs: number | null;
  nowMs: number;
  finished: boolean;
}

/** What runClock measures: the stored phases and the live ones together, and the round counts. */
export function liveClockInput(stored: StoredClockFacts, s: LiveClockState): RunClockInput {
  return {
    marks: mergeMarks(stored.marks, s.liveMarks),
    done: s.progress?.done ?? 0,
    total: s.progress?.total ?? 0,
    replayed: s.progress?.replayed ?? 0,
    sinceMs: stored.sinceMs,
    lastRoundAtMs: s.lastRoundAtMs,
    evaluations: stored.evaluations,
    nowMs: s.nowMs,
    finished: s.finished,
  };
}
