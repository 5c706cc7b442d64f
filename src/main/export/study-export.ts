/**
 * A study's tables as files: the summary (the paper's ablation layout, study-table.ts) as LaTeX, CSV
 * or JSON, and every run of the study in one CSV/JSON/LaTeX table. The CLI, the desktop app and
 * browser mode export the same bytes.
 */
import { EXPORT_FILE_TYPES, type ExportFormat } from '../../shared/data-table';
import { DEFAULT_LATEX_OPTIONS, type LatexOptions } from '../../shared/latex-options';
import { studySchema } from '../../shared/study';
import { buildStudyTable, type StudyTable, type StudyTableOptions } from '../../shared/study-table';
import type { StudyRunResult } from '../../shared/study-types';
import { toCsv, toJson } from './data-files';
import { toLatex } from './latex-table';
import { studyLatex } from './latex-study-table';
import { studyRunsTable, studySummaryTable } from './study-data';

export const STUDY_TABLES = ['summary', 'runs'] as const;
export type StudyTableName = (typeof STUDY_TABLES)[number];

/** A file name from what the user named things: safe on every OS, at most 100 characters. */
export function fileStem(...parts: string[]): string {
  return (
    parts
      .join('-')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 100) || 'table'
  );
}

export function studyTableModel(definition: unknown, results: StudyRunResult[], o: StudyTableOptions = {}): StudyTable {
  return buildStudyTable(studySchema.parse(definition), results, o);
}

export function exportStudyTable(
  name: string,
  definition: unknown,
  results: StudyRunResult[],
  o: { format: ExportFormat; table?: StudyTableName; reference?: string; alpha?: number; latex?: LatexOptions },
): { fileName: string; text: string } {
  const table = o.table ?? 'summary';
  const latex = o.latex ?? DEFAULT_LATEX_OPTIONS;
  let text: string;
  if (table === 'runs') {
    const t = studyRunsTable(studySchema.parse(definition), results);
    text = o.format === 'csv' ? toCsv(t) : o.format === 'json' ? toJson(t) : toLatex(t, latex);
  } else {
    // Bold is judged at the printed precision, so the model is built at the LaTeX decimals.
    const model = studyTableModel(definition, results, {
      reference: o.reference,
      alpha: o.alpha,
      decimals: latex.decimals,
      blocks: latex.columns,
    });
    text =
      o.format === 'latex'
        ? studyLatex(model, latex, name)
        : o.format === 'csv'
          ? toCsv(studySummaryTable(model))
          : toJson(studySummaryTable(model));
  }
  return { fileName: `${fileStem(name, table)}.${EXPORT_FILE_TYPES[o.format].extension}`, text };
}
