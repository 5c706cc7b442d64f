/**
 * A study's ablation table: layouts, pooling over seeds and repeats, Δ, Welch significance and best, against
 * hand-worked numbers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { studentTwoSidedP, welchTest } from '../../../src/shared/significance';
import { buildStudyTable, type StudyTable } from '../../../src/shared/study-table';
import { flat, report, result, same, study } from './study-fixtures';

const close = (a: number | null, b: number, what: string, tol = 1e-12) =>
  assert.ok(a !== null && Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const rowOf = (t: StudyTable, label: string, block = 0) => {
  const r = t.blocks[block].rows.find((x) => x.label === label);
  assert.ok(r, `no row ${label} in block ${block}: ${t.blocks[block].rows.map((x) => x.label).join(', ')}`);
  return r;
};
const col = (t: StudyTable, key: string) => t.columns.findIndex((c) => c.key === key);

// ρ swept over 0.2 and 0.4, two seeds, two repeats. Fine-tune and the retrained baseline do not depend
// on ρ: each cell ran them with the same seeds (cell ρ=0.4's copy of seed 0 differs on group 0, repeat 0,
// 0.12 against 0.10, to show the copies are averaged, not counted twice).
const R = 2;
const retrained = (seed: number, copy: 'a' | 'b') => ({
  g0: seed === 0 ? [copy === 'a' ? 0.1 : 0.12, 0.11] : [0.12, 0.13],
  g1: same(0.5, R),
  du: same(0.6, R),
  test: seed === 0 ? [0.02, 0.04] : [0.06, 0.08],
  fair: same(0.002, R),
});
const fme = {
  0.2: [
    { g0: [0.9, 0.91], g1: same(0.5, R), du: [0.6, 0.62], test: [0.01, 0.02], fair: [0.001, 0.002] },
    { g0: [0.92, 0.93], g1: same(0.5, R), du: [0.6, 0.62], test: [0.03, 0.04], fair: [0.003, 0.004] },
  ],
  0.4: [
    { g0: [0.2, 0.3], g1: same(0.5, R), du: [0.61, 0.61], test: [0.5, 0.5], fair: [0.002, 0.002] },
    { g0: [0.4, null], g1: same(0.5, R), du: [0.61, 0.61], test: [0.5, 0.5], fair: [0.002, 0.002] },
  ],
};
const rhoStudy = study({ axes: [{ path: 'unlearning.methods[fedmemeraser].rho', values: [0.2, 0.4] }], seeds: 2 });
const rhoResults = ([0.2, 0.4] as const).flatMap((rho) =>
  [0, 1].map((s) =>
    result(
      `rho=${rho}`,
      [rho],
      s,
      report(
        {
          original: flat(0.95, R),
          'unlearn:finetune': flat(0.8, R),
          'unlearn:fedmemeraser': fme[rho][s],
          retrained: retrained(s, rho === 0.2 ? 'a' : 'b'),
        },
        R,
      ),
    ),
  ),
);

test('flat layout (Table F2): one row per ρ for the swept method, then the rows ρ does not change, once', () => {
  const t = buildStudyTable(rhoStudy, rhoResults, {});
  assert.equal(t.layout, 'flat');
  assert.equal(t.stubLabel, 'ρ');
  assert.deepEqual(t.swept, { label: 'FedMemEraser', parameter: 'ρ' });
  assert.equal(t.blocks.length, 1);
  assert.deepEqual(
    t.blocks[0].rows.map((r) => r.label),
    ['0.2', '0.4', 'Fine-tune', 'Retrained baseline'],
    'no original row',
  );
  assert.deepEqual(
    t.blocks[0].rows.map((r) => r.values),
    [[0.2], [0.4], null, null],
  );
  assert.deepEqual(
    t.columns.map((c) => c.key),
    ['group0', 'group1', 'unlearn', 'test', 'fairness'],
    "Table 1's columns",
  );
  assert.equal(t.reference.label, 'Retrained baseline');

  // ρ = 0.2, group 0: 0.90, 0.91, 0.92, 0.93 -> mean 0.915, sample variance 0.0005 / 3, n = 4.
  const r02 = rowOf(t, '0.2');
  const g = col(t, 'group0');
  close(r02.cells[g].mean, 0.915, 'mean');
  close(r02.cells[g].std, Math.sqrt(0.0005 / 3), 'std');
  assert.equal(r02.cells[g].n, 4);
  assert.equal(r02.cells[g].text, '91.50 ± 1.29');
  assert.deepEqual([r02.runs, r02.n], [2, 4]);
  // The retrained pool counts each seed once: (0.10 + 0.12) / 2, 0.11, 0.12, 0.13 -> mean 0.1175, n = 4 (not 8).
  const ref = rowOf(t, 'Retrained baseline');
  assert.deepEqual([ref.runs, ref.n, ref.cells[g].n], [2, 4, 4]);
  close(ref.cells[g].mean, 0.1175, 'retrained mean');
  assert.equal(ref.reference, true);
  assert.ok(
    ref.cells.every((c) => c.deltaValue === null && c.p === null && !c.significant),
    'the reference has no Δ and no test',
  );
  // Δ = |0.915 - 0.1175|; none on test accuracy and fairness.
  close(r02.cells[g].deltaValue, 0.7975, 'Δ', 1e-12);
  assert.equal(r02.cells[g].delta, '(79.75)');
  assert.equal(r02.cells[col(t, 'test')].deltaValue, null);
  assert.equal(r02.cells[col(t, 'fairness')].deltaValue, null);
  // ρ = 0.4: the null repeat is skipped: 0.2, 0.3, 0.4 -> mean 0.3, std 0.1, n 3; Δ 0.1825, the smallest: bold.
  const r04 = rowOf(t, '0.4');
  close(r04.cells[g].mean, 0.3, 'mean 0.4');
  close(r04.cells[g].std, 0.1, 'std 0.4');
  assert.equal(r04.cells[g].n, 3);
  assert.deepEqual(
    t.blocks[0].rows.map((r) => r.cells[g].best),
    [false, true, false, false],
  );
  // Test accuracy: Fine-tune's 0.8 is the highest; fairness ×10^-3: 2.50, 2.00, 8.00 -> ρ = 0.4.
  assert.deepEqual(
    t.blocks[0].rows.map((r) => r.cells[col(t, 'test')].best),
    [false, false, true, false],
  );
  assert.deepEqual(
    t.blocks[0].rows.map((r) => r.cells[col(t, 'fairness')].best),
    [false, true, false, false],
  );
  // D_u: |0.61 - 0.6| for both ρ rows (0.61 and 0.6 + 0.01), 0.2 for Fine-tune: a tie at the printed precision, both
  // bold.
  assert.deepEqual(
    t.blocks[0].rows.map((r) => r.cells[col(t, 'unlearn')].best),
    [true, true, false, false],
  );
});

test('flat layout: significance is Welch against the reference pool, with the p welchTest gives', () => {
  const t = buildStudyTable(rhoStudy, rhoResults, {});
  const r02 = rowOf(t, '0.2');
  // Test accuracy: 0.01..0.04 against 0.02, 0.04, 0.06, 0.08: t = -sqrt 3, df = 75/17 (significance.test.ts), p ≈ 0.15.
  const cell = r02.cells[col(t, 'test')];
  close(cell.p, studentTwoSidedP(Math.sqrt(3), 75 / 17), 'p', 1e-12);
  assert.ok(cell.p! > 0.1 && cell.p! < 0.2);
  assert.equal(cell.significant, false);
  // Group 0: 0.90..0.93 against 0.11..0.13: clearly apart.
  const g0 = r02.cells[col(t, 'group0')];
  close(g0.p, welchTest([0.9, 0.91, 0.92, 0.93], [0.11, 0.11, 0.12, 0.13]).p!, 'p group 0');
  assert.ok(g0.p! < 1e-4 && g0.significant);
  // Group 1 is 0.5 everywhere: no variance, no p, not significant.
  assert.deepEqual([r02.cells[col(t, 'group1')].p, r02.cells[col(t, 'group1')].significant], [null, false]);
  // alpha moves the threshold.
  assert.equal(
    rowOf(buildStudyTable(rhoStudy, rhoResults, { alpha: 0.2 }), '0.2').cells[col(t, 'test')].significant,
    true,
  );
});

test('flat layout notes: n per row, †, the pooling of rows ρ does not change, group sizes', () => {
  const t = buildStudyTable(rhoStudy, rhoResults, {});
  const text = (kind: string) =>
    t.notes
      .filter((n) => n.kind === kind)
      .map((n) => n.text)
      .join(' ');
  assert.match(text('pooling'), /n = 2 seeds × 2 repeats = 4 per row/);
  assert.equal(text('significance'), "† differs from Retrained baseline by Welch's t-test, p < 0.05.");
  assert.match(
    text('reuse'),
    /^Fine-tune, Retrained baseline do not depend on ρ: the 2 cells ran them with the same config and seeds, so each is pooled once/,
  );
  assert.equal(text('groups'), 'Examples per GME group (mean over runs and repeats): (50%,100%] 10, (0%,50%] 30.');
  assert.match(text('fairness'), /sum over remaining clients/);
});

test('flat layout by list position; a swept reference is refused; a missing reference gives no Δ', () => {
  const byIndex = study({ axes: [{ path: 'unlearning.methods.2.rho', values: [0.2, 0.4] }], seeds: 2 });
  assert.equal(buildStudyTable(byIndex, rhoResults).layout, 'flat');
  assert.throws(
    () => buildStudyTable(rhoStudy, rhoResults, { reference: 'unlearn:fedmemeraser' }),
    /is the swept method's/,
  );
  const none = buildStudyTable(rhoStudy, rhoResults, { reference: 'nope' });
  assert.ok(none.blocks[0].rows.every((r) => r.cells.every((c) => c.deltaValue === null && c.p === null)));
  assert.match(none.notes.find((n) => n.kind === 'reference')!.text, /No row "nope"/);
  // A method reference: Fine-tune's pool becomes the one compared with, and leaves the race for best.
  const ft = buildStudyTable(rhoStudy, rhoResults, { reference: 'unlearn:finetune' });
  const r02 = rowOf(ft, '0.2');
  close(r02.cells[col(ft, 'group0')].deltaValue, 0.915 - 0.8, 'Δ to Fine-tune');
  assert.equal(rowOf(ft, 'Fine-tune').reference, true);
});

// α (Dirichlet) over 0.1 and 1, one seed, two repeats: blocks compared within themselves.
const alphaStudy = study({ axes: [{ path: 'partition.alpha', values: [0.1, 1] }] });
const alphaRow = (test: number[], g0: number[]) => ({
  g0,
  g1: same(0.5, R),
  du: same(0.6, R),
  test,
  fair: same(0.001, R),
});
const alphaResults = [
  result(
    'alpha=0.1',
    [0.1],
    0,
    report(
      {
        original: flat(1, R),
        'unlearn:finetune': alphaRow([0.1, 0.3], [0.1, 0.11]),
        'unlearn:fedmemeraser': alphaRow([0.5, 0.7], [0.5, 0.51]),
        retrained: alphaRow([0.5, 0.7], [0.5, 0.51]),
      },
      R,
      [4, 12],
    ),
  ),
  result(
    'alpha=1',
    [1],
    0,
    report(
      {
        original: flat(1, R),
        'unlearn:finetune': alphaRow([0.5, 0.7], [0.9, 0.9]),
        'unlearn:fedmemeraser': alphaRow([0.6, 0.6], [0.2, 0.3]),
        retrained: alphaRow([0.1, 0.3], [0.1, 0.2]),
      },
      R,
      [6, 18],
    ),
  ),
];

test('blocked layout (Table F3): a block per cell with its methods and reference, compared within the block', () => {
  const t = buildStudyTable(alphaStudy, alphaResults);
  assert.equal(t.layout, 'blocked');
  assert.equal(t.stubLabel, 'α');
  assert.deepEqual(
    t.blocks.map((b) => b.title),
    ['α = 0.1', 'α = 1'],
  );
  assert.deepEqual(
    t.blocks[0].rows.map((r) => r.label),
    ['Fine-tune', 'FedMemEraser', 'Retrained baseline'],
  );
  const test_ = col(t, 'test');
  const g0 = col(t, 'group0');
  // Block α = 0.1, Fine-tune test accuracy [0.1, 0.3] against [0.5, 0.7]: equal variances and n = 2, so
  // df = 2 exactly, t = -2 sqrt 2, and the closed form p = 1 - |t| / sqrt(2 + t^2) = 1 - 2 / sqrt 5.
  const ftTest = rowOf(t, 'Fine-tune', 0).cells[test_];
  close(ftTest.p, 1 - 2 / Math.sqrt(5), 'p (df 2 closed form)', 1e-12);
  assert.equal(ftTest.significant, false);
  // Group 0: [0.10, 0.11] against [0.50, 0.51]: t = -40 sqrt 2, df = 2, p = 1 - 40 sqrt 2 / sqrt 3202.
  const ftG0 = rowOf(t, 'Fine-tune', 0).cells[g0];
  close(ftG0.p, 1 - (40 * Math.sqrt(2)) / Math.sqrt(3202), 'p group 0', 1e-12);
  assert.equal(ftG0.significant, true);
  close(ftG0.deltaValue, 0.4, 'Δ within block 0');
  // Identical pools: p = 1, not significant, Δ 0.
  const fmeG0 = rowOf(t, 'FedMemEraser', 0).cells[g0];
  close(fmeG0.p, 1, 'identical p');
  close(fmeG0.deltaValue, 0, 'identical Δ');
  // Block α = 1 uses its own reference: FedMemEraser's Δ = |0.25 - 0.15| = 0.1; Fine-tune's 0.75.
  close(rowOf(t, 'FedMemEraser', 1).cells[g0].deltaValue, 0.1, 'Δ within block 1');
  // Best per block: FedMemEraser on group 0 in both; test accuracy: FedMemEraser (0.6) ties Fine-tune (0.6) in block 1.
  assert.deepEqual(
    t.blocks.map((b) => b.rows.map((r) => r.cells[g0].best)),
    [
      [false, true, false],
      [false, true, false],
    ],
  );
  assert.deepEqual(
    t.blocks[1].rows.map((r) => r.cells[test_].best),
    [true, true, false],
  );
  // Group sizes per block differ (4 vs 6), so the notes list them per block.
  assert.deepEqual(
    t.blocks.map((b) => b.groupSizes),
    [
      [4, 12],
      [6, 18],
    ],
  );
  assert.deepEqual(t.groupSizes, [5, 15]);
  assert.match(
    t.notes.find((n) => n.kind === 'groups')!.text,
    /α = 0\.1: \(50%,100%\] 4, \(0%,50%\] 12; α = 1: \(50%,100%\] 6/,
  );
  assert.match(t.notes.find((n) => n.kind === 'significance')!.text, /within each block/);
});

test('two axes, or a single axis elsewhere, are blocked; titles name every axis; missing cells are said', () => {
  const two = study({
    axes: [
      { path: 'unlearning.methods[fedmemeraser].rho', values: [0.4] },
      { path: 'partition.alpha', values: [0.1, 1] },
    ],
  });
  const results = alphaResults.map((r, i) => ({
    ...r,
    cellKey: `rho=0.4|alpha=${[0.1, 1][i]}`,
    values: [0.4, [0.1, 1][i]],
  }));
  const t = buildStudyTable(two, results);
  assert.equal(t.layout, 'blocked');
  assert.deepEqual(
    t.blocks.map((b) => b.title),
    ['ρ = 0.4, α = 0.1', 'ρ = 0.4, α = 1'],
  );
  assert.equal(t.stubLabel, 'ρ, α');
  const clients = study({ axes: [{ path: 'partition.clients', values: [10, 20, 50] }] });
  const c = buildStudyTable(clients, [{ ...alphaResults[0], cellKey: 'clients=10', values: [10] }]);
  assert.deepEqual(
    c.blocks.map((b) => b.title),
    ['Clients = 10'],
  );
  assert.match(c.notes.find((n) => n.kind === 'missing')!.text, /No finished runs yet for clients=20, clients=50/);
  const empty = buildStudyTable(clients, []);
  assert.deepEqual([empty.blocks, empty.columns], [[], []]);
  // A user's label wins over the symbol.
  assert.equal(
    buildStudyTable(study({ axes: [{ path: 'partition.alpha', values: [0.1], label: 'Dirichlet α' }] }), []).stubLabel,
    'Dirichlet α',
  );
});

test('runs with different GME groups cannot share a table', () => {
  const other = report({ retrained: flat(0.5, R) }, R);
  other.groups[0] = { ...other.groups[0], lo: 80 };
  assert.throws(
    () => buildStudyTable(alphaStudy, [alphaResults[0], { ...alphaResults[1], report: other }]),
    /has GME groups \(80,100\]/,
  );
});
