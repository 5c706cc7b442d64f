/**
 * The tables a stored run can be exported as. Each builder reads only the store, so the CLI, the
 * desktop app and browser mode export the same bytes.
 */
import type { ExportFormat } from '../../shared/data-table';
import type { Store } from '../store';
import { cslTable, examplesTable, importanceTable, lossSurfaceTable, table1For, timeTable } from './result-tables';
import { clientsTable, partitionTable, roundsTable } from './training-tables';
import type { Table } from './table';

/** `format` lets a builder lay a table out for LaTeX or for data files (CSV and JSON get the same table). */
export type TableBuilder = (store: Store, runId: string, format: ExportFormat) => Table;

export const RUN_TABLES: Record<string, TableBuilder> = {
  table1: table1For,
  examples: examplesTable,
  importance: importanceTable,
  time: timeTable,
  'loss-surface': lossSurfaceTable,
  csl: cslTable,
  rounds: roundsTable,
  clients: clientsTable,
  partition: partitionTable,
};

/** Tables that have data for this run, main one first. */
export function availableTables(store: Store, runId: string): string[] {
  const has = (kind: string) => store.artifacts.list(runId, kind).length > 0;
  const out: string[] = [];
  if (has('report')) out.push('table1');
  if (has('examples')) out.push('examples');
  if (has('importance')) out.push('importance');
  if (has('time')) out.push('time');
  if (has('loss-surface')) out.push('loss-surface');
  if (has('csl')) out.push('csl');
  out.push('rounds', 'clients');
  if (has('partition')) out.push('partition');
  return out;
}

/** The table `export` gives when --table is not named: Table 1 for unlearning runs. */
export function defaultTableName(store: Store, runId: string): string {
  return availableTables(store, runId)[0];
}

export function buildTable(store: Store, runId: string, name?: string, format: ExportFormat = 'csv'): Table {
  store.runs.require(runId);
  const key = name ?? defaultTableName(store, runId);
  const builder = RUN_TABLES[key];
  if (!builder) throw new Error(`unknown table "${key}"; choose one of ${Object.keys(RUN_TABLES).join(', ')}`);
  return builder(store, runId, format);
}
