/**
 * Cancellation as the host sees it (issue 13): cancel asks the engine to stop, and an engine that
 * does not stop within the grace period is killed and still ends 'cancelled', never 'crashed'.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineEvent } from '../../../src/shared/events';
import { crashMessage, wrapEngineProcess, type EngineProcessEvents } from '../../../src/main/engine-host/engine-handle';

function fakeProcess() {
  let exit: (code: number | null, signal: string | null) => void = () => {};
  let message: (e: EngineEvent) => void = () => {};
  const calls: string[] = [];
  const p: EngineProcessEvents = {
    onMessage: (cb) => (message = cb),
    onExit: (cb) => (exit = cb),
    onStderr: () => {},
    sendCancel: () => calls.push('cancel'),
    kill: () => {
      calls.push('kill');
      exit(null, 'SIGKILL');
    },
  };
  return {
    p,
    calls,
    exit: (code: number | null, signal: string | null) => exit(code, signal),
    message: (e: EngineEvent) => message(e),
  };
}

test('an engine that ignores cancel is killed after the grace period and the run ends cancelled, saying so', async () => {
  const f = fakeProcess();
  const handle = wrapEngineProcess(f.p, { graceMs: 50 });
  const seen: EngineEvent[] = [];
  handle.onEvent((e) => seen.push(e));
  handle.cancel();
  handle.cancel(); // a second Ctrl+C does not restart the clock or send again
  await handle.finished;
  assert.deepEqual(f.calls, ['cancel', 'kill']);
  assert.deepEqual(seen, [
    {
      type: 'error',
      code: 'CANCELLED',
      message: 'the run was cancelled; the engine did not stop within 0 s and was stopped',
    },
  ]);
});

test('an engine that stops on cancel reports its own final event and is not killed', async () => {
  const f = fakeProcess();
  const handle = wrapEngineProcess(f.p, { graceMs: 60_000 });
  const seen: EngineEvent[] = [];
  handle.onEvent((e) => seen.push(e));
  handle.cancel();
  f.message({ type: 'error', code: 'CANCELLED', message: 'the run was cancelled' });
  f.exit(0, null);
  await handle.finished;
  assert.deepEqual(f.calls, ['cancel']);
  assert.deepEqual(
    seen.map((e) => e.type === 'error' && e.code),
    ['CANCELLED'],
  );
});

test('an engine killed by the same Ctrl+C before it could answer still counts as cancelled', async () => {
  const f = fakeProcess();
  const handle = wrapEngineProcess(f.p, { graceMs: 60_000 });
  const seen: EngineEvent[] = [];
  handle.onEvent((e) => seen.push(e));
  handle.cancel();
  f.exit(null, 'SIGINT');
  await handle.finished;
  assert.deepEqual(seen, [{ type: 'error', code: 'CANCELLED', message: 'the run was cancelled' }]);
});

test('without a cancel, an exit with no final event is a crash, named by code or signal', async () => {
  const f = fakeProcess();
  const handle = wrapEngineProcess(f.p);
  const seen: EngineEvent[] = [];
  handle.onEvent((e) => seen.push(e));
  f.exit(null, 'SIGSEGV');
  await handle.finished;
  assert.deepEqual(seen, [
    { type: 'error', code: 'ENGINE_CRASHED', message: 'the engine process was killed by SIGSEGV' },
  ]);
  assert.equal(
    crashMessage(3, null, '/d/logs/r.log', true),
    'the engine process exited with code 3; its messages are in /d/logs/r.log',
  );
  assert.equal(
    crashMessage(3, null, '/d/logs/r.log', false),
    'the engine process exited with code 3',
    'no pointer to a log that was never written',
  );
});

test("an unexpected engine error keeps its one-sentence message and points to the run's log for details", async () => {
  const f = fakeProcess();
  const handle = wrapEngineProcess(f.p, { logFile: '/data/logs/r1.log' });
  const seen: EngineEvent[] = [];
  handle.onEvent((e) => seen.push(e));
  f.message({ type: 'error', code: 'ENGINE', message: "Cannot read properties of undefined (reading 'shape')" });
  f.message({ type: 'error', code: 'DATASET', message: 'train-labels: holds no labels' });
  f.exit(0, null);
  await handle.finished;
  assert.deepEqual(
    seen.map((e) => e.type === 'error' && e.message),
    [
      "Cannot read properties of undefined (reading 'shape') (details in /data/logs/r1.log)",
      'train-labels: holds no labels',
    ],
  );
});
