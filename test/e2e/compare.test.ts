/**
 * Compare runs: two tiny unlearning runs started over the API that differ in one setting (FedMemEraser's
 * ρ), selected in the runs list and compared. The config diff shows exactly that path with both values,
 * the overlaid chart draws, each run links to its page; the same view loads straight from its URL.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunDetail } from '../../src/shared/contract';
import { screenshot, useAppSession, waitChartsReady } from './support/browser';
import { apiCall } from './support/server';

const config = (name: string, rho: number) => ({
  name,
  seed: 3,
  dataset: { id: 'mnist', trainSize: 300, testSize: 100 },
  partition: { clients: 3 },
  training: { rounds: 1, batchSize: 32, lr: 1e-3 },
  unlearning: {
    request: { kind: 'clients', clients: [0] },
    methods: [{ id: 'retrain' }, { id: 'fedmemeraser', rho, rounds: 1 }],
  },
  evaluation: { retrainModels: 1, lossSurface: false, csl: false },
});

const PATH = 'unlearning.methods[fedmemeraser].rho';

/** The compare view as a reader sees it: column headers, diff rows, links, tables. */
async function checkCompareView(page: Page, runs: { id: string; name: string; rho: number }[]): Promise<void> {
  await page
    .locator(`[data-testid="compare-view"][data-state="ready"][data-count="${runs.length}"]`)
    .waitFor({ timeout: 30_000 });
  const order = await page
    .getByTestId('compare-run')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')));
  assert.deepEqual([...order].sort(), runs.map((r) => r.id).sort(), 'both runs are shown');
  const inOrder = order.map((id) => runs.find((r) => r.id === id)!);

  const diff = page.getByTestId('config-diff');
  assert.equal(await diff.getAttribute('data-rows'), '1', 'exactly one differing path');
  const rows = page.getByTestId('config-diff-row');
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-path'))), [PATH]);
  assert.equal((await rows.locator('th').innerText()).trim(), PATH);
  const values = (await rows.getByTestId('config-diff-value').allInnerTexts()).map((v) => v.trim());
  assert.deepEqual(
    values,
    inOrder.map((r) => String(r.rho)),
    "each run's value under its own column",
  );
  const headers = (await diff.locator('thead th').allInnerTexts()).map((v) => v.trim());
  assert.deepEqual(headers, ['Setting', ...inOrder.map((r) => r.name)]);

  // Each name links to its run page.
  const links = page.getByTestId('compare-run-link');
  assert.deepEqual(
    (await links.allInnerTexts()).map((t) => t.trim()),
    inOrder.map((r) => r.name),
  );
  assert.deepEqual(
    await links.evaluateAll((els) => els.map((e) => e.getAttribute('href'))),
    inOrder.map((r) => `#/runs/${r.id}`),
  );

  // Finished unlearning runs: no "not finished" / "training only" notes, a Table 1 for each.
  assert.equal(await page.getByTestId('compare-run-unfinished').count(), 0);
  assert.equal(await page.getByTestId('compare-run-no-report').count(), 0);
  assert.equal(
    await page.locator('[data-testid="compare-table"][data-has-report="true"] [data-testid="results-table"]').count(),
    runs.length,
  );

  await page.locator('[data-testid="chart-compare-rounds"]').waitFor();
  await waitChartsReady(page);
  assert.equal(await page.getByTestId('chart-compare-rounds').getAttribute('data-state'), 'ready');
}

describe('compare runs', () => {
  const app = useAppSession();
  const runs: { id: string; name: string; rho: number }[] = [];

  it('selects two finished runs in the list and compares them', async () => {
    const { page } = app.s;
    for (const rho of [0.2, 0.6]) {
      const name = `e2e compare rho ${rho}`;
      const { runId } = await apiCall<{ runId: string }>(app.server, 'runs:start', { config: config(name, rho) });
      runs.push({ id: runId, name, rho });
    }
    await page.getByTestId('runs-refresh').click();
    for (const r of runs)
      await page
        .locator(`[data-testid="run-row"][data-run-id="${r.id}"][data-status="done"]`)
        .waitFor({ timeout: 240_000 });
    for (const r of runs) {
      const detail = await apiCall<RunDetail>(app.server, 'runs:get', { id: r.id });
      assert.equal(detail.status, 'done', detail.error ?? '');
    }

    const button = page.getByTestId('runs-compare');
    assert.equal(await button.isDisabled(), true, 'nothing selected yet');
    await page.locator(`[data-testid="run-row"][data-run-id="${runs[0].id}"] [data-testid="run-select"]`).check();
    assert.equal(await button.isDisabled(), true, 'one run is not a comparison');
    assert.match(await button.innerText(), /Compare \(1\)/);
    await page.locator(`[data-testid="run-row"][data-run-id="${runs[1].id}"] [data-testid="run-select"]`).check();
    assert.equal(await button.isDisabled(), false);
    assert.match(await button.innerText(), /Compare \(2\)/);
    await button.click();

    await page.getByTestId('compare-view').waitFor();
    const hash = await page.evaluate(() => location.hash);
    const m = /^#\/compare\?ids=([^&]+)$/.exec(hash);
    assert.ok(m, `the URL names the runs (${hash})`);
    assert.deepEqual(decodeURIComponent(m[1]).split(',').sort(), runs.map((r) => r.id).sort());

    await checkCompareView(page, runs);
    await screenshot(page, 'compare');
    assert.deepEqual(app.s.errors, []);
  });

  it('shows the same when the compare URL is opened directly', async () => {
    const { page } = app.s;
    await page.evaluate(() => (location.hash = '#/runs'));
    await page.locator('[data-testid="runs-table"][data-state="ready"]').waitFor();
    const url = new URL(app.server.url);
    url.hash = `#/compare?ids=${runs[1].id},${runs[0].id}`;
    await page.goto(url.toString());
    await checkCompareView(page, runs);
    // The order of the URL is the order of the columns.
    const order = await page
      .getByTestId('compare-run')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')));
    assert.deepEqual(order, [runs[1].id, runs[0].id]);

    // A run id that does not exist is reported in place; the others still compare.
    url.hash = `#/compare?ids=${runs[0].id},no-such-run`;
    await page.goto(url.toString());
    await page.locator('[data-testid="compare-view"][data-state="ready"][data-count="1"]').waitFor();
    assert.match(await page.getByTestId('compare-missing').innerText(), /no-such-run/);
    assert.deepEqual(
      app.s.errors.filter((e) => !/404|Failed to load resource/.test(e)),
      [],
    );
  });
});
