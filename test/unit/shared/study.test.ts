/** A study's expansion: paths with selectors, grids, zips, ranges, seeds, and problems named by cell and field. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getPreset } from '../../../src/shared/presets';
import {
  axisMethodRow,
  axisValues,
  expandStudy,
  methodParamOf,
  parsePath,
  setPath,
  StudyError,
} from '../../../src/shared/study';

const base = getPreset('quick') as Record<string, unknown>;

test('paths: keys, list positions and entries picked by id or label', () => {
  assert.deepEqual(parsePath('unlearning.methods[fedmemeraser].rho'), [
    { key: 'unlearning' },
    { key: 'methods', select: 'fedmemeraser' },
    { key: 'rho' },
  ]);
  assert.throws(() => parsePath('a..b'), StudyError);
  const byLabel = setPath(base, "unlearning.methods[FedMemEraser (authors' locate)].rho", 0.6) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.deepEqual(
    byLabel.unlearning.methods.map((m: { rho?: number }) => m.rho),
    [undefined, undefined, 0.3, 0.6],
  );
  // Two entries have id fedmemeraser: an id alone is ambiguous there.
  assert.throws(
    () => setPath(base, 'unlearning.methods[fedmemeraser].rho', 0.6),
    /2 entries have id "fedmemeraser"; pick one by its label/,
  );
  const byIndex = setPath(base, 'unlearning.methods.1.rounds', 5) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(byIndex.unlearning.methods[1].rounds, 5);
  assert.equal((base as any).unlearning.methods[1].rounds, 3, 'the base is not modified'); // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.throws(() => setPath(base, 'partiton.alpha', 0.5), /the base config has no "partiton"/);
  assert.throws(() => setPath(base, 'unlearning.methods.9.rho', 0.5), /the list has 4 entries/);
  assert.equal((setPath(base, 'partition.alpha', 0.1) as any).partition.alpha, 0.1, 'a new last key is allowed'); // eslint-disable-line @typescript-eslint/no-explicit-any
});

test('ranges include both ends without float drift', () => {
  assert.deepEqual(axisValues({ path: 'x', range: { from: 0, to: 1, step: 0.2 } }), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(axisValues({ path: 'x', range: { from: 1, to: 2, step: 0.3 } }), [1, 1.3, 1.6, 1.9]);
});

test('a grid of two axes times seeds: every run validated, seeds base.seed + k', () => {
  const r = expandStudy({
    base,
    axes: [
      { path: 'unlearning.methods[FedMemEraser].rho', values: [0, 0.4, 0.8], label: 'rho' },
      { path: 'partition.scheme', values: ['iid', 'dirichlet'] },
    ],
    seeds: 2,
  });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  assert.equal(r.runs.length, 3 * 2 * 2);
  assert.deepEqual([...new Set(r.runs.map((x) => x.cell.key))].slice(0, 3), [
    'rho=0|scheme=iid',
    'rho=0|scheme=dirichlet',
    'rho=0.4|scheme=iid',
  ]);
  assert.deepEqual(
    r.runs.slice(0, 2).map((x) => x.config.seed),
    [42, 43],
  );
  const cell = r.runs.find((x) => x.cell.key === 'rho=0.8|scheme=dirichlet')!;
  const fme = cell.config.unlearning!.methods.find((m) => m.id === 'fedmemeraser' && m.label === undefined)!;
  assert.equal((fme as { rho: number }).rho, 0.8);
  assert.equal(cell.config.partition.scheme, 'dirichlet');
});

test('zip pairs values; unequal lengths and invalid values are named by cell, field and rule', () => {
  const zipped = expandStudy({
    base,
    axes: [
      { path: 'training.lr', values: [1e-3, 2e-3] },
      { path: 'training.rounds', values: [5, 10] },
    ],
    combine: 'zip',
  });
  assert.ok(zipped.ok);
  assert.deepEqual(
    zipped.runs.map((x) => x.cell.key),
    ['lr=0.001|rounds=5', 'lr=0.002|rounds=10'],
  );
  const unequal = expandStudy({
    base,
    axes: [
      { path: 'training.lr', values: [1e-3] },
      { path: 'training.rounds', values: [5, 10] },
    ],
    combine: 'zip',
  });
  assert.ok(!unequal.ok && /equal lengths \(1 and 2 values\)/.test(unequal.problems[0].message));
  const bad = expandStudy({ base, axes: [{ path: 'unlearning.methods.2.rho', values: [0.5, 1.5] }] });
  assert.ok(!bad.ok);
  assert.deepEqual(bad.problems, [{ cell: 'rho=1.5', path: 'unlearning.methods.2.rho', message: 'must be at most 1' }]);
  const shape = expandStudy({ base, axes: [{ path: 'training.lr' }] });
  assert.ok(!shape.ok && shape.problems[0].message === 'give either values or a range, not both or neither');
});

test('a range or grid too large to build is refused before anything is built, in one sentence', () => {
  // Found by the IPC fuzz test: a range of ~1e8 values grew an array until V8 aborted the server.
  const huge = expandStudy({ base, axes: [{ path: 'training.lr', range: { from: -1e300, to: 1e300, step: 1e-300 } }] });
  assert.ok(!huge.ok);
  assert.match(huge.problems[0].message, /gives more than a billion values; an axis may have at most 200$/);
  const list = expandStudy({ base, axes: [{ path: 'seed', values: Array.from({ length: 201 }, (_, i) => i) }] });
  assert.ok(!list.ok && /gives 201 values; an axis may have at most 200/.test(list.problems[0].message));
  const grid = expandStudy({
    base,
    axes: [
      { path: 'seed', range: { from: 0, to: 99, step: 1 } },
      { path: 'training.rounds', range: { from: 1, to: 50, step: 1 } },
    ],
    seeds: 2,
  });
  assert.ok(
    !grid.ok &&
      /expand to 10,000 runs \(5000 cells × 2 seeds\); a study may have at most 2,000/.test(grid.problems[0].message),
  );
  // A step below the values' precision would never pass `to`: stopped, not looped forever.
  assert.throws(
    () => axisValues({ path: 'x', range: { from: 1e20, to: 1e20 + 1e6, step: 1 } }),
    (e: Error) =>
      e instanceof StudyError && /step 1 is too small for values near 100000000000000000000/.test(e.message),
  );
});

test('methodParamOf: the method entry and parameter of a method axis, null for any other path', () => {
  assert.deepEqual(methodParamOf(base, "unlearning.methods[FedMemEraser (authors' locate)].rho"), {
    index: 3,
    param: 'rho',
  });
  assert.deepEqual(methodParamOf(base, 'unlearning.methods.1.rounds'), { index: 1, param: 'rounds' });
  assert.equal(methodParamOf(base, 'partition.alpha'), null);
  assert.equal(
    methodParamOf(base, 'unlearning.methods[nope].rho'),
    null,
    'an unresolved selector (expandStudy names it)',
  );
  assert.equal(methodParamOf(base, 'unlearning.methods.9.rho'), null);
  assert.equal(methodParamOf(base, 'unlearning.request.kind'), null);
});

test('the method row an axis path points into, resolved as setPath resolves it', () => {
  assert.equal(
    axisMethodRow(base, "unlearning.methods[FedMemEraser (authors' locate)].rho"),
    "FedMemEraser (authors' locate)",
  );
  assert.equal(
    axisMethodRow(base, 'unlearning.methods[finetune].rounds'),
    'Fine-tune',
    'an id names the row by its method label',
  );
  assert.equal(axisMethodRow(base, 'unlearning.methods.1.rounds'), 'Fine-tune');
  assert.equal(axisMethodRow(base, 'unlearning.methods[fedmemeraser].rho'), null, 'two entries have that id');
  assert.equal(axisMethodRow(base, 'training.lr'), null);
  assert.equal(axisMethodRow(base, 'unlearning.methods[nope].rho'), null);
});
