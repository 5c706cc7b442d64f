/** Tables every run has: per-round test metrics, per-client training loss, the partition. */
import type { ExportFormat } from '../../shared/data-table';
import type { Store } from '../store';
import type { Table } from './table';

export const roundsTable = (store: Store, runId: string): Table => ({
  name: 'rounds',
  keyColumns: 2,
  caption: `Per-round test metrics of run ${store.runs.get(runId)?.name ?? runId}`,
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
  keyColumns: 3,
  caption: `Per-client training loss of run ${store.runs.get(runId)?.name ?? runId}`,
  columns: [
    { key: 'stage', label: 'Stage', type: 'string', align: 'l' },
    { key: 'round', label: 'Round', type: 'number' },
    { key: 'client', label: 'Client', type: 'number' },
    { key: 'trainLoss', label: 'Train loss', type: 'number' },
    { key: 'numExamples', label: 'Examples', type: 'number' },
  ],
  rows: store.metrics.clientRoundsFor(runId).map((c) => ({ ...c })),
});

/**
 * Clients as rows and classes as columns. LaTeX puts the longer side down the page (classes as rows
 * when there are more classes than clients, e.g. CIFAR-100 over ten clients), so the table grows into
 * a longtable rather than off the page; headers are bare numbers under a caption that says which.
 */
export const partitionTable = (store: Store, runId: string, format: ExportFormat = 'csv'): Table => {
  const counts = store.artifacts.json(runId, 'partition')?.classCounts ?? [];
  const classes = counts[0]?.length ?? 0;
  const name = store.runs.get(runId)?.name ?? runId;
  if (format === 'latex' && classes > counts.length) {
    return {
      name: 'partition',
      caption: `Examples per client (columns: client 0 to ${counts.length - 1}) of each class, run ${name}`,
      columns: [
        { key: 'class', label: 'Class', type: 'number', align: 'l' },
        ...counts.map((_, k) => ({ key: `client${k}`, label: String(k), type: 'number' as const })),
        { key: 'total', label: 'Total', type: 'number' },
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
      { key: 'client', label: 'Client', type: 'number', align: 'l' },
      ...Array.from({ length: classes }, (_, c) => ({
        key: `class${c}`,
        label: String(c),
        text: `class ${c}`,
        type: 'number' as const,
      })),
      { key: 'total', label: 'Total', type: 'number' },
    ],
    rows: counts.map((row, k) => ({
      client: k,
      ...Object.fromEntries(row.map((n, c) => [`class${c}`, n])),
      total: row.reduce((a, b) => a + b, 0),
    })),
  };
};
