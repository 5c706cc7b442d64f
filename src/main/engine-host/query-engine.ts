/**
 * A long-lived engine process that answers queries (partition previews, backend detection) for the
 * host, so Electron main never loads engine code or tfjs and a slow preview never blocks main's
 * thread. Started on the first query; if it dies, the pending queries fail with ENGINE_CRASHED and
 * the next query starts a fresh one. How the process is started (fork or utilityProcess) is injected.
 */
import { ApiFailure } from '../../shared/api-errors';
import type { ConfigIssue } from '../../shared/config';
import type { EngineAnswer, EngineCommand, EngineQuery } from '../../shared/events';

/** The slice of a child process the query client uses. */
export interface QueryProcess {
  send(cmd: EngineCommand): void;
  onMessage(cb: (message: unknown) => void): void;
  onExit(cb: (why: string) => void): void;
  kill(): void;
}

export type SpawnQueryProcess = () => QueryProcess;

interface Pending {
  resolve(value: unknown): void;
  reject(e: Error): void;
}

export class EngineQueries {
  private proc: QueryProcess | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly spawn: SpawnQueryProcess) {}

  ask<T>(query: EngineQuery): Promise<T> {
    if (this.closed) return Promise.reject(new ApiFailure('ENGINE_CLOSED', 'the engine is shutting down'));
    const proc = this.ensureProcess();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve, reject });
      proc.send({ type: 'query', id, query });
    });
  }

  close(): void {
    this.closed = true;
    this.failAll('the engine is shutting down');
    this.proc?.kill();
    this.proc = null;
  }

  private ensureProcess(): QueryProcess {
    if (this.proc) return this.proc;
    const proc = this.spawn();
    proc.onMessage((m) => this.onAnswer(m as EngineAnswer));
    proc.onExit((why) => {
      if (this.proc === proc) this.proc = null;
      this.failAll(`the engine process ${why}`);
    });
    this.proc = proc;
    return proc;
  }

  private onAnswer(m: EngineAnswer): void {
    if (m?.type !== 'answer') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new ApiFailure(m.code, m.message, m.issues as ConfigIssue[] | undefined));
  }

  private failAll(message: string): void {
    for (const p of this.pending.values()) p.reject(new ApiFailure('ENGINE_CRASHED', message));
    this.pending.clear();
  }
}
