/**
 * Collapsed methods (shared/collapse.ts) in Table 1: a method whose test accuracy fell more than 20 points below
 * retraining's is named in the notes and the CSV and never bolded, even where its |Δ| is the smallest; the rule's
 * boundary; and methods that train nothing get no time to peak, with a note.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { table1Csv } from '../../../src/main/export/table1';
import { collapsedRows, COLLAPSE_POINTS } from '../../../src/shared/collapse';
import { buildTable1 } from '../../../src/shared/table1-model';
import { st, timedReport } from './table1-fixtures';

/** The fixture with FedMemEraser's test accuracy set to `test` (retrained: 0.86-0.88, mean 0.87). */
function withEraserTest(test: number) {
  const report = timedReport();
  const eraser = report.rows.find((r) => r.key === 'unlearn:fedmemeraser')!;
  eraser.testAccuracy = st([test, test, test]);
  return report;
}

describe('collapsed methods', () => {
  it('a method 20.5 points below retraining is collapsed: named, never bold, 1 in the CSV', () => {
    const report = withEraserTest(0.665);
    assert.deepEqual(
      collapsedRows(report).map((c) => c.label),
      ['FedMemEraser'],
    );
    const t = buildTable1(report);
    const eraser = t.rows.find((r) => r.label === 'FedMemEraser')!;
    const finetune = t.rows.find((r) => r.label === 'Fine-tune')!;
    assert.equal(eraser.collapsed, true);
    assert.equal(finetune.collapsed, undefined);
    // FedMemEraser is within noise of retraining on the group (the smallest |Δ|), yet not bold: Fine-tune is.
    const group = t.columns.findIndex((c) => c.group === 'gme');
    assert.equal(eraser.cells[group].best, false);
    assert.equal(finetune.cells[group].best, true);
    assert.ok(
      eraser.cells.every((c) => !c.best),
      'no column bolds a collapsed method',
    );
    const note = t.notes.find((n) => n.startsWith('Collapsed'));
    assert.match(note ?? '', /FedMemEraser \(test 66\.5%\).*more than 20 points below.*87\.0%/);
    const csv = table1Csv(report).rows;
    assert.deepEqual(
      csv.map((r) => [r.method, r.collapsed]),
      [
        ['Original', 0],
        ['Fine-tune', 0],
        ['FedMemEraser', 1],
        ['Retrained', 0],
      ],
    );
  });

  it('19.5 points below is not collapsed, and without collapse the closest method is bold', () => {
    assert.equal(COLLAPSE_POINTS, 0.2);
    const report = withEraserTest(0.675);
    assert.deepEqual(collapsedRows(report), []);
    const t = buildTable1(report);
    const group = t.columns.findIndex((c) => c.group === 'gme');
    assert.equal(t.rows.find((r) => r.label === 'FedMemEraser')!.cells[group].best, true);
    assert.ok(!t.notes.some((n) => n.startsWith('Collapsed')));
  });

  it('a method that trains nothing shows no time to peak or speed-up, and the notes say why', () => {
    const report = timedReport();
    const eraser = report.rows.find((r) => r.key === 'unlearn:fedmemeraser')!;
    eraser.timeToPeakSeconds = null;
    eraser.speedup = null;
    const t = buildTable1(report);
    const speedup = t.columns.findIndex((c) => c.key === 'speedup');
    assert.ok(speedup >= 0);
    const row = t.rows.find((r) => r.label === 'FedMemEraser')!;
    assert.equal(row.cells[speedup].mean, null);
    assert.equal(row.cells[speedup].best, false);
    assert.ok(t.notes.some((n) => /^FedMemEraser: no time to peak or speed-up \(—\): it trains nothing/.test(n)));
    assert.ok(!buildTable1(timedReport()).notes.some((n) => n.includes('trains nothing')));
  });
});
