/**
 * The Resume button (issue 13): a run stopped before its end (here cancelled as soon as it started)
 * shows Resume on its page; pressed, the run goes live again, ends done with its report, and the
 * button is gone. (That the resumed numbers equal an uninterrupted run's is tested through the CLI,
 * test/integration/cli/resume.test.ts.) A run that failed because of its config offers no Resume: it
 * would fail the same way again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunDetail } from '../../src/shared/contract';
import { getPreset } from '../../src/shared/presets';
import { useAppSession } from './support/browser';
import { apiCall } from './support/server';

describe('Resume on the run page', () => {
  const app = useAppSession();

  it('a cancelled run shows Resume; pressed, it runs to the end and the button goes', async () => {
    const { page } = app.s;
    const { runId } = await apiCall<{ runId: string }>(app.server, 'runs:start', {
      config: { ...getPreset('tiny'), name: 'e2e resume' },
    });
    await apiCall(app.server, 'runs:cancel', { id: runId });
    const url = new URL(app.server.url);
    url.hash = `#/runs/${runId}`;
    await page.goto(url.toString());
    await page.locator('[data-testid="run-status"][data-state="cancelled"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('run-resume').click();
    await page.locator('[data-testid="run-status"][data-state="done"]').waitFor({ timeout: 300_000 });
    await page.getByTestId('results-view').waitFor();
    assert.equal(await page.getByTestId('results-view').getAttribute('data-has-report'), 'true');
    assert.equal(await page.getByTestId('run-resume').count(), 0, 'a done run has nothing to resume');
    const detail = await apiCall<RunDetail>(app.server, 'runs:get', { id: runId });
    assert.equal(detail.status, 'done');
    assert.deepEqual(
      detail.events.filter((e) => e.type === 'resumed').map((e) => e.data),
      [{ from: 'cancelled' }],
    );
    assert.deepEqual(app.s.errors, []);
  });

  it('a run the engine failed for its config shows no Resume, only Re-run', async () => {
    const { page } = app.s;
    // Near one-hot Dirichlet shares cannot give 9 clients 11 of 100 examples each (checks before the run cannot tell).
    const config = {
      ...getPreset('tiny'),
      name: 'e2e config failure',
      dataset: { id: 'synthetic', trainSize: 100, testSize: 50 },
      partition: { clients: 9, scheme: 'dirichlet', alpha: 0.001, minSize: 11 },
      unlearning: undefined,
    };
    const { runId } = await apiCall<{ runId: string }>(app.server, 'runs:start', { config });
    const url = new URL(app.server.url);
    url.hash = `#/runs/${runId}`;
    await page.goto(url.toString());
    await page.locator('[data-testid="run-status"][data-state="failed"]').waitFor({ timeout: 120_000 });
    // The stored detail (with the engine's PARTITION error) is what decides; wait until the page holds it.
    await page.locator('[data-testid="run-view"][data-stored-status="failed"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('run-rerun').waitFor();
    assert.equal(await page.getByTestId('run-resume').count(), 0, 'resuming would fail the same way');
    const detail = await apiCall<RunDetail>(app.server, 'runs:get', { id: runId });
    assert.equal(detail.status, 'failed');
    assert.deepEqual(
      detail.events.filter((e) => e.type === 'error').map((e) => (e.data as { code: string }).code),
      ['PARTITION'],
    );
  });
});
