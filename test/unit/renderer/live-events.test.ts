/** The live view's pure parts: folding engine events, merging the stored detail, the clock's input. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunDetail, UiEngineEvent } from '../../../src/shared/contract';
import {
  foldEvent,
  mergeDetail,
  mergeRounds,
  type LiveEventState,
  type LiveRound,
} from '../../../src/renderer/src/format/live-events';
import { PRESETS } from '../../../src/shared/presets';
import {
  elapsedMs,
  liveClockInput,
  startedAtMs,
  storedClockFacts,
} from '../../../src/renderer/src/format/live-progress';

const empty: LiveEventState = {
  backend: null,
  phase: null,
  liveMarks: [],
  current: null,
  progress: null,
  lastRoundAtMs: null,
  rounds: [],
  partition: null,
  error: null,
  doneEvent: false,
};
const point = (stage: string, round: number, testAccuracy: number): LiveRound => ({
  stage,
  round,
  testAccuracy,
  trainLoss: 1,
  testLoss: 2,
});
const round = (stage: string, r: number, acc: number, done: number): UiEngineEvent => ({
  type: 'round',
  stage,
  round: r,
  totalRounds: 2,
  testAccuracy: acc,
  testLoss: 2,
  trainLoss: 1,
  elapsedMs: 5,
  clients: [],
  progress: { done, total: 4 },
});

// A training-only run of 3 rounds (the quick preset without its unlearning).
const { name: _name, unlearning: _unlearning, ...quick } = PRESETS.quick;
const threeRounds = { ...quick, training: { ...quick.training, rounds: 3 } };

function detail(over: Partial<RunDetail> = {}): RunDetail {
  return {
    id: 'r',
    name: 'r',
    status: 'running',
    createdAt: '2025-01-01T00:00:00.000Z',
    durationMs: null,
    dataset: 'mnist',
    model: 'cnn',
    methods: [],
    seed: 1,
    backend: 'wasm',
    phase: null,
    error: null,
    summary: null,
    active: true,
    studyId: null,
    note: null,
    tags: [],
    config: threeRounds,
    versions: {},
    startedAt: '2025-01-01T00:00:10.000Z',
    endedAt: null,
    rounds: [],
    artifacts: {},
    files: [],
    events: [],
    ...over,
  };
}

test('a later copy of a round replaces the earlier one, in first-seen order', () => {
  const merged = mergeRounds(
    [point('original', 1, 0.1), point('original', 2, 0.2)],
    [point('original', 1, 0.5), point('retrain:0', 1, 0.3)],
  );
  assert.deepEqual(
    merged.map((r) => [r.stage, r.round, r.testAccuracy]),
    [
      ['original', 1, 0.5],
      ['original', 2, 0.2],
      ['retrain:0', 1, 0.3],
    ],
  );
});

test('events fold into the live state; what an event does not touch stays the same object', () => {
  let s = foldEvent(empty, { type: 'started', backend: 'wasm' } as UiEngineEvent, 0);
  assert.equal(s.backend, 'wasm');
  s = foldEvent(s, { type: 'phase', phase: 'training', stage: 'original', label: 'training' }, 1000);
  assert.deepEqual(s.phase, { phase: 'training', stage: 'original', label: 'training' });
  assert.deepEqual(s.liveMarks, [{ phase: 'training', stage: 'original', label: 'training', atMs: 1000 }]);
  const beforeRound = s;
  s = foldEvent(s, round('original', 1, 0.4, 1), 2000);
  assert.deepEqual(s.current, { stage: 'original', round: 1, totalRounds: 2 });
  assert.deepEqual(s.progress, { done: 1, total: 4 });
  assert.equal(s.lastRoundAtMs, 2000);
  assert.deepEqual(s.rounds, [point('original', 1, 0.4)], 'only the plotted fields are kept');
  assert.equal(s.liveMarks, beforeRound.liveMarks);
  s = foldEvent(s, { type: 'artifact', kind: 'partition', name: 'partition', json: { classCounts: [[1, 2]] } }, 0);
  assert.deepEqual(s.partition, [[1, 2]]);
  assert.equal(
    foldEvent(s, { type: 'artifact', kind: 'partition', name: 'partition', json: null, omitted: true }, 0),
    s,
    'an omitted artifact changes nothing',
  );
  assert.equal(foldEvent(s, { type: 'artifact', kind: 'csl', name: 'csl', json: {} }, 0), s);
  s = foldEvent(s, { type: 'error', code: 'X', message: 'boom' }, 0);
  assert.equal(s.error, 'boom');
  s = foldEvent(s, { type: 'done' } as UiEngineEvent, 0);
  assert.equal(s.doneEvent, true);
  assert.equal(
    foldEvent(s, { type: 'log', level: 'info', message: 'hi' }, 0),
    s,
    'a log line is the store’s log, not this state',
  );
});

test('the stored detail: its rounds merged in, the longer log kept, the phase kept unless recorded elsewhere', () => {
  const view = {
    rounds: [point('original', 1, 0.1)],
    log: [],
    phase: { phase: 'training' as const, stage: 'original', label: 'live' },
    partition: null,
    progress: null,
  };
  const d = detail({
    rounds: [
      { stage: 'original', round: 1, testAccuracy: 0.2, testLoss: 2, trainLoss: 1, elapsedMs: 3 },
      { stage: 'original', round: 2, testAccuracy: 0.3, testLoss: 2, trainLoss: 1, elapsedMs: 3 },
    ],
    events: [
      {
        seq: 1,
        at: '2025-01-01T00:00:11.000Z',
        type: 'phase',
        data: { phase: 'retraining', stage: 'retrain:0', label: 'stored' },
      },
    ],
    artifacts: { 'partition/partition': { classCounts: [[3]] } },
  });
  const here = mergeDetail(view, d, false);
  assert.deepEqual(
    here.rounds.map((r) => r.testAccuracy),
    [0.2, 0.3],
  );
  assert.equal(here.phase?.label, 'live', 'events reach this app: its own phase stands');
  assert.deepEqual(here.partition, [[3]]);
  assert.deepEqual(
    here.progress,
    { done: 2, total: 3 },
    'without live progress, the stored rounds against the planned ones',
  );
  assert.equal(mergeDetail(view, d, true).phase?.label, 'stored', 'recorded elsewhere: the stored phase is the news');
  const live = mergeDetail({ ...view, progress: { done: 1, total: 9 } }, d, false);
  assert.deepEqual(live.progress, { done: 1, total: 9 }, 'live progress is kept');
  assert.deepEqual(mergeDetail({ ...view, progress: { done: 1, total: 9 } }, d, true).progress, { done: 2, total: 3 });
});

test('the clock: started at startedAt (else createdAt), and its input from stored and live marks', () => {
  assert.equal(startedAtMs(null), null);
  assert.equal(startedAtMs(detail()), Date.parse('2025-01-01T00:00:10.000Z'));
  assert.equal(startedAtMs(detail({ startedAt: null })), Date.parse('2025-01-01T00:00:00.000Z'));
  assert.equal(elapsedMs(null, 5000), 0);
  assert.equal(elapsedMs(1000, 500), 0, 'never negative');
  assert.equal(elapsedMs(1000, 4000), 3000);
  const stored = storedClockFacts(
    detail({
      events: [
        {
          seq: 1,
          at: '2025-01-01T00:00:11.000Z',
          type: 'phase',
          data: { phase: 'training', stage: 'original', label: 't' },
        },
      ],
    }),
  );
  const input = liveClockInput(stored, {
    liveMarks: [{ phase: 'evaluating', stage: 'gme', label: 'g', atMs: Date.parse('2025-01-01T00:00:20.000Z') }],
    progress: { done: 2, total: 4, replayed: 1 },
    lastRoundAtMs: 7,
    nowMs: 9,
    finished: false,
  });
  assert.deepEqual(
    input.marks.map((m) => m.stage),
    ['original', 'gme'],
  );
  assert.deepEqual(
    [input.done, input.total, input.replayed, input.lastRoundAtMs, input.nowMs, input.finished],
    [2, 4, 1, 7, 9, false],
  );
  assert.equal(
    liveClockInput(storedClockFacts(null), {
      liveMarks: [],
      progress: null,
      lastRoundAtMs: null,
      nowMs: 0,
      finished: true,
    }).total,
    0,
  );
});
