/**
 * The Analyses section of a run's Results view (issue 15): a tiny real run with the three analyses
 * shows the G.1 finding with the stored means, three distance heatmaps, the G.7 chart and Table H8
 * with one row per GME group plus D_u, D_r and test; and the wizard's block writes the config.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunDetail } from '../../src/shared/contract';
import type { DistancesArtifact, EmbeddingsArtifact } from '../../src/shared/analysis-results';
import { distanceFinding } from '../../src/shared/analysis-tables';
import { screenshot, useAppSession, waitChartsReady } from './support/browser';
import { apiCall } from './support/server';

const config = {
  name: 'e2e analyses',
  seed: 9,
  dataset: { id: 'mnist', trainSize: 300, testSize: 100 },
  partition: { clients: 3 },
  training: { rounds: 1, batchSize: 32, lr: 1e-3 },
  unlearning: {
    request: { kind: 'clients', clients: [0] },
    methods: [{ id: 'retrain' }, { id: 'finetune', rounds: 1 }],
  },
  evaluation: {
    retrainModels: 2,
    lossSurface: false,
    csl: false,
    analyses: [
      { id: 'distances', maxExamples: 40 },
      { id: 'stability' },
      { id: 'reset', ratios: [0.05, 0.5], maxRemaining: 100 },
      { id: 'embeddings', maxPerClient: 15 },
    ],
  },
};

describe('analyses in the Results view', () => {
  const app = useAppSession();

  it('shows the distance finding, the heatmaps, the stability chart and Table H8', async () => {
    const { page } = app.s;
    const { runId } = await apiCall<{ runId: string }>(app.server, 'runs:start', { config });
    await page.evaluate((id) => (location.hash = `#/runs/${id}`), runId);
    await page.locator('[data-testid="run-status"][data-state="done"]').waitFor({ timeout: 240_000 });
    await page.getByTestId('analyses-section').waitFor();
    const detail = await apiCall<RunDetail>(app.server, 'runs:get', { id: runId });
    const d = detail.artifacts['analysis-distances/analysis-distances'] as DistancesArtifact;
    const f = distanceFinding(d);
    const text = await page.getByTestId('distances-finding').innerText();
    assert.ok(
      text.includes(`L2 ${f.betweenRetrained.l2!.toFixed(2)}`) &&
        text.includes(`L2 ${f.retrainedToOriginal.l2!.toFixed(2)}`),
      text,
    );
    for (const id of [
      'chart-distances-l2',
      'chart-distances-cosine',
      'chart-distances-kl',
      'chart-stability',
      'chart-reset',
      'chart-embeddings-original',
      'chart-embeddings-retrained',
    ])
      await page.getByTestId(id).waitFor();
    await waitChartsReady(page);
    assert.equal(await page.getByTestId('chart-distances-kl').getAttribute('data-state'), 'ready');
    // Five GME groups, then D_u, D_r and test; the original and two strategies x two ratios.
    assert.equal(await page.locator('[data-testid="reset-table"] tbody tr').count(), 8);
    assert.equal(await page.locator('[data-testid="reset-table"] thead th').count(), 6);
    assert.match(await page.getByTestId('stability-finding').innerText(), /of \d+ examples of D_u/);
    // Figure 1: a scatter per model and one overlap row per model, showing the stored share.
    for (const id of ['chart-embeddings-original', 'chart-embeddings-retrained'])
      assert.equal(await page.getByTestId(id).getAttribute('data-state'), 'ready');
    const emb = detail.artifacts['analysis-embeddings/analysis-embeddings'] as EmbeddingsArtifact;
    const rows = page.locator('[data-testid="embeddings-table"] tbody tr');
    assert.equal(await rows.count(), 2);
    assert.ok(
      (await rows.nth(0).innerText()).includes(`${(emb.panels[0].overlap * 100).toFixed(2)}%`),
      await rows.nth(0).innerText(),
    );
    await page.getByTestId('analyses-section').scrollIntoViewIfNeeded();
    await screenshot(page, 'analyses-section');
  });

  it('a backdoor run shows the attack success in Table 1, the G8 curves and the per-model table', async () => {
    const { page } = app.s;
    const bd = {
      ...config,
      name: 'e2e backdoor',
      dataset: { ...config.dataset, backdoor: { share: 0.5 } },
      unlearning: { request: { kind: 'clients', clients: [0] }, methods: [{ id: 'finetune', rounds: 2 }] },
      evaluation: { retrainModels: 1, lossSurface: false, csl: false, analyses: [{ id: 'backdoor' }] },
    };
    const { runId } = await apiCall<{ runId: string }>(app.server, 'runs:start', { config: bd });
    await page.evaluate((id) => (location.hash = `#/runs/${id}`), runId);
    await page.locator('[data-testid="run-status"][data-state="done"]').waitFor({ timeout: 240_000 });
    await page.getByTestId('backdoor-table').waitFor();
    // The original, one retrained model and fine-tuning.
    assert.equal(await page.locator('[data-testid="backdoor-table"] tbody tr').count(), 3);
    await page.getByTestId('chart-backdoor-0').waitFor();
    await waitChartsReady(page);
    assert.equal(await page.getByTestId('chart-backdoor-0').getAttribute('data-state'), 'ready');
    assert.match(await page.getByTestId('results-table').innerText(), /Attack success/);
  });
});
