import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeLatex, toCsv, toLatex, type Table } from '../../../src/main/export/table';

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

test('CSV quotes fields with commas and quotes, keeps full precision, empty for null', () => {
  assert.equal(toCsv(table), 'method,acc\n"fed_mem ""eraser"", v2",0.91234567\nretrain,0.5\nempty,\n');
});

test('LaTeX escapes specials, uses booktabs rules, bold and -- for empty', () => {
  const tex = toLatex(table);
  assert.match(tex, /\\caption\{Results for 50\\% of D\\_u \\& co\}/);
  assert.match(tex, /\\toprule\nMethod & Acc\. \\\\\n\\midrule/);
  assert.match(tex, /fed\\_mem "eraser", v2 & 0\.9123 \\\\/);
  assert.match(tex, /retrain & \\textbf\{50\.00 \$\\pm\$ 1\.00\} \\\\/);
  assert.match(tex, /empty & -- \\\\\n\\bottomrule/);
  assert.match(tex, /\\begin\{tabular\}\{lr\}/);
});

test('every LaTeX special character is escaped', () => {
  assert.equal(escapeLatex('a\\b&c%d$e#f_g{h}i~j^k'), 'a\\textbackslash{}b\\&c\\%d\\$e\\#f\\_g\\{h\\}i\\textasciitilde{}j\\textasciicircum{}k');
});
