/**
 * The live view's bar and ETA from time measured in this run. The run's phases (stored events, then
 * live ones) say when each began; rounds are trained in training / retraining / unlearning phases and
 * evaluation happens in 'evaluating' ones (GME scoring per repeat, then the report). So:
 *
 * - seconds per round = wall time spent in round phases / rounds done. It includes what happens
 *   between rounds (per-round test evaluation, each model's assessment after its stage), and works the
 *   same for a view opened mid-run or reloaded: the stored phase times and round count seed it.
 * - seconds per evaluation phase = the mean of the evaluation phases this run has finished; until one
 *   has, a guess: EVALUATION_SHARE of the whole run's time, shared between its evaluation phases.
 * - ETA = rounds left × seconds per round + evaluation phases left × seconds per phase (less what the
 *   current one has already taken); bar = time spent / (time spent + ETA).
 *
 * Time before the first round phase (starting the backend, loading data) is in neither. Rounds the
 * engine replayed from a stored training (progress.replayed: a study's shared stage, a resumed run's
 * checkpoint) arrive at once, so they count as done but not as measured. A resumed run is measured
 * from its last resume (sinceMs): before it lie another session's phases and the time it stood
 * stopped, and the resumed engine replays every round that session had finished.
 */
import type { Phase } from '../../../shared/events';
import { EVALUATION_SHARE, type PhaseInfo } from '../../../shared/progress';

/** When a phase began (wall clock, ms), and which. */
export interface PhaseMark extends PhaseInfo {
  atMs: number;
}

export interface RunClockInput {
  /** In order of time. */
  marks: readonly PhaseMark[];
  /** Rounds finished and planned over the whole run. */
  done: number;
  total: number;
  /** Of `done`, the rounds replayed from stored trainings (the round events' progress.replayed). */
  replayed?: number;
  /** When the run was last resumed (sessionStartMs); phases before it are not measured. */
  sinceMs?: number | null;
  /** When the latest round was reported (live); null when only stored rounds are known. */
  lastRoundAtMs: number | null;
  /** Evaluation phases the run will go through (0 for a training-only run). */
  evaluations: number;
  nowMs: number;
  finished: boolean;
}

export interface RunClock {
  /** 0..1; 1 only when finished. */
  fraction: number;
  /** Null until a round has been measured; 0 when finished. */
  etaSeconds: number | null;
  /** Whether the evaluation still to come is measured in this run or the prior guess. */
  evaluation: 'measured' | 'guessed' | 'none';
}

const ROUND_PHASES: readonly Phase[] = ['training', 'retraining', 'unlearning'];
/** A bar that is not finished never shows 100%. */
const MAX_UNFINISHED = 0.99;

export function runClock(input: RunClockInput): RunClock {
  const { done, total, lastRoundAtMs, evaluations, nowMs, finished } = input;
  const since = input.sinceMs ?? null;
  const marks = since === null ? input.marks : input.marks.filter((m) => m.atMs >= since);
  const trained = done - (input.replayed ?? 0);
  const evaluation = evaluations > 0 ? 'guessed' : 'none';
  if (finished) return { fraction: 1, etaSeconds: 0, evaluation: evaluations > 0 ? 'measured' : 'none' };

  let roundMs = 0;
  let evalDoneMs = 0;
  let evalDone = 0;
  let currentEvalMs: number | null = null;
  marks.forEach((m, i) => {
    const next = marks[i + 1];
    if (ROUND_PHASES.includes(m.phase)) {
      // The phase under way counts up to its latest round: after that it is a round not finished yet.
      const end = next ? next.atMs : Math.max(m.atMs, lastRoundAtMs ?? nowMs);
      roundMs += Math.max(0, end - m.atMs);
    } else if (m.phase === 'evaluating') {
      if (next) {
        evalDoneMs += Math.max(0, next.atMs - m.atMs);
        evalDone++;
      } else currentEvalMs = Math.max(0, nowMs - m.atMs);
    }
  });
  if (trained <= 0 || roundMs <= 0) return { fraction: 0, etaSeconds: null, evaluation };

  const perRound = roundMs / trained;
  const roundsLeftMs = Math.max(0, total - done) * perRound;
  let evalLeftMs = 0;
  let measured = false;
  if (evaluations > 0) {
    measured = evalDone > 0;
    const perEval = measured
      ? evalDoneMs / evalDone
      : ((EVALUATION_SHARE / (1 - EVALUATION_SHARE)) * total * perRound) / evaluations;
    const inEval = currentEvalMs !== null;
    const notStarted = Math.max(0, evaluations - evalDone - (inEval ? 1 : 0));
    evalLeftMs = notStarted * perEval + (inEval ? Math.max(0, perEval - currentEvalMs!) : 0);
  }
  const leftMs = roundsLeftMs + evalLeftMs;
  const spentMs = roundMs + evalDoneMs + (currentEvalMs ?? 0);
  return {
    fraction: Math.min(MAX_UNFINISHED, spentMs / (spentMs + leftMs)),
    etaSeconds: leftMs / 1000,
    evaluation: evaluations > 0 ? (measured ? 'measured' : 'guessed') : 'none',
  };
}

/** The phase marks of a stored run's events (a view opened mid-run or reloaded). */
export function marksOfEvents(events: readonly { at: string; type: string; data: unknown }[]): PhaseMark[] {
  return events.flatMap((e) => {
    const atMs = Date.parse(e.at);
    const d = e.data as Partial<PhaseInfo> | null;
    return e.type === 'phase' && Number.isFinite(atMs) && d?.phase
      ? [{ atMs, phase: d.phase, stage: d.stage ?? '', label: d.label ?? '' }]
      : [];
  });
}

/** When a stored run was last resumed (its latest 'resumed' event), or null: the start of its current session. */
export function sessionStartMs(events: readonly { at: string; type: string }[]): number | null {
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i].type !== 'resumed') continue;
    const atMs = Date.parse(events[i].at);
    if (Number.isFinite(atMs)) return atMs;
  }
  return null;
}

/**
 * Stored marks, then the live ones not among them. A phase (its stage and label) happens once in a
 * run, so one seen live and also loaded from the store (the view opened as it began) counts once, at
 * its stored time.
 */
export function mergeMarks(stored: readonly PhaseMark[], live: readonly PhaseMark[]): PhaseMark[] {
  const key = (m: PhaseMark) => `${m.phase}\u0000${m.stage}\u0000${m.label}`;
  const seen = new Set(stored.map(key));
  return [...stored, ...live.filter((m) => !seen.has(key(m)))].sort((a, b) => a.atMs - b.atMs);
}
