/**
 * Table 1's significance marks and time columns, on a hand-made three-repeat report whose p-values are checked
 * against the closed form of Student's t with 2 degrees of freedom (a paired test over three repeats), and whose
 * Holm adjustment is worked by hand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Stat } from '../../../src/shared/results';
import { pairedSignificanceNote, untestedNote } from '../../../src/shared/paired-tests';
import { buildTable1, table1Columns } from '../../../src/shared/table1-model';
import {
  FME_TEST,
  FME_TOP,
  FT_TEST,
  FT_TOP,
  p2,
  REF_TEST,
  REF_TOP,
  st,
  tPaired,
  timedReport as report,
} from './table1-fixtures';

const col = (t: ReturnType<typeof buildTable1>, key: string) => t.columns.findIndex((c) => c.key === key);
const cellOf = (t: ReturnType<typeof buildTable1>, row: string, key: string) =>
  t.rows.find((r) => r.key === row)!.cells[col(t, key)];

describe('Table 1 significance against retraining', () => {
  const t = buildTable1(report());

  it("gives each cell the paired t-test's p over its repeats against the retrained row, equal to the closed form", () => {
    const ft = cellOf(t, 'unlearn:finetune', 'group0');
    const fme = cellOf(t, 'unlearn:fedmemeraser', 'group0');
    assert.ok(Math.abs(ft.p! - p2(tPaired(FT_TOP, REF_TOP))) < 1e-9, `${ft.p}`);
    assert.ok(Math.abs(fme.p! - p2(tPaired(FME_TOP, REF_TOP))) < 1e-9, `${fme.p}`);
    assert.ok(ft.p! < 0.001, 'Fine-tune clearly differs');
    assert.ok(fme.p! > 0.2, 'FedMemEraser does not');
    // Differences that do not vary (FedMemEraser's time, 20 s on every repeat against 100): t is infinite, p 0.
    assert.equal(cellOf(t, 'unlearn:fedmemeraser', 'time').p, 0);
    // Equal sides (fairness is the same on every row): p 1.
    assert.equal(cellOf(t, 'unlearn:finetune', 'fairness').p, 1);
  });

  it('adjusts every p by Holm over the tested cells of the table, worked by hand', () => {
    // Tested: original (group, D_u, test; it has no time), each method (group, D_u, test, fairness, time): 13 cells.
    assert.equal(t.significance.cells, 13);
    const cells = t.rows.flatMap((r) => r.cells).filter((c) => c.p !== null);
    assert.equal(cells.length, 13);
    // Three p = 0 (original group and D_u; FedMemEraser's constant 80 s shorter time) stay 0. Next, by rank
    // (0-based) i, the adjusted p is max over ranks <= i of (13 - rank) p: the original's test accuracy
    // (0.90 vs 0.86/0.87/0.88: differences 0.04, 0.03, 0.02) comes after Fine-tune's three tiny ones, at rank 6.
    const origTest = cellOf(t, 'original', 'test');
    assert.ok(Math.abs(origTest.p! - p2(tPaired([0.9, 0.9, 0.9], REF_TEST))) < 1e-9);
    assert.ok(Math.abs(origTest.pAdjusted! - 7 * origTest.p!) < 1e-9, `${origTest.pAdjusted} vs 7 x ${origTest.p}`);
    // Fine-tune's test accuracy, rank 7: (13 - 7) p, above the running maximum.
    const ftTest = cellOf(t, 'unlearn:finetune', 'test');
    assert.ok(Math.abs(ftTest.p! - p2(tPaired(FT_TEST, REF_TEST))) < 1e-9);
    assert.ok(Math.abs(ftTest.pAdjusted! - 6 * ftTest.p!) < 1e-9);
    for (const c of cells) assert.ok(c.pAdjusted! >= c.p! && c.pAdjusted! <= 1);
  });

  it('daggers the cells whose adjusted p < alpha and no others; the reference row is never tested', () => {
    assert.equal(cellOf(t, 'unlearn:finetune', 'group0').significant, true);
    assert.equal(cellOf(t, 'unlearn:fedmemeraser', 'group0').significant, false);
    assert.equal(cellOf(t, 'original', 'group0').significant, true, 'the original model is tested too');
    const ref = t.rows.find((r) => r.kind === 'retrained')!;
    assert.ok(ref.cells.every((c) => c.p === null && !c.significant));
    // The original's test accuracy: raw p 0.035 < 0.05, but 0.25 once adjusted: no dagger.
    const origTest = cellOf(t, 'original', 'test');
    assert.ok(origTest.p! < 0.05 && origTest.pAdjusted! > 0.05);
    assert.equal(origTest.significant, false);
    assert.equal(cellOf(t, 'unlearn:fedmemeraser', 'test').significant, false);
    assert.ok(Math.abs(cellOf(t, 'unlearn:fedmemeraser', 'test').p! - p2(tPaired(FME_TEST, REF_TEST))) < 1e-9);
  });

  it('uses the given alpha', () => {
    const loose = buildTable1(report(), { alpha: 0.3 });
    assert.equal(cellOf(loose, 'original', 'test').significant, true);
    assert.equal(loose.significance.alpha, 0.3);
    assert.ok(loose.notes.includes(pairedSignificanceNote('Retrained', 0.3, 13)));
  });

  it('says which test, the pairing and the family, once', () => {
    assert.deepEqual(t.significance, {
      alpha: 0.05,
      reference: 'Retrained',
      tested: true,
      note: pairedSignificanceNote('Retrained', 0.05, 13),
      cells: 13,
    });
    assert.match(t.significance.note, /paired t-test over the repeats \(rows share their seeds\), Holm-adjusted/);
    assert.equal(t.notes.filter((n) => n === t.significance.note).length, 1);
  });

  for (const repeats of [1, 2]) {
    it(`${repeats} repeat(s): no p, no marks, and the note says a test needs three or more`, () => {
      const few = report();
      few.repeats = repeats;
      const firstOf = (s: Stat | null) => s && st(s.values.slice(0, repeats) as number[]);
      for (const r of few.rows) {
        Object.assign(r, {
          groupAccuracy: [firstOf(r.groupAccuracy[0])],
          testAccuracy: firstOf(r.testAccuracy),
          unlearnAccuracy: firstOf(r.unlearnAccuracy),
          fairnessSum: firstOf(r.fairnessSum),
          fairnessMean: firstOf(r.fairnessMean),
          timeToPeakSeconds: firstOf(r.timeToPeakSeconds),
          speedup: firstOf(r.speedup),
        });
      }
      const tf = buildTable1(few);
      assert.ok(tf.rows.every((r) => r.cells.every((c) => !c.significant && c.p === null)));
      assert.equal(tf.significance.tested, false);
      assert.ok(tf.notes.includes(untestedNote(repeats)));
      assert.match(untestedNote(repeats), new RegExp(`3 or more repeats on each side, and this run has ${repeats}`));
      assert.ok(!tf.notes.some((n) => n.startsWith('†')));
    });
  }
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
    // Fine-tune 10, 12, 14 s against 100, 100, 100: differences -90, -88, -86, t = -88 / (2 / √3), 2 df.
    assert.ok(Math.abs(cellOf(t, 'unlearn:finetune', 'time').p! - p2(-88 / (2 / Math.sqrt(3)))) < 1e-9);
    assert.equal(cellOf(t, 'unlearn:finetune', 'time').significant, true);
    assert.equal(cellOf(t, 'unlearn:fedmemeraser', 'time').p, 0, '80 s shorter on every repeat: no variance, p 0');
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
    // Every cell still carries its own row's numbers: the column filter did not shift values. Holm's family is the
    // table's tested cells, so fewer columns adjust less (never more).
    const full = buildTable1(report());
    const numbers = ({ pAdjusted: _a, significant: _s, ...rest }: ReturnType<typeof cellOf>) => rest;
    for (const key of ['unlearn', 'test', 'time']) {
      const [mine, theirs] = [cellOf(t, 'unlearn:finetune', key), cellOf(full, 'unlearn:finetune', key)];
      assert.deepEqual(numbers(mine), numbers(theirs));
      assert.ok(mine.pAdjusted! <= theirs.pAdjusted!, key);
    }
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
