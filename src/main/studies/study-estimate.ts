/**
 * A study's cost before it starts (issue 11): how many runs, which trainings they share, and the time
 * with and without sharing, from the per-part run estimate (runs/estimate.ts, measured on this kind of
 * machine). A training counts once per study: the first run that needs it pays for it, and runs
 * already done (an extended study) have paid already.
 */
import { machineCores } from '../machine-cores';
import { experimentConfigSchema, type ExperimentConfig } from '../../shared/config';
import type { Store } from '../store';
import { studySchema } from '../../shared/study';
import { sharedTrainings, trainingsOf } from '../../shared/study-sharing';
import type { StudyEstimate } from '../../shared/study-types';
import { estimateBasis, estimateParts, estimateRun } from '../runs/estimate';

/** Distinct trainings not paid for yet. */
const fresh = (keys: Set<string>, paid: Set<string>) => [...keys].filter((k) => !paid.has(k)).length;

export function estimateStudy(
  pending: readonly ExperimentConfig[],
  done: readonly ExperimentConfig[],
  shape: { cells: number; seeds: number; share: boolean },
  cores = machineCores(),
): StudyEstimate {
  const paid = new Set(done.flatMap((c) => Object.values(trainingsOf(c)).flat()));
  const seen = new Set<string>();
  let shared = 0;
  let unshared = 0;
  for (const config of pending) {
    const p = estimateParts(config, cores);
    unshared += estimateRun(config, cores).seconds;
    shared += p.repeats * (p.overheadSeconds + p.restSeconds);
    const t = trainingsOf(config);
    const firstTime = (key: string) => !paid.has(key) && !seen.has(key) && (seen.add(key), true);
    shared += t.original.filter(firstTime).length * p.originalSeconds;
    shared += t.retrained.filter(firstTime).length * p.retrainedSeconds;
  }
  const counts = sharedTrainings(pending);
  if (!shape.share) shared = unshared;
  const first = pending[0] ?? done[0];
  const parts = first ? estimateParts(first, cores) : null;
  return {
    runs: pending.length + done.length,
    cells: shape.cells,
    seeds: shape.seeds,
    originalTrainings: {
      shared: shape.share ? fresh(counts.original.keys, paid) : counts.original.unshared,
      unshared: counts.original.unshared,
    },
    retrainedModels: {
      shared: shape.share ? fresh(counts.retrained.keys, paid) : counts.retrained.unshared,
      unshared: counts.retrained.unshared,
    },
    seconds: { shared: Math.round(shared), unshared: Math.round(unshared) },
    alreadyDone: done.length,
    basis: parts
      ? `${estimateBasis(parts.samplesPerSecond, first.model.id, parts.workers)}; runs one at a time (several at once split the cores, so the total changes little)`
      : 'nothing to run',
  };
}

/** The estimate of a study's items: what is left to run, given what is done (an extended study). */
export function estimateItems(
  definition: unknown,
  items: readonly { status?: string; cellKey: string; config: ExperimentConfig }[],
): StudyEstimate {
  const def = studySchema.parse(definition);
  const done = items.filter((i) => i.status === 'done').map((i) => i.config);
  const pending = items.filter((i) => i.status !== 'done').map((i) => i.config);
  return estimateStudy(pending, done, {
    cells: new Set(items.map((i) => i.cellKey)).size,
    seeds: def.seeds,
    share: def.share,
  });
}

/**
 * How this machine compares with the estimate's measured rates: the median of (actual / estimated)
 * time over the last finished runs that trained everything themselves (a run that reused trainings
 * would look fast). Null until there is such a run; clamped, since a few tiny runs are mostly overhead.
 */
export function machineFactor(store: Store, last = 20): { factor: number; runs: number } | null {
  const ratios: number[] = [];
  for (const run of store.runs.list({ status: 'done', limit: 200 })) {
    if (ratios.length >= last) break;
    const shared = store.artifacts.json(run.id, 'shared', 'shared');
    if (shared && (shared.original.some(Boolean) || shared.retrained.some((r) => r.reused > 0))) continue;
    const config = experimentConfigSchema.safeParse(run.config);
    if (!config.success || !run.durationMs) continue;
    const estimated = estimateRun(config.data).seconds;
    if (estimated > 0) ratios.push(run.durationMs / 1000 / estimated);
  }
  if (ratios.length === 0) return null;
  ratios.sort((a, b) => a - b);
  const median = ratios[Math.floor(ratios.length / 2)];
  return { factor: Math.min(5, Math.max(0.2, median)), runs: ratios.length };
}

/** An estimate's times scaled by the machine factor, and its basis saying so. */
export function calibrated(e: StudyEstimate, m: { factor: number; runs: number } | null): StudyEstimate {
  if (!m) return e;
  return {
    ...e,
    seconds: { shared: Math.round(e.seconds.shared * m.factor), unshared: Math.round(e.seconds.unshared * m.factor) },
    basis: `${e.basis}; scaled by ${m.factor.toFixed(2)}, how long the last ${m.runs} finished run(s) on this machine took against their estimate`,
  };
}
