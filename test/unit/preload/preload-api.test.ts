/**
 * The preload's window.api is generated from the contract: exactly its channels as api.<domain>.<verb>,
 * plus `on` for push channels. Built here with a fake ipcRenderer (no Electron needed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contract, PUSH_CHANNELS } from '../../../src/shared/contract';
import { buildPreloadApi, type IpcRendererLike } from '../../../src/preload/api';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpcRenderer() {
  const calls: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: IpcRendererLike = {
    async invoke(channel, ...args) {
      calls.push({ channel, args });
      if (channel === 'settings:get') throw new Error("Error invoking remote method 'settings:get': no handler");
      return { ok: true, data: channel };
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
  };
  const emit = (channel: string, payload: unknown) =>
    listeners.get(channel)?.forEach((l) => l({ sender: 'secret' }, payload));
  return { ipc, calls, listeners, emit };
}

test('the api has exactly the contract channels, as api.<domain>.<verb>, plus on()', () => {
  const api = buildPreloadApi(fakeIpcRenderer().ipc) as unknown as Record<string, Record<string, unknown>>;
  const generated = Object.entries(api).flatMap(([domain, v]) =>
    typeof v === 'function' ? [domain] : Object.keys(v).map((verb) => `${domain}:${verb}`),
  );
  assert.deepEqual(generated.filter((c) => c !== 'on').sort(), Object.keys(contract).sort());
  assert.equal(typeof api.on, 'function');
  for (const [domain, verbs] of Object.entries(api)) {
    if (domain !== 'on') for (const fn of Object.values(verbs)) assert.equal(typeof fn, 'function');
  }
});

test('each method invokes its own channel with the input as the one argument', async () => {
  const fake = fakeIpcRenderer();
  const api = buildPreloadApi(fake.ipc);
  assert.deepEqual(await api.runs.get({ id: 'r1' }), { ok: true, data: 'runs:get' });
  await api.catalog.get();
  assert.deepEqual(fake.calls, [
    { channel: 'runs:get', args: [{ id: 'r1' }] },
    { channel: 'catalog:get', args: [undefined] },
  ]);
});

test('a failed invoke resolves as an error envelope instead of rejecting', async () => {
  const r = await buildPreloadApi(fakeIpcRenderer().ipc).settings.get();
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error.code, 'IPC');
});

test('on() forwards only the payload and returns a working unsubscribe', () => {
  const fake = fakeIpcRenderer();
  const api = buildPreloadApi(fake.ipc);
  const got: unknown[][] = [];
  const off = api.on('run:finished', (...args) => got.push(args));
  const payload = { runId: 'r', status: 'done', error: null, summary: null };
  fake.emit('run:finished', payload);
  assert.deepEqual(got, [[payload]], 'the IpcRendererEvent never reaches the page');
  off();
  fake.emit('run:finished', payload);
  assert.equal(got.length, 1);
  assert.equal(fake.listeners.get('run:finished')?.size, 0);
});

test('on() refuses channels outside the contract', () => {
  const api = buildPreloadApi(fakeIpcRenderer().ipc);
  assert.deepEqual([...PUSH_CHANNELS].sort(), ['run:event', 'run:finished', 'study:changed']);
  assert.throws(() => api.on('runs:delete' as never, () => undefined), /unknown push channel/);
});
