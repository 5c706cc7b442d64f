/**
 * The part of an engine host that does not depend on how the process was started: listeners, the
 * engine's stderr (to the run's log file), cancellation with a grace period, and a synthetic final
 * event when the process exits without one, so the run always ends with 'done' or 'error' whichever
 * launcher ran it. Messages are for people: a crash names the log file, never stack frames.
 */
import path from 'node:path';
import type { EngineEvent, EngineStartOptions } from '../../shared/events';
import { appendPrivateFile, makePrivateDir } from '../files/private-files';

export interface EngineHandle {
  onEvent(listener: (e: EngineEvent) => void): () => void;
  /** Asks the engine to stop (it checks between batches); kills it after the grace period. */
  cancel(): void;
  /** Resolves when the process has exited; the last event is then 'done' or 'error'. */
  finished: Promise<void>;
}

export interface EngineProcessEvents {
  /** Deliver each message from the engine. */
  onMessage(cb: (e: EngineEvent) => void): void;
  /** Call once when the process has exited; `signal` if it was killed. */
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  /** Feed stderr text, kept in the log file to explain a crash. */
  onStderr(cb: (text: string) => void): void;
  sendCancel(): void;
  /** Ends the process at once (SIGKILL where there are signals). */
  kill(): void;
}

export interface EngineHostOptions {
  /** Where the engine's stderr goes (appended; the folder is created on first output). */
  logFile?: string;
  /** How long a cancelled engine may take to stop on its own before it is killed (default 10 s). */
  graceMs?: number;
}

export const DEFAULT_CANCEL_GRACE_MS = 10_000;

/** A launcher: fork (CLI, browser mode) or Electron's utilityProcess (desktop). */
export type StartEngine = (config: unknown, start?: EngineStartOptions, host?: EngineHostOptions) => EngineHandle;

/** The message of an engine that ended without a final event. */
export function crashMessage(
  code: number | null,
  signal: string | null,
  logFile: string | undefined,
  wroteLog: boolean,
): string {
  const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  return `the engine process ${why}${wroteLog && logFile ? `; its messages are in ${logFile}` : ''}`;
}

export function wrapEngineProcess(p: EngineProcessEvents, o: EngineHostOptions = {}): EngineHandle {
  const listeners = new Set<(e: EngineEvent) => void>();
  let terminal = false;
  let wroteLog = false;
  let cancelled = false;
  let killedAfterGrace = false;
  let killTimer: NodeJS.Timeout | undefined;
  p.onStderr((text) => {
    if (!o.logFile) return;
    try {
      if (!wroteLog) makePrivateDir(path.dirname(o.logFile));
      appendPrivateFile(o.logFile, text);
      wroteLog = true;
    } catch {
      /* a log that cannot be written must not stop the run */
    }
  });
  const dispatch = (raw: EngineEvent) => {
    // An unexpected engine failure: its details (the stack) are in the log, not in the message.
    const e =
      raw.type === 'error' && raw.code === 'ENGINE' && o.logFile
        ? { ...raw, message: `${raw.message} (details in ${o.logFile})` }
        : raw;
    if (e.type === 'done' || e.type === 'error') terminal = true;
    for (const l of listeners) l(e);
  };
  p.onMessage(dispatch);
  const graceMs = o.graceMs ?? DEFAULT_CANCEL_GRACE_MS;
  const finished = new Promise<void>((resolve) => {
    p.onExit((code, signal) => {
      clearTimeout(killTimer);
      if (!terminal) {
        // Asked to stop and then gone (killed after the grace period, or by the same Ctrl+C): cancelled, not crashed.
        if (cancelled) {
          // Our own kill, not the clock: a timer may fire a millisecond before Date.now() says graceMs passed.
          dispatch({
            type: 'error',
            code: 'CANCELLED',
            message: killedAfterGrace
              ? `the run was cancelled; the engine did not stop within ${Math.round(graceMs / 1000)} s and was stopped`
              : 'the run was cancelled',
          });
        } else {
          dispatch({ type: 'error', code: 'ENGINE_CRASHED', message: crashMessage(code, signal, o.logFile, wroteLog) });
        }
      }
      resolve();
    });
  });
  return {
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cancel: () => {
      if (cancelled || terminal) return;
      cancelled = true;
      p.sendCancel();
      // Not unref'd: the process must live until the engine is gone (the exit clears it).
      killTimer = setTimeout(() => {
        killedAfterGrace = true;
        p.kill();
      }, graceMs);
    },
    finished,
  };
}
