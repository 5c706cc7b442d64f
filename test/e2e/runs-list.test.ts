/**
 * The runs list (issue 12): two tiny training-only runs started over the API, then sorted by a header,
 * one renamed inline, given a note and tags in the dialog, the list filtered by clicking a tag chip, by
 * words (note, settings) and by a condition on a metric; the run page shows the note and tags.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunDetail } from '../../src/shared/contract';
import { screenshot, useAppSession } from './support/browser';
import { apiCall } from './support/server';

const config = (name: string, lr: number) => ({
  name,
  seed: 1,
  dataset: { id: 'mnist', trainSize: 200, testSize: 100 },
  partition: { clients: 2 },
  training: { rounds: 1, batchSize: 32, lr },
});

const rowOrder = (page: Page) =>
  page.getByTestId('run-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')));
const row = (page: Page, id: string) => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);

describe('runs list: sort, rename, notes and tags', () => {
  const app = useAppSession();

  it('sorts by a column, renames inline, tags a run and filters by the tag', async () => {
    const { page } = app.s;
    const ids: Record<string, string> = {};
    // Beta trains with lr 0.002, alpha with 0.001: their settings (and likely their accuracies) differ.
    for (const [name, lr] of [
      ['beta run', 2e-3],
      ['alpha run', 1e-3],
    ] as const)
      ids[name] = (await apiCall<{ runId: string }>(app.server, 'runs:start', { config: config(name, lr) })).runId;
    const [beta, alpha] = [ids['beta run'], ids['alpha run']];
    await page.getByTestId('runs-refresh').click();
    for (const id of [alpha, beta])
      await row(page, id).and(page.locator('[data-status="done"]')).waitFor({ timeout: 240_000 });

    // Sort: newest first by default; Name sorts A-Z, a second click Z-A.
    assert.deepEqual(await rowOrder(page), [alpha, beta], 'newest first');
    await page.getByTestId('runs-sort-name').click();
    assert.deepEqual(await rowOrder(page), [alpha, beta]);
    assert.equal(
      await page.locator('th', { has: page.getByTestId('runs-sort-name') }).getAttribute('aria-sort'),
      'ascending',
    );
    await page.getByTestId('runs-sort-name').click();
    assert.deepEqual(await rowOrder(page), [beta, alpha]);
    assert.equal(
      await page.locator('th', { has: page.getByTestId('runs-sort-name') }).getAttribute('aria-sort'),
      'descending',
    );

    // Rename "alpha run" to "zulu run": with Z-A order it moves to the top.
    await row(page, alpha).getByTestId('run-rename').click();
    const input = row(page, alpha).getByTestId('run-rename-input');
    await input.fill('zulu run');
    await input.press('Enter');
    await row(page, alpha).getByTestId('run-open').filter({ hasText: 'zulu run' }).waitFor();
    assert.deepEqual(await rowOrder(page), [alpha, beta], 'the renamed run sorts by its new name');
    assert.equal((await apiCall<RunDetail>(app.server, 'runs:get', { id: alpha })).name, 'zulu run');

    // Note and tags: a bad tag is explained and cannot be saved; a good one is.
    await row(page, beta).getByTestId('run-annotate').click();
    const dialog = page.getByTestId('run-note-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('run-note-input').fill('baseline for the rho sweep');
    await dialog.getByTestId('run-tags-input').fill('baseline, bad!');
    assert.match(
      await dialog.getByTestId('run-tags-error').innerText(),
      /Tag “bad!” may contain only letters, digits, - and _/,
    );
    assert.equal(await dialog.getByTestId('run-note-save').isDisabled(), true);
    await dialog.getByTestId('run-tags-input').fill('baseline, iid');
    await screenshot(page, 'runs-note-dialog');
    await dialog.getByTestId('run-note-save').click();
    await row(page, beta).locator('[data-testid="run-tag"][data-tag="iid"]').waitFor();
    assert.equal(await dialog.isVisible(), false, 'the dialog closed');
    assert.deepEqual(await row(page, beta).getByTestId('run-tag').allInnerTexts(), ['baseline', 'iid']);
    assert.equal(await row(page, beta).getByTestId('run-note').innerText(), 'baseline for the rho sweep');
    const stored = await apiCall<RunDetail>(app.server, 'runs:get', { id: beta });
    assert.deepEqual(
      { note: stored.note, tags: stored.tags },
      { note: 'baseline for the rho sweep', tags: ['baseline', 'iid'] },
    );

    // A chip filters the list by its tag (main does the filtering); clearing the filter brings both back.
    await row(page, beta).locator('[data-testid="run-tag"][data-tag="baseline"]').click();
    await page.locator('[data-testid="runs-table"][data-count="1"]').waitFor();
    assert.equal(await page.getByTestId('runs-tag-filter').getAttribute('data-tag'), 'baseline');
    assert.deepEqual(await rowOrder(page), [beta]);
    await screenshot(page, 'runs-list-tag-filter');
    await page.getByTestId('runs-tag-clear').click();
    await page.locator('[data-testid="runs-table"][data-count="2"]').waitFor();
    assert.equal(await page.getByTestId('runs-tag-filter').count(), 0);

    // Test accuracy sorts too (both finished, so both have one); largest first.
    await page.getByTestId('runs-sort-testAccuracy').click();
    const acc = async (id: string) =>
      (await apiCall<RunDetail>(app.server, 'runs:get', { id })).summary?.testAccuracy ?? -1;
    const expected = (await acc(alpha)) >= (await acc(beta)) ? [alpha, beta] : [beta, alpha];
    assert.deepEqual(await rowOrder(page), expected);

    // Words: the note finds beta; a phrase of the settings summary ("lr 0.002", not in alpha's) too.
    const count = (n: number) =>
      page.locator(`[data-testid="runs-table"][data-count="${n}"][data-state="ready"]`).waitFor();
    await page.getByTestId('runs-search').fill('rho sweep');
    await count(1);
    assert.deepEqual(await rowOrder(page), [beta]);
    await page.getByTestId('runs-search').fill('"lr 0.002"');
    await count(1);
    assert.deepEqual(await rowOrder(page), [beta]);
    await page.getByTestId('runs-search').fill('');
    await count(2);

    // A metric condition: the original model's test accuracy at most the lower of the two keeps the lower one
    // (both, should they tie); D_u accuracy, which a training-only run never measures, keeps none.
    const [accA, accB] = [await acc(alpha), await acc(beta)];
    const low = Math.min(accA, accB);
    const form = page.getByTestId('runs-condition-form');
    await form.getByTestId('runs-cond-row').fill('Original');
    await form.getByTestId('runs-cond-metric').selectOption('test');
    await form.getByTestId('runs-cond-op').selectOption('<=');
    await form.getByTestId('runs-cond-value').fill(String(Math.round(low * 10000) / 100));
    await form.getByTestId('runs-cond-add').click();
    const kept = [alpha, beta].filter((id) => (id === alpha ? accA : accB) === low);
    await count(kept.length);
    assert.deepEqual((await rowOrder(page)).sort(), kept.sort());
    assert.match(await page.getByTestId('runs-cond-chip').innerText(), /^Original test accuracy ≤ [\d.]+%/);
    await screenshot(page, 'runs-list-metric-filter');

    // The filter lives in the store: it is still applied after visiting a run and coming back.
    await row(page, kept[0]).getByTestId('run-open').click();
    await page.locator('[data-testid="run-view"][data-state="ready"]').waitFor();
    await page.goBack();
    await count(kept.length);
    assert.equal(await page.getByTestId('runs-cond-chip').count(), 1);

    await page.getByTestId('runs-cond-remove').click();
    await form.getByTestId('runs-cond-metric').selectOption('du');
    await form.getByTestId('runs-cond-op').selectOption('>=');
    await form.getByTestId('runs-cond-value').fill('0');
    await form.getByTestId('runs-cond-add').click();
    await page.getByTestId('runs-empty').waitFor();
    assert.equal(await page.getByTestId('runs-empty').innerText(), 'No run matches the filter.');
    await page.getByTestId('runs-filters-clear').click();
    await count(2);

    // The run page shows the note and the tags, and edits them in the same dialog.
    await row(page, beta).getByTestId('run-open').click();
    await page.locator('[data-testid="run-view"][data-state="ready"]').waitFor();
    assert.equal(await page.getByTestId('run-page-note').innerText(), 'baseline for the rho sweep');
    assert.deepEqual(await page.getByTestId('run-page-tag').allInnerTexts(), ['baseline', 'iid']);
    await page.getByTestId('run-page-annotate').click();
    const pageDialog = page.getByTestId('run-note-dialog');
    await pageDialog.getByTestId('run-tags-input').fill('baseline, iid, lr-high');
    await pageDialog.getByTestId('run-note-save').click();
    await page.locator('[data-testid="run-page-tag"][data-tag="lr-high"]').waitFor();
    assert.deepEqual((await apiCall<RunDetail>(app.server, 'runs:get', { id: beta })).tags, [
      'baseline',
      'iid',
      'lr-high',
    ]);
    await screenshot(page, 'run-page-note-tags');
    assert.deepEqual(app.s.errors, []);
  });
});
