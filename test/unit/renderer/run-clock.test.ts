/** The live view's bar and ETA from time measured in this run (format/run-clock.ts), on hand-worked timelines. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  marksOfEvents,
  mergeMarks,
  runClock,
  sessionStartMs,
  type PhaseMark,
  type RunClockInput,
} from '../../../src/renderer/src/format/run-clock';

const s = (seconds: number) => seconds * 1000;
const mark = (at: number, phase: PhaseMark['phase'], stage = phase as string, label = stage): PhaseMark => ({
  atMs: s(at),
  phase,
  stage,
  label,
});
const close = (actual: number | null, expected: number) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);
const base: Omit<RunClockInput, 'marks' | 'done' | 'nowMs'> = {
  total: 40,
  lastRoundAtMs: null,
  evaluations: 3,
  finished: false,
};

describe('run clock', () => {
  it('seeds seconds per round from the stored phases and rounds when the view opens mid-run', () => {
    // Loading 0-10 s (not counted); original training 10-70 s; retraining since 70 s; now 100 s; 15 rounds stored.
    const marks = [mark(0, 'preparing'), mark(10, 'training'), mark(70, 'retraining')];
    const c = runClock({ ...base, marks, done: 15, nowMs: s(100) });
    // 90 s in round phases / 15 rounds = 6 s a round; 25 rounds left = 150 s.
    // No evaluation measured yet: the guess is 10% of the run, 40 rounds · 6 s · 0.1 / 0.9 = 26.67 s over 3 phases.
    close(c.etaSeconds, 150 + 240 / 9);
    close(c.fraction, 90 / (90 + 150 + 240 / 9));
    assert.equal(c.evaluation, 'guessed');
  });

  it('live, the phase under way counts up to its latest round, not the round still training', () => {
    const marks = [mark(10, 'training'), mark(70, 'retraining')];
    const c = runClock({ ...base, marks, done: 15, nowMs: s(100), lastRoundAtMs: s(94) });
    // 60 + 24 = 84 s / 15 = 5.6 s a round: 25 · 5.6 = 140 s, plus the guess 40 · 5.6 / 9 = 24.89 s.
    close(c.etaSeconds, 140 + (40 * 5.6) / 9);
  });

  it('uses the evaluation phases this run has finished instead of the guess', () => {
    // Repeat 1: 10 + 10 + 5 rounds in 100 s (4 s each), GME scoring 100-130 s; repeat 2 training from 130 s, 4 rounds
    // by 146 s.
    const marks = [
      mark(0, 'training'),
      mark(40, 'retraining'),
      mark(80, 'unlearning'),
      mark(100, 'evaluating', 'gme'),
      mark(130, 'training', 'original@1'),
    ];
    const c = runClock({ ...base, total: 50, marks, done: 29, nowMs: s(150), lastRoundAtMs: s(146) });
    // 116 s / 29 rounds = 4 s; 21 rounds left = 84 s; 2 evaluation phases left at the measured 30 s = 60 s.
    close(c.etaSeconds, 84 + 60);
    close(c.fraction, (116 + 30) / (116 + 30 + 144));
    assert.equal(c.evaluation, 'measured');
  });

  it('during the last evaluation: what is left of it at the measured mean, and never 100% before the end', () => {
    // Two trainings of 25 rounds (100 s each), GME 30 s and 20 s, the report under way for 10 s.
    const marks = [
      mark(0, 'training'),
      mark(100, 'evaluating', 'gme'),
      mark(130, 'training', 'original@1'),
      mark(230, 'evaluating', 'gme@1'),
      mark(250, 'evaluating', 'report'),
    ];
    const input = { ...base, total: 50, marks, done: 50, lastRoundAtMs: s(229) };
    const c = runClock({ ...input, nowMs: s(260) });
    close(c.etaSeconds, 25 - 10);
    close(c.fraction, 260 / 275);
    const late = runClock({ ...input, nowMs: s(400) });
    assert.equal(late.etaSeconds, 0, 'the report takes longer than the mean: nothing more is promised');
    assert.equal(late.fraction, 0.99);
    assert.deepEqual(runClock({ ...input, nowMs: s(400), finished: true }), {
      fraction: 1,
      etaSeconds: 0,
      evaluation: 'measured',
    });
  });

  it('a training-only run has no evaluation; nothing is estimated before the first round', () => {
    const c = runClock({
      ...base,
      total: 10,
      evaluations: 0,
      marks: [mark(0, 'training')],
      done: 4,
      nowMs: s(50),
      lastRoundAtMs: s(40),
    });
    close(c.etaSeconds, 60);
    close(c.fraction, 0.4);
    assert.equal(c.evaluation, 'none');
    assert.deepEqual(runClock({ ...base, marks: [mark(0, 'preparing'), mark(5, 'training')], done: 0, nowMs: s(9) }), {
      fraction: 0,
      etaSeconds: null,
      evaluation: 'guessed',
    });
  });

  it('replayed rounds (a reused original and retrained models) count as done but not in seconds per round', () => {
    // 20 rounds replayed at 5 s (with their models' assessment, 1 s), then the method trains 4 rounds from 6 s
    // to 26 s: 21 s of round phases over the 4 trained rounds = 5.25 s a round, 6 rounds left.
    const marks = [
      mark(0, 'preparing'),
      mark(5, 'training', 'original', 'reusing the original model'),
      mark(5, 'retraining', 'retrain:0', 'reusing a retrained model'),
      mark(6, 'unlearning', 'unlearn:fme'),
    ];
    const c = runClock({
      ...base,
      evaluations: 0,
      total: 30,
      marks,
      done: 24,
      replayed: 20,
      nowMs: s(27),
      lastRoundAtMs: s(26),
    });
    close(c.etaSeconds, 6 * 5.25);
    close(c.fraction, 21 / (21 + 31.5));
    // Counted as trained, the replay would promise 6 rounds at 21 s / 24 rounds = 0.875 s each.
    close(
      runClock({ ...base, evaluations: 0, total: 30, marks, done: 24, nowMs: s(27), lastRoundAtMs: s(26) }).etaSeconds,
      6 * (21 / 24),
    );
    // Only replayed rounds so far: nothing measured yet.
    assert.equal(
      runClock({ ...base, marks: marks.slice(0, 3), done: 20, replayed: 20, nowMs: s(6), lastRoundAtMs: s(5) })
        .etaSeconds,
      null,
    );
  });

  it('a resumed run is measured from its last resume: not the first session, nor the time it stood stopped', () => {
    // Session 1: 10 rounds in 0-100 s, killed; resumed at 1000 s: the 10 rounds replayed at 1010 s, 5 more trained by
    // 1030 s.
    const marks = [
      mark(0, 'training', 'original'),
      mark(1005, 'preparing', 'prepare'),
      mark(1010, 'training', 'original'),
    ];
    const c = runClock({
      ...base,
      evaluations: 0,
      total: 40,
      marks,
      done: 15,
      replayed: 10,
      sinceMs: s(1000),
      nowMs: s(1031),
      lastRoundAtMs: s(1030),
    });
    // 20 s / 5 trained rounds = 4 s; 25 rounds left.
    close(c.etaSeconds, 100);
    assert.equal(sessionStartMs([]), null);
    const events = [
      { at: '2026-01-01T00:00:00.000Z', type: 'resumed' },
      { at: '2026-01-01T00:01:00.000Z', type: 'phase' },
      { at: '2026-01-01T00:05:00.000Z', type: 'resumed' },
      { at: '2026-01-01T00:05:01.000Z', type: 'phase' },
    ];
    assert.equal(sessionStartMs(events), Date.parse('2026-01-01T00:05:00.000Z'));
  });

  it('reads phase marks from stored events and merges live ones without counting a phase twice', () => {
    const stored = marksOfEvents([
      {
        at: '2026-01-01T00:00:00.000Z',
        type: 'phase',
        data: { phase: 'training', stage: 'original', label: 'training the original model' },
      },
      { at: '2026-01-01T00:00:01.000Z', type: 'log', data: { message: 'x' } },
      {
        at: '2026-01-01T00:01:00.000Z',
        type: 'phase',
        data: { phase: 'retraining', stage: 'retrain:0', label: 'retraining 1 of 3' },
      },
    ]);
    assert.deepEqual(
      stored.map((m) => [m.atMs - Date.parse('2026-01-01T00:00:00.000Z'), m.phase]),
      [
        [0, 'training'],
        [60_000, 'retraining'],
      ],
    );
    const seenLive = { ...stored[1], atMs: stored[1].atMs + 40 };
    const next = {
      atMs: stored[1].atMs + 30_000,
      phase: 'retraining' as const,
      stage: 'retrain:1',
      label: 'retraining 2 of 3',
    };
    assert.deepEqual(mergeMarks(stored, [seenLive, next]), [...stored, next]);
  });
});
