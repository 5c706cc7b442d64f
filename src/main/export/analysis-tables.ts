/**
 * The analyses' tables (shared/analysis-tables.ts) as exportable Tables: the shared model is the data;
 * this file only reads the artifacts of every repeat from the store and escapes the labels for LaTeX.
 */
import { analysisArtifactKind, type AnalysisArtifactShapes } from '../../shared/analysis-results';
import {
  backdoorTable,
  distancesTable,
  embeddingsTable,
  resetTable,
  stabilityTable,
  type AnalysisTable,
} from '../../shared/analysis-tables';
import type { AnalysisId } from '../../shared/analysis-schemas';
import { byRepeat } from '../../shared/results';
import type { Store } from '../store';
import { escapeLatex } from './latex-escape';
import { dataColumn, type Cell, type CellValue, type Table } from './table';

function perRepeat<I extends AnalysisId>(store: Store, runId: string, id: I) {
  const kind = analysisArtifactKind(id);
  type Json = AnalysisArtifactShapes[typeof kind];
  const all = byRepeat(kind, store.artifacts.list(runId, kind) as { name: string; json: Json }[]);
  if (all.length === 0)
    throw new Error(
      `run ${runId} has no ${id} analysis (add { "id": "${id}" } to evaluation.analyses and run it again)`,
    );
  return all;
}

function asTable(t: AnalysisTable): Table {
  return {
    name: t.name,
    caption: t.caption,
    keyColumns: t.keyColumns,
    ...(t.note && { note: t.note }),
    columns: t.columns.map((c) => ({
      ...dataColumn(c.key, { type: c.type, label: escapeLatex(c.label), align: c.type === 'string' ? 'l' : 'r' }),
    })),
    rows: t.rows,
  };
}

const runName = (store: Store, runId: string) => store.runs.get(runId)?.name ?? runId;

/**
 * Model labels (methods' own labels can be long) would make the two key columns wider than a page, so
 * LaTeX shows M1, M2, ... with a legend under the table; CSV and JSON keep the labels.
 */
export function analysisDistancesTable(store: Store, runId: string): Table {
  const all = perRepeat(store, runId, 'distances');
  const t = asTable(distancesTable(all, runName(store, runId)));
  const labels = [...new Set(all.flatMap(({ json }) => json.models.map((m) => m.label)))];
  const code = (label: CellValue | Cell) => ({
    value: label as string,
    latex: `M${labels.indexOf(label as string) + 1}`,
  });
  return {
    ...t,
    note: `Models: ${labels.map((l, i) => `M${i + 1} = ${l}`).join(', ')}.`,
    rows: t.rows.map((r) => ({ ...r, from: code(r.from), to: code(r.to) })),
  };
}
export const analysisStabilityTable = (store: Store, runId: string) =>
  asTable(stabilityTable(perRepeat(store, runId, 'stability'), runName(store, runId)));
export const analysisResetTable = (store: Store, runId: string) =>
  asTable(resetTable(perRepeat(store, runId, 'reset'), runName(store, runId)));
export const analysisEmbeddingsTable = (store: Store, runId: string) =>
  asTable(embeddingsTable(perRepeat(store, runId, 'embeddings'), runName(store, runId)));
export const analysisBackdoorTable = (store: Store, runId: string) =>
  asTable(backdoorTable(perRepeat(store, runId, 'backdoor'), runName(store, runId)));
