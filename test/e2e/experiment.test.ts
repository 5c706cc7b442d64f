/**
 * The main path: the `tiny` preset through the wizard, the run reaching `done`, the results page
 * against the stored run (Table 1 numbers, every chart drawn, CSV/LaTeX exports and the clipboard,
 * PNG/SVG chart files), the runs list (filter, duplicate, delete with its files), screenshots in both themes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { compactGroupLabel } from '../../src/shared/figures/gme';
import { parseConfig } from '../../src/shared/config';
import type { RunDetail, RunListItem } from '../../src/shared/contract';
import type { ImportanceArtifact, UnlearningReport } from '../../src/shared/results';
import { useAppSession, screenshot, screenshotBothThemes, SHOTS_DIR, waitChartsReady } from './support/browser';
import { apiCall } from './support/server';
import { nextToReview, openWizardWithPreset, startFromReview } from './support/wizard';

const pct = (v: number) => (v * 100).toFixed(2);
const permille = (v: number) => (v * 1000).toFixed(2);

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(file) };
}

describe('an experiment from the wizard to its results', () => {
  const app = useAppSession();
  let runId: string;
  let detail: RunDetail;

  it('creates the tiny preset through the wizard and starts it', async () => {
    const { page } = app.s;
    await openWizardWithPreset(page, 'tiny');
    await nextToReview(page, async (step) => {
      if (step === 'partition') {
        await page.locator('[data-testid="chart-partition-preview"][data-state="ready"]').waitFor();
        await screenshotBothThemes(page, 'wizard-partition');
      }
      if (step === 'methods') await screenshot(page, 'wizard-methods-light');
    });
    await page.getByTestId('field-name').fill('e2e tiny');
    await page.locator('[data-testid="estimate"][data-state="ready"]').waitFor();
    assert.match(await page.getByTestId('estimate').innerText(), /≈/);
    await screenshotBothThemes(page, 'wizard-review');
    runId = await startFromReview(page);
  });

  it('shows the run live and reaches done', async () => {
    const { page } = app.s;
    await page.locator('[data-testid="run-status"][data-state="done"]').waitFor({ timeout: 180_000 });
    detail = await apiCall<RunDetail>(app.server, 'runs:get', { id: runId });
    assert.equal(detail.status, 'done');
    assert.equal(detail.name, 'e2e tiny');
    assert.ok(detail.artifacts['report/report'], 'the engine stored a report');
  });

  it('shows Table 1 with the stored numbers', async () => {
    const { page } = app.s;
    await page.getByTestId('results-table').waitFor();
    const report = detail.artifacts['report/report'] as UnlearningReport;
    const rows = report.rows;
    assert.equal(await page.getByTestId('results-row').count(), rows.length);
    const fair = (r: (typeof rows)[number]) => (report.fairness === 'mean' ? r.fairnessMean : r.fairnessSum);
    // Each cell: "mean ± std" and, for rows compared with the retrained baseline, "(delta)".
    const cell = async (row: string, col: string) => {
      const td = page.getByTestId(`cell-${row}-${col}`);
      const delta = td.locator('.delta');
      // ± std is set beneath the mean, as in the LaTeX.
      const std = td.locator('.std');
      const value = `${await td.locator('.mean').innerText()}${(await std.count()) ? ` ${await std.innerText()}` : ''}`;
      return { value, delta: (await delta.count()) ? await delta.innerText() : '' };
    };
    // ± std only over two or more repeats (this run has one): a single value has no spread to show.
    const stat = (st: { mean: number | null; std: number | null; values: (number | null)[] } | null, f = pct) =>
      st?.mean == null
        ? '—'
        : st.values.filter((v) => v !== null).length >= 2
          ? `${f(st.mean)} ± ${f(st.std!)}`
          : f(st.mean);
    const delta = (d: number | null) => (d === null ? '' : `(${pct(d)})`);
    for (const row of rows) {
      const compared = row.kind !== 'retrained';
      for (let g = 0; g < report.groups.length; g++) {
        const want = {
          value: stat(row.groupAccuracy[g]),
          delta: compared && row.groupAccuracy[g].mean !== null ? delta(row.groupDelta[g]) : '',
        };
        assert.deepEqual(await cell(row.key, `group${g}`), want, `${row.label}, group ${g}`);
      }
      assert.deepEqual(
        await cell(row.key, 'unlearn'),
        { value: stat(row.unlearnAccuracy), delta: compared ? delta(row.unlearnDelta) : '' },
        `${row.label}, D_u`,
      );
      assert.deepEqual(await cell(row.key, 'test'), { value: stat(row.testAccuracy), delta: '' }, `${row.label}, test`);
      assert.deepEqual(
        await cell(row.key, 'fairness'),
        { value: stat(fair(row), permille), delta: '' },
        `${row.label}, fairness`,
      );
      // Time to peak in seconds and the speed-up over retraining; the original model has neither.
      const secs = (v: number) => v.toFixed(2);
      const time = row.kind === 'original' ? null : row.timeToPeakSeconds;
      assert.deepEqual(
        await cell(row.key, 'time'),
        { value: stat(time, secs), delta: '' },
        `${row.label}, time to peak`,
      );
      assert.deepEqual(
        await cell(row.key, 'speedup'),
        { value: stat(row.kind === 'original' ? null : row.speedup, secs), delta: '' },
        `${row.label}, speed-up`,
      );
    }
    assert.ok(
      rows.some((r) => r.kind === 'method' && r.speedup?.mean != null),
      'a method has a speed-up to show',
    );
    // One repeat: no significance marks, and the notes say why.
    assert.equal(await page.locator('[data-testid="results-table"] [data-significant="true"]').count(), 0);
    assert.match(
      await page.getByTestId('table-notes').innerText(),
      /a significance test needs 3 or more repeats on each side/,
    );
    // Bold: the highest test accuracy among the unlearning methods.
    const methods = rows.filter((r) => r.kind === 'method');
    const bestTest = Math.max(...methods.map((r) => r.testAccuracy.mean!));
    for (const r of methods) {
      assert.equal(
        await page.getByTestId(`cell-${r.key}-test`).getAttribute('data-best'),
        String(r.testAccuracy.mean === bestTest),
        r.label,
      );
    }
    // Each group's header gives its size and score range; the notes say which reference Delta uses.
    for (let g = 0; g < report.groups.length; g++) {
      const info = await page.getByTestId(`group-info-group${g}`).innerText();
      const gi = report.groups[g];
      assert.match(
        info,
        new RegExp(`^n = ${gi.counts[0]}, scores -?\\d\\.\\d\\d to -?\\d\\.\\d\\d$`),
        `group ${g}: ${info}`,
      );
      assert.ok(
        info.includes(gi.scoreMax![0]!.toFixed(2)),
        `group ${g} shows its highest score ${gi.scoreMax![0]}: ${info}`,
      );
    }
    assert.match(
      await page.getByTestId('table-notes').innerText(),
      /J = 2 retrained models that also defined the memorization scores/,
    );
  });

  it('draws every chart', async () => {
    const { page } = app.s;
    const expected = [
      'chart-gme',
      'chart-time',
      'chart-importance-0',
      'chart-loss-surface',
      'chart-csl',
      'chart-rounds',
      'chart-loss',
      'chart-partition',
    ];
    for (const id of expected) {
      await page.locator(`[data-testid="${id}"][data-state="ready"]`).waitFor({ timeout: 30_000 });
      assert.ok((await page.locator(`[data-testid="${id}"] canvas`).count()) >= 1, `${id} has a canvas`);
    }
    await waitChartsReady(page);
    await screenshotBothThemes(page, 'results');
  });

  it('shows what FedMemEraser did: how rho was set, the reset per layer, accuracy right after the reset (issue 12)', async () => {
    const { page } = app.s;
    const [name, imp] = Object.entries(detail.artifacts).find(([k]) => k.startsWith('importance/')) as [
      string,
      ImportanceArtifact,
    ];
    assert.equal(name, `importance/${imp.stage}`);
    const panel = page.getByTestId('eraser-panel-0');
    await panel.waitFor();
    assert.match(
      await page.getByTestId('eraser-panel-0-rho').innerText(),
      new RegExp(`ρ = ${imp.chosenRho}, set in the run's settings`),
    );
    // One row per parameter tensor, and the total row adds up to what the engine reset.
    assert.equal(await panel.locator('[data-testid^="eraser-panel-0-layer-"]').count(), imp.layers!.length);
    assert.equal(
      imp.layers!.reduce((a, l) => a + l.reset, 0),
      imp.resetScalars,
    );
    assert.match(
      await page.getByTestId('eraser-panel-0-layers-total').innerText(),
      new RegExp(imp.resetScalars.toLocaleString('en-US')),
    );
    // Right after the reset and after fine-tuning: the stored numbers (one repeat: no ±).
    const one = (v: number | null) => (v === null ? '—' : (v * 100).toFixed(1));
    for (const key of ['remaining', 'unlearn', 'test'] as const) {
      assert.equal(
        await page.getByTestId(`eraser-panel-0-after-reset-${key}`).innerText(),
        one(imp.afterReset![key]),
        `after reset, ${key}`,
      );
      assert.equal(
        await page.getByTestId(`eraser-panel-0-after-finetune-${key}`).innerText(),
        one(imp.afterFineTune![key]),
        `after fine-tuning, ${key}`,
      );
    }
    // The importance chart is drawn in the entry's colour, the same as in the group bars.
    const colors = async (id: string) =>
      JSON.parse((await page.getByTestId(id).getAttribute('data-series-colors')) ?? '{}') as Record<string, string>;
    const row = (detail.artifacts['report/report'] as UnlearningReport).rows.find((r) => r.key === imp.stage)!;
    assert.equal((await colors('chart-importance-0'))[row.label], (await colors('chart-gme'))[row.label]);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'results-fedmemeraser-panel');
  });

  it('shows loss curves with their method colours and the engine log with its phases (issue 12)', async () => {
    const { page } = app.s;
    await page.locator('[data-testid="chart-loss"][data-state="ready"]').waitFor();
    const colors = JSON.parse(
      (await page.getByTestId('chart-loss').getAttribute('data-series-colors')) ?? '{}',
    ) as Record<string, string>;
    const rounds = JSON.parse(
      (await page.getByTestId('chart-rounds').getAttribute('data-series-colors')) ?? '{}',
    ) as Record<string, string>;
    const report = detail.artifacts['report/report'] as UnlearningReport;
    for (const m of report.rows.filter((r) => r.kind === 'method')) {
      assert.equal(colors[`${m.label} · train`], rounds[m.label], `${m.label}: train loss in its colour`);
      assert.equal(colors[`${m.label} · test`], rounds[m.label], `${m.label}: test loss in its colour`);
    }
    await page.getByTestId('chart-loss-smoothing').fill('0.5');
    await page.locator('[data-testid="chart-loss"][data-state="ready"]').waitFor();
    const log = page.getByTestId('live-log');
    await log.locator('li[data-kind="phase"]').first().waitFor();
    assert.match(await log.innerText(), /building the report/);
  });

  it('gives each method one colour in every chart (issue 12)', async () => {
    const { page } = app.s;
    const colors = async (id: string) =>
      JSON.parse((await page.getByTestId(id).getAttribute('data-series-colors')) ?? '{}') as Record<string, string>;
    const [gme, time, rounds, loss] = await Promise.all(
      ['chart-gme', 'chart-time', 'chart-rounds', 'chart-loss-surface'].map(colors),
    );
    const report = detail.artifacts['report/report'] as UnlearningReport;
    const methods = report.rows.filter((r) => r.kind === 'method');
    assert.ok(methods.length >= 2, 'the run has two methods to tell apart');
    for (const m of methods) {
      assert.ok(gme[m.label], `${m.label} has a colour in the group bars`);
      assert.equal(time[m.label], gme[m.label], `${m.label}: time curves vs group bars`);
      assert.equal(rounds[m.label], gme[m.label], `${m.label}: per-round curves vs group bars`);
      assert.equal(loss[`${m.label} · D_r`], gme[m.label], `${m.label}: loss path vs group bars`);
    }
    assert.equal(new Set(methods.map((m) => gme[m.label])).size, methods.length, 'methods differ from one another');
    const retrained = report.rows.find((r) => r.kind === 'retrained')!;
    assert.equal(time['Retrained 1'], gme[retrained.label], 'the retrained baseline is the same grey');
  });

  it('exports Table 1 as CSV and LaTeX files and copies the LaTeX', async () => {
    const { page } = app.s;
    assert.equal(await page.getByTestId('export-table-select').inputValue(), 'table1');
    const csv = await apiCall<{ fileName: string; text: string }>(app.server, 'runs:export', {
      id: runId,
      format: 'csv',
      table: 'table1',
    });
    const tex = await apiCall<{ fileName: string; text: string }>(app.server, 'runs:export', {
      id: runId,
      format: 'latex',
      table: 'table1',
    });

    const gotCsv = await downloaded(page, () => page.getByTestId('export-csv').click());
    assert.equal(gotCsv.name, csv.fileName);
    assert.match(gotCsv.name, /\.csv$/);
    assert.equal(gotCsv.bytes.toString('utf8'), csv.text);
    const lines = csv.text.trim().split(/\r?\n/);
    const report = detail.artifacts['report/report'] as UnlearningReport;
    assert.equal(lines.length, 1 + report.rows.length, 'a header and one line per row');
    for (const row of report.rows)
      assert.ok(
        lines.some((l) => l.startsWith(`${row.label},`)),
        `CSV has ${row.label}`,
      );
    const retrained = report.rows.find((r) => r.kind === 'retrained')!;
    const header = lines[0].split(',');
    const line = lines.find((l) => l.startsWith(`${retrained.label},`))!.split(',');
    assert.equal(Number(line[header.indexOf('test_acc_pct_mean')]), retrained.testAccuracy.mean! * 100);

    const gotTex = await downloaded(page, () => page.getByTestId('export-latex').click());
    assert.equal(gotTex.name, tex.fileName);
    assert.equal(gotTex.bytes.toString('utf8'), tex.text);
    assert.match(tex.text, /\\begin\{tabular\}/);
    // One repeat: the mean alone, no ± line, and the caption says why.
    assert.match(
      tex.text,
      new RegExp(`\\n${retrained.label} & .* & ${pct(retrained.testAccuracy.mean!)} & .*\\n\\\\bottomrule`),
    );
    assert.match(tex.text, /one repeat \(no spread to show\)/);
    assert.match(tex.text, /No significance marks: a paired \$t\$-test needs three or more repeats/);
    assert.match(tex.text, /\$\\times\$speed-up/, 'the time block, with the speed-up beneath');
    assert.match(tex.text, /\\begin\{table\*\}/);

    await page.getByTestId('copy-latex').click();
    await page.locator('[data-testid="copy-latex"][data-state="copied"]').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), tex.text);

    // The LaTeX options panel sends the same options object the CLI's flags build.
    await page.getByTestId('latex-options').locator('summary').click();
    await page.getByTestId('latex-float').selectOption('table');
    await page.getByTestId('latex-std').uncheck();
    await page.getByTestId('latex-column-fairness').uncheck();
    const narrow = await apiCall<{ fileName: string; text: string }>(app.server, 'runs:export', {
      id: runId,
      format: 'latex',
      table: 'table1',
      latex: { float: 'table', std: false, columns: ['groups', 'unlearn', 'test', 'time'] },
    });
    const gotNarrow = await downloaded(page, () => page.getByTestId('export-latex').click());
    assert.equal(gotNarrow.bytes.toString('utf8'), narrow.text);
    assert.match(narrow.text, /\\begin\{table\}\[t\]/);
    assert.doesNotMatch(narrow.text, /Fairness/);
  });

  it('saves a chart as PNG and as SVG', async () => {
    const { page } = app.s;
    const png = await downloaded(page, () => page.getByTestId('chart-gme-png').click());
    assert.equal(png.name, 'gme-accuracy.png');
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const svg = await downloaded(page, () => page.getByTestId('chart-gme-svg').click());
    assert.equal(svg.name, 'gme-accuracy.svg');
    const text = svg.bytes.toString('utf8');
    assert.match(text, /^<svg[\s>]/);
    const report = detail.artifacts['report/report'] as UnlearningReport;
    // Groups as the axis names them ("(95,100]"; the percent sign is in the axis title).
    for (const g of report.groups) assert.ok(text.includes(compactGroupLabel(g.label)), `SVG names group ${g.label}`);
    // Every series is in the file: each row of the bars is named in its (plain, unpaged) legend.
    for (const r of report.rows.filter((row) => row.kind !== 'original'))
      assert.ok(text.includes(r.label), `SVG names ${r.label}`);
    assert.ok(/<(rect|path)\b/.test(text), 'the SVG has vector shapes');
    // The loss path hides its test split on screen; the file shows every path and split.
    const loss = (await downloaded(page, () => page.getByTestId('chart-loss-surface-svg').click())).bytes.toString(
      'utf8',
    );
    for (const r of report.rows.filter((row) => row.kind === 'method')) {
      for (const split of ['D_r', 'D_u', 'test'])
        assert.ok(loss.includes(`${r.label} · ${split}`), `loss SVG names ${r.label} · ${split}`);
    }
    // Kept beside the screenshots for a look.
    fs.mkdirSync(SHOTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(SHOTS_DIR, 'export-gme-accuracy.png'), png.bytes);
    fs.writeFileSync(path.join(SHOTS_DIR, 'export-gme-accuracy.svg'), svg.bytes);
    fs.writeFileSync(path.join(SHOTS_DIR, 'export-loss-surface.svg'), loss);
  });

  it('lists the run with its metrics; search and status filter it', async () => {
    const { page } = app.s;
    await page.getByTestId('nav-runs').click();
    const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'done');
    const text = await row.innerText();
    for (const m of ['mnist', 'cnn', 'FedMemEraser', 'Fine-tune']) assert.ok(text.includes(m), `row shows ${m}`);
    assert.match(text, /Original\s+\d+\.\d%/);
    await screenshotBothThemes(page, 'runs');

    await page.getByTestId('runs-search').fill('no-such-run');
    await page.getByTestId('runs-empty').waitFor();
    await page.getByTestId('runs-search').fill('e2e');
    await row.waitFor();
    await page.getByTestId('runs-status-filter').selectOption('failed');
    await page.getByTestId('runs-empty').waitFor();
    await page.getByTestId('runs-status-filter').selectOption('done');
    await row.waitFor();
    await page.getByTestId('runs-status-filter').selectOption('');
    await page.getByTestId('runs-search').fill('');
  });

  it('duplicates the run into the wizard with its config', async () => {
    const { page } = app.s;
    await page.locator(`[data-testid="run-row"][data-run-id="${runId}"] [data-testid="run-duplicate"]`).click();
    await page.locator('[data-testid="wizard"][data-step="dataset"]').waitFor();
    await page.locator('[data-testid="field-name"]').or(page.getByTestId('step-review')).first().waitFor();
    await page.getByTestId('step-review').click();
    await page.waitForFunction(() =>
      document.querySelector<HTMLInputElement>('[data-testid="field-name"]')?.value.endsWith('(copy)'),
    );
    assert.equal(await page.getByTestId('field-name').inputValue(), 'e2e tiny (copy)');
    const json = JSON.parse((await page.getByTestId('config-json').textContent()) ?? '{}');
    assert.deepEqual(parseConfig({ ...json, name: detail.name }), parseConfig(detail.config));
  });

  it('deletes the run after confirmation, files included', async () => {
    const { page } = app.s;
    const weightsDir = path.join(app.server.dataDir, 'weights');
    const filesBefore = detail.files.filter((f) => f.path).length;
    assert.ok(filesBefore > 0, 'the run wrote weight files');
    await page.getByTestId('nav-runs').click();
    const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
    await row.locator('[data-testid="run-delete"]').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    await screenshot(page, 'runs-delete-confirm-light');
    await dialog.getByTestId('confirm-cancel').click();
    assert.equal(await row.count(), 1, 'cancel keeps the run');
    await row.locator('[data-testid="run-delete"]').click();
    await dialog.getByTestId('confirm-ok').click();
    await row.waitFor({ state: 'detached' });
    await page.getByTestId('runs-empty').waitFor();
    assert.deepEqual(await apiCall<RunListItem[]>(app.server, 'runs:list', {}), []);
    const left = fs.existsSync(weightsDir)
      ? fs.readdirSync(weightsDir, { recursive: true }).filter((f) => String(f).length > 0)
      : [];
    assert.deepEqual(left, [], 'no weight files remain');
    assert.deepEqual(app.s.errors, []);
  });
});
