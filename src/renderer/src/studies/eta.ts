/**
 * Time left for a study, and what its items reused, in words. Main's estimate (studies:get) prices
 * what is left from this machine's measured throughput before anything has run; once runs finish,
 * their own durations are the better guide. With sharing, the first run of a training setting pays
 * for the original and retrained models and the rest reuse them, so the measured guide is the mean of
 * the finished runs that reused their original model when there are any: averaging in the one that
 * trained would overstate every run after it.
 */
import { formatSeconds } from '../format/stat';
import type { SharedStages, StudyEstimate, StudyItemStatus } from '../../../shared/study-types';

export interface EtaItem {
  status: StudyItemStatus;
  durationMs: number | null;
  shared: SharedStages | null;
}

export interface RunningItem {
  /** Since the run started. */
  elapsedMs: number;
  /** The run's own time left from its rounds (shared/progress.ts etaSeconds); null before its first round. */
  leftSeconds: number | null;
}

export interface StudyEta {
  seconds: number;
  basis: 'measured' | 'estimate';
  /** Finished runs the measured mean is over (0 for the estimate). */
  runs: number;
}

/** A run reused its original model in every repeat (so its duration is what a sharing run costs). */
export const reusedOriginal = (s: SharedStages | null) =>
  !!s && s.original.length > 0 && s.original.every((o) => o !== null);

/** Seconds until every queued and running item has run; null when there is nothing to go on. */
export function studyEta(
  items: readonly EtaItem[],
  running: readonly RunningItem[],
  estimateSeconds: number | null,
): StudyEta | null {
  const queued = items.filter((it) => it.status === 'queued').length;
  if (queued === 0 && running.length === 0) return { seconds: 0, basis: 'measured', runs: 0 };
  const done = items.filter((it) => it.status === 'done' && it.durationMs !== null && it.durationMs > 0);
  const reused = done.filter((it) => reusedOriginal(it.shared));
  const sample = reused.length ? reused : done;
  if (sample.length) {
    const per = sample.reduce((a, it) => a + it.durationMs!, 0) / sample.length / 1000;
    const current = running.reduce((a, r) => a + (r.leftSeconds ?? Math.max(0, per - r.elapsedMs / 1000)), 0);
    return { seconds: queued * per + current, basis: 'measured', runs: sample.length };
  }
  if (estimateSeconds === null) return null;
  // The estimate prices the running items whole: take off the time they have already run.
  const elapsed = running.reduce((a, r) => a + r.elapsedMs / 1000, 0);
  return { seconds: Math.max(0, estimateSeconds - elapsed), basis: 'estimate', runs: 0 };
}

/** "saves 4 min 10 s (63%)"; null when sharing saves nothing. */
export function savingsText(e: Pick<StudyEstimate, 'seconds'>): string | null {
  const saved = e.seconds.unshared - e.seconds.shared;
  if (saved <= 0 || e.seconds.unshared <= 0) return null;
  return `saves ${formatSeconds(saved)} (${Math.round((100 * saved) / e.seconds.unshared)}%)`;
}

/** What a run reused, for a cell's tooltip: "reused the original model (run 3f2a…); 2 of 3 retrained models reused". */
export function reuseText(s: SharedStages | null): string {
  if (!s || s.original.length === 0) return '';
  const repeats = s.original.length;
  const reusedOriginals = s.original.filter((o) => o !== null);
  const from = [...new Set(reusedOriginals)].map((id) => `run ${id.slice(0, 8)}`).join(', ');
  const original =
    reusedOriginals.length === 0
      ? 'trained its original model'
      : reusedOriginals.length === repeats
        ? `reused the original model (${from})`
        : `reused the original model in ${reusedOriginals.length} of ${repeats} repeats (${from})`;
  const reused = s.retrained.reduce((a, r) => a + r.reused, 0);
  const total = s.retrained.reduce((a, r) => a + r.reused + r.trained, 0);
  const retrained =
    total === 0
      ? ''
      : reused === 0
        ? `; trained its ${total} retrained model${total === 1 ? '' : 's'}`
        : `; ${reused} of ${total} retrained models reused`;
  return original + retrained;
}
