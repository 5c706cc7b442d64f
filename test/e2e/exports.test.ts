/**
 * Figures as PDF for LaTeX: a small unlearning run (started over the API, not the wizard), then the
 * PDF button of its charts. The download must be a real vector PDF: a page, path operators and text
 * in its content stream, no embedded bitmap, and symbols outside the standard fonts spelled out.
 * Then the toolbar's JSON export of Table 1, and the run page's own account of the run: its
 * label-noise and Dirichlet settings, the versions and backend it ran with, and Re-run. The run has two
 * repeats, so the results charts average them: the loss path and loss curves draw ± std bands (each
 * repeat on a switch), the CSL scatter offers a repeat, the partition marks the forgotten client.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunDetail } from '../../src/shared/contract';
import type { TableJson } from '../../src/shared/data-table';
import type { UnlearningReport } from '../../src/shared/results';
import { SHOTS_DIR, screenshot, useAppSession, waitChartsReady } from './support/browser';
import { apiCall } from './support/server';

const config = {
  name: 'e2e pdf',
  seed: 3,
  dataset: { id: 'mnist', trainSize: 300, testSize: 100, labelNoise: { clients: [0], rate: 0.2 } },
  partition: { clients: 3, scheme: 'dirichlet', alpha: 1 },
  training: { rounds: 1, batchSize: 32, lr: 1e-3 },
  unlearning: {
    request: { kind: 'clients', clients: [0] },
    methods: [{ id: 'retrain' }, { id: 'fedmemeraser', rho: 0.3, rounds: 1 }],
  },
  // Two repeats, a 3-point loss path and CSL: the smallest run whose charts average repeats.
  evaluation: { retrainModels: 1, lossSurface: { steps: 2, overshoot: 0, maxRemaining: 60 } },
  repeats: 2,
};

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(await download.path()) };
}

/** The page content of a PDF: every stream, inflated where it is Flate-compressed. */
function contentStreams(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/<<((?:(?!>>\s*stream)[\s\S])*)>>\s*stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    out.push(/FlateDecode/.test(m[1]) ? zlib.inflateSync(raw).toString('latin1') : raw.toString('latin1'));
  }
  return out.join('\n');
}

describe('figures as vector PDF, tables as JSON', () => {
  const app = useAppSession();
  let runId = '';

  it('saves a chart as a one-page vector PDF with its text', async () => {
    const { page } = app.s;
    ({ runId } = await apiCall<{ runId: string }>(app.server, 'runs:start', { config }));
    await page.evaluate((id) => (location.hash = `#/runs/${id}`), runId);
    await page.locator('[data-testid="run-status"][data-state="done"]').waitFor({ timeout: 120_000 });
    const detail = await apiCall<RunDetail>(app.server, 'runs:get', { id: runId });
    assert.equal(detail.status, 'done', detail.error ?? '');
    await page.getByTestId('chart-importance-0').waitFor();
    await waitChartsReady(page);

    const pdf = await downloaded(page, () => page.getByTestId('chart-importance-0-pdf').click());
    assert.match(pdf.name, /^importance-.*\.pdf$/);
    assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const raw = pdf.bytes.toString('latin1');
    assert.equal(raw.match(/\/Type\s*\/Page\b/g)?.length, 1, 'one page');
    assert.ok(!/\/Subtype\s*\/Image/.test(raw), 'no embedded bitmap');
    // The page is the chart's size (px to pt), not A4.
    const box = raw.match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/);
    assert.ok(box, 'a media box');
    const chartBox = (await page.getByTestId('chart-importance-0').locator('.chart').boundingBox())!;
    assert.ok(
      Math.abs(Number(box[1]) - chartBox.width * 0.75) < 2,
      `page width ${box[1]} pt for a ${chartBox.width} px chart`,
    );

    const content = contentStreams(pdf.bytes);
    assert.ok((content.match(/[\d.-]+ [\d.-]+ m\b/g)?.length ?? 0) > 10, 'paths are moved to');
    assert.ok((content.match(/[\d.-]+ [\d.-]+ l\b/g)?.length ?? 0) > 10, 'and drawn as lines');
    assert.match(content, /\b(S|f|B)\b/, 'paths are stroked or filled');
    assert.match(content, /BT[\s\S]*?Tj[\s\S]*?ET/, 'text is text');
    // The chosen-ρ marker's label, with ρ spelled out for the standard font.
    assert.match(content, /\(rho = 0\.3\) Tj/);
    assert.match(content, /\(Percentile of parameters\) Tj/, 'the axis name is text');

    fs.mkdirSync(SHOTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(SHOTS_DIR, 'export-importance.pdf'), pdf.bytes);

    // The exported figure draws the reset part as a translucent area in FedMemEraser's colour (issue 12).
    const colors = JSON.parse(
      (await page.getByTestId('chart-importance-0').getAttribute('data-series-colors')) ?? '{}',
    ) as Record<string, string>;
    const color = colors.FedMemEraser;
    assert.ok(color, 'the importance curve is named by its method');
    const svg = (await downloaded(page, () => page.getByTestId('chart-importance-0-svg').click())).bytes.toString(
      'utf8',
    );
    fs.writeFileSync(path.join(SHOTS_DIR, 'export-importance.svg'), svg);
    const shaded = [...svg.matchAll(/<(?:path|polygon|rect)\b[^>]*>/g)]
      .map((m) => m[0])
      .filter((tag) => tag.includes(`fill="${color}"`) && /fill-opacity="0\.16"/.test(tag));
    assert.equal(shaded.length, 1, 'one shaded area: the reset scalars');
    // It spans from the left edge of the plot to the chosen-ρ line (ρ = 0.3 of the scalars were reset).
    const xs = (shaded[0].match(/points="([^"]+)"/)?.[1] ?? '')
      .split(/[\s,]+/)
      .filter((_, i) => i % 2 === 0)
      .map(Number);
    const rhoLine = svg.match(
      new RegExp(`<path d="M([\\d.]+) [\\d.]+L\\1 [\\d.]+"[^>]*stroke="${color}" stroke-width="2"`),
    );
    assert.ok(xs.length >= 4 && rhoLine, 'the area is a polygon and the chosen ρ a vertical line');
    assert.ok(
      Math.abs(Math.max(...xs) - Number(rhoLine[1])) < 1,
      `the area ends at ${Math.max(...xs)}, the ρ line is at ${rhoLine[1]}`,
    );
    assert.deepEqual(app.s.errors, []);
  });

  it('averages the two repeats in the charts, with a switch to each repeat (issue 12)', async () => {
    const { page } = app.s;
    const chart = (id: string) => page.getByTestId(id);
    const ready = (id: string) => page.locator(`[data-testid="${id}"][data-state="ready"]`).waitFor();
    await ready('chart-loss-surface');
    // Two targets (Retrained 1, FedMemEraser) x three splits, each a mean line with its band.
    assert.equal(await chart('chart-loss-surface').getAttribute('data-bands'), '6');
    assert.ok(Number(await chart('chart-loss').getAttribute('data-bands')) > 0, 'loss curves have bands');
    assert.ok(Number(await chart('chart-time').getAttribute('data-bands')) > 0, 'time curves have bands');
    const svg = (await downloaded(page, () => page.getByTestId('chart-loss-surface-svg').click())).bytes.toString(
      'utf8',
    );
    assert.match(svg, /mean ± sample std over 2 repeats/, 'the exported figure is the averaged one');
    assert.doesNotMatch(svg, /each repeat/, 'and holds no UI control');
    await page.getByTestId('chart-loss-surface-each-repeat').check();
    await ready('chart-loss-surface');
    assert.equal(await chart('chart-loss-surface').getAttribute('data-bands'), '0');
    const names = Object.keys(
      JSON.parse((await chart('chart-loss-surface').getAttribute('data-series-colors')) ?? '{}') as Record<
        string,
        string
      >,
    );
    assert.ok(names.includes('FedMemEraser · D_r (repeat 2)'), names.join());

    // The CSL scatter shows one repeat at a time; its agreement line summarises both.
    assert.deepEqual(await page.getByTestId('chart-csl-repeat').locator('option').allInnerTexts(), ['1', '2']);
    await page.getByTestId('chart-csl-repeat').selectOption('1');
    await ready('chart-csl');
    assert.match(await chart('chart-csl').locator('.caption').innerText(), /mean ± std over repeats/);
    assert.match(await chart('chart-partition').locator('.caption').innerText(), /forgotten client/);
    await screenshot(page, 'results-repeats');
    assert.deepEqual(app.s.errors, []);
  });

  it('exports the chosen table as JSON from the results toolbar', async () => {
    const { page } = app.s;
    await page.getByTestId('export-table-select').selectOption('table1');
    const file = await downloaded(page, () => page.getByTestId('export-json').click());
    assert.match(file.name, /^e2e_pdf-table1\.json$/);
    const t = JSON.parse(file.bytes.toString('utf8')) as TableJson;
    const detail = await apiCall<RunDetail>(app.server, 'runs:get', { id: runId });
    const report = detail.artifacts['report/report'] as UnlearningReport;
    assert.equal(t.name, 'table1');
    assert.deepEqual(t.columns.slice(0, 2), [
      { key: 'method', label: 'method', type: 'string' },
      { key: 'kind', label: 'kind', type: 'string' },
    ]);
    assert.deepEqual(
      t.rows.map((r) => r.method),
      report.rows.map((r) => r.label),
    );
    assert.deepEqual(
      t.rows.map((r) => r.test_acc_pct_mean),
      report.rows.map((r) => r.testAccuracy.mean! * 100),
    );
    assert.deepEqual(app.s.errors, []);
  });

  it("shows the run's own settings, versions and backend; Re-run starts the same config as a new run", async () => {
    const { page } = app.s;
    const detail = await apiCall<RunDetail>(app.server, 'runs:get', { id: runId });
    const item = (label: string) => page.getByTestId(`run-summary-${label}`).locator('dd').innerText();
    assert.equal(await item('clients'), '3 clients, Dirichlet α 1');
    assert.equal(await item('label-noise'), 'client 0, 20% of labels flipped');
    assert.equal(await item('dataset'), 'MNIST, 300 train / 100 test');
    assert.equal(await item('training'), '1 round × 1 local epoch');
    assert.equal(await item('request'), 'forget client 0');
    assert.equal(await item('methods'), 'Retrained; FedMemEraser ρ 0.3, selection redundant, 1 round');
    assert.equal(await item('retrained-models'), 'J = 1');

    // The versions and backend this run recorded, not today's from Settings.
    assert.ok(detail.backend, 'the run recorded its backend');
    assert.equal(await page.getByTestId('run-backend').innerText(), detail.backend);
    const versions = Object.entries(detail.versions);
    assert.ok(versions.length > 0, 'the run recorded versions');
    for (const [name, version] of versions)
      assert.equal(await page.getByTestId(`run-version-${name}`).innerText(), `${name} ${version}`);

    await page.getByTestId('run-config-details').locator('summary').click();
    const shown = JSON.parse(await page.getByTestId('run-config-json').innerText()) as unknown;
    assert.deepEqual(shown, detail.config);
    await screenshot(page, 'run-page-config');

    await page.getByTestId('run-rerun').click();
    await page.waitForFunction((old) => {
      const v = document.querySelector('[data-testid="run-view"]');
      return v && v.getAttribute('data-run-id') !== old && v.getAttribute('data-state') === 'ready';
    }, runId);
    const newId = (await page.getByTestId('run-view').getAttribute('data-run-id'))!;
    const again = await apiCall<RunDetail>(app.server, 'runs:get', { id: newId });
    assert.deepEqual(again.config, detail.config);
    assert.equal(await page.getByTestId('run-summary-clients').locator('dd').innerText(), '3 clients, Dirichlet α 1');
    // Only the start matters here: stop it rather than wait for it to finish.
    await apiCall(app.server, 'runs:cancel', { id: newId });
    await page
      .locator('[data-testid="run-status"]:is([data-state="cancelled"], [data-state="done"], [data-state="failed"])')
      .waitFor({ timeout: 60_000 });
    assert.deepEqual(app.s.errors, []);
  });
});
