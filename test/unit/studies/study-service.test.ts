/**
 * Studies as one thing over a real SQLite file: refused whole when any run is invalid, extended, duplicated, resumed,
 * deleted.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { ApiFailure } from '../../../src/shared/api-errors';
import { getPreset } from '../../../src/shared/presets';
import { sharedDirFor } from '../../../src/main/studies/local-queue';
import { StudyService } from '../../../src/main/studies/study-service';
import { tempStore } from '../store/helpers';

const base = getPreset('tiny') as Record<string, unknown>;
const rho = (values: number[], seeds = 1) => ({
  base,
  axes: [{ path: 'unlearning.methods[fedmemeraser].rho', values }],
  seeds,
});

const refusal = (fn: () => unknown): ApiFailure => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiFailure);
    return e;
  }
  assert.fail('expected a refusal');
};

test('a study with one invalid cell is refused whole, the problem named by cell, field and rule; nothing is stored', (t) => {
  const store = tempStore(t);
  const service = new StudyService(store);
  const e = refusal(() => service.create(rho([0.2, 1.5])));
  assert.equal(e.code, 'INVALID_STUDY');
  assert.deepEqual(e.issues, [{ path: '[rho=1.5] unlearning.methods.2.rho', message: 'must be at most 1' }]);
  assert.equal(store.studies.list().length, 0);
});

test('create queues one item per cell and seed with seeds base.seed, base.seed + 1; the name says what is swept', (t) => {
  const store = tempStore(t);
  const service = new StudyService(store);
  const s = service.create(rho([0, 0.5], 2));
  assert.equal(s.name, 'Study of unlearning.methods[fedmemeraser].rho');
  const d = service.detail(s.id);
  assert.deepEqual(
    d.items.map((i) => [i.key, i.seed, i.status]),
    [
      ['rho=0#0', 1, 'queued'],
      ['rho=0#1', 2, 'queued'],
      ['rho=0.5#0', 1, 'queued'],
      ['rho=0.5#1', 2, 'queued'],
    ],
  );
  assert.equal(d.status, 'queued');
  assert.deepEqual(d.axes, [{ path: 'unlearning.methods[fedmemeraser].rho', label: 'rho', values: [0, 0.5] }]);
  assert.equal(service.create(rho([0]), { start: false }).state, 'paused');
});

test('extend adds only the missing runs and keeps the base; another base is refused (duplicate instead)', (t) => {
  const store = tempStore(t);
  const service = new StudyService(store);
  const s = service.create(rho([0, 0.5]));
  assert.deepEqual(service.extend(s.id, rho([0, 0.5, 0.9], 2)), { added: 4 });
  assert.deepEqual(
    service.detail(s.id).items.map((i) => i.key),
    ['rho=0#0', 'rho=0.5#0', 'rho=0#1', 'rho=0.5#1', 'rho=0.9#0', 'rho=0.9#1'],
  );
  assert.deepEqual(service.extend(s.id, rho([0, 0.5, 0.9], 2)), { added: 0 }, 'nothing new: nothing added');
  assert.match(
    refusal(() => service.extend(s.id, rho([0.5]))).message,
    /leaves out rho=0#0, rho=0#1, rho=0.5#1, rho=0.9#0, rho=0.9#1/,
  );
  const other = refusal(() => service.extend(s.id, { ...rho([0.1]), base: { ...base, seed: 99 } }));
  assert.match(other.message, /base: must stay the same/);
  const copy = service.duplicate(s.id);
  assert.equal(copy.state, 'paused');
  assert.equal(copy.name, `${s.name} (copy)`);
  assert.equal(service.detail(copy.id).items.length, 6, 'the copy has the extended definition, nothing run');
});

test('cancel cancels what waits and pauses; resume queues it again; delete is refused while a run is in progress', (t) => {
  const store = tempStore(t);
  const service = new StudyService(store);
  const s = service.create(rho([0, 0.5]));
  store.studies.claimNext('me', () => true);
  assert.deepEqual(service.cancel(s.id), { cancelled: 1 });
  assert.equal(service.detail(s.id).status, 'running');
  assert.equal(refusal(() => service.delete(s.id)).code, 'STUDY_ACTIVE');
  store.studies.finishItem(s.id, 'rho=0#0', 'cancelled', 'stopped');
  assert.equal(service.detail(s.id).status, 'cancelled');
  assert.deepEqual(service.resume(s.id), { requeued: 2 });
  assert.equal(service.detail(s.id).status, 'queued');
  fs.mkdirSync(sharedDirFor(store.dataDir, s.id), { recursive: true });
  const run = store.runs.create({ name: 'attempt', config: {}, studyId: s.id, status: 'running' });
  store.runs.finish(run.id, 'interrupted', 'killed');
  assert.deepEqual(service.delete(s.id), { deleted: true, runs: 1 });
  assert.equal(store.runs.get(run.id), undefined);
  assert.equal(fs.existsSync(sharedDirFor(store.dataDir, s.id)), false);
});
