/** The detail page's grid of cells, queue moves, and the study's time left. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { studySchema, type StudyInput } from '../../../src/shared/study';
import type { SharedStages, StudyItem, StudyItemStatus } from '../../../src/shared/study-types';
import { moveInQueue, studyGrid } from '../../../src/renderer/src/studies/grid';
import { reuseText, savingsText, studyEta } from '../../../src/renderer/src/studies/eta';

const study = (input: Omit<StudyInput, 'base'>) => studySchema.parse({ base: { seed: 42 }, ...input });

function item(
  cellKey: string,
  values: StudyItem['values'],
  seedIndex: number,
  position: number,
  status: StudyItemStatus = 'queued',
  extra: Partial<StudyItem> = {},
): StudyItem {
  return {
    key: `${cellKey}#${seedIndex}`,
    cellKey,
    values,
    seedIndex,
    seed: 42 + seedIndex,
    position,
    status,
    runId: null,
    error: null,
    shared: null,
    durationMs: null,
    remote: null,
    ...extra,
  };
}

describe('study grid', () => {
  it('one row per cell in definition order, a column per seed, whatever the queue order', () => {
    const s = study({ axes: [{ path: 'a.rho', values: [0.8, 0, 0.4] }], seeds: 2 });
    const items = [
      item('rho=0.4', [0.4], 1, 0, 'running'),
      item('rho=0', [0], 0, 1, 'done'),
      item('rho=0.8', [0.8], 0, 2),
    ];
    const g = studyGrid(s, items);
    assert.equal(g.layout, 'list');
    assert.deepEqual(
      g.rows.map((r) => r.label),
      ['rho=0.8', 'rho=0', 'rho=0.4'],
    );
    assert.deepEqual(g.columns, ['seed 42', 'seed 43']);
    assert.deepEqual(
      g.rows[2].cells[0].slots.map((x) => [x.key, x.item?.status ?? null]),
      [
        ['rho=0.4#0', null],
        ['rho=0.4#1', 'running'],
      ],
    );
    assert.equal(g.rows[1].cells[0].slots[0].item?.status, 'done');
  });

  it('two grid axes make a matrix; zipped axes stay a list of pairs', () => {
    const axes = [
      { path: 'x.rho', values: [0, 1] },
      { path: 'p.alpha', values: [0.1, 0.5, 1] },
    ];
    const m = studyGrid(study({ axes, seeds: 1 }), [item('rho=1|alpha=0.5', [1, 0.5], 0, 0, 'done')]);
    assert.equal(m.layout, 'matrix');
    assert.equal(m.rowTitle, 'rho');
    assert.equal(m.columnTitle, 'alpha');
    assert.deepEqual(m.columns, ['0.1', '0.5', '1']);
    assert.deepEqual(
      m.rows.map((r) => r.cells.map((c) => c.cellKey)),
      [
        ['rho=0|alpha=0.1', 'rho=0|alpha=0.5', 'rho=0|alpha=1'],
        ['rho=1|alpha=0.1', 'rho=1|alpha=0.5', 'rho=1|alpha=1'],
      ],
    );
    assert.equal(m.rows[1].cells[1].slots[0].item?.status, 'done');
    const z = studyGrid(
      study({ axes: [axes[0], { path: 'p.alpha', values: [0.1, 0.5] }], combine: 'zip', seeds: 1 }),
      [],
    );
    assert.equal(z.layout, 'list');
    assert.deepEqual(
      z.rows.map((r) => r.label),
      ['rho=0, alpha=0.1', 'rho=1, alpha=0.5'],
    );
  });

  it('shows seeds an extension added beyond the definition, and list values as lists', () => {
    const s = study({
      axes: [{ path: 'unlearning.request.clients', values: [[0], [0, 1]], label: 'leaving' }],
      seeds: 1,
    });
    const g = studyGrid(s, [item('leaving=0, 1', [[0, 1]], 2, 0)]);
    assert.equal(g.seeds, 3);
    assert.deepEqual(g.columns, ['seed #1', 'seed #2', 'seed 44']);
    assert.deepEqual(
      g.rows.map((r) => r.label),
      ['leaving=0', 'leaving=0, 1'],
    );
    assert.equal(g.rows[1].cells[0].slots[2].item?.key, 'leaving=0, 1#2');
  });
});

describe('queue moves', () => {
  const items = [
    item('a', [1], 0, 0, 'done'),
    item('b', [2], 0, 1, 'running'),
    item('c', [3], 0, 2),
    item('d', [4], 0, 3),
    item('e', [5], 0, 4),
  ];
  it('swaps a queued item with its queued neighbour and keeps every other item in place', () => {
    assert.deepEqual(moveInQueue(items, 'd#0', -1), ['a#0', 'b#0', 'd#0', 'c#0', 'e#0']);
    assert.deepEqual(moveInQueue(items, 'd#0', 1), ['a#0', 'b#0', 'c#0', 'e#0', 'd#0']);
    // Positions, not array order, are the queue.
    assert.deepEqual(moveInQueue([...items].reverse(), 'c#0', 1), ['a#0', 'b#0', 'd#0', 'c#0', 'e#0']);
  });
  it('will not move past the ends of the queue or move an item that is not queued', () => {
    assert.equal(moveInQueue(items, 'c#0', -1), null);
    assert.equal(moveInQueue(items, 'e#0', 1), null);
    assert.equal(moveInQueue(items, 'b#0', 1), null);
    assert.equal(moveInQueue(items, 'zz#0', 1), null);
  });
});

describe('time left', () => {
  const shared = (original: (string | null)[]): SharedStages => ({
    original,
    retrained: original.map(() => ({ reused: 0, trained: 1, from: [] })),
  });
  const e = (status: StudyItemStatus, durationMs: number | null = null, s: SharedStages | null = null) => ({
    status,
    durationMs,
    shared: s,
  });

  it('before any run ends: main estimate less what the running run has used', () => {
    assert.deepEqual(studyEta([e('running'), e('queued')], [{ elapsedMs: 30_000, leftSeconds: null }], 100), {
      seconds: 70,
      basis: 'estimate',
      runs: 0,
    });
    assert.deepEqual(studyEta([e('running')], [{ elapsedMs: 300_000, leftSeconds: null }], 100)?.seconds, 0);
    assert.equal(studyEta([e('queued')], [], null), null);
  });

  it('after runs end: their mean, preferring runs that reused their original model', () => {
    // One run trained (100 s), two reused (20 s, 40 s): what is left costs like the reusing ones.
    const items = [
      e('done', 100_000, shared([null])),
      e('done', 20_000, shared(['r1'])),
      e('done', 40_000, shared(['r1'])),
      e('queued'),
      e('queued'),
      e('running'),
    ];
    assert.deepEqual(studyEta(items, [{ elapsedMs: 10_000, leftSeconds: null }], 999), {
      seconds: 2 * 30 + 20,
      basis: 'measured',
      runs: 2,
    });
    // The running run's own progress wins over the mean.
    assert.equal(studyEta(items, [{ elapsedMs: 10_000, leftSeconds: 5 }], 999)!.seconds, 65);
    // No reuse at all (sharing off): every finished run counts.
    assert.equal(studyEta([e('done', 10_000), e('done', 30_000), e('queued')], [], 999)!.seconds, 20);
  });

  it('is zero when nothing is left', () => {
    assert.deepEqual(studyEta([e('done', 5000), e('failed')], [], 50), { seconds: 0, basis: 'measured', runs: 0 });
  });

  it('words what sharing saves and what a run reused', () => {
    assert.equal(savingsText({ seconds: { shared: 150, unshared: 400 } }), 'saves 4 min 10 s (63%)');
    assert.equal(savingsText({ seconds: { shared: 400, unshared: 400 } }), null);
    assert.equal(reuseText(null), '');
    assert.equal(reuseText(shared([null])), 'trained its original model; trained its 1 retrained model');
    assert.equal(
      reuseText({ original: ['0123456789ab'], retrained: [{ reused: 2, trained: 1, from: ['0123456789ab'] }] }),
      'reused the original model (run 01234567); 2 of 3 retrained models reused',
    );
    assert.equal(
      reuseText({ original: ['abcdefghij', null], retrained: [] }),
      'reused the original model in 1 of 2 repeats (run abcdefgh)',
    );
  });
});
