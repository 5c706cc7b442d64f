/**
 * `runs:cancel` for any run in the data folder (issue 24). A run this process records is cancelled at once.
 * A run another live process on this machine records gets a cancel request stored in its row; that process
 * reads it at its next heartbeat (store/db.ts) and cancels the run the way a local cancel does (record-run.ts),
 * so it ends 'cancelled', keeps what it recorded and can be resumed. Where no request can reach the recorder
 * (another machine, a study run a Redis worker records), the refusal says why in one sentence.
 */
import { isActiveStatus } from '../../shared/catalog';
import { ApiFailure } from '../../shared/api-errors';
import { cancellingText, endedText, requestedText, type CancelOutcome } from '../../shared/run-cancel';
import { DEFAULT_CANCEL_GRACE_MS } from '../engine-host/engine-handle';
import { currentFacts, HEARTBEAT_MS, ownerIsGone, parseOwner, type OwnerFacts } from '../store/ownership';
import type { Run, Store } from '../store';

/**
 * How long the asked process may fairly take: a heartbeat to read the request, the engine's grace period
 * to stop (it is killed after it), and one more heartbeat of slack for a busy database or event loop.
 */
export const REMOTE_CANCEL_WITHIN_MS = 2 * HEARTBEAT_MS + DEFAULT_CANCEL_GRACE_MS;

export type CancelRoute =
  | { kind: 'ended' }
  /** Its recorder is gone: the sweep marks it interrupted. */
  | { kind: 'orphaned' }
  | { kind: 'ask'; pid: number }
  | { kind: 'refuse'; why: string };

/** How a cancel can reach whoever records `run`, seen from the store whose owner id is `self`. Pure. */
export function cancelRoute(
  run: Pick<Run, 'id' | 'status' | 'owner' | 'heartbeatAt' | 'studyId'>,
  self: string,
  facts: OwnerFacts,
): CancelRoute {
  if (!isActiveStatus(run.status)) return { kind: 'ended' };
  const owner = run.owner === null ? null : parseOwner(run.owner);
  if (owner === null || ownerIsGone(run.owner, run.heartbeatAt, facts)) return { kind: 'orphaned' };
  if (owner.host !== facts.host) {
    const why = `run ${run.id} is being recorded by process ${owner.pid} on ${owner.host}, another machine; cancel it there`;
    return { kind: 'refuse', why };
  }
  // Ours, yet not run by our engine: a study run that a Redis worker records for this process.
  if (run.owner === self) {
    const what = run.studyId
      ? `one run of study ${run.studyId} on the Redis queue; cancel the study`
      : "not running in this process's engine; stop it where it runs";
    return { kind: 'refuse', why: `run ${run.id} is ${what}` };
  }
  return { kind: 'ask', pid: owner.pid };
}

export interface LocalRuns {
  /** Cancels a run this process runs; false when it runs elsewhere (or not at all). */
  cancel(runId: string): boolean;
}

/** Cancels here, asks the recording process, or refuses (ApiFailure RUN_NOT_CANCELLABLE) in one sentence. */
export function cancelRun(store: Store, local: LocalRuns, runId: string): CancelOutcome {
  if (local.cancel(runId)) return { outcome: 'cancelling', message: cancellingText(runId) };
  const ended = (): CancelOutcome => {
    const { status } = store.runs.require(runId);
    return { outcome: 'ended', message: endedText(runId, status), status };
  };
  const route = cancelRoute(store.runs.require(runId), store.owner, currentFacts());
  if (route.kind === 'orphaned') {
    // A writer marks it interrupted now rather than at its next beat, so the answer is the truth.
    store.heartbeat();
    if (!isActiveStatus(store.runs.require(runId).status)) return ended();
    const why = `the process that recorded run ${runId} is gone; it counts as interrupted and can be resumed`;
    throw new ApiFailure('RUN_NOT_CANCELLABLE', why);
  }
  if (route.kind === 'refuse') throw new ApiFailure('RUN_NOT_CANCELLABLE', route.why);
  if (route.kind === 'ended' || !store.runs.requestCancel(runId, store.owner)) return ended();
  const message = requestedText(runId, route.pid, HEARTBEAT_MS);
  return { outcome: 'requested', message, pid: route.pid, answerWithinMs: REMOTE_CANCEL_WITHIN_MS };
}

/**
 * A study cancelled in the app while another process on this machine runs it (`fedmem study run`): that
 * process is asked to cancel its running runs, as for one run; with the study paused it takes no more.
 * Returns how many runs were asked.
 */
export function requestCancelOfStudyRuns(store: Store, studyId: string): number {
  const facts = currentFacts();
  const asked = store.runs
    .list({ studyId, status: ['queued', 'running'] })
    .filter(
      (run) => cancelRoute(run, store.owner, facts).kind === 'ask' && store.runs.requestCancel(run.id, store.owner),
    );
  return asked.length;
}
