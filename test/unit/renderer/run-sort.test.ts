import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextSort, parseTags, sortRuns, sortValue } from '../../../src/renderer/src/format/run-sort';

const run = (
  name: string,
  o: { status?: string; dataset?: string; createdAt?: string; durationMs?: number | null; acc?: number | null } = {},
) => ({
  name,
  status: (o.status ?? 'done') as 'done',
  dataset: o.dataset ?? 'mnist',
  createdAt: o.createdAt ?? '2026-01-01T00:00:00Z',
  durationMs: o.durationMs === undefined ? 1000 : o.durationMs,
  summary: o.acc === undefined ? null : { testAccuracy: o.acc },
});
const names = (rs: { name: string }[]) => rs.map((r) => r.name);

describe('runs list sort', () => {
  it('sorts names as people read them (case-insensitive, numbers by value)', () => {
    const rs = [run('run 10'), run('Run 2'), run('alpha')];
    assert.deepEqual(names(sortRuns(rs, { key: 'name', dir: 'asc' })), ['alpha', 'Run 2', 'run 10']);
    assert.deepEqual(names(sortRuns(rs, { key: 'name', dir: 'desc' })), ['run 10', 'Run 2', 'alpha']);
  });

  it('puts missing durations and accuracies last in both directions', () => {
    const rs = [run('none', { acc: null }), run('low', { acc: 0.5 }), run('nosummary'), run('high', { acc: 0.9 })];
    assert.deepEqual(names(sortRuns(rs, { key: 'testAccuracy', dir: 'desc' })), ['high', 'low', 'none', 'nosummary']);
    assert.deepEqual(names(sortRuns(rs, { key: 'testAccuracy', dir: 'asc' })), ['low', 'high', 'none', 'nosummary']);
    const ds = [
      run('running', { durationMs: null }),
      run('long', { durationMs: 9000 }),
      run('short', { durationMs: 10 }),
    ];
    assert.deepEqual(names(sortRuns(ds, { key: 'durationMs', dir: 'asc' })), ['short', 'long', 'running']);
    assert.deepEqual(names(sortRuns(ds, { key: 'durationMs', dir: 'desc' })), ['long', 'short', 'running']);
  });

  it('is stable: equal keys keep the list order (newest first from main)', () => {
    const rs = [
      run('c', { dataset: 'mnist' }),
      run('a', { dataset: 'cifar10' }),
      run('b', { dataset: 'mnist' }),
      run('d', { dataset: 'cifar10' }),
    ];
    assert.deepEqual(names(sortRuns(rs, { key: 'dataset', dir: 'asc' })), ['a', 'd', 'c', 'b']);
    assert.deepEqual(names(sortRuns(rs, { key: 'dataset', dir: 'desc' })), ['c', 'b', 'a', 'd']);
  });

  it('sorts by status and created date; does not change its input', () => {
    const rs = [
      run('x', { status: 'running', createdAt: '2026-03-01T00:00:00Z' }),
      run('y', { status: 'done', createdAt: '2026-01-01T00:00:00Z' }),
      run('z', { status: 'failed', createdAt: '2026-02-01T00:00:00Z' }),
    ];
    assert.deepEqual(names(sortRuns(rs, { key: 'status', dir: 'asc' })), ['y', 'z', 'x']);
    assert.deepEqual(names(sortRuns(rs, { key: 'createdAt', dir: 'desc' })), ['x', 'z', 'y']);
    assert.deepEqual(names(rs), ['x', 'y', 'z']);
    assert.equal(sortValue(run('q', { acc: 0.7 }), 'testAccuracy'), 0.7);
  });

  it('a header click flips the same column, starts a new one in its natural direction', () => {
    assert.deepEqual(nextSort({ key: 'name', dir: 'asc' }, 'name'), { key: 'name', dir: 'desc' });
    assert.deepEqual(nextSort({ key: 'name', dir: 'desc' }, 'name'), { key: 'name', dir: 'asc' });
    assert.deepEqual(nextSort({ key: 'name', dir: 'asc' }, 'testAccuracy'), { key: 'testAccuracy', dir: 'desc' });
    assert.deepEqual(nextSort({ key: 'createdAt', dir: 'desc' }, 'status'), { key: 'status', dir: 'asc' });
  });
});

describe('tags typed in the editor', () => {
  it('splits on commas and spaces, drops duplicates and empties', () => {
    assert.deepEqual(parseTags(' iid, baseline  iid,,rho_0-4 '), { ok: true, tags: ['iid', 'baseline', 'rho_0-4'] });
    assert.deepEqual(parseTags(''), { ok: true, tags: [] });
  });
  it('names the bad tag in plain words', () => {
    assert.deepEqual(parseTags('ok bad!'), {
      ok: false,
      message: 'Tag “bad!” may contain only letters, digits, - and _.',
    });
    assert.deepEqual(parseTags('x'.repeat(41)), {
      ok: false,
      message: `Tag “${'x'.repeat(41)}” must be at most 40 characters.`,
    });
    assert.deepEqual(parseTags(Array.from({ length: 21 }, (_, i) => `t${i}`).join(' ')), {
      ok: false,
      message: 'At most 20 tags (21 given).',
    });
  });
});
