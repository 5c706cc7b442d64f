/**
 * The terminal progress bar's ETA (cli/progress-view.ts) on a fake TTY with a mocked clock: time so
 * far over the rounds trained, so a resumed run's replayed rounds do not make it promise the rest
 * at the speed of reading a checkpoint.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { EngineEvent, RoundEvent } from '../../../src/shared/events';
import { createProgressView } from '../../../src/main/cli/progress-view';

function fakeTty() {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 160 });
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return {
    stream: stream as unknown as NodeJS.WriteStream,
    etas: () => [...text.matchAll(/ETA ([^|]+?) \|/g)].map((m) => m[1]),
  };
}

const round = (done: number, replayed?: number): EngineEvent =>
  ({
    type: 'round',
    stage: 'original',
    round: done,
    totalRounds: 30,
    testAccuracy: 0.5,
    testLoss: 1,
    trainLoss: 1,
    elapsedMs: 0,
    clients: [],
    progress: { done, total: 30, ...(replayed !== undefined && { replayed }) },
  }) satisfies RoundEvent;

describe('terminal progress view', () => {
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: 0 }));
  afterEach(() => mock.timers.reset());

  it('extrapolates the time per trained round', () => {
    const tty = fakeTty();
    const view = createProgressView(tty.stream);
    mock.timers.tick(10_000);
    view.update(round(1));
    view.stop();
    // 10 s for 1 round, 29 left.
    assert.equal(tty.etas().at(-1), '4 min 50 s');
  });

  it('leaves replayed rounds out: nothing is promised until a round is trained, then the trained ones set the pace', () => {
    const tty = fakeTty();
    const view = createProgressView(tty.stream);
    mock.timers.tick(1_000);
    view.update(round(20, 20));
    mock.timers.tick(5_000);
    view.update(round(21, 20));
    view.stop();
    // After the replay: "…"; then 6 s over 1 trained round, 9 left = 54 s (counting the replayed ones: 2.6 s).
    assert.deepEqual(tty.etas().slice(-2), ['…', '54 s']);
  });
});
