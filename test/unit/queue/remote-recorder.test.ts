/**
 * The coordinator records each event envelope of a queued run once: a duplicate delivery and a
 * stream read again are skipped, a newer attempt (a lost worker replaced) replays over the same run,
 * a late event of an older attempt is ignored, and the end finishes both the run and the study item;
 * an attempt's pace counts only the rounds it trained.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { EngineEvent } from '../../../src/shared/events';
import { decodeEvent, encodeEvent, envelopeFields, envelopeFrom, jobIdFor } from '../../../src/main/queue/protocol';
import { applyEnvelope } from '../../../src/main/queue/remote-recorder';
import { createRunRow } from '../../../src/main/runs/record-run';
import { parseConfig } from '../../../src/shared/config';
import { REMOTE_CLAIMER } from '../../../src/main/studies/local-queue';
import { StudyService } from '../../../src/main/studies/study-service';
import { tempStore } from '../store/helpers';

const base = {
  seed: 1,
  dataset: { id: 'mnist', trainSize: 100, testSize: 50 },
  partition: { clients: 2 },
  training: { rounds: 1 },
};
const started: EngineEvent = { type: 'started', backend: 'wasm', versions: {}, workers: 1, pool: 'in-process' };
const round = (r: number, acc: number): EngineEvent => ({
  type: 'round',
  stage: 'original',
  round: r,
  totalRounds: 2,
  testAccuracy: acc,
  testLoss: 1,
  trainLoss: NaN,
  elapsedMs: 5,
  clients: [{ client: 0, trainLoss: 1, numExamples: 50 }],
  progress: { done: r, total: 2 },
});
const done: EngineEvent = { type: 'done', summary: { testAccuracy: 0.5 } };

/** A one-run study whose item the queue has handed out: its run created 'queued', as the coordinator does. */
function queuedItem(t: TestContext) {
  const store = tempStore(t);
  const study = new StudyService(store).create({ base, axes: [{ path: 'seed', values: [1] }] });
  const claimed = store.studies.claimNext(REMOTE_CLAIMER, () => true)!;
  const run = createRunRow(store, parseConfig(claimed.config), study.id, 'queued');
  store.studies.attachRun(study.id, claimed.key, run.id);
  const item = { studyId: study.id, key: claimed.key, runId: run.id };
  return { store, study, run, item };
}

test('envelopes are recorded once per (attempt, seq); a newer attempt replays, an older one is ignored', (t) => {
  const { store, study, run, item } = queuedItem(t);
  const apply = (attempt: number, seq: number, event: EngineEvent, worker = 'a:1') =>
    applyEnvelope(store, item, { attempt, seq, worker, event });

  assert.equal(apply(1, 1, started), 'recorded');
  assert.equal(store.runs.require(run.id).status, 'running');
  assert.equal(apply(1, 2, round(1, 0.4)), 'recorded');
  assert.equal(apply(1, 2, round(1, 0.4)), 'duplicate');
  assert.equal(apply(1, 1, started), 'duplicate');
  // Worker a:1 is lost; b:2 starts over: its rounds replace (same numbers), its events follow a note.
  assert.equal(apply(2, 1, started, 'b:2'), 'recorded');
  assert.equal(apply(1, 3, round(2, 0.9)), 'superseded');
  assert.equal(apply(2, 2, round(1, 0.4), 'b:2'), 'recorded');
  assert.equal(apply(2, 3, round(2, 0.6), 'b:2'), 'recorded');
  assert.equal(apply(2, 4, done, 'b:2'), 'finished');
  assert.equal(apply(2, 4, done, 'b:2'), 'stale');

  assert.deepEqual(
    store.metrics.roundsFor(run.id).map((r) => [r.round, r.testAccuracy]),
    [
      [1, 0.4],
      [2, 0.6],
    ],
  );
  assert.deepEqual(
    store.events.list(run.id).map((e) => e.type),
    ['started', 'retried', 'started', 'done'],
  );
  assert.equal(store.runs.require(run.id).status, 'done');
  assert.equal(store.studies.items(study.id)[0].status, 'done');
  assert.deepEqual(
    (({ attempt, worker, backend, lastSeq, rounds }) => ({ attempt, worker, backend, lastSeq, rounds }))(
      store.queueAttempts.ofStudy(study.id)[0],
    ),
    { attempt: 2, worker: 'b:2', backend: 'wasm', lastSeq: 4, rounds: 2 },
  );
});

test("an attempt's pace counts the rounds it trained, not those it replayed from a shared stage", (t) => {
  const { store, study, item } = queuedItem(t);
  const at = (seq: number, done: number, replayed?: number) =>
    applyEnvelope(store, item, {
      attempt: 1,
      seq,
      worker: 'a:1',
      event: {
        ...round(done, 0.5),
        progress: { done, total: 5, ...(replayed !== undefined && { replayed }) },
      } as EngineEvent,
    });
  applyEnvelope(store, item, { attempt: 1, seq: 1, worker: 'a:1', event: started });
  const rounds = () => store.queueAttempts.ofStudy(study.id)[0].rounds;
  // The original's two rounds replayed, then the method trains two.
  at(2, 1, 1);
  at(3, 2, 2);
  assert.equal(rounds(), 0);
  at(4, 3, 2);
  at(5, 4, 2);
  assert.equal(rounds(), 2);
});

test('events cross Redis as sent: weights as Float32Arrays, non-finite numbers kept', () => {
  const weights: EngineEvent = {
    type: 'weights',
    name: 'original',
    tensors: [{ name: 'w', shape: [3], data: new Float32Array([1.5, -0, 3e-39]) }],
  };
  const back = decodeEvent(encodeEvent(weights));
  assert.ok(back.type === 'weights' && back.tensors[0].data instanceof Float32Array);
  assert.deepEqual(back, weights);
  const r = round(1, 0.5);
  const m = envelopeFrom(envelopeFields({ attempt: 3, seq: 9, worker: 'h:1', event: r }));
  assert.deepEqual(m, { attempt: 3, seq: 9, worker: 'h:1', event: r });
  assert.ok(Number.isNaN((m.event as { trainLoss: number }).trainLoss));
  // Job ids are stable per item and free of ':' (BullMQ refuses it in custom ids).
  assert.equal(jobIdFor('s', 'a|b#0'), jobIdFor('s', 'a|b#0'));
  assert.notEqual(jobIdFor('s', 'a|b#0'), jobIdFor('s', 'a|b#1'));
  assert.doesNotMatch(jobIdFor('s:1', 'k:2'), /:/);
});
