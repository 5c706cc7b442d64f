/**
 * A study's cost before it starts (issue 11): how many runs, which trainings they share, and the time
 * with and without sharing, from the per-part run estimate (ipc/estimate.ts, measured on this kind of
 * machine). A training counts once per study: the first run that needs it pays for it, and runs
 * already done (an extended study) have paid already.
 */
import os from 'node:os';
import type { ExperimentConfig } from '../../shared/config';
import { sharedTrainings, trainingsOf } from '../../shared/study-sharing';
import type { StudyEstimate } from '../../shared/study-types';
import { estimateBasis, estimateParts, estimateRun } from '../ipc/estimate';

export function estimateStudy(
  pending: readonly ExperimentConfig[],
  done: readonly ExperimentConfig[],
  shape: { cells: number; seeds: number },
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
    const fresh = (key: string) => !paid.has(key) && !seen.has(key) && (seen.add(key), true);
    shared += t.original.filter(fresh).length * p.originalSeconds;
    shared += t.retrained.filter(fresh).length * p.retrainedSeconds;
  }
  const counts = sharedTrainings(pending);
  const first = pending[0] ?? done[0];
  const parts = first ? estimateParts(first, cores) : null;
  return {
    runs: pending.length + done.length,
    cells: shape.cells,
    seeds: shape.seeds,
    originalTrainings: { shared: [...new Set(pending.flatMap((c) => trainingsOf(c).original))].filter((k) => !paid.has(k)).length, unshared: counts.original.unshared },
    retrainedModels: { shared: [...new Set(pending.flatMap((c) => trainingsOf(c).retrained))].filter((k) => !paid.has(k)).length, unshared: counts.retrained.unshared },
    seconds: { shared: Math.round(shared), unshared: Math.round(unshared) },
    alreadyDone: done.length,
    basis: parts
      ? `${estimateBasis(parts.samplesPerSecond, first!.model.id, parts.workers)}; runs one at a time (several at once split the cores, so the total changes little)`
      : 'nothing to run',
  };
}
