/** Tables every run has: per-round test metrics, per-client training loss, the partition. */
import type { Store } from '../store';
import type { Table } from './table';

export const roundsTable = (store: Store, runId: string): Table => ({
  name: 'rounds',
  keyColumns: 2,
  caption: `Per-round test metrics of run ${store.runs.get(runId)?.name ?? runId}`,
  columns: [
    { key: 'stage', label: 'Stage', align: 'l' },
    { key: 'round', label: 'Round' },
    { key: 'testAccuracy', label: 'Test acc.' },
    { key: 'testLoss', label: 'Test loss' },
    { key: 'trainLoss', label: 'Train loss' },
    { key: 'elapsedSeconds', label: 'Time (s)' },
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
  keyColumns: 3,
  caption: `Per-client training loss of run ${store.runs.get(runId)?.name ?? runId}`,
  columns: [
    { key: 'stage', label: 'Stage', align: 'l' },
    { key: 'round', label: 'Round' },
    { key: 'client', label: 'Client' },
    { key: 'trainLoss', label: 'Train loss' },
    { key: 'numExamples', label: 'Examples' },
  ],
  rows: store.metrics.clientRoundsFor(runId).map((c) => ({ ...c })),
});

/**
 * Clients as rows and classes as columns. LaTeX puts the longer side down the page (classes as rows
 * when there are more classes than clients, e.g. CIFAR-100 over ten clients), so the table grows into
 * a longtable rather than off the page; headers are bare numbers under a caption that says which.
 */
export const partitionTable = (store: Store, runId: string, format: 'csv' | 'latex' = 'csv'): Table => {
  const counts = store.artifacts.json(runId, 'partition')?.classCounts ?? [];
  const classes = counts[0]?.length ?? 0;
  const name = store.runs.get(runId)?.name ?? runId;
  if (format === 'latex' && classes > counts.length) {
    return {
      name: 'partition',
      caption: `Examples per client (columns: client 0 to ${counts.length - 1}) of each class, run ${name}`,
      columns: [
        { key: 'class', label: 'Class', align: 'l' },
        ...counts.map((_, k) => ({ key: `client${k}`, label: String(k) })),
        { key: 'total', label: 'Total' },
      ],
      rows: Array.from({ length: classes }, (_, c) => ({
        class: c,
        ...Object.fromEntries(counts.map((row, k) => [`client${k}`, row[c]])),
        total: counts.reduce((a, row) => a + row[c], 0),
      })),
    };
  }
  return {
    name: 'partition',
    caption: `Examples per class (columns: class 0 to ${classes - 1}) on each client, run ${name}`,
    columns: [
      { key: 'client', label: 'Client', align: 'l' },
      ...Array.from({ length: classes }, (_, c) => ({ key: `class${c}`, label: String(c) })),
      { key: 'total', label: 'Total' },
    ],
    rows: counts.map((row, k) => ({
      client: k,
      ...Object.fromEntries(row.map((n, c) => [`class${c}`, n])),
      total: row.reduce((a, b) => a + b, 0),
    })),
  };
};
