/**
 * The part of an engine host that does not depend on how the process was started: listeners, the
 * stderr tail, and a synthetic ENGINE_CRASHED error when the process exits without a final event,
 * so the run always ends with 'done' or 'error' whichever launcher ran it.
 */
import type { EngineEvent } from '../../shared/events';

export interface EngineHandle {
  onEvent(listener: (e: EngineEvent) => void): () => void;
  cancel(): void;
  /** Resolves when the process has exited; the last event is then 'done' or 'error'. */
  finished: Promise<void>;
}

export interface EngineProcessEvents {
  /** Deliver each message from the engine. */
  onMessage(cb: (e: EngineEvent) => void): void;
  /** Call once when the process has exited; `signal` if it was killed. */
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  /** Feed stderr text, kept to explain a crash. */
  onStderr(cb: (text: string) => void): void;
  sendCancel(): void;
}

export function wrapEngineProcess(p: EngineProcessEvents): EngineHandle {
  const listeners = new Set<(e: EngineEvent) => void>();
  let terminal = false;
  let stderr = '';
  p.onStderr((text) => {
    stderr = (stderr + text).slice(-4000);
  });
  const dispatch = (e: EngineEvent) => {
    if (e.type === 'done' || e.type === 'error') terminal = true;
    for (const l of listeners) l(e);
  };
  p.onMessage(dispatch);
  const finished = new Promise<void>((resolve) => {
    p.onExit((code, signal) => {
      if (!terminal) {
        const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const tail = stderr.trim().split('\n').slice(-3).join(' | ');
        dispatch({ type: 'error', code: 'ENGINE_CRASHED', message: `the engine process ${why}${tail ? `: ${tail}` : ''}` });
      }
      resolve();
    });
  });
  return {
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cancel: () => p.sendCancel(),
    finished,
  };
}
