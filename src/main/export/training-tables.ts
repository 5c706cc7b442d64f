/** Tables every run has: per-round test metrics, per-client training loss, the partition. */
import type { Store } from '../store';
import { escapeLatex, type Table } from './table';

export const roundsTable = (store: Store, runId: string): Table => ({
  name: 'rounds',
  caption: `Per-round test metrics of run ${runId}`,
  columns: [
    { key: 'stage', label: 'Stage', type: 'string', align: 'l' },
    { key: 'round', label: 'Round', type: 'number' },
    { key: 'testAccuracy', label: 'Test acc.', type: 'number' },
    { key: 'testLoss', label: 'Test loss', type: 'number' },
    { key: 'trainLoss', label: 'Train loss', type: 'number' },
    { key: 'elapsedSeconds', label: 'Time (s)', type: 'number' },
  ],
  rows: store.metrics.roundsFor(runId).map((r) => ({
    stage: r.stage,
    round: r.round,
    testAccuracy: r.testAccuracy,
    testLoss: r.testLoss,
    trainLoss: r.trainLoss,
    elapsedSeconds: r.elapsedMs === null ? null : r.elapsedMs / 1000,
  })),
});

export const clientsTable = (store: Store, runId: string): Table => ({
  name: 'clients',
  caption: `Per-client training loss of run ${runId}`,
  columns: [
    { key: 'stage', label: 'Stage', type: 'string', align: 'l' },
    { key: 'round', label: 'Round', type: 'number' },
    { key: 'client', label: 'Client', type: 'number' },
    { key: 'trainLoss', label: 'Train loss', type: 'number' },
    { key: 'numExamples', label: 'Examples', type: 'number' },
  ],
  rows: store.metrics.clientRoundsFor(runId).map((c) => ({ ...c })),
});

export const partitionTable = (store: Store, runId: string): Table => {
  const counts = store.artifacts.json(runId, 'partition')?.classCounts ?? [];
  const classes = counts[0]?.length ?? 0;
  return {
    name: 'partition',
    caption: `Examples per class on each client, run ${runId}`,
    columns: [
      { key: 'client', label: 'Client', type: 'number', align: 'l' },
      ...Array.from({ length: classes }, (_, c) => ({ key: `class${c}`, label: escapeLatex(`class ${c}`), text: `class ${c}`, type: 'number' as const })),
      { key: 'total', label: 'Total', type: 'number' },
    ],
    rows: counts.map((row, k) => ({
      client: k,
      ...Object.fromEntries(row.map((n, c) => [`class${c}`, n])),
      total: row.reduce((a, b) => a + b, 0),
    })),
  };
};

