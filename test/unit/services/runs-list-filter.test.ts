/**
 * runs:list with the list filter, through the same dispatch (validation included) the app, browser
 * mode and the CLI use, over a real store with runs inserted directly (no engine).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import type { RunListItem } from '../../../src/shared/contract';
import { getPreset } from '../../../src/shared/presets';
import type { RunSummary } from '../../../src/shared/results';
import { createAppServices } from '../../../src/main/services/handlers';
import { openDatabase } from '../../../src/main/store';
import { tempDir } from './helpers';

const summary = (fme: number, delta: number | null): RunSummary => ({
  testAccuracy: 0.95,
  rows: [
    {
      key: 'unlearn:fedmemeraser',
      label: 'FedMemEraser',
      kind: 'method',
      testAccuracy: fme,
      unlearnAccuracy: 0.8,
      topGroupDelta: delta,
    },
  ],
});

test('runs:list filters by text, dataset, method and metric conditions; limit counts matches', async (t) => {
  const dataDir = tempDir('fedmem-list-filter-');
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const store = openDatabase(dataDir);
  const quick = getPreset('quick') as Record<string, unknown>;
  const make = (name: string, config: unknown, s: RunSummary | null) => {
    const r = store.runs.create({ name, config, status: 'running' });
    store.runs.finish(r.id, 'done', null, s);
    return r.id;
  };
  make('good', quick, summary(0.95, 0.05));
  const far = make('far', quick, summary(0.94, 0.4));
  make('no delta', quick, summary(0.96, null));
  make(
    'training only',
    { seed: 1, dataset: { id: 'synthetic' }, partition: { clients: 2 }, training: { rounds: 1 } },
    { testAccuracy: 0.5 },
  );
  store.runs.annotate(far, { note: 'Dirichlet next?', tags: ['sweep'] });
  store.close();

  const services = createAppServices({
    dataDir,
    mode: 'cli',
    push: () => undefined,
    recoverInterrupted: false,
    runStudies: false,
  });
  t.after(() => services.shutdown(0));
  const list = async (input: unknown) => {
    const r = await services.dispatch('runs:list', input);
    assert.ok(r.ok, JSON.stringify(r));
    return (r.data as RunListItem[]).map((x) => x.name);
  };

  assert.deepEqual(await list({}), ['training only', 'no delta', 'far', 'good']);
  assert.deepEqual(
    await list({ conditions: [{ row: 'FedMemEraser', metric: 'top-delta', op: '<=', value: 10 }] }),
    ['good'],
    'the run without |Δ| is left out',
  );
  assert.deepEqual(await list({ conditions: [{ row: 'fedmemeraser', metric: 'test', op: '>=', value: 95 }] }), [
    'no delta',
    'good',
  ]);
  assert.deepEqual(await list({ search: 'dirichlet' }), ['far'], 'the note');
  assert.deepEqual(
    await list({ search: 'FedMemEraser "forget client 0"' }),
    ['no delta', 'far', 'good'],
    'the settings summary',
  );
  assert.deepEqual(await list({ dataset: 'synthetic' }), ['training only']);
  assert.deepEqual(await list({ method: 'fedmemeraser', tag: 'sweep' }), ['far'], 'with the tag filter (SQL)');
  assert.deepEqual(await list({ method: 'fedmemeraser', limit: 2 }), ['no delta', 'far'], 'limit counts matching runs');
  assert.ok(!(await list({ method: 'fedmemeraser' })).includes('training only'));

  const bad = await services.dispatch('runs:list', {
    conditions: [{ row: 'FedMemEraser', metric: 'speed', op: '>=', value: 1 }],
  });
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.error.code, 'INVALID_INPUT');
});
