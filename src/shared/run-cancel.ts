/**
 * What `runs:cancel` did (issue 24). A run this process records stops at once. A run another process on
 * this machine records (a `fedmem run` in a terminal, sharing the data folder) cannot be signalled without
 * stopping all that process does, so the request is stored for it and it cancels the run at its next
 * heartbeat. The sentences are written here once, so the API, the app and its tests say the same.
 */
import type { RunStatus } from './catalog';

export type CancelOutcome =
  /** This process records the run: its engine was told to stop; it ends 'cancelled' within a batch. */
  | { outcome: 'cancelling'; message: string }
  /** Another process on this machine records it and was asked; `answerWithinMs`: how long that may fairly take. */
  | { outcome: 'requested'; message: string; pid: number; answerWithinMs: number }
  /** It had already ended (or its recorder was gone, and it is now interrupted): nothing to stop. */
  | { outcome: 'ended'; message: string; status: RunStatus };

export function cancellingText(runId: string): string {
  return `run ${runId} is stopping; it keeps what it recorded and can be resumed`;
}

export function requestedText(runId: string, pid: number, heartbeatMs: number): string {
  const every = Math.round(heartbeatMs / 1000);
  return `cancel requested: process ${pid} on this machine records run ${runId} and stops it at its next heartbeat (every ${every} s)`;
}

export function endedText(runId: string, status: RunStatus): string {
  return `run ${runId} has already ended (${status}); there is nothing to cancel`;
}

/** Said when the process asked has not stopped the run in the time it fairly needs. */
export function cancelOverdueText(runId: string, pid: number, waitedMs: number): string {
  return (
    `process ${pid} has not stopped run ${runId} ${Math.round(waitedMs / 1000)} s after the cancel request ` +
    '(it may be busy or an older version of the workbench); stop it where it runs, e.g. Ctrl+C in its terminal'
  );
}

/** The line the recording process logs (and the CLI prints) when it acts on a request. */
export function cancelRequestedLogText(pid: number | null): string {
  const who = pid === null ? 'another process' : `process ${pid}`;
  return `cancel requested by ${who} on this machine; cancelling the run`;
}
