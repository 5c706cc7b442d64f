import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configDiff, flattenConfig, printValue } from '../../../src/shared/config-diff';

const base = () => ({
  name: 'run a',
  seed: 1,
  dataset: { id: 'mnist', trainSize: 300, labelNoise: { clients: [0], rate: 0.5 } },
  partition: { clients: 3, kind: 'iid' },
  training: { rounds: 2, lr: 0.001 },
  unlearning: {
    request: { kind: 'clients', clients: [0] },
    methods: [{ id: 'retrain' }, { id: 'finetune', rounds: 1 }, { id: 'fedmemeraser', rho: 0.2, rounds: 1 }],
  },
});

describe('configDiff', () => {
  it('finds no rows for equal configs (also for one config)', () => {
    assert.deepEqual(configDiff([base(), base()]), []);
    assert.deepEqual(configDiff([base(), base(), base()]), []);
    assert.deepEqual(configDiff([base()]), []);
  });

  it("reports a changed nested field with every run's value, and nothing else", () => {
    const b = base();
    b.training.lr = 0.01;
    assert.deepEqual(configDiff([base(), b]), [{ path: 'training.lr', values: ['0.001', '0.01'] }]);
  });

  it('keys method entries by id, so a method param change names the method', () => {
    const b = base();
    b.unlearning.methods[2] = { id: 'fedmemeraser', rho: 0.6, rounds: 1 };
    assert.deepEqual(configDiff([base(), b]), [
      { path: 'unlearning.methods[fedmemeraser].rho', values: ['0.2', '0.6'] },
    ]);
  });

  it('keys entries by label when they have one (two entries of the same method)', () => {
    const a = base();
    const b = base();
    a.unlearning.methods = [
      { id: 'fedmemeraser', label: 'FME 0.2', rho: 0.2 },
      { id: 'fedmemeraser', label: 'FME 0.4', rho: 0.4 },
    ] as never;
    b.unlearning.methods = [
      { id: 'fedmemeraser', label: 'FME 0.4', rho: 0.5 },
      { id: 'fedmemeraser', label: 'FME 0.2', rho: 0.2 },
    ] as never;
    assert.deepEqual(configDiff([a, b]), [{ path: 'unlearning.methods[FME 0.4].rho', values: ['0.4', '0.5'] }]);
  });

  it('a method present in one run only is one row with the whole entry, later methods unchanged', () => {
    const b = base();
    b.unlearning.methods.splice(1, 1); // no fine-tune: fedmemeraser moves from index 2 to 1
    const rows = configDiff([base(), b]);
    assert.deepEqual(rows, [{ path: 'unlearning.methods[finetune]', values: ['{ id: "finetune", rounds: 1 }', null] }]);
  });

  it('compares a client list as one value', () => {
    const b = base();
    b.unlearning.request.clients = [0, 1];
    b.dataset.labelNoise.clients = [0, 2];
    assert.deepEqual(configDiff([base(), b]), [
      { path: 'dataset.labelNoise.clients', values: ['[0]', '[0, 2]'] },
      { path: 'unlearning.request.clients', values: ['[0]', '[0, 1]'] },
    ]);
  });

  it('a path missing in one run is null there', () => {
    const b = base() as Record<string, unknown>;
    delete (b.dataset as Record<string, unknown>).labelNoise;
    assert.deepEqual(configDiff([base(), b]), [
      { path: 'dataset.labelNoise.clients', values: ['[0]', null] },
      { path: 'dataset.labelNoise.rate', values: ['0.5', null] },
    ]);
  });

  it('with three runs, a path differing in one of them is a row with all three values', () => {
    const c = base();
    c.seed = 7;
    assert.deepEqual(configDiff([base(), base(), c]), [{ path: 'seed', values: ['1', '1', '7'] }]);
  });

  it('ignores the given paths (and what lies under them)', () => {
    const b = base();
    b.name = 'run b';
    b.training.rounds = 5;
    assert.deepEqual(
      configDiff([base(), b]).map((r) => r.path),
      ['name', 'training.rounds'],
    );
    assert.deepEqual(
      configDiff([base(), b], { ignore: ['name'] }).map((r) => r.path),
      ['training.rounds'],
    );
    assert.deepEqual(configDiff([base(), b], { ignore: ['name', 'training'] }), []);
  });

  it('prints numbers and booleans as they read', () => {
    assert.deepEqual(configDiff([{ a: 1 }, { a: 2 }]), [{ path: 'a', values: ['1', '2'] }]);
    assert.deepEqual(configDiff([{ a: true }, { a: false }]), [{ path: 'a', values: ['true', 'false'] }]);
  });
});

describe('flattenConfig', () => {
  it('walks arrays of unkeyed objects by position', () => {
    const f = flattenConfig({ xs: [{ v: 1 }, { v: 2 }] });
    assert.deepEqual(
      [...f.leaves],
      [
        ['xs[0].v', '1'],
        ['xs[1].v', '2'],
      ],
    );
  });
  it('falls back to positions when two entries share a key', () => {
    const f = flattenConfig({
      m: [
        { id: 'a', r: 1 },
        { id: 'a', r: 2 },
      ],
    });
    assert.deepEqual([...f.leaves.keys()], ['m[0].id', 'm[0].r', 'm[1].id', 'm[1].r']);
  });
});

describe('printValue', () => {
  it('prints structures compactly', () => {
    assert.equal(printValue({ id: 'x', n: [1, 2], o: {} }), '{ id: "x", n: [1, 2], o: {} }');
    assert.equal(printValue(null), 'null');
    assert.equal(printValue('auto'), 'auto');
  });
});
