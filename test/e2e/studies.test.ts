/**
 * Ablation studies (issue 11) in the UI. First the whole path a researcher takes: Studies → New, a
 * pasted tiny base, an axis on FedMemEraser's ρ picked by path with two values, a problem the
 * validation names and the estimate once it is fixed, Start; the grid fills in, the ablation table
 * shows a row per ρ, a chart draws, and the LaTeX and per-run CSV downloads hold those rows. Then the
 * queue controls on a study created paused (so nothing runs and nothing races): reorder, extend,
 * delete.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { formatSeconds } from '../../src/shared/format';
import type { StudyDetail, StudyEstimate } from '../../src/shared/study-types';
import type { StudyTable } from '../../src/shared/study-table';
import { screenshot, screenshotBothThemes, useAppSession, waitChartsReady } from './support/browser';
import { apiCall } from './support/server';
import { TINY_STUDY_BASE } from './support/tiny-study';

const base = TINY_STUDY_BASE;
const RHO = 'unlearning.methods[fedmemeraser].rho';

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), text: fs.readFileSync(await download.path(), 'utf8') };
}

const studyIdFromUrl = (url: string) => decodeURIComponent(/#\/studies\/([^/?]+)$/.exec(url)![1]);

describe('ablation studies', () => {
  const app = useAppSession();

  it('builds ρ ∈ {0, 0.6} on a tiny base, runs it and exports its table', async () => {
    const { page } = app.s;
    await page.getByTestId('nav-studies').click();
    await page.locator('[data-testid="studies-table"][data-state="ready"][data-count="0"]').waitFor();
    await page.getByTestId('studies-new').click();
    await page.getByTestId('study-builder').waitFor();

    await page.getByTestId('study-base-tab-json').click();
    await page.getByTestId('study-base-json').fill(JSON.stringify(base, null, 2));
    await page.getByTestId('study-name').fill('e2e rho');
    await page.getByTestId('study-axis-0-path').fill(RHO);
    await page.getByTestId('study-axis-0-path').press('Tab');
    // The path is one the base suggests: the hint names the parameter and its value in the base.
    assert.match(
      (await page.getByTestId('study-axis-0-path-hint').textContent())!,
      /FedMemEraser: Pruning ratio ρ · base: 0\.3 · numbers or auto/,
    );
    await page.getByTestId('study-seeds').fill('1');

    // A value the config refuses: main names the cell, the field and the rule, and Start stays off.
    await page.getByTestId('study-axis-0-values').fill('0, 1.5');
    await page.locator('[data-testid="study-estimate"][data-state="ready"] [data-testid="study-issues"]').waitFor();
    const issue = (await page.getByTestId('study-issue').first().textContent())!;
    assert.match(issue, /\[rho=1\.5\] unlearning\.methods\.1\.rho/);
    assert.ok(await page.getByTestId('study-start').isDisabled());

    await page.getByTestId('study-axis-0-values').fill('0, 0.6');
    await page.locator('[data-testid="study-axis-0-preview"][data-count="2"]').waitFor();
    await page.locator('[data-testid="study-estimate"][data-state="ready"][data-runs="2"]').waitFor();
    assert.equal(await page.getByTestId('study-issues').count(), 0);
    assert.equal(await page.getByTestId('study-estimate-runs').textContent(), '2');
    // Both cells share the seed, data and training: one original model and one retrained model for both.
    assert.equal(await page.getByTestId('study-estimate-originals').textContent(), '1');
    assert.equal(await page.getByTestId('study-estimate-retrained').textContent(), '1');
    assert.match((await page.getByTestId('study-estimate').textContent())!, /instead of 2 without sharing/);
    // The time is main's estimate of this very definition; sharing may save little on a base this small.
    const { estimate } = await apiCall<{ estimate: StudyEstimate }>(app.server, 'studies:validate', {
      study: { name: 'e2e rho', base, axes: [{ path: RHO, values: [0, 0.6] }], seeds: 1 },
    });
    // innerText: the text as shown (the template's line breaks around it are layout, not text).
    assert.equal(
      await page.getByTestId('study-estimate-time').innerText(),
      `≈ ${formatSeconds(estimate.seconds.shared)}`,
    );
    const savings = await page.getByTestId('study-estimate-savings').innerText();
    assert.match(
      savings,
      estimate.seconds.unshared > estimate.seconds.shared ? /^saves \S+/ : /^sharing saves nothing here/,
    );
    assert.ok(savings.endsWith(`against ≈ ${formatSeconds(estimate.seconds.unshared)} unshared`), savings);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'study-builder');

    await page.getByTestId('study-start').click();
    await page.waitForURL(/#\/studies\/(?!new$)[^/?]+$/);
    const id = studyIdFromUrl(page.url());
    await page.locator(`[data-testid="study-view"][data-study-id="${id}"][data-state="ready"]`).waitFor();
    assert.equal(await page.getByTestId('study-name').textContent(), 'e2e rho');

    for (const key of ['rho=0#0', 'rho=0.6#0'])
      await page.locator(`[data-testid="study-cell-${key}"][data-state="done"]`).waitFor({ timeout: 180_000 });
    await page.locator('[data-testid="study-status"][data-state="done"]').waitFor();
    const detail = await apiCall<StudyDetail>(app.server, 'studies:get', { id });
    assert.deepEqual(detail.counts, { queued: 0, running: 0, done: 2, failed: 0, cancelled: 0 });
    assert.equal(await page.getByTestId('study-done').textContent(), '2 of 2');
    // Each square opens its run; the second ρ reused the first run's original model, and says so.
    const second = detail.items.find((it) => it.key === 'rho=0.6#0')!;
    const square = page.getByTestId('study-cell-rho=0.6#0');
    assert.equal(await square.getAttribute('href'), `#/runs/${second.runId}`);
    assert.match((await square.getAttribute('title'))!, /reused the original model/);

    // The ablation table: flat, a row per ρ value, then the retrained reference.
    await page.locator('[data-testid="study-results"][data-state="ready"][data-runs="2"]').waitFor();
    const table = page.locator('[data-testid="study-table"][data-layout="flat"]');
    await table.waitFor();
    const labels = await table.locator('[data-testid="study-table-row"] th[scope="row"]').allTextContents();
    assert.deepEqual(
      labels.map((l) =>
        l
          .replace(/n = \d+$/, '')
          .replace(/\s+/g, ' ')
          .trim(),
      ),
      ['0', '0.6', 'Retrained baseline (reference)'],
    );
    const model = await apiCall<StudyTable>(app.server, 'studies:table', { id });
    const rhoRow = model.blocks[0].rows[0];
    assert.equal(
      await page.getByTestId(`study-cell-value-${rhoRow.key}-test`).locator('.mean').textContent(),
      rhoRow.cells[model.columns.findIndex((c) => c.key === 'test')].text,
    );
    assert.ok((await page.getByTestId('study-table-notes').locator('li').count()) > 0);

    await page.locator('[data-testid="chart-study-metric"][data-state="ready"]').waitFor();
    await waitChartsReady(page);
    await screenshotBothThemes(page, 'study-detail');

    // LaTeX of the summary: a flat table sets each ρ value as its own row's first cell (no \multirow).
    const tex = await downloaded(page, () => page.getByTestId('study-export-latex').click());
    assert.equal(tex.name, 'e2e_rho-summary.tex');
    assert.match(tex.text, /\\begin\{tabular\}/);
    assert.doesNotMatch(tex.text, /\\multirow\{/);
    assert.match(tex.text, /^0 & /m);
    assert.match(tex.text, /^0\.6 & /m);
    assert.match(tex.text, /^Retrained baseline & /m);

    // Every run as CSV: one line per run and report row, with the swept value.
    const csv = await downloaded(page, () => page.getByTestId('study-export-runs-csv').click());
    assert.equal(csv.name, 'e2e_rho-runs.csv');
    const [header, ...lines] = csv.text.trim().split(/\r?\n/);
    assert.match(header, /^rho,seed_index,seed,run_id,cell_key,row,/);
    assert.deepEqual(new Set(lines.map((l) => l.split(',')[4])), new Set(['rho=0', 'rho=0.6']));

    // A run of the study leads back to it.
    await square.click();
    await page.locator('[data-testid="run-status"][data-state="done"]').waitFor();
    await page.getByTestId('run-study').click();
    await page.locator('[data-testid="study-status"][data-state="done"]').waitFor();
    assert.equal(await page.evaluate(() => location.hash), `#/studies/${id}`);
    assert.deepEqual(app.s.errors, []);
  });

  it('reorders, extends and deletes a study that waits in the queue', async () => {
    const { page } = app.s;
    const { id } = await apiCall<{ id: string }>(app.server, 'studies:create', {
      study: { name: 'e2e queue', base, axes: [{ path: RHO, values: [0, 0.3, 0.6] }] },
      start: false,
    });
    await page.evaluate((sid) => (location.hash = `#/studies/${sid}`), id);
    await page.locator(`[data-testid="study-view"][data-study-id="${id}"][data-state="ready"]`).waitFor();
    await page.locator('[data-testid="study-status"][data-state="paused"]').waitFor();
    await page.locator('[data-testid="study-queue"][data-count="3"]').waitFor();
    assert.deepEqual(
      await page.getByTestId('study-queue-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-key'))),
      ['rho=0#0', 'rho=0.3#0', 'rho=0.6#0'],
    );

    await page.getByTestId('study-queue-down-rho=0#0').click();
    await page.locator('[data-testid="study-queue-item"]:first-child[data-key="rho=0.3#0"]').waitFor();
    const after = await apiCall<StudyDetail>(app.server, 'studies:get', { id });
    assert.deepEqual(
      [...after.items].sort((a, b) => a.position - b.position).map((it) => it.key),
      ['rho=0.3#0', 'rho=0#0', 'rho=0.6#0'],
    );

    await page.getByTestId('study-extend').locator('summary').click();
    await page.getByTestId('study-extend-values-0').fill('0.9');
    await page.getByTestId('study-extend-seeds').fill('2');
    await page.getByTestId('study-extend-submit').click();
    // 4 values × 2 seeds: 5 new runs, each a square in the grid.
    await page.locator('[data-testid="study-queue"][data-count="8"]').waitFor();
    await page.locator('[data-testid="study-cell-rho=0.9#1"][data-state="queued"]').waitFor();
    assert.equal(await page.locator('[data-testid^="study-cell-rho="]').count(), 8);
    await screenshot(page, 'study-queued');

    await page.getByTestId('study-delete').click();
    await page.getByTestId('confirm-ok').click();
    await page.waitForURL(/#\/studies$/);
    await page.locator('[data-testid="studies-table"][data-state="ready"][data-count="1"]').waitFor();
    assert.equal(await page.locator(`[data-testid="study-row"][data-study-id="${id}"]`).count(), 0);
    assert.deepEqual(app.s.errors, []);
  });

  it('fills the builder from a paper preset in one click: ρ ∈ {0, 0.4, 0.8} × 2 seeds on the quick setting', async () => {
    const { page } = app.s;
    await page.getByTestId('nav-studies').click();
    await page.getByTestId('studies-new').click();
    await page.getByTestId('study-base-tab-preset').click();
    await page.getByTestId('study-preset-f2-rho').click();
    assert.equal(await page.getByTestId('study-axis-0-path').inputValue(), RHO);
    assert.equal(await page.getByTestId('study-axis-0-values').inputValue(), '0, 0.2, 0.4, 0.6, 0.8, 1');
    assert.equal(await page.getByTestId('study-seeds').inputValue(), '2');
    assert.equal(await page.getByTestId('study-base-source').textContent(), 'from study preset f2-rho');
    await page.getByTestId('study-axis-0-values').fill('0, 0.4, 0.8');
    await page.locator('[data-testid="study-estimate"][data-state="ready"][data-runs="6"]').waitFor();
    assert.match((await page.getByTestId('study-estimate').textContent())!, /3 cells × 2 seeds/);
    // One original training per seed instead of one per run, and real time saved in the quick setting.
    assert.equal(await page.getByTestId('study-estimate-originals').textContent(), '2');
    assert.match((await page.getByTestId('study-estimate').textContent())!, /instead of 6 without sharing/);
    assert.match((await page.getByTestId('study-estimate-savings').textContent())!, /^saves \d[^(]*\(\d+%\)/);
    assert.ok(await page.getByTestId('study-start').isEnabled());
    assert.equal(await page.getByTestId('study-start').textContent(), 'Start 6 runs');
    assert.deepEqual(app.s.errors, []);
  });
});
