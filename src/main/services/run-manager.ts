/**
 * The runs this process is running. Main owns the database, so every run starts here (through
 * startRun, which records events as they arrive); the manager forwards each engine event to the UI
 * (weights stripped) and says when a run finishes. On quit it cancels what is running and waits
 * briefly, so those runs end 'cancelled' rather than being found 'interrupted' on the next start.
 */
import type { ExperimentConfig } from '../../shared/config';
import type { PushEvents, UiEngineEvent } from '../../shared/contract';
import type { EngineEvent } from '../../shared/events';
import type { StartEngine } from '../engine-host/engine-handle';
import { resumeRun, startRun, type RunHandle, type StartRunOptions } from '../runs/record-run';
import type { Store } from '../store';

export type Push = <P extends keyof PushEvents>(channel: P, payload: PushEvents[P]) => void;

/** Inline artifacts above this size are announced without their JSON; runs:get has them. */
export const MAX_PUSHED_ARTIFACT_CHARS = 256 * 1024;

export function toUiEvent(e: EngineEvent): UiEngineEvent {
  if (e.type === 'weights')
    return { type: 'weights', name: e.name, tensors: e.tensors.map((t) => ({ name: t.name, shape: [...t.shape] })) };
  if (e.type === 'artifact') {
    const size = JSON.stringify(e.json ?? null).length;
    return size > MAX_PUSHED_ARTIFACT_CHARS
      ? { type: 'artifact', kind: e.kind, name: e.name, json: null, omitted: true }
      : e;
  }
  return e;
}

export interface RunManagerOptions {
  push: Push;
  /** The engine launcher: utilityProcess in Electron, child_process.fork elsewhere (startRun's default). */
  startEngine?: StartEngine;
}

export class RunManager {
  private readonly active = new Map<string, RunHandle>();

  constructor(
    private readonly store: Store,
    private readonly options: RunManagerOptions,
  ) {}

  /** Starts a run (an item of `study` when given) and returns its handle at once. */
  start(config: ExperimentConfig, study?: StartRunOptions['study']): RunHandle {
    return this.track(startRun(this.store, config, { ...this.runOptions(), ...(study && { study }) }));
  }

  /** Continues a stopped run from its checkpoint (runs/record-run.ts resumeRun); refused in one sentence otherwise. */
  resume(runId: string): RunHandle {
    return this.track(resumeRun(this.store, runId, this.runOptions()));
  }

  private runOptions(): StartRunOptions {
    const { push, startEngine } = this.options;
    return {
      ...(startEngine && { startEngine }),
      onEvent: (runId, e) => push('run:event', { runId, event: toUiEvent(e) }),
    };
  }

  private track(handle: RunHandle): RunHandle {
    const { push } = this.options;
    this.active.set(handle.runId, handle);
    handle.finished.then(
      (run) => {
        this.active.delete(run.id);
        push('run:finished', { runId: run.id, status: run.status, error: run.error, summary: run.summary });
      },
      (e: unknown) => {
        // Only a store failure gets here (e.g. the database was closed under a run); report it as failed.
        this.active.delete(handle.runId);
        push('run:finished', { runId: handle.runId, status: 'failed', error: (e as Error).message, summary: null });
      },
    );
    return handle;
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  activeIds(): string[] {
    return [...this.active.keys()];
  }

  /** Sends the engine a cancel; false when the run is not running here. */
  cancel(runId: string): boolean {
    const handle = this.active.get(runId);
    if (!handle) return false;
    handle.cancel();
    return true;
  }

  /** Resolves when the run has finished and its final status is stored (at once if not active). */
  async whenFinished(runId: string): Promise<void> {
    await this.active.get(runId)?.finished.catch(() => undefined);
  }

  /** Cancels every active run and waits up to `timeoutMs` for them to finish; returns the ids still running. */
  async cancelAll(timeoutMs: number): Promise<string[]> {
    const handles = [...this.active.values()];
    for (const h of handles) h.cancel();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled(handles.map((h) => h.finished)), timeout]);
    clearTimeout(timer);
    return this.activeIds();
  }
}
