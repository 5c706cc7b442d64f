/**
 * The analyses' tables (shared/analysis-tables.ts) as exportable Tables: the shared model is the data;
 * this file only reads the artifacts of every repeat from the store and escapes the labels for LaTeX.
 */
import { analysisArtifactKind, type AnalysisArtifactShapes } from '../../shared/analysis-results';
import { distancesTable, resetTable, stabilityTable, type AnalysisTable } from '../../shared/analysis-tables';
import type { AnalysisId } from '../../shared/analysis-schemas';
import { byRepeat } from '../../shared/results';
import type { Store } from '../store';
import { escapeLatex } from './latex-escape';
import { dataColumn, type Table } from './table';

function perRepeat<I extends AnalysisId>(store: Store, runId: string, id: I) {
  const kind = analysisArtifactKind(id);
  type Json = AnalysisArtifactShapes[typeof kind];
  const all = byRepeat(kind, store.artifacts.list(runId, kind) as { name: string; json: Json }[]);
  if (all.length === 0) throw new Error(`run ${runId} has no ${id} analysis (add { "id": "${id}" } to evaluation.analyses and run it again)`);
  return all;
}

function asTable(t: AnalysisTable): Table {
  return {
    name: t.name,
    caption: t.caption,
    keyColumns: t.keyColumns,
    ...(t.note && { note: t.note }),
    columns: t.columns.map((c) => ({ ...dataColumn(c.key, { type: c.type, label: escapeLatex(c.label), align: c.type === 'string' ? 'l' : 'r' }) })),
    rows: t.rows,
  };
}

const runName = (store: Store, runId: string) => store.runs.get(runId)?.name ?? runId;

export const analysisDistancesTable = (store: Store, runId: string) => asTable(distancesTable(perRepeat(store, runId, 'distances'), runName(store, runId)));
export const analysisStabilityTable = (store: Store, runId: string) => asTable(stabilityTable(perRepeat(store, runId, 'stability'), runName(store, runId)));
export const analysisResetTable = (store: Store, runId: string) => asTable(resetTable(perRepeat(store, runId, 'reset'), runName(store, runId)));
