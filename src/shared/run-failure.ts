/**
 * Why a run failed, as far as resuming it is concerned. Runs are deterministic, so a run that failed
 * because of its config (a request the data cannot honour, a partition it cannot make, training that
 * diverges) fails the same way when resumed: only a new run with another config can help. A crash, a
 * full disk or a missing file is different: once it is fixed, resuming continues where the run stopped.
 */

/** Engine error codes that name a config the run cannot honour. */
export const CONFIG_FAILURE_CODES = [
  'INVALID_CONFIG',
  'DATASET_CONFIG',
  'PARTITION',
  'INVALID_REQUEST',
  'DIVERGED',
  'HISTORY_MISSING',
] as const;

/** A stored run event (store/events-repo.ts): the engine's error is `{ type: 'error', data: { code, message } }`. */
interface StoredEvent {
  type: string;
  data: unknown;
}

/** True when the run's last error since it was last resumed (if ever) is its config's. */
export function failedForItsConfig(events: readonly StoredEvent[]): boolean {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.type === 'resumed') return false;
    if (e.type === 'error') {
      const code = (e.data as { code?: unknown } | null)?.code;
      return (CONFIG_FAILURE_CODES as readonly unknown[]).includes(code);
    }
  }
  return false;
}
