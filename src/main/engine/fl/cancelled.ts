/**
 * Cancellation inside training. The run's AbortSignal lives in the engine's main thread; clients train
 * in worker threads (or synchronously in-process), so the signal is mirrored into a one-word shared
 * flag that every trainer reads between batches: a cancel lands within one batch, not one round.
 */
export class CancelledError extends Error {
  readonly code = 'CANCELLED';
  constructor() {
    super('the run was cancelled');
  }
}

/** A flag every thread can read: 0 = go on, 1 = stop. */
export type StopFlag = Int32Array;

/** A shared stop flag that is raised when `signal` aborts (and at once if it already has). */
export function stopFlagFor(signal: AbortSignal | undefined): StopFlag {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  if (signal?.aborted) Atomics.store(flag, 0, 1);
  else signal?.addEventListener('abort', () => Atomics.store(flag, 0, 1), { once: true });
  return flag;
}

export const stopRequested = (flag: StopFlag | undefined): boolean => flag !== undefined && Atomics.load(flag, 0) !== 0;

/** Throws CancelledError once the flag is raised; trainers call it before every batch. */
export function throwIfStopped(flag: StopFlag | undefined): void {
  if (stopRequested(flag)) throw new CancelledError();
}
