/**
 * The query client over a scripted fake process: answers by id, errors keep their code, a crash fails what is pending
 * and the next query respawns.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineQueries, type QueryProcess } from '../../../src/main/engine-host/query-engine';
import type { EngineCommand } from '../../../src/shared/events';

function fakeSpawner() {
  const procs: { sent: EngineCommand[]; reply(m: unknown): void; exit(why: string): void; killed: boolean }[] = [];
  const spawn = (): QueryProcess => {
    let onMessage: (m: unknown) => void = () => {};
    let onExit: (why: string) => void = () => {};
    const p = {
      sent: [] as EngineCommand[],
      reply: (m: unknown) => onMessage(m),
      exit: (why: string) => onExit(why),
      killed: false,
    };
    procs.push(p);
    return {
      send: (cmd) => p.sent.push(cmd),
      onMessage: (cb) => (onMessage = cb),
      onExit: (cb) => (onExit = cb),
      kill: () => (p.killed = true),
    };
  };
  return { spawn, procs };
}

test('answers are matched to their query by id, out of order too', async () => {
  const { spawn, procs } = fakeSpawner();
  const q = new EngineQueries(spawn);
  const a = q.ask({ kind: 'backends' });
  const b = q.ask({ kind: 'partition-preview', config: {} });
  assert.equal(procs.length, 1, 'one process serves every query');
  const [ca, cb] = procs[0].sent as Extract<EngineCommand, { type: 'query' }>[];
  procs[0].reply({
    type: 'answer',
    id: cb.id,
    ok: false,
    code: 'INVALID_CONFIG',
    message: 'seed: is required',
    issues: [{ path: 'seed', message: 'is required' }],
  });
  procs[0].reply({ type: 'answer', id: ca.id, ok: true, value: { auto: 'wasm', backends: [] } });
  assert.deepEqual(await a, { auto: 'wasm', backends: [] });
  await assert.rejects(
    b,
    (e: Error & { code?: string; issues?: unknown }) => e.code === 'INVALID_CONFIG' && Array.isArray(e.issues),
  );
});

test('a crash fails the pending queries with ENGINE_CRASHED; the next query starts a new process', async () => {
  const { spawn, procs } = fakeSpawner();
  const q = new EngineQueries(spawn);
  const pending = q.ask({ kind: 'backends' });
  procs[0].exit('was killed by SIGKILL');
  await assert.rejects(
    pending,
    (e: Error & { code?: string }) => e.code === 'ENGINE_CRASHED' && /SIGKILL/.test(e.message),
  );
  const next = q.ask({ kind: 'backends' });
  assert.equal(procs.length, 2);
  const cmd = procs[1].sent[0] as Extract<EngineCommand, { type: 'query' }>;
  procs[1].reply({ type: 'answer', id: cmd.id, ok: true, value: 1 });
  assert.equal(await next, 1);
  q.close();
  assert.ok(procs[1].killed, 'close kills the process');
  await assert.rejects(q.ask({ kind: 'backends' }), (e: Error & { code?: string }) => e.code === 'ENGINE_CLOSED');
});
