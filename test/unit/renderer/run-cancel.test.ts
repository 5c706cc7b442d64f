/** The Cancel button's states (issue 24): it shows where a cancel stands and never stays disabled without a reason. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cancelButton,
  recordedElsewhere,
  stateAfter,
  type CancelState,
} from '../../../src/renderer/src/format/run-cancel';
import { canDelete } from '../../../src/shared/catalog';
import { cancelOverdueText } from '../../../src/shared/run-cancel';

test('the button: disabled only while a cancel is on its way; offered again once the asked process is overdue', () => {
  const states: CancelState[] = ['idle', 'sending', 'stopping', 'requested', 'overdue'];
  assert.deepEqual(
    states.map((s) => [s, cancelButton(s)]),
    [
      ['idle', { label: 'Cancel run', disabled: false }],
      ['sending', { label: 'Cancelling…', disabled: true }],
      ['stopping', { label: 'Cancelling…', disabled: true }],
      ['requested', { label: 'Cancel requested', disabled: true }],
      ['overdue', { label: 'Cancel run', disabled: false }],
    ],
  );
});

test("main's answer decides the next state; a refusal (null, notified) leaves nothing pending", () => {
  assert.equal(stateAfter(null), 'idle');
  assert.equal(stateAfter({ outcome: 'cancelling', message: '' }), 'stopping');
  assert.equal(stateAfter({ outcome: 'requested', message: '', pid: 1, answerWithinMs: 1 }), 'requested');
  assert.equal(stateAfter({ outcome: 'ended', message: '', status: 'done' }), 'idle');
});

test('the page reads the store for a live run only when another process records it', () => {
  assert.equal(recordedElsewhere({ status: 'running', active: false }), true);
  assert.equal(recordedElsewhere({ status: 'queued', active: false }), true);
  assert.equal(recordedElsewhere({ status: 'running', active: true }), false, 'this app runs it: its events arrive');
  assert.equal(recordedElsewhere({ status: 'cancelled', active: false }), false);
  assert.equal(recordedElsewhere(null), false);
});

test('Delete: never for a live run, whichever process records it', () => {
  assert.equal(canDelete({ status: 'running', active: false }), false, 'a run another process records (issue 24)');
  assert.equal(canDelete({ status: 'queued' }), false);
  assert.equal(canDelete({ status: 'running', active: true }), false);
  for (const status of ['done', 'failed', 'cancelled', 'interrupted'])
    assert.equal(canDelete({ status, active: false }), true, status);
});

test('the overdue sentence names the process, the run and how long it waited, and what to do', () => {
  assert.equal(
    cancelOverdueText('r1', 4242, 20_000),
    'process 4242 has not stopped run r1 20 s after the cancel request (it may be busy or an older version of the workbench); stop it where it runs, e.g. Ctrl+C in its terminal',
  );
});
