/**
 * The Cancel button's states (issue 24): it never waits without saying why. A run this app runs stops
 * within a batch ('stopping', until run:finished). A run another process records ('requested') is followed
 * from the store until it ends; when that process has not acted in the time it fairly needs, the page says
 * so ('overdue') and the button is offered again.
 */
import { isActiveStatus } from '../../../shared/catalog';
import type { CancelOutcome } from '../../../shared/run-cancel';

export type CancelState = 'idle' | 'sending' | 'stopping' | 'requested' | 'overdue';

export function cancelButton(state: CancelState): { label: string; disabled: boolean } {
  if (state === 'sending' || state === 'stopping') return { label: 'Cancelling…', disabled: true };
  if (state === 'requested') return { label: 'Cancel requested', disabled: true };
  return { label: 'Cancel run', disabled: false };
}

/** Where the button stands once main has answered (a refusal leaves it 'idle': the notifier says why). */
export function stateAfter(outcome: CancelOutcome | null): CancelState {
  if (outcome === null || outcome.outcome === 'ended') return 'idle';
  return outcome.outcome === 'cancelling' ? 'stopping' : 'requested';
}

/** A run that is live but not in this app's engine: no events reach the page, so it reads the store instead. */
export function recordedElsewhere(run: { status: string; active: boolean } | null): boolean {
  return run !== null && isActiveStatus(run.status) && !run.active;
}
