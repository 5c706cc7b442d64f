/**
 * The small 2 × 2 study the distributed-queue tests run (4 runs of 2 rounds on 200 MNIST examples,
 * all sharing one original training), and what they compare of it, so every file compares the same thing.
 */
import type { Store } from '../../../src/main/store';

export const queueStudy = {
  base: {
    seed: 5,
    dataset: { id: 'mnist', trainSize: 200, testSize: 100 },
    partition: { clients: 3 },
    training: { rounds: 2, batchSize: 32, lr: 1e-3 },
    compute: { workers: 1 },
    unlearning: { request: { kind: 'clients', clients: [0] }, methods: [{ id: 'fedmemeraser', rho: 0.3, rounds: 1 }] },
    evaluation: { retrainModels: 1, lossSurface: { steps: 2, maxRemaining: 20 } },
  },
  axes: [
    { path: 'unlearning.methods[fedmemeraser].rho', values: [0, 0.6] },
    { path: 'evaluation.memorization', values: ['correct', 'probability'] },
  ],
};

/**
 * Time fields are clocks of whichever process trained a stage, and run ids differ; everything else must match exactly.
 */
export const withoutClock = (value: unknown) =>
  JSON.stringify(value, (k, v) =>
    ['timeToPeakSeconds', 'speedup', 'wallSeconds', 'wallSpeedup', 'elapsedMs', 'runId'].includes(k) ? undefined : v,
  );

/**
 * What a study recorded, by item: status, report, rounds, weights, what it shared (run ids as item keys), and its
 * event kinds.
 */
export function records(store: Store, studyId: string, o: { events: boolean }) {
  const items = store.studies.items(studyId);
  const keyOfRun = new Map(items.map((it) => [it.runId, it.key]));
  return Object.fromEntries(
    items.map((it) => {
      const runId = it.runId!;
      const shared = JSON.stringify(store.artifacts.json(runId, 'shared', 'shared'), (_k, v) =>
        typeof v === 'string' && keyOfRun.has(v) ? keyOfRun.get(v) : v,
      );
      const events = store.events
        .list(runId)
        .map((e) => e.type)
        .filter((t) => t !== 'interrupted' && t !== 'retried');
      return [
        it.key,
        {
          status: `${it.status}/${store.runs.require(runId).status}`,
          report: withoutClock(store.artifacts.json(runId, 'report', 'report')),
          rounds: withoutClock(store.metrics.roundsFor(runId)),
          clients: withoutClock(store.metrics.clientRoundsFor(runId)),
          weights: store.artifacts
            .list(runId, 'weights')
            .map((a) => `${a.name}:${a.sha256}`)
            .sort(),
          artifacts: store.artifacts
            .list(runId)
            .map((a) => `${a.kind}/${a.name}`)
            .sort(),
          shared,
          ...(o.events && { events }),
        },
      ];
    }),
  );
}
