/**
 * The runs list (issue 12): two tiny training-only runs started over the API, then sorted by a header,
 * one renamed inline, given a note and tags in the dialog, and the list filtered by clicking a tag chip.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunDetail } from '../../src/shared/contract';
import { screenshot, useAppSession } from './support/browser';
import { apiCall } from './support/server';

const config = (name: string) => ({
  name,
  seed: 1,
  dataset: { id: 'mnist', trainSize: 200, testSize: 100 },
  partition: { clients: 2 },
  training: { rounds: 1, batchSize: 32, lr: 1e-3 },
});

const rowOrder = (page: Page) => page.getByTestId('run-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')));
const row = (page: Page, id: string) => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);

describe('runs list: sort, rename, notes and tags', () => {
  const app = useAppSession();

  it('sorts by a column, renames inline, tags a run and filters by the tag', async () => {
    const { page } = app.s;
    const ids: Record<string, string> = {};
    for (const name of ['beta run', 'alpha run']) ids[name] = (await apiCall<{ runId: string }>(app.server, 'runs:start', { config: config(name) })).runId;
    const [beta, alpha] = [ids['beta run'], ids['alpha run']];
    await page.getByTestId('runs-refresh').click();
    for (const id of [alpha, beta]) await row(page, id).and(page.locator('[data-status="done"]')).waitFor({ timeout: 240_000 });

    // Sort: newest first by default; Name sorts A-Z, a second click Z-A.
    assert.deepEqual(await rowOrder(page), [alpha, beta], 'newest first');
    await page.getByTestId('runs-sort-name').click();
    assert.deepEqual(await rowOrder(page), [alpha, beta]);
    assert.equal(await page.locator('th', { has: page.getByTestId('runs-sort-name') }).getAttribute('aria-sort'), 'ascending');
    await page.getByTestId('runs-sort-name').click();
    assert.deepEqual(await rowOrder(page), [beta, alpha]);
    assert.equal(await page.locator('th', { has: page.getByTestId('runs-sort-name') }).getAttribute('aria-sort'), 'descending');

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
    assert.match(await dialog.getByTestId('run-tags-error').innerText(), /Tag “bad!” may contain only letters, digits, - and _/);
    assert.equal(await dialog.getByTestId('run-note-save').isDisabled(), true);
    await dialog.getByTestId('run-tags-input').fill('baseline, iid');
    await screenshot(page, 'runs-note-dialog');
    await dialog.getByTestId('run-note-save').click();
    await row(page, beta).locator('[data-testid="run-tag"][data-tag="iid"]').waitFor();
    assert.equal(await dialog.isVisible(), false, 'the dialog closed');
    assert.deepEqual(await row(page, beta).getByTestId('run-tag').allInnerTexts(), ['baseline', 'iid']);
    assert.equal(await row(page, beta).getByTestId('run-note').innerText(), 'baseline for the rho sweep');
    const stored = await apiCall<RunDetail>(app.server, 'runs:get', { id: beta });
    assert.deepEqual({ note: stored.note, tags: stored.tags }, { note: 'baseline for the rho sweep', tags: ['baseline', 'iid'] });

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
    const acc = async (id: string) => (await apiCall<RunDetail>(app.server, 'runs:get', { id })).summary?.testAccuracy ?? -1;
    const expected = (await acc(alpha)) >= (await acc(beta)) ? [alpha, beta] : [beta, alpha];
    assert.deepEqual(await rowOrder(page), expected);
    assert.deepEqual(app.s.errors, []);
  });
});
