/**
 * Starts the engine in its own Node process (child_process.fork) and exposes its events. Electron's
 * desktop build swaps in utilityProcess behind the same EngineHandle. The 'advanced' serialization
 * carries Float32Arrays (weights) without JSON.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EngineEvent } from '../../shared/events';

export interface EngineHandle {
  onEvent(listener: (e: EngineEvent) => void): () => void;
  cancel(): void;
  /** Resolves when the process has exited; the last event is then 'done' or 'error'. */
  finished: Promise<void>;
}

export function engineEntry(): string {
  const here = import.meta.url;
  const ts = here.endsWith('.ts');
  return fileURLToPath(new URL(ts ? '../engine/process-entry.ts' : './engine.js', here));
}

export function forkEngine(config: unknown): EngineHandle {
  const ts = import.meta.url.endsWith('.ts');
  const child = fork(engineEntry(), [], {
    serialization: 'advanced',
    execArgv: ts ? ['--import', import.meta.resolve('tsx')] : [],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  const listeners = new Set<(e: EngineEvent) => void>();
  let terminal = false;
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const dispatch = (e: EngineEvent) => {
    if (e.type === 'done' || e.type === 'error') terminal = true;
    for (const l of listeners) l(e);
  };
  child.on('message', (m) => dispatch(m as EngineEvent));
  const finished = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      if (!terminal) {
        const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const tail = stderr.trim().split('\n').slice(-3).join(' | ');
        dispatch({ type: 'error', code: 'ENGINE_CRASHED', message: `the engine process ${why}${tail ? `: ${tail}` : ''}` });
      }
      resolve();
    });
  });
  child.send({ type: 'start', config });
  return {
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cancel() {
      if (child.connected) child.send({ type: 'cancel' });
    },
    finished,
  };
}
