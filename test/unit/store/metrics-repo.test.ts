import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tempStore } from './helpers';

test('round metrics round-trip, ordered by stage then round, filterable by stage', (t) => {
  const store = tempStore(t);
  const { id: runId } = store.runs.create({ name: 'r', config: {} });
  store.metrics.insertRounds([
    { runId, stage: 'original', round: 2, testAccuracy: 0.8125, testLoss: 0.5, trainLoss: 0.25, elapsedMs: 12.5 },
    { runId, stage: 'original', round: 1, testAccuracy: 0.5, testLoss: 1.5, trainLoss: 1.25, elapsedMs: 10 },
  ]);
  store.metrics.insertRound({ runId, stage: 'unlearn:fedmemeraser', round: 1, testAccuracy: 0.75 });
  assert.deepEqual(store.metrics.roundsFor(runId, 'original'), [
    { runId, stage: 'original', round: 1, testAccuracy: 0.5, testLoss: 1.5, trainLoss: 1.25, elapsedMs: 10 },
    { runId, stage: 'original', round: 2, testAccuracy: 0.8125, testLoss: 0.5, trainLoss: 0.25, elapsedMs: 12.5 },
  ]);
  const all = store.metrics.roundsFor(runId);
  assert.equal(all.length, 3);
  assert.deepEqual(all[2], {
    runId,
    stage: 'unlearn:fedmemeraser',
    round: 1,
    testAccuracy: 0.75,
    testLoss: null,
    trainLoss: null,
    elapsedMs: null,
  });
  assert.deepEqual(store.metrics.stagesFor(runId), ['original', 'unlearn:fedmemeraser']);
  assert.deepEqual(store.metrics.roundsFor('other'), []);
});

test('re-inserting a round replaces it (upsert), NaN is stored as null', (t) => {
  const store = tempStore(t);
  const { id: runId } = store.runs.create({ name: 'r', config: {} });
  store.metrics.insertRound({ runId, stage: 'retrain:0', round: 1, testAccuracy: 0.1 });
  store.metrics.insertRound({ runId, stage: 'retrain:0', round: 1, testAccuracy: 0.2, testLoss: Number.NaN });
  assert.deepEqual(
    store.metrics.roundsFor(runId).map((r) => [r.testAccuracy, r.testLoss]),
    [[0.2, null]],
  );
});

test('client metrics are batched in one transaction and round-trip', (t) => {
  const store = tempStore(t);
  const { id: runId } = store.runs.create({ name: 'r', config: {} });
  const rows = [2, 0, 1].map((client) => ({
    runId,
    stage: 'original',
    round: 1,
    client,
    trainLoss: client / 3,
    numExamples: 100 + client,
  }));
  store.metrics.insertClientRounds(rows);
  store.metrics.insertClientRounds([{ runId, stage: 'original', round: 2, client: 0 }]);
  const r1 = store.metrics.clientRoundsFor(runId, 'original', 1);
  assert.deepEqual(
    r1,
    [...rows].sort((a, b) => a.client - b.client),
  );
  assert.equal(store.metrics.clientRoundsFor(runId).length, 4);
  assert.deepEqual(store.metrics.clientRoundsFor(runId, 'original', 2), [
    { runId, stage: 'original', round: 2, client: 0, trainLoss: null, numExamples: null },
  ]);

  // All or nothing: a bad row (unknown run -> FOREIGN KEY) rolls the whole batch back.
  assert.throws(() =>
    store.metrics.insertClientRounds([
      { runId, stage: 'batch', round: 1, client: 0 },
      { runId: 'no-such-run', stage: 'batch', round: 1, client: 1 },
    ]),
  );
  assert.deepEqual(store.metrics.clientRoundsFor(runId, 'batch'), []);
});
