/**
 * A study's cost before it starts (issue 11): how many runs, which trainings they share, and the time
 * with and without sharing, from the per-part run estimate (ipc/estimate.ts, measured on this kind of
 * machine). A training counts once per study: the first run that needs it pays for it, and runs
 * already done (an extended study) have paid already.
 */
import os from 'node:os';
import type { ExperimentConfig } from '../../shared/config';
import { studySchema } from '../../shared/study';
import { sharedTrainings, trainingsOf } from '../../shared/study-sharing';
import type { StudyEstimate } from '../../shared/study-types';
import { estimateBasis, estimateParts, estimateRun } from '../ipc/estimate';

/** Distinct trainings not paid for yet. */
const fresh = (keys: Set<string>, paid: Set<string>) => [...keys].filter((k) => !paid.has(k)).length;

export function estimateStudy(
  pending: readonly ExperimentConfig[],
  done: readonly ExperimentConfig[],
  shape: { cells: number; seeds: number; share: boolean },
  cores = os.availableParallelism?.() ?? os.cpus().length,
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
    originalTrainings: { shared: shape.share ? fresh(counts.original.keys, paid) : counts.original.unshared, unshared: counts.original.unshared },
    retrainedModels: { shared: shape.share ? fresh(counts.retrained.keys, paid) : counts.retrained.unshared, unshared: counts.retrained.unshared },
    seconds: { shared: Math.round(shared), unshared: Math.round(unshared) },
    alreadyDone: done.length,
    basis: parts
      ? `${estimateBasis(parts.samplesPerSecond, first!.model.id, parts.workers)}; runs one at a time (several at once split the cores, so the total changes little)`
      : 'nothing to run',
  };
}

/** The estimate of a study's items: what is left to run, given what is done (an extended study). */
export function estimateItems(definition: unknown, items: readonly { status?: string; cellKey: string; config: ExperimentConfig }[]): StudyEstimate {
  const def = studySchema.parse(definition);
  const done = items.filter((i) => i.status === 'done').map((i) => i.config);
  const pending = items.filter((i) => i.status !== 'done').map((i) => i.config);
  return estimateStudy(pending, done, { cells: new Set(items.map((i) => i.cellKey)).size, seeds: def.seeds, share: def.share });
}
