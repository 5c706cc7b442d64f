/**
 * A Table as the data files scripts read: CSV (RFC 4180 quoting, a header of column keys, UTF-8
 * without a byte-order mark) and JSON (shared/data-table.ts). Both go through `dataCells`, so they
 * hold the same values and a column never mixes types: a number column's missing, NaN or infinite
 * value is null (an empty CSV field), never "--", "NaN" or "Infinity", which would turn the whole
 * column into text in pandas or a spreadsheet.
 */
import type { TableJson } from '../../shared/data-table';
import { cellOf, type Table } from './table';

type DataValue = string | number | null;

/**
 * The rows as plain values, checked against each column's declared type. A cell of the wrong type is
 * a bug in the table's builder; throwing names it, where writing it would silently break the column.
 */
export function dataCells(t: Table): DataValue[][] {
  return t.rows.map((row, r) =>
    t.columns.map((c) => {
      const v = cellOf(row[c.key]).value;
      if (v === null) return null;
      if (c.type === 'number' && typeof v === 'number') return Number.isFinite(v) ? v : null;
      if (c.type === 'string' && typeof v === 'string') return v;
      throw new Error(`table ${t.name}: column ${c.key} holds ${c.type}s but row ${r} has ${JSON.stringify(v)}`);
    }),
  );
}

/**
 * The shortest text that reads back to the same double, with a '.' decimal. Below 0.1 it is written
 * in exponent form: pandas' default CSV parser loses up to 1e-10 (relative) on long decimals with
 * leading zeros such as 0.000011719763278961182, but reads 1.1719763278961182e-5 to within an ulp
 * (measured on 200,000 random doubles with pandas 1.5).
 */
export function csvNumber(v: number): string {
  return v !== 0 && Math.abs(v) < 0.1 ? v.toExponential() : String(v);
}

function csvField(v: DataValue): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? csvNumber(v) : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * RFC 4180 CSV: a header of column keys, then one line per row; empty field for null. Lines end in
 * LF, which every CSV reader accepts; no BOM, because pandas and csv modules reading UTF-8 would keep
 * it as part of the first header name.
 */
export function toCsv(t: Table): string {
  const lines = [t.columns.map((c) => csvField(c.key)).join(',')];
  for (const cells of dataCells(t)) lines.push(cells.map(csvField).join(','));
  return lines.join('\n') + '\n';
}

export function tableJson(t: Table): TableJson {
  const cells = dataCells(t);
  return {
    name: t.name,
    caption: t.caption,
    columns: t.columns.map((c) => ({ key: c.key, label: c.text ?? c.label, type: c.type })),
    rows: cells.map((row) => Object.fromEntries(t.columns.map((c, i) => [c.key, row[i]]))),
  };
}

/** The JSON text: one line per column and per row, so a 600-row table stays readable and diffable. */
export function toJson(t: Table): string {
  const j = tableJson(t);
  const list = (xs: unknown[]) =>
    xs.length ? `[\n    ${xs.map((x) => JSON.stringify(x)).join(',\n    ')}\n  ]` : '[]';
  return `{\n  "name": ${JSON.stringify(j.name)},\n  "caption": ${JSON.stringify(j.caption)},\n  "columns": ${list(j.columns)},\n  "rows": ${list(j.rows)}\n}\n`;
}
