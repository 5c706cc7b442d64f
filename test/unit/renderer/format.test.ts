import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixed, formatDelta, formatSeconds, formatStat } from '../../../src/renderer/src/format/stat';
import { buildTable1, markBest, type Table1Row } from '../../../src/shared/table1-model';
import { makeReport, stat } from './fixtures';

describe('formatStat / formatDelta', () => {
  it('formats mean ± std in percent with two decimals', () => {
    assert.equal(formatStat(stat(0.8137, 0.0051)), '81.37 ± 0.51');
  });
  it('shows the mean alone without a std, and a dash without a mean', () => {
    assert.equal(formatStat(stat(0.5, null)), '50.00');
    assert.equal(formatStat(stat(null, null)), '—');
    assert.equal(formatStat(null), '—');
  });
  it('scales fairness by 10^3', () => {
    assert.equal(formatStat(stat(0.00091, 0.00001), 1000), '0.91 ± 0.01');
  });
  it('puts the delta in parentheses and leaves it out when absent', () => {
    assert.equal(formatDelta(0.0557), '(5.57)');
    assert.equal(formatDelta(null), '');
  });
  it('never prints -0.00', () => {
    assert.equal(fixed(-0.000001, 100), '0.00');
  });
  it('formats seconds for estimates and ETAs', () => {
    assert.equal(formatSeconds(12.4), '12 s');
    assert.equal(formatSeconds(600), '10 min 0 s');
    assert.equal(formatSeconds(7200), '2 h 0 min');
    assert.equal(formatSeconds(null), '—');
  });
});

describe('buildTable1', () => {
  const table = buildTable1(makeReport());
  it('has the GME groups, D_u, test and fairness columns with their arrows', () => {
    assert.deepEqual(
      table.columns.map((c) => [c.label, c.arrow]),
      [
        ['Group (90%,100%]', 'Δ ↓'],
        ['Group (80%,90%]', 'Δ ↓'],
        ['Group (0%,80%]', 'Δ ↓'],
        ['D_u acc. (%)', 'Δ ↓'],
        ['Test acc. (%)', '↑'],
        ['Local fairness (10⁻³, sum)', '↓'],
      ],
    );
  });
  it('lists the original for reference, the methods, then the retrained baseline', () => {
    assert.deepEqual(
      table.rows.map((r) => r.label),
      ['Original', 'Fine-tune', 'FedMemEraser', 'Retrained'],
    );
    assert.deepEqual(
      table.rows.map((r) => r.kind),
      ['original', 'method', 'method', 'retrained'],
    );
  });
  it('formats cells as mean ± std with the delta to retrained', () => {
    const ours = table.rows[2];
    assert.equal(ours.cells[0].text, '35.00 ± 1.00');
    assert.equal(ours.cells[0].delta, '(5.00)');
    assert.equal(ours.cells[3].text, '90.00 ± 0.50');
    assert.equal(ours.cells[3].delta, '(1.00)');
    assert.equal(ours.cells[4].text, '88.50 ± 0.20');
    assert.equal(ours.cells[4].delta, '');
    assert.equal(ours.cells[5].text, '0.91 ± 0.10');
  });
  it('gives the retrained row no deltas', () => {
    assert.ok(table.rows[3].cells.every((c) => c.delta === ''));
  });
  it('shows an empty group as a dash and bolds nothing there', () => {
    assert.ok(table.rows.every((r) => r.cells[1].text === '—' && !r.cells[1].best));
  });
  it('bolds the smallest delta, the highest test accuracy and the lowest fairness among methods', () => {
    const [original, ft, ours, retrained] = table.rows;
    assert.deepEqual(
      ours.cells.map((c) => c.best),
      [true, false, true, true, true, true],
    );
    assert.deepEqual(
      ft.cells.map((c) => c.best),
      [false, false, false, false, false, false],
    );
    // Neither the retrained baseline (lowest fairness) nor the original (highest test accuracy) competes.
    assert.ok(retrained.cells.every((c) => !c.best));
    assert.ok(original.cells.every((c) => !c.best));
  });
  it("uses the report's fairness variant", () => {
    const r = makeReport();
    r.fairness = 'mean';
    const t = buildTable1(r);
    assert.equal(t.rows[2].cells[5].mean, 0.00091 / 3);
    assert.match(t.columns[5].label, /mean/);
  });
});

describe('markBest', () => {
  const cell = (mean: number | null, deltaValue: number | null = null) => ({
    text: '',
    delta: '',
    best: false,
    mean,
    std: null,
    deltaValue,
    p: null,
    significant: false,
  });
  const rows = (): Table1Row[] => [
    { key: 'a', label: 'a', kind: 'method', cells: [cell(0.5, 0.1)] },
    { key: 'b', label: 'b', kind: 'method', cells: [cell(0.7, 0.1)] },
    { key: 'r', label: 'r', kind: 'retrained', cells: [cell(0.9)] },
  ];
  it('picks the higher mean when higher is better', () => {
    const r = rows();
    markBest(r, 0, { better: 'higher', compares: 'mean' });
    assert.deepEqual(
      r.map((x) => x.cells[0].best),
      [false, true, false],
    );
  });
  it('picks the lower mean when lower is better', () => {
    const r = rows();
    markBest(r, 0, { better: 'lower', compares: 'mean' });
    assert.deepEqual(
      r.map((x) => x.cells[0].best),
      [true, false, false],
    );
  });
  it('bolds every tie on the delta', () => {
    const r = rows();
    markBest(r, 0, { better: 'lower', compares: 'delta' });
    assert.deepEqual(
      r.map((x) => x.cells[0].best),
      [true, true, false],
    );
  });
  it('bolds values that print the same alike (a tie at the printed precision), not ones that print differently', () => {
    const r = rows();
    r[0].cells[0].deltaValue = 0.123401; // 12.34 %
    r[1].cells[0].deltaValue = 0.123449; // 12.34 %
    markBest(r, 0, { better: 'lower', compares: 'delta', scale: 100 }, 2);
    assert.deepEqual(
      r.map((x) => x.cells[0].best),
      [true, true, false],
    );
    const s = rows();
    s[0].cells[0].deltaValue = 0.1234;
    s[1].cells[0].deltaValue = 0.1236; // 12.36 %: not a tie
    markBest(s, 0, { better: 'lower', compares: 'delta', scale: 100 }, 2);
    assert.deepEqual(
      s.map((x) => x.cells[0].best),
      [true, false, false],
    );
  });
  it('buildTable1 judges ties at its decimals: the Vue table, LaTeX and the CLI bold the same cells', () => {
    const r = makeReport();
    const methods = r.rows.filter((x) => x.kind === 'method');
    methods[0].testAccuracy = { mean: 0.91234, std: null, values: [0.91234] };
    methods[1].testAccuracy = { mean: 0.91231, std: null, values: [0.91231] };
    const test = (t: ReturnType<typeof buildTable1>) =>
      t.rows.filter((x) => x.kind === 'method').map((x) => x.cells[t.columns.findIndex((c) => c.key === 'test')].best);
    assert.deepEqual(test(buildTable1(r)), [true, true], '91.23 and 91.23');
    assert.deepEqual(test(buildTable1(r, { decimals: 3 })), [true, false], '91.234 beats 91.231');
  });
  it('shows no std for a single repeat', () => {
    const r = makeReport();
    r.rows.find((x) => x.key === 'unlearn:finetune')!.testAccuracy = { mean: 0.9, std: 0, values: [0.9] };
    const t = buildTable1(r);
    const c = t.columns.findIndex((x) => x.key === 'test');
    const row = t.rows.find((x) => x.key === 'unlearn:finetune')!;
    assert.equal(row.cells[c].std, null);
    assert.equal(row.cells[c].text, '90.00');
    assert.equal(
      t.rows.find((x) => x.key === 'unlearn:fedmemeraser')!.cells[c].text,
      '88.50 ± 0.20',
      'two repeats keep theirs',
    );
  });
  it('treats float noise as a tie', () => {
    const r = rows();
    r[0].cells[0].deltaValue = 0.1 + 0.2;
    r[1].cells[0].deltaValue = 0.3;
    markBest(r, 0, { better: 'lower', compares: 'delta' });
    assert.deepEqual(
      r.map((x) => x.cells[0].best),
      [true, true, false],
    );
  });
});
