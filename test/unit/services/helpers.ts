/** A fake IPC registry (what ipcMain offers main), a push recorder and temp data dirs for handler tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PushChannel, PushEvents } from '../../../src/shared/contract';
import type { IpcRegistry } from '../../../src/main/services/dispatch';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export class FakeIpc implements IpcRegistry {
  readonly handlers = new Map<string, (event: unknown, payload: unknown) => unknown>();
  handle(channel: string, listener: (event: unknown, payload: unknown) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  /** Like ipcRenderer.invoke: a structured-clone round trip, so non-cloneable results fail here too. */
  // Tests read each channel's answer by its shape; typing the answer by channel is left for later.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  async invoke(channel: string, payload?: unknown, event: unknown = {}): Promise<any> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return structuredClone(await h(event, payload));
  }
}

type Pushed = { [P in PushChannel]: { channel: P; payload: PushEvents[P] } }[PushChannel];

export class PushRecorder {
  readonly pushed: Pushed[] = [];
  private waiters: { pred: (p: Pushed) => boolean; resolve: (p: Pushed) => void }[] = [];
  readonly push = <P extends PushChannel>(channel: P, payload: PushEvents[P]) => {
    // Pushes cross to the renderer by structured clone (webContents.send) or JSON (WebSocket).
    const p = { channel, payload: structuredClone(payload) } as Pushed;
    JSON.stringify(p);
    this.pushed.push(p);
    this.waiters = this.waiters.filter((w) => (w.pred(p) ? (w.resolve(p), false) : true));
  };
  /** Resolves with the first push (already recorded or future) that matches. */
  waitFor(pred: (p: Pushed) => boolean, timeoutMs = 60_000): Promise<Pushed> {
    const seen = this.pushed.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a push event')), timeoutMs);
      this.waiters.push({ pred, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }
  finished(runId: string) {
    return this.waitFor((p) => p.channel === 'run:finished' && p.payload.runId === runId) as Promise<{
      channel: 'run:finished';
      payload: PushEvents['run:finished'];
    }>;
  }
  eventsOf(runId: string) {
    return this.pushed.flatMap((p) =>
      p.channel === 'run:event' && p.payload.runId === runId ? [p.payload.event] : [],
    );
  }
}
