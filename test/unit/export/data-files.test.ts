import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvNumber, dataCells, tableJson, toCsv, toJson } from '../../../src/main/export/data-files';
import type { Table } from '../../../src/main/export/table';
import type { TableJson } from '../../../src/shared/data-table';

const table: Table = {
  name: 'demo',
  caption: 'Accuracy, "quoted" ρ=0.3',
  columns: [
    { key: 'method', label: 'Method', type: 'string', align: 'l' },
    { key: 'acc_pct', label: 'acc\\_pct', text: 'acc_pct', type: 'number' },
    { key: 'noisy', label: 'Noisy', type: 'number' },
  ],
  rows: [
    {
      method: 'Fine_tune, "quoted" 100% ρ=0.3',
      acc_pct: { value: 12.5, latex: '12.50 $\\pm$ 0.00', bold: true },
      noisy: 1,
    },
    { method: 'two\nlines', acc_pct: NaN, noisy: 0 },
    { method: null, acc_pct: -Infinity, noisy: null },
    { method: 'tiny', acc_pct: 1e-7 / 3, noisy: 0 },
  ],
};

test('CSV: RFC 4180 quoting, UTF-8 text as is, empty fields for null/NaN/Infinity, full precision', () => {
  const csv = toCsv(table);
  assert.equal(
    csv,
    'method,acc_pct,noisy\n"Fine_tune, ""quoted"" 100% ρ=0.3",12.5,1\n"two\nlines",,0\n,,\ntiny,3.3333333333333334e-8,0\n',
  );
  assert.ok(!/NaN|Infinity|--/.test(csv));
  assert.notEqual(csv.charCodeAt(0), 0xfeff, 'no byte-order mark');
  // The shortest round-trip text: parsing it back gives the same double.
  assert.equal(Number(csv.trim().split('\n').at(-1)!.split(',')[1]), 1e-7 / 3);
});

test('JSON: name, caption, typed columns with plain labels, rows keyed by column, null for missing', () => {
  const parsed = JSON.parse(toJson(table)) as TableJson;
  assert.deepEqual(parsed, tableJson(table));
  assert.deepEqual(Object.keys(parsed), ['name', 'caption', 'columns', 'rows']);
  assert.deepEqual(parsed.columns, [
    { key: 'method', label: 'Method', type: 'string' },
    { key: 'acc_pct', label: 'acc_pct', type: 'number' },
    { key: 'noisy', label: 'Noisy', type: 'number' },
  ]);
  assert.deepEqual(parsed.rows, [
    { method: 'Fine_tune, "quoted" 100% ρ=0.3', acc_pct: 12.5, noisy: 1 },
    { method: 'two\nlines', acc_pct: null, noisy: 0 },
    { method: null, acc_pct: null, noisy: null },
    { method: 'tiny', acc_pct: 1e-7 / 3, noisy: 0 },
  ]);
  // One line per row, so long tables diff line by line.
  assert.equal(
    toJson(table)
      .split('\n')
      .filter((l) => l.trimStart().startsWith('{"method"')).length,
    4,
  );
});

test('JSON of a table without rows is still valid', () => {
  assert.deepEqual(JSON.parse(toJson({ ...table, rows: [] })).rows, []);
});

test('a cell of the wrong type for its column is refused with the table, column and row named', () => {
  const mixed: Table = { ...table, rows: [{ method: 'a', acc_pct: '--', noisy: 0 }] };
  assert.throws(() => dataCells(mixed), /table demo: column acc_pct holds numbers but row 0 has "--"/);
  assert.throws(() => toCsv({ ...table, rows: [{ method: 3, acc_pct: 1, noisy: 0 }] }), /column method holds strings/);
});

test('CSV numbers: plain from 0.1 up, exponent form below (pandas reads those to an ulp), always round-trip', () => {
  assert.equal(csvNumber(97.53), '97.53');
  assert.equal(csvNumber(0.25), '0.25');
  assert.equal(csvNumber(1200), '1200');
  assert.equal(csvNumber(0), '0');
  assert.equal(csvNumber(0.000011719763278961182), '1.1719763278961182e-5');
  assert.equal(csvNumber(-0.05), '-5e-2');
  for (const v of [0.1, 0.09999999999999999, 1 / 3, -2 / 300, 1e-300, 5e-324, 123456789.123, 1e21])
    assert.equal(Number(csvNumber(v)), v, String(v));
});
