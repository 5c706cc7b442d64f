/**
 * The tables a stored run can be exported as. Each builder reads only the store, so the CLI, the
 * desktop app and browser mode export the same bytes.
 */
import type { LatexOptions } from '../../shared/latex-options';
import { isRunTable, RUN_TABLE_NAMES, type ExportFormat, type RunTableName } from '../../shared/data-table';
import type { Store } from '../store';
import { toLatex } from './latex-table';
import { table1Latex } from './latex-table1';
import {
  cslTable,
  examplesTable,
  importanceTable,
  lossSurfaceTable,
  reportOf,
  table1For,
  timeTable,
} from './result-tables';
import { clientsTable, partitionTable, roundsTable } from './training-tables';
import type { Table } from './table';
import {
  analysisBackdoorTable,
  analysisDistancesTable,
  analysisEmbeddingsTable,
  analysisResetTable,
  analysisStabilityTable,
} from './analysis-tables';

/** `format` lets a builder lay a table out for LaTeX or for data files (CSV and JSON get the same table). */
export type TableBuilder = (store: Store, runId: string, format: ExportFormat) => Table;

export const RUN_TABLES: Record<RunTableName, TableBuilder> = {
  table1: table1For,
  examples: examplesTable,
  importance: importanceTable,
  time: timeTable,
  'loss-surface': lossSurfaceTable,
  csl: cslTable,
  rounds: roundsTable,
  clients: clientsTable,
  partition: partitionTable,
  distances: analysisDistancesTable,
  stability: analysisStabilityTable,
  reset: analysisResetTable,
  embeddings: analysisEmbeddingsTable,
  backdoor: analysisBackdoorTable,
};

/** Tables that have data for this run, main one first. */
export function availableTables(store: Store, runId: string): RunTableName[] {
  const has = (kind: string) => store.artifacts.list(runId, kind).length > 0;
  const out: RunTableName[] = [];
  if (has('report')) out.push('table1');
  if (has('examples')) out.push('examples');
  if (has('importance')) out.push('importance');
  if (has('time')) out.push('time');
  if (has('loss-surface')) out.push('loss-surface');
  if (has('csl')) out.push('csl');
  out.push('rounds', 'clients');
  if (has('partition')) out.push('partition');
  if (has('analysis-distances')) out.push('distances');
  if (has('analysis-stability')) out.push('stability');
  if (has('analysis-reset')) out.push('reset');
  if (has('analysis-embeddings')) out.push('embeddings');
  if (has('analysis-backdoor')) out.push('backdoor');
  return out;
}

/** The table `export` gives when --table is not named: Table 1 for unlearning runs. */
export function defaultTableName(store: Store, runId: string): RunTableName {
  return availableTables(store, runId)[0];
}

export function buildTable(store: Store, runId: string, name?: string, format: ExportFormat = 'csv'): Table {
  store.runs.require(runId);
  const key = name ?? defaultTableName(store, runId);
  if (!isRunTable(key)) throw new Error(`unknown table "${key}"; choose one of ${RUN_TABLE_NAMES.join(', ')}`);
  return RUN_TABLES[key](store, runId, format);
}

/**
 * Tables that LaTeX refuses, each with the one sentence saying why and where to go instead: they are
 * a figure's data, hundreds of rows per stage that no reader scans in a paper.
 */
export const LATEX_REFUSED: Partial<Record<RunTableName, string>> = {
  importance:
    'the importance table is the data of a figure (about a hundred percentiles per unlearning stage), not a table for a paper: export it with --format csv and plot it',
  stability:
    'the stability table is the data of a figure (one row per example of D_u), not a table for a paper: export it with --format csv and plot it',
  embeddings:
    'the embeddings table is the data of a figure (one row per point of each 2-D projection), not a table for a paper: export it with --format csv and plot it; its caption gives the overlap',
};

/** A table as LaTeX: Table 1 in its paper layout, the others fitted to a portrait page (latex-table.ts). */
export function buildLatex(
  store: Store,
  runId: string,
  name: string | undefined,
  opts: LatexOptions,
): { name: string; text: string } {
  const run = store.runs.require(runId);
  const key = name ?? defaultTableName(store, runId);
  const refused = Object.hasOwn(LATEX_REFUSED, key) ? LATEX_REFUSED[key as RunTableName] : undefined;
  if (refused) throw new LatexRefused(refused);
  if (key === 'table1') return { name: key, text: table1Latex(reportOf(store, runId), opts, run.name) };
  const table = buildTable(store, runId, key, 'latex');
  return { name: table.name, text: toLatex(table, opts) };
}

export class LatexRefused extends Error {}
