/**
 * The live view and cancel: a longer run (the tiny preset with 50 training rounds) shows its phase,
 * round, progress and ETA; Cancel stops it within a round, the status becomes `cancelled`, and the
 * rounds it recorded are kept and shown.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunDetail } from '../../src/shared/contract';
import { useAppSession, screenshotBothThemes } from './support/browser';
import { apiCall } from './support/server';
import { openWizardWithPreset, startFromReview } from './support/wizard';

describe('a long run, watched live and cancelled', () => {
  const app = useAppSession();
  let runId: string;

  it('starts a 50-round run from the wizard', async () => {
    const { page } = app.s;
    await openWizardWithPreset(page, 'tiny');
    await page.getByTestId('step-model').click();
    await page.getByTestId('field-training.rounds').fill('50');
    await page.getByTestId('step-review').click();
    await page.getByTestId('field-name').fill('e2e long');
    // Responsiveness: record the longest main-thread task from here on (the engine runs in its own process).
    await page.evaluate(() => {
      const w = window as unknown as { longestTask: number };
      w.longestTask = 0;
      new PerformanceObserver((list) =>
        list.getEntries().forEach((e) => (w.longestTask = Math.max(w.longestTask, e.duration))),
      ).observe({ type: 'longtask' });
    });
    runId = await startFromReview(page);
  });

  it('shows phase, round, progress and ETA while it trains', async () => {
    const { page } = app.s;
    await page.getByTestId('live-view').waitFor();
    // Two rounds in: the ETA has a basis and the curve has points.
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="run-progress"]')?.getAttribute('data-done')) >= 2,
      undefined,
      { timeout: 120_000 },
    );
    assert.equal(await page.getByTestId('live-view').getAttribute('data-phase'), 'training');
    assert.match(await page.getByTestId('run-phase').innerText(), /training the original model/);
    assert.match(await page.getByTestId('run-round').innerText(), /^\d+ of 50 · Original$/);
    const total = Number(await page.getByTestId('run-progress').getAttribute('data-total'));
    assert.equal(total, 50 + 2 * 50 + 2, 'original + J=2 retrains + one round per method');
    assert.match(await page.getByTestId('run-eta').innerText(), /^≈ /);
    await page.locator('[data-testid="chart-live"][data-state="ready"]').waitFor();
    await page.locator('[data-testid="chart-partition"][data-state="ready"]').waitFor();
    const longest = await page.evaluate(() => (window as unknown as { longestTask: number }).longestTask);
    assert.ok(longest < 1000, `the page stayed responsive (longest task ${Math.round(longest)} ms)`);
    await screenshotBothThemes(page, 'live');
  });

  it('reopened mid-run, the ETA starts from the rounds and phases already stored, not from scratch', async () => {
    const { page } = app.s;
    await page.reload();
    await page.locator('[data-testid="run-view"][data-state="ready"]').waitFor();
    const done = Number(await page.getByTestId('run-progress').getAttribute('data-done'));
    assert.ok(done >= 2, `the stored rounds count at once (${done})`);
    // Read as soon as the stored detail is shown: a seeded ETA needs no new round.
    assert.match(await page.getByTestId('run-eta').innerText(), /^≈ /);
    assert.equal(
      await page.getByTestId('run-progress-text').getAttribute('data-evaluation'),
      'guessed',
      'no evaluation phase has been timed yet',
    );
  });

  it('cancels: the run stops within a round and keeps its rounds', async () => {
    const { page } = app.s;
    const before = await apiCall<RunDetail>(app.server, 'runs:get', { id: runId });
    const t0 = Date.now();
    await page.getByTestId('cancel-run').click();
    await page.locator('[data-testid="run-status"][data-state="cancelled"]').waitFor({ timeout: 60_000 });
    const stoppedMs = Date.now() - t0;
    const detail = await apiCall<RunDetail>(app.server, 'runs:get', { id: runId });
    assert.equal(detail.status, 'cancelled');
    assert.ok(
      detail.rounds.length >= before.rounds.length && detail.rounds.length >= 2,
      `rounds kept (${detail.rounds.length})`,
    );
    assert.ok(detail.rounds.length < 50, 'it did not run to the end');
    // "Within a round": a tiny round takes well under 5 s on this machine.
    assert.ok(stoppedMs < 20_000, `stopped after ${stoppedMs} ms`);

    await page.getByTestId('results-view').waitFor();
    assert.equal(await page.getByTestId('results-view').getAttribute('data-has-report'), 'false');
    assert.match(await page.getByTestId('run-ended-note').innerText(), /cancelled/);
    await page.locator('[data-testid="chart-rounds"][data-state="ready"]').waitFor();
    await page.locator('[data-testid="chart-partition"][data-state="ready"]').waitFor();
    assert.equal(await page.getByTestId('chart-gme').count(), 0, 'no unlearning charts for a run without a report');
    await screenshotBothThemes(page, 'results-cancelled');

    await page.getByTestId('nav-runs').click();
    const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'cancelled');
  });

  it('a training-only run shows its round and loss curves and its partition only', async () => {
    const { page } = app.s;
    await openWizardWithPreset(page, 'tiny');
    await page.getByTestId('step-request').click();
    await page.getByTestId('field-unlearning.enabled').uncheck();
    assert.equal(await page.getByTestId('step-methods').count(), 0, 'no methods step without unlearning');
    await page.getByTestId('step-review').click();
    await page.getByTestId('field-name').fill('e2e train only');
    const id = await startFromReview(page);
    await page.locator('[data-testid="run-status"][data-state="done"]').waitFor({ timeout: 120_000 });
    await page.getByTestId('results-view').waitFor();
    assert.equal(await page.getByTestId('results-view').getAttribute('data-has-report'), 'false');
    assert.equal(await page.getByTestId('run-ended-note').count(), 0);
    await page.locator('[data-testid="chart-rounds"][data-state="ready"]').waitFor();
    await page.locator('[data-testid="chart-loss"][data-state="ready"]').waitFor();
    await page.locator('[data-testid="chart-partition"][data-state="ready"]').waitFor();
    const charts = await page
      .locator('figure.chart-panel')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    assert.deepEqual(charts, ['chart-rounds', 'chart-loss', 'chart-partition']);
    const tables = await page.locator('[data-testid="export-table-select"] option').allInnerTexts();
    assert.ok(tables.includes('rounds') && !tables.includes('table1'), tables.join(', '));
    const detail = await apiCall<RunDetail>(app.server, 'runs:get', { id });
    assert.equal(detail.rounds.length, 3);
    await screenshotBothThemes(page, 'results-train-only');
    assert.deepEqual(app.s.errors, []);
  });
});
