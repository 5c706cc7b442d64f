/**
 * The utilityProcess launcher with a fake `utilityProcess` (the real one needs the Electron binary):
 * start is posted once the process spawned, events flow, cancel is a message, and an exit without a
 * final event becomes ENGINE_CRASHED naming the log file that holds the engine's stderr.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { EngineEvent } from '../../../src/shared/events';
import { utilityEngineLauncher, type UtilityProcessModule } from '../../../src/main/engine-host/utility-engine';

class FakeChild extends EventEmitter {
  readonly posted: unknown[] = [];
  readonly stderr = new EventEmitter();
  postMessage(m: unknown) {
    this.posted.push(m);
  }
}

function fakeModule() {
  const children: { child: FakeChild; path: string; options: unknown }[] = [];
  const mod = {
    fork(path: string, _args?: string[], options?: unknown) {
      const child = new FakeChild();
      children.push({ child, path, options });
      return child;
    },
  } as unknown as UtilityProcessModule;
  return { mod, children };
}

test('posts start after spawn, forwards events, sends cancel, resolves on exit', async () => {
  const { mod, children } = fakeModule();
  const handle = utilityEngineLauncher(mod, '/x/engine.js')({ seed: 1 });
  const { child, path } = children[0];
  assert.equal(path, '/x/engine.js');
  assert.deepEqual(child.posted, [], 'nothing is posted before the process exists');
  child.emit('spawn');
  assert.deepEqual(child.posted, [{ type: 'start', config: { seed: 1 } }]);
  const seen: EngineEvent[] = [];
  handle.onEvent((e) => seen.push(e));
  child.emit('message', { type: 'log', level: 'info', message: 'hi' });
  handle.cancel();
  assert.deepEqual(child.posted[1], { type: 'cancel' });
  child.emit('message', { type: 'error', code: 'CANCELLED', message: 'cancelled' });
  child.emit('exit', 0);
  await handle.finished;
  assert.deepEqual(
    seen.map((e) => e.type),
    ['log', 'error'],
  );
  handle.cancel();
  assert.equal(child.posted.length, 2, 'no message to a process that has exited');
});

test('an exit without done/error is ENGINE_CRASHED: stderr goes to the log file, the message names it and holds no stack lines', async (t) => {
  const { mod, children } = fakeModule();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-log-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const logFile = path.join(dir, 'logs', 'run.log');
  const handle = utilityEngineLauncher(mod, '/x/engine.js')({}, {}, { logFile });
  const seen: EngineEvent[] = [];
  handle.onEvent((e) => seen.push(e));
  const { child } = children[0];
  child.emit('spawn');
  child.stderr.emit('data', Buffer.from('line 1\nRangeError: out of memory\n'));
  child.emit('exit', 134);
  await handle.finished;
  assert.equal(seen.length, 1);
  const e = seen[0];
  assert.ok(e.type === 'error' && e.code === 'ENGINE_CRASHED');
  assert.equal(e.message, `the engine process exited with code 134; its messages are in ${logFile}`);
  assert.equal(fs.readFileSync(logFile, 'utf8'), 'line 1\nRangeError: out of memory\n');
});
