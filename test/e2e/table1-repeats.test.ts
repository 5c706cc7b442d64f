/**
 * Table 1 of a run with three repeats (issue 12, 28): ± std, a dagger on exactly the cells whose paired-test p
 * against retraining (computed here from the stored per-repeat values), Holm-adjusted over the tested cells, is
 * below 0.05, each tested cell's p in its tooltip, the note naming the test, and the group bars drawn with their
 * whiskers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunDetail } from '../../src/shared/contract';
import type { Stat, UnlearningReport } from '../../src/shared/results';
import { holmAdjust, pairedTTest } from '../../src/shared/paired-tests';
import { screenshot, useAppSession, waitChartsReady } from './support/browser';
import { apiCall } from './support/server';

const config = {
  name: 'e2e three repeats',
  seed: 5,
  dataset: { id: 'mnist', trainSize: 300, testSize: 100 },
  partition: { clients: 3 },
  training: { rounds: 1, batchSize: 32, lr: 1e-3 },
  unlearning: {
    request: { kind: 'clients', clients: [0] },
    methods: [{ id: 'retrain' }, { id: 'finetune', rounds: 1 }, { id: 'fedmemeraser', rho: 0.3, rounds: 1 }],
  },
  evaluation: { retrainModels: 1, lossSurface: false, csl: false },
  repeats: 3,
};

describe('Table 1 with repeats', () => {
  const app = useAppSession();

  it('daggers the cells that differ from retraining by a paired t-test (Holm-adjusted), with p in the tooltip', async () => {
    const { page } = app.s;
    const { runId } = await apiCall<{ runId: string }>(app.server, 'runs:start', { config });
    await page.evaluate((id) => (location.hash = `#/runs/${id}`), runId);
    await page.locator('[data-testid="run-status"][data-state="done"]').waitFor({ timeout: 240_000 });
    const detail = await apiCall<RunDetail>(app.server, 'runs:get', { id: runId });
    const report = detail.artifacts['report/report'] as UnlearningReport;
    assert.equal(report.repeats, 3);
    await page.getByTestId('results-table').waitFor();

    const ref = report.rows.find((r) => r.kind === 'retrained')!;
    const measures: [string, (r: (typeof report.rows)[number]) => Stat | null][] = [
      ...report.groups.map((_, g): [string, (r: (typeof report.rows)[number]) => Stat | null] => [
        `group${g}`,
        (r) => r.groupAccuracy[g] ?? null,
      ]),
      ['unlearn', (r) => r.unlearnAccuracy],
      ['test', (r) => r.testAccuracy],
      ['fairness', (r) => (report.fairness === 'mean' ? r.fairnessMean : r.fairnessSum)],
    ];
    // Every tested cell of the table is in Holm's family: these columns and, where the run timed its stages, the
    // time to peak.
    const timed = report.rows.some((r) => r.kind !== 'original' && r.timeToPeakSeconds?.mean != null);
    const all: typeof measures = timed ? [...measures, ['time', (r) => r.timeToPeakSeconds]] : measures;
    const cells = report.rows
      .filter((r) => r !== ref)
      .flatMap((row) =>
        all.map(([col, pick]) => ({ row, col, p: pairedTTest(pick(row)?.values ?? [], pick(ref)?.values ?? []).p })),
      );
    const adjusted = holmAdjust(cells.map((c) => c.p));
    let tested = 0;
    for (const [i, { row, col, p }] of cells.entries()) {
      const td = page.getByTestId(`cell-${row.key}-${col}`);
      const significant = adjusted[i] !== null && adjusted[i] < 0.05;
      assert.equal(await td.getAttribute('data-significant'), String(significant), `${row.label}, ${col}: p = ${p}`);
      assert.equal(await td.locator('.dagger').count(), significant ? 1 : 0, `${row.label}, ${col}`);
      if (p !== null) {
        tested++;
        assert.ok(Math.abs(Number(await td.getAttribute('data-p')) - p) < 1e-12, `${row.label}, ${col}`);
        assert.ok(Math.abs(Number(await td.getAttribute('data-p-adjusted')) - adjusted[i]!) < 1e-12, `${row.label}`);
        assert.match(
          (await td.getAttribute('title')) ?? '',
          new RegExp(`^p (=|<) 0\\.\\d{3} against ${ref.label} \\(paired t-test over repeats; Holm-adjusted p`),
        );
      }
    }
    assert.ok(tested > 0, 'three repeats give cells a p');
    assert.match(
      await page.getByTestId('table-notes').innerText(),
      new RegExp(
        `† differs from ${ref.label} by a paired t-test over the repeats \\(rows share their seeds\\), Holm-adjusted`,
      ),
    );
    // Three repeats: ± std is shown, beneath the mean.
    const std = ref.testAccuracy.std! * 100;
    assert.equal(await page.getByTestId(`cell-${ref.key}-test`).locator('.std').innerText(), `± ${std.toFixed(2)}`);
    assert.equal(
      await page.getByTestId(`cell-${ref.key}-test`).locator('.mean').innerText(),
      (ref.testAccuracy.mean! * 100).toFixed(2),
    );
    await page.locator('[data-testid="chart-gme"][data-state="ready"]').waitFor({ timeout: 30_000 });
    await waitChartsReady(page);
    await screenshot(page, 'results-three-repeats-light');
    assert.deepEqual(app.s.errors, []);
  });
});
