/**
 * The shape of a table exported as JSON (`fedmem export --format json`, the UI's "Export JSON"): the
 * one definition scripts, the exporter and the tests share. It mirrors the CSV of the same table:
 * `columns[i].key` is the CSV header, `rows` hold the cells keyed by it.
 */

/**
 * One type per column, as data tools expect: 'number' columns hold only numbers (missing, NaN and
 * infinite values become null, an empty CSV cell); 'string' columns hold only text. Yes/no facts are
 * numbers 0/1, so they sum and average in any tool.
 */
export const COLUMN_TYPES = ['number', 'string'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** The export formats of a run's tables (`runs:export`, `fedmem export --format`). */
export const EXPORT_FORMATS = ['csv', 'json', 'latex'] as const;

/**
 * Every table a run can be exported as (main/export/run-tables.ts builds each); the contract accepts only these names.
 */
export const RUN_TABLE_NAMES = [
  'table1',
  'examples',
  'importance',
  'time',
  'loss-surface',
  'csl',
  'rounds',
  'clients',
  'partition',
  'distances',
  'stability',
  'reset',
  'embeddings',
  'backdoor',
] as const;
export type RunTableName = (typeof RUN_TABLE_NAMES)[number];

/** A table name, checked as data: "__proto__" or "constructor" are not tables, whatever `in` says. */
export const isRunTable = (name: string): name is RunTableName => (RUN_TABLE_NAMES as readonly string[]).includes(name);
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The file name extension and MIME type of each format, for saving a download. */
export const EXPORT_FILE_TYPES: Record<ExportFormat, { extension: string; mime: string }> = {
  csv: { extension: 'csv', mime: 'text/csv' },
  json: { extension: 'json', mime: 'application/json' },
  latex: { extension: 'tex', mime: 'application/x-tex' },
};

export interface TableJsonColumn {
  key: string;
  /** Plain text (no LaTeX) for people. */
  label: string;
  type: ColumnType;
}

export interface TableJson {
  name: string;
  caption: string;
  columns: TableJsonColumn[];
  /**
   * One object per row with every column's key; number columns hold numbers or null, string columns strings or null.
   */
  rows: Record<string, number | string | null>[];
}
