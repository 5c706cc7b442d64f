/**
 * The coordinator's side of a run on the Redis queue: each event envelope from a worker is written
 * to the store with the same `recordEvent` a local run uses, at most once. Each envelope is recorded
 * in one transaction with its (attempt, seq) in `queue_attempts`, so a duplicate delivery or a
 * stream read again after a restart finds it recorded; a newer attempt (the job retried after a lost
 * worker) replays the run from the start, and its upserts (rounds, artifacts) leave the numbers an
 * uninterrupted run would have; an older attempt's late events are ignored.
 */
import type { Store } from '../store';
import { recordEvent } from '../runs/record-run';
import type { Envelope } from './protocol';

export interface RemoteItem {
  studyId: string;
  key: string;
  runId: string;
}

/**
 * 'stale': the item ended or has another run, so nothing more of this job is recorded; 'superseded': a
 * late event of an older attempt, skipped while the newer attempt goes on.
 */
export type Applied = 'recorded' | 'duplicate' | 'stale' | 'superseded' | 'finished';

export function applyEnvelope(store: Store, item: RemoteItem, m: Envelope): Applied {
  // IMMEDIATE: two coordinators on one database (the app and `fedmem study run --queue`) may read the
  // same stream; the second waits for the first's commit and then finds the envelope recorded.
  return store.db
    .transaction((): Applied => {
      const current = store.studies.item(item.studyId, item.key);
      // The item ended (or was cancelled, or given another run) already: nothing more is recorded for it.
      if (!current || current.status !== 'running' || current.runId !== item.runId) return 'stale';
      const latest = store.queueAttempts.latest(item.runId);
      if (latest && m.attempt < latest.attempt) return 'superseded';
      if (!latest || m.attempt > latest.attempt) {
        store.queueAttempts.begin(item.runId, m.attempt, m.worker);
        if (latest) {
          store.events.append(item.runId, 'retried', {
            message: `attempt ${latest.attempt} on worker ${latest.worker} was lost; attempt ${m.attempt} on worker ${m.worker} runs it again from the start`,
          });
        }
        if (store.runs.require(item.runId).status !== 'running') store.runs.updateStatus(item.runId, 'running');
      } else if (m.seq <= latest.lastSeq) return 'duplicate';

      const e = m.event;
      recordEvent(store, item.runId, e);
      store.queueAttempts.advance(item.runId, m.attempt, m.seq, {
        ...(e.type === 'started' && { backend: e.backend }),
        ...(e.type === 'round' && { trained: e.progress.done - (e.progress.replayed ?? 0) }),
      });
      if (e.type !== 'done' && e.type !== 'error') return 'recorded';
      const status = e.type === 'done' ? 'done' : e.code === 'CANCELLED' ? 'cancelled' : 'failed';
      const error = e.type === 'error' ? e.message : null;
      store.runs.finish(item.runId, status, error, e.type === 'done' ? e.summary : null);
      store.studies.finishItem(item.studyId, item.key, status, error);
      return 'finished';
    })
    .immediate();
}
