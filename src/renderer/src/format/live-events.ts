/**
 * What the live view knows of a run, folded from the engine's events as they arrive and merged with
 * the stored detail when it (re)loads. Pure: the live store (stores/live.ts) holds the state and
 * applies what these return.
 */
import type { RunDetail, UiEngineEvent } from '../../../shared/contract';
import type { RunProgressCount } from '../../../shared/events';
import type { RoundPoint } from '../../../shared/figures/live-curve';
import type { LossPoint } from '../../../shared/figures/loss-curve';
import { lastPhase, logOfEvents, plannedRounds, type LogEntry, type PhaseInfo } from '../../../shared/progress';
import { artifactOf } from '../../../shared/results';
import type { PhaseMark } from './run-clock';

export type LiveRound = RoundPoint & LossPoint;

/** The part of the live view that events change. */
export interface LiveEventState {
  backend: string | null;
  phase: PhaseInfo | null;
  /** Phases seen live, with when each arrived. */
  liveMarks: PhaseMark[];
  current: { stage: string; round: number; totalRounds: number } | null;
  progress: RunProgressCount | null;
  /** When the latest round arrived (ms). */
  lastRoundAtMs: number | null;
  rounds: LiveRound[];
  partition: number[][] | null;
  error: string | null;
  /** The engine said 'done'. */
  doneEvent: boolean;
}

/** A round (an event or a stored row) as the curves plot it. */
export function roundPoint(r: LiveRound): LiveRound {
  return { stage: r.stage, round: r.round, testAccuracy: r.testAccuracy, trainLoss: r.trainLoss, testLoss: r.testLoss };
}

/** `rounds` with `more` added, a later copy of a stage's round replacing the earlier one (first-seen order kept). */
export function mergeRounds(rounds: readonly LiveRound[], more: readonly LiveRound[]): LiveRound[] {
  const key = (r: LiveRound) => `${r.stage}\u0000${r.round}`;
  const map = new Map(rounds.map((r) => [key(r), r]));
  for (const r of more) map.set(key(r), r);
  return [...map.values()];
}

/** The state after one engine event, arriving at `atMs` (what it does not change is the same object). */
export function foldEvent(state: LiveEventState, event: UiEngineEvent, atMs: number): LiveEventState {
  switch (event.type) {
    case 'started':
      return { ...state, backend: event.backend };
    case 'phase': {
      const phase = { phase: event.phase, stage: event.stage, label: event.label };
      return { ...state, phase, liveMarks: [...state.liveMarks, { ...phase, atMs }] };
    }
    case 'round':
      return {
        ...state,
        current: { stage: event.stage, round: event.round, totalRounds: event.totalRounds },
        progress: event.progress,
        lastRoundAtMs: atMs,
        rounds: mergeRounds(state.rounds, [roundPoint(event)]),
      };
    case 'artifact':
      return event.kind === 'partition' && !event.omitted
        ? { ...state, partition: (event.json as { classCounts: number[][] }).classCounts }
        : state;
    case 'error':
      return { ...state, error: event.message };
    case 'done':
      return { ...state, doneEvent: true };
    default:
      return state;
  }
}

/** The view's state that the stored detail refreshes. */
export interface DetailMerge {
  rounds: LiveRound[];
  log: LogEntry[];
  phase: PhaseInfo | null;
  partition: number[][] | null;
  progress: RunProgressCount | null;
}

/**
 * The stored detail merged into what the view has. `elsewhere`: another process records the run, so
 * no events reach this app and the stored rows are its phase and progress.
 */
export function mergeDetail(view: DetailMerge, d: RunDetail, elsewhere: boolean): DetailMerge {
  // The stored events are the whole log up to now; live lines seen before them are among them.
  const stored = logOfEvents(d.events);
  const total = !view.progress || elsewhere ? plannedRounds(d.config) : null;
  return {
    rounds: mergeRounds(view.rounds, d.rounds.map(roundPoint)),
    log: stored.length >= view.log.length ? stored : view.log,
    phase: elsewhere ? (lastPhase(d.events) ?? view.phase) : (view.phase ?? lastPhase(d.events)),
    partition: artifactOf(d.artifacts, 'partition')?.classCounts ?? view.partition,
    progress: total !== null ? { done: Math.min(d.rounds.length, total), total } : view.progress,
  };
}
