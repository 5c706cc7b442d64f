/** A study's estimate: shared trainings are paid once, done runs not at all, and sharing off pays every run in full. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import { getPreset } from '../../../src/shared/presets';
import { estimateParts, estimateRun } from '../../../src/main/runs/estimate';
import { calibrated, estimateStudy, machineFactor } from '../../../src/main/studies/study-estimate';
import type { SharedStages } from '../../../src/shared/results';
import { tempStore } from '../store/helpers';

const CORES = 2;
const sweep = [0, 0.4, 0.8].map((rho) => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the preset's plain JSON, edited before parsing
  const c = getPreset('quick') as Record<string, any>;
  c.unlearning.methods[2].rho = rho;
  return parseConfig(c);
});
const p = estimateParts(sweep[0], CORES);
const J = sweep[0].evaluation.retrainModels;
const R = sweep[0].repeats;
const perRunRest = R * (p.overheadSeconds + p.restSeconds);

test('a rho sweep pays its original and retrained models once per repeat, each run its own unlearning', () => {
  const e = estimateStudy(sweep, [], { cells: 3, seeds: 1, share: true }, CORES);
  assert.equal(e.runs, 3);
  assert.deepEqual(e.originalTrainings, { shared: R, unshared: 3 * R });
  assert.deepEqual(e.retrainedModels, { shared: R * J, unshared: 3 * R * J });
  const closedForm = 3 * perRunRest + R * p.originalSeconds + R * J * p.retrainedSeconds;
  assert.ok(Math.abs(e.seconds.shared - closedForm) <= 1, `${e.seconds.shared} vs ${closedForm}`);
  assert.equal(
    e.seconds.unshared,
    sweep.reduce((a, c) => a + estimateRun(c, CORES).seconds, 0),
  );
  // What sharing saves: two runs' trainings.
  assert.ok(
    Math.abs(e.seconds.unshared - e.seconds.shared - 2 * R * (p.originalSeconds + J * p.retrainedSeconds)) <= 3,
  );
});

test('runs already done have paid for the trainings the rest reuse; sharing off pays every run in full', () => {
  const extended = estimateStudy(sweep.slice(1), sweep.slice(0, 1), { cells: 3, seeds: 1, share: true }, CORES);
  assert.equal(extended.alreadyDone, 1);
  assert.deepEqual([extended.originalTrainings.shared, extended.retrainedModels.shared], [0, 0]);
  assert.ok(Math.abs(extended.seconds.shared - 2 * perRunRest) <= 1);
  const off = estimateStudy(sweep, [], { cells: 3, seeds: 1, share: false }, CORES);
  assert.equal(off.seconds.shared, off.seconds.unshared);
  assert.deepEqual(off.originalTrainings, { shared: 3 * R, unshared: 3 * R });
});

test("this machine's factor is the median of actual / estimated time over finished runs that trained everything themselves", (t) => {
  const store = tempStore(t);
  const config = sweep[0];
  const estimated = estimateRun(config).seconds;
  assert.equal(machineFactor(store), null, 'no finished run yet');
  const done = (ratio: number, shared?: SharedStages) => {
    const run = store.runs.create({ name: 'r', config, status: 'running' });
    store.runs.finish(run.id, 'done');
    store.db.prepare('UPDATE runs SET duration_ms = ? WHERE id = ?').run(ratio * estimated * 1000, run.id);
    if (shared) store.artifacts.put({ runId: run.id, kind: 'shared', name: 'shared', json: shared });
  };
  done(0.5);
  done(3);
  done(2);
  // A run that reused its trainings was fast for that reason: it does not count.
  done(0.01, { original: ['other'], retrained: [{ reused: 3, trained: 0, from: ['other'] }] });
  const m = machineFactor(store);
  assert.deepEqual(m, { factor: 2, runs: 3 });
  const e = estimateStudy(sweep, [], { cells: 3, seeds: 1, share: true }, CORES);
  const scaled = calibrated(e, m);
  assert.deepEqual(scaled.seconds, {
    shared: Math.round(e.seconds.shared * 2),
    unshared: Math.round(e.seconds.unshared * 2),
  });
  assert.match(scaled.basis, /scaled by 2\.00.*last 3 finished run/);
  assert.equal(calibrated(e, null), e);
});
