/**
 * Table 1's significance marks and time columns (issue 12), on a hand-made three-repeat report whose
 * p-values are checked against the closed form of Student's t with 4 degrees of freedom (two samples
 * of three with equal variances: Welch's df is exactly 2n - 2 = 4).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Stat } from '../../../src/shared/results';
import { ONE_REPEAT_SIGNIFICANCE_NOTE, significanceNote } from '../../../src/shared/significance';
import { buildTable1, table1Columns } from '../../../src/shared/table1-model';
import { FME_TOP, FT_TOP, p4, REF_TOP, st, t3, timedReport as report } from './table1-fixtures';

const col = (t: ReturnType<typeof buildTable1>, key: string) => t.columns.findIndex((c) => c.key === key);
const cellOf = (t: ReturnType<typeof buildTable1>, row: string, key: string) =>
  t.rows.find((r) => r.key === row)!.cells[col(t, key)];

describe('Table 1 significance against retraining', () => {
  const t = buildTable1(report());

  it('gives each cell the p of its repeats against the retrained row, equal to the closed form', () => {
    const ft = cellOf(t, 'unlearn:finetune', 'group0');
    const fme = cellOf(t, 'unlearn:fedmemeraser', 'group0');
    assert.ok(Math.abs(ft.p! - p4(t3(FT_TOP, REF_TOP))) < 1e-9, `${ft.p} vs ${p4(t3(FT_TOP, REF_TOP))}`);
    assert.ok(Math.abs(fme.p! - p4(t3(FME_TOP, REF_TOP))) < 1e-9, `${fme.p} vs ${p4(t3(FME_TOP, REF_TOP))}`);
    assert.ok(ft.p! < 0.001, 'Fine-tune clearly differs');
    assert.ok(fme.p! > 0.2, 'FedMemEraser does not');
  });

  it('marks significant cells (p < 0.05) and no others; the reference row is never tested', () => {
    assert.equal(cellOf(t, 'unlearn:finetune', 'group0').significant, true);
    assert.equal(cellOf(t, 'unlearn:fedmemeraser', 'group0').significant, false);
    assert.equal(cellOf(t, 'original', 'group0').significant, true, 'the original model is tested too');
    const ref = t.rows.find((r) => r.kind === 'retrained')!;
    assert.ok(ref.cells.every((c) => c.p === null && !c.significant));
    // Test accuracy: 0.89 vs 0.87 with sd 0.01 each: t = 2.449, p = 0.070 > 0.05.
    const testCell = cellOf(t, 'unlearn:finetune', 'test');
    assert.ok(Math.abs(testCell.p! - p4(t3([0.88, 0.89, 0.9], [0.86, 0.87, 0.88]))) < 1e-9);
    assert.equal(testCell.significant, false);
  });

  it('uses the given alpha', () => {
    const loose = buildTable1(report(), { alpha: 0.3 });
    assert.equal(
      cellOf(loose, 'unlearn:fedmemeraser', 'group0').significant,
      true,
      `p = ${cellOf(loose, 'unlearn:fedmemeraser', 'group0').p} < 0.3`,
    );
    assert.equal(loose.significance.alpha, 0.3);
    assert.ok(loose.notes.includes("† differs from Retrained by Welch's t-test, p < 0.3."));
  });

  it("says which test in the study tables' words, once", () => {
    assert.deepEqual(t.significance, {
      alpha: 0.05,
      reference: 'Retrained',
      tested: true,
      note: significanceNote('Retrained', 0.05),
    });
    assert.equal(t.notes.filter((n) => n === "† differs from Retrained by Welch's t-test, p < 0.05.").length, 1);
  });

  it('one repeat: no p, no marks, and the note says a test needs two or more repeats', () => {
    const one = report();
    one.repeats = 1;
    const first = (s: Stat | null) => s && st([s.values[0]!]);
    for (const r of one.rows) {
      Object.assign(r, {
        groupAccuracy: [first(r.groupAccuracy[0])],
        testAccuracy: first(r.testAccuracy),
        unlearnAccuracy: first(r.unlearnAccuracy),
        fairnessSum: first(r.fairnessSum),
        fairnessMean: first(r.fairnessMean),
        timeToPeakSeconds: first(r.timeToPeakSeconds),
        speedup: first(r.speedup),
      });
    }
    const t1 = buildTable1(one);
    assert.ok(t1.rows.every((r) => r.cells.every((c) => !c.significant)));
    assert.equal(cellOf(t1, 'unlearn:finetune', 'group0').p, null);
    assert.equal(t1.significance.tested, false);
    assert.ok(t1.notes.includes(ONE_REPEAT_SIGNIFICANCE_NOTE));
    assert.ok(!t1.notes.some((n) => n.startsWith('†')));
  });
});

describe('Table 1 time columns', () => {
  const t = buildTable1(report());

  it('adds time to peak (s, lower better) and speed-up (×, higher better) after fairness', () => {
    assert.deepEqual(
      t.columns.slice(-3).map((c) => [c.key, c.better, c.scale]),
      [
        ['fairness', 'lower', 1000],
        ['time', 'lower', 1],
        ['speedup', 'higher', 1],
      ],
    );
  });

  it('shows the mean ± std of the stored times; the original model has none', () => {
    assert.equal(cellOf(t, 'unlearn:finetune', 'time').text, '12.00 ± 2.00');
    assert.equal(cellOf(t, 'unlearn:fedmemeraser', 'time').text, '20.00 ± 0.00');
    assert.equal(cellOf(t, 'retrained', 'time').text, '100.00 ± 0.00');
    const speed = (10 + 100 / 12 + 100 / 14) / 3;
    assert.equal(cellOf(t, 'unlearn:finetune', 'speedup').mean, speed);
    assert.equal(cellOf(t, 'unlearn:finetune', 'speedup').text.split(' ')[0], speed.toFixed(2));
    assert.equal(cellOf(t, 'original', 'time').text, '—');
    assert.equal(cellOf(t, 'original', 'time').mean, null);
    assert.equal(cellOf(t, 'retrained', 'speedup').text, '—');
  });

  it('bolds the shortest time and the largest speed-up among the methods', () => {
    assert.equal(cellOf(t, 'unlearn:finetune', 'time').best, true);
    assert.equal(cellOf(t, 'unlearn:fedmemeraser', 'time').best, false);
    assert.equal(cellOf(t, 'unlearn:finetune', 'speedup').best, true);
    assert.equal(cellOf(t, 'unlearn:fedmemeraser', 'speedup').best, false);
    assert.equal(cellOf(t, 'retrained', 'time').best, false, 'retraining does not compete');
  });

  it('tests the time to peak against retraining too (the speed-up has no reference value)', () => {
    // Fine-tune 10, 12, 14 s against 100, 100, 100: Welch's df = 2, t = -88 / (2 / √3).
    const tt = -88 / (2 / Math.sqrt(3));
    const p2 = 1 - Math.abs(tt) / Math.sqrt(2 + tt * tt); // two-sided p of Student's t with 2 df
    assert.ok(Math.abs(cellOf(t, 'unlearn:finetune', 'time').p! - p2) < 1e-9);
    assert.equal(cellOf(t, 'unlearn:finetune', 'time').significant, true);
    assert.equal(cellOf(t, 'unlearn:fedmemeraser', 'time').p, null, 'no variance on either side: no test');
    assert.equal(cellOf(t, 'unlearn:finetune', 'speedup').p, null);
  });

  it('leaves the columns out when the report has no times, and the study tables never get them', () => {
    const r = report();
    r.rows.forEach((x) => ((x.timeToPeakSeconds = null), (x.speedup = null)));
    assert.deepEqual(
      buildTable1(r)
        .columns.map((c) => c.key)
        .slice(-1),
      ['fairness'],
    );
    assert.ok(!table1Columns(report()).some((m) => m.column.key === 'time'), 'table1Columns adds them only when asked');
    assert.ok(!buildTable1(report(), { time: false }).columns.some((c) => c.key === 'speedup'));
  });
});

describe('attack success column', () => {
  it('appears only when the report has an attack success rate, after test accuracy, in percent', () => {
    const plain = report();
    assert.equal(
      table1Columns(plain).some((m) => m.column.key === 'asr'),
      false,
    );
    const rates = [0.9, 0.1, 0.05, 0.02];
    const withAsr = {
      ...plain,
      rows: plain.rows.map((r, i) => ({ ...r, attackSuccessRate: st([rates[i % 4], rates[i % 4], rates[i % 4]]) })),
    };
    const cols = table1Columns(withAsr);
    const keys = cols.map((m) => m.column.key);
    assert.equal(keys.indexOf('asr'), keys.indexOf('test') + 1);
    const asr = cols.find((m) => m.column.key === 'asr')!;
    assert.equal(asr.column.scale, 100);
    assert.ok(Math.abs((asr.stat(withAsr.rows[1])?.mean ?? NaN) - 0.1) < 1e-12);
    assert.equal(buildTable1(withAsr).columns.filter((c) => c.key === 'asr').length, 1);
  });
});

describe('layouts by request (Appendix H.4)', () => {
  const withKind = (kind: 'clients' | 'class' | 'examples') => {
    const r = report();
    return { ...r, request: { ...r.request, kind, ...(kind === 'class' ? { class: 0 } : {}) } };
  };
  const keys = (t: ReturnType<typeof buildTable1>) => t.columns.map((c) => c.key);

  it('a class request takes Table H9: D_u and test accuracy (with the times), no groups or fairness, and says why', () => {
    const t = buildTable1(withKind('class'));
    assert.deepEqual(keys(t), ['unlearn', 'test', 'time', 'speedup']);
    assert.match(
      t.notes[0],
      /^Class-level request, Table H9 layout: the memorization groups and local fairness left out \(no retrained model/,
    );
    // Every cell still carries its own row's numbers: the column filter did not shift values.
    const full = buildTable1(report());
    for (const key of ['unlearn', 'test', 'time'])
      assert.deepEqual(cellOf(t, 'unlearn:finetune', key), cellOf(full, 'unlearn:finetune', key));
  });

  it('named blocks override the layout, with no layout note; examples and clients keep every block', () => {
    const t = buildTable1(withKind('class'), { blocks: ['groups', 'unlearn'] });
    assert.equal(keys(t).filter((k) => k.startsWith('group')).length, report().groups.length);
    assert.deepEqual(
      keys(t).filter((k) => !k.startsWith('group')),
      ['unlearn'],
    );
    assert.ok(!t.notes.some((n) => n.includes('Table H9')));
    assert.deepEqual(keys(buildTable1(withKind('examples'))), keys(buildTable1(withKind('clients'))));
    assert.ok(!buildTable1(withKind('examples')).notes.some((n) => n.includes('layout')));
  });
});
