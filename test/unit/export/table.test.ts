import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeLatex } from '../../../src/main/export/latex-escape';
import { LONG_TABLE_ROWS, splitColumns, toLatex } from '../../../src/main/export/latex-table';
import { toCsv } from '../../../src/main/export/data-files';
import type { Table } from '../../../src/main/export/table';

const table: Table = {
  name: 'demo',
  caption: 'Results for 50% of D_u & co',
  columns: [
    { key: 'method', label: 'Method', type: 'string', align: 'l' },
    { key: 'acc', label: 'Acc.', type: 'number' },
  ],
  rows: [
    { method: 'fed_mem "eraser", v2', acc: 0.91234567 },
    { method: 'retrain', acc: { value: 0.5, latex: '50.00 $\\pm$ 1.00', bold: true } },
    { method: 'empty', acc: null },
  ],
  note: 'fairness: sum over clients',
};
const float = { float: 'table*' as const };

test('CSV quotes fields with commas and quotes, keeps full precision, empty for null', () => {
  assert.equal(toCsv(table), 'method,acc\n"fed_mem ""eraser"", v2",0.91234567\nretrain,0.5\nempty,\n');
});

test('LaTeX: a short table is the chosen float with booktabs rules, escaped text, bold and -- for empty', () => {
  const tex = toLatex(table, float);
  assert.match(tex, /^% needs \\usepackage\{booktabs\}\n/);
  assert.match(tex, /\\begin\{table\*\}\[t\][\s\S]*\\end\{table\*\}/);
  assert.match(tex, /\\caption\{Results for 50\\% of D\\_u \\& co\}/);
  assert.match(tex, /\\toprule\nMethod & Acc\. \\\\\n\\midrule/);
  assert.match(tex, /fed\\_mem "eraser", v2 & 0\.9123 \\\\/);
  assert.match(tex, /retrain & \\textbf\{50\.00 \$\\pm\$ 1\.00\} \\\\/);
  assert.match(tex, /empty & -- \\\\\n\\bottomrule/);
  assert.match(tex, /\\begin\{tabular\}\{@\{\}lr@\{\}\}/);
  assert.match(toLatex(table, { float: 'table' }), /\\begin\{table\}\[t\]/);
});

test('LaTeX: a long table is a longtable with a repeated header, never a float', () => {
  const long: Table = {
    ...table,
    rows: Array.from({ length: LONG_TABLE_ROWS + 1 }, (_, i) => ({ method: `m${i}`, acc: i })),
  };
  const tex = toLatex(long, float);
  assert.match(tex, /^% needs \\usepackage\{booktabs,longtable\}/);
  assert.doesNotMatch(tex, /\\begin\{table/);
  // The header appears twice: once before \endfirsthead, again before \endhead.
  assert.equal(tex.match(/Method & Acc\. \\\\/g)!.length, 2);
  assert.match(tex, /\\endfirsthead[\s\S]*\\endhead[\s\S]*\\endfoot[\s\S]*\\endlastfoot\nm0 & 0/);
  assert.equal(toLatex({ ...long, rows: long.rows.slice(0, LONG_TABLE_ROWS) }, float).includes('longtable'), false);
});

test('wide tables split into column blocks that repeat the key columns and fit the width', () => {
  assert.deepEqual(splitColumns([50, 100, 100, 100, 100], 1, 260), [
    [0, 1, 2],
    [0, 3, 4],
  ]);
  assert.deepEqual(splitColumns([50, 40, 100, 100, 100], 2, 300), [
    [0, 1, 2, 3],
    [0, 1, 4],
  ]);
  assert.deepEqual(splitColumns([50, 20], 1, 10), [[0, 1]], 'a column wider than the page still prints, alone');
  const wide: Table = {
    name: 'wide',
    caption: 'c',
    columns: [
      { key: 'k', label: 'Key', type: 'string', align: 'l' },
      ...Array.from({ length: 30 }, (_, i) => ({ key: `c${i}`, label: `column ${i}`, type: 'number' as const })),
    ],
    rows: [{ k: 'a', ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`c${i}`, 1234.5678])) }],
  };
  const tex = toLatex(wide, float);
  const blocks = tex.match(/\\begin\{tabular\}/g)!.length;
  assert.ok(blocks >= 3, `${blocks} blocks`);
  assert.match(tex, /\(part 1 of \d+\)/);
  assert.equal(tex.match(/^Key & /gm)!.length, blocks, 'every block repeats the key column');
});

test('every ASCII LaTeX special is escaped', () => {
  assert.equal(
    escapeLatex('a\\b&c%d$e#f_g{h}i~j^k'),
    'a\\textbackslash{}b\\&c\\%d\\$e\\#f\\_g\\{h\\}i\\textasciitilde{}j\\textasciicircum{}k',
  );
  assert.equal(escapeLatex('a<b>c|d'), 'a\\textless{}b\\textgreater{}c\\textbar{}d');
});

test('Unicode: Greek and symbols become math (merged when adjacent), accented Latin stays UTF-8, the rest is ?', () => {
  assert.equal(escapeLatex('ρ=0.3'), '$\\rho$=0.3');
  assert.equal(escapeLatex('αβ Δ'), '$\\alpha\\beta$ $\\Delta$');
  assert.equal(escapeLatex('±1 ↓ 10⁻³'), '$\\pm$1 $\\downarrow$ 10${}^{-}{}^{3}$');
  assert.equal(escapeLatex('Müller’s café'), "Müller's café");
  assert.equal(escapeLatex('e\u0301'), 'é', 'combining accents are composed first');
  assert.equal(escapeLatex('$ρ'), '\\$$\\rho$', 'an escaped dollar never merges with math');
  assert.equal(escapeLatex('ŋ 🙂 中'), '? ? ?');
  assert.equal(escapeLatex('a\nb\tc\u0007'), 'a b c');
});
