/**
 * Progress and ETA for the live view. Round events carry {done, total} over the whole run; when the
 * view attaches to a run already under way (no round event seen yet) the total comes from the stored
 * config by the rule the engine counts with (shared/method-rounds.ts).
 */
import { experimentConfigSchema } from './config';
import { runEvaluationPhases, runPlannedRounds } from './method-rounds';
import type { EngineEvent, Phase, RunProgressCount } from './events';
import { parseRepeatName } from './stages';

/** The run's total rounds from its stored config; null when it is not a valid config. */
export function plannedRounds(config: unknown): number | null {
  const parsed = experimentConfigSchema.safeParse(config);
  return parsed.success ? runPlannedRounds(parsed.data) : null;
}

/** The run's evaluation phases from its stored config (0 when it is not a valid config). */
export function plannedEvaluations(config: unknown): number {
  const parsed = experimentConfigSchema.safeParse(config);
  return parsed.success ? runEvaluationPhases(parsed.data) : 0;
}

/**
 * Seconds left, extrapolating the mean time per trained round; null before the first trained round
 * (no basis yet) and 0 when done.
 */
export function etaSeconds(progress: RunProgressCount | null, elapsedMs: number): number | null {
  if (!progress || progress.done <= 0 || elapsedMs <= 0) return null;
  if (progress.done >= progress.total) return 0;
  // Replayed rounds (a reused stage) took no time: the time so far is what the trained ones took.
  const trained = progress.done - (progress.replayed ?? 0);
  if (trained <= 0) return null;
  return ((elapsedMs / trained) * (progress.total - progress.done)) / 1000;
}

export function fraction(progress: { done: number; total: number } | null): number {
  if (!progress || progress.total <= 0) return 0;
  return Math.min(1, Math.max(0, progress.done / progress.total));
}

export interface PhaseInfo {
  phase: Phase;
  stage: string;
  label: string;
}

/** "retraining 1 of 3", with "repeat 2 of 3: " in front when the run repeats. */
export function phaseText(p: PhaseInfo | null, repeats = 1): string {
  if (!p) return 'starting';
  const repeat = parseRepeatName(p.stage).repeat + 1;
  return repeats > 1 ? `repeat ${repeat} of ${repeats}: ${p.label}` : p.label;
}

/** The last phase recorded in a stored run's events (for a view opened mid-run). */
export function lastPhase(events: { type: string; data: unknown }[]): PhaseInfo | null {
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i].type === 'phase') return events[i].data as PhaseInfo;
  }
  return null;
}

export type RoundEventOf = Extract<EngineEvent, { type: 'round' }>;

/**
 * The prior guess for evaluation (GME scoring, loss surface, the report), which records no rounds: its
 * share of the whole run's time, used only until this run has finished an evaluation phase
 * (run-clock.ts measures it from then on).
 */
export const EVALUATION_SHARE = 0.1;

// ----- the live log ------------------------------------------------------------------------------

export interface LogEntry {
  /** ISO time, or '' when unknown. */
  at: string;
  kind: 'phase' | 'info' | 'warn' | 'error';
  text: string;
}

/** One log line from an engine event (phase changes, log/warn messages, errors); null for the rest. */
export function logEntryOf(type: string, data: unknown, at = ''): LogEntry | null {
  const d = (data ?? {}) as { phase?: string; label?: string; level?: string; message?: string };
  if (type === 'phase') return { at, kind: 'phase', text: d.label ?? d.phase ?? '' };
  if (type === 'log') return { at, kind: d.level === 'warn' ? 'warn' : 'info', text: d.message ?? '' };
  if (type === 'error') return { at, kind: 'error', text: d.message ?? '' };
  return null;
}

/** The log lines of a stored run's events, in order (for a view opened mid-run or afterwards). */
export function logOfEvents(events: readonly { at?: string; type: string; data: unknown }[]): LogEntry[] {
  return events.flatMap((e) => {
    const entry = logEntryOf(e.type, e.data, e.at ?? '');
    return entry ? [entry] : [];
  });
}
