/**
 * Cancel across processes (issue 24) in the UI: a `fedmem run` in a terminal records a run in the app's data
 * folder. The runs list and the run's page offer no Delete while it runs; the run's page follows it from the
 * store (no events reach the app); Cancel asks the CLI, which stops the run at its next heartbeat; the page
 * shows it cancelled with the rounds it recorded, and the CLI exits as on Ctrl+C.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { RunDetail } from '../../src/shared/contract';
import type { CancelOutcome } from '../../src/shared/run-cancel';
import { useAppSession } from './support/browser';
import { apiCall, ROOT } from './support/server';
import { openDatabase } from '../../src/main/store';
import { cancelOverdueText } from '../../src/shared/run-cancel';

// 200 short rounds: far more than the few seconds the request takes, so it ends cancelled, not done.
const config = {
  name: 'terminal run',
  seed: 5,
  dataset: { id: 'mnist', trainSize: 400, testSize: 200 },
  partition: { clients: 2 },
  training: { rounds: 200, batchSize: 32, lr: 1e-3 },
  compute: { workers: 1 },
};

describe('a run the CLI records, cancelled from the app', () => {
  const app = useAppSession();

  it(
    'shows it live without Delete, cancels it through the CLI, and shows it cancelled',
    { timeout: 240_000 },
    async () => {
      const { page, errors } = app.s;
      const { dataDir } = app.server;
      const configFile = path.join(dataDir, 'terminal-run.json');
      fs.writeFileSync(configFile, JSON.stringify(config));
      const args = [path.join(ROOT, 'bin/fedmem.js'), 'run', '--config', configFile, '--data-dir', dataDir, '--json'];
      const cli = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const exit = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
      let stderr = '';
      let stdout = '';
      cli.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      try {
        const runId = await new Promise<string>((resolve, reject) => {
          cli.stdout.setEncoding('utf8').on('data', (d: string) => {
            stdout += d;
            const m = /"type":"round".*"runId":"([0-9a-f-]{36})"/.exec(stdout);
            if (m) resolve(m[1]);
          });
          void exit.then((code) => reject(new Error(`fedmem run ended (${code}) before its first round: ${stderr}`)));
        });

        // The runs list: the CLI's run is there, running, and cannot be deleted.
        await page.getByTestId('runs-refresh').click();
        const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
        await row.and(page.locator('[data-status="running"]')).waitFor();
        assert.equal(
          await row.getByTestId('run-delete').isDisabled(),
          true,
          'no Delete for a live run of another process',
        );

        // Its page: live, no Delete, and it moves on although no event reaches this app.
        await row.getByTestId('run-open').click();
        await page.locator(`[data-testid="run-view"][data-state="ready"][data-run-id="${runId}"]`).waitFor();
        await page.locator('[data-testid="run-status"][data-state="running"]').waitFor();
        assert.equal(await page.getByTestId('run-delete').isDisabled(), true);
        const shown = Number(await page.getByTestId('run-progress').getAttribute('data-done'));
        await page.waitForFunction(
          (n) => Number(document.querySelector('[data-testid="run-progress"]')?.getAttribute('data-done')) > n,
          shown,
          { timeout: 60_000 },
        );

        // Cancel: main asks the CLI (the answer the button acts on), and the page shows the run cancelled.
        const answer = page.waitForResponse((r) => decodeURIComponent(r.url()).endsWith('/api/runs:cancel'));
        await page.getByTestId('cancel-run').click();
        const body = (await (await answer).json()) as { ok: boolean; data: CancelOutcome };
        assert.equal(body.ok && body.data.outcome, 'requested', JSON.stringify(body));
        assert.equal(body.ok && body.data.outcome === 'requested' && body.data.pid, cli.pid);
        await page.locator('[data-testid="run-status"][data-state="cancelled"]').waitFor({ timeout: 60_000 });
        assert.equal(await exit, 130, stderr);
        assert.match(
          stderr,
          new RegExp(`run ${runId} cancelled: the run was cancelled; continue it with: fedmem resume ${runId}`),
        );
        assert.match(
          stdout,
          /"type":"log","level":"warn","message":"cancel requested by process \d+ on this machine; cancelling the run"/,
        );

        await page.getByTestId('results-view').waitFor();
        assert.match(await page.getByTestId('run-ended-note').innerText(), /cancelled/);
        assert.equal(await page.getByTestId('run-delete').isDisabled(), false, 'an ended run can be deleted');
        const detail = await apiCall<RunDetail>(app.server, 'runs:get', { id: runId });
        assert.equal(detail.status, 'cancelled');
        assert.ok(
          detail.rounds.length >= 1 && detail.rounds.length < 200,
          `its rounds are kept (${detail.rounds.length})`,
        );

        await page.getByTestId('nav-runs').click();
        await row.and(page.locator('[data-status="cancelled"]')).waitFor();
        assert.equal(await row.getByTestId('run-delete').isDisabled(), false);
        assert.deepEqual(errors, []);
      } finally {
        cli.kill('SIGKILL');
        await exit;
      }
    },
  );

  it(
    'a recorder that never acts on the request: the page says so after the fair wait and offers Cancel again',
    {
      timeout: 120_000,
    },
    async () => {
      const { page, errors } = app.s;
      // This test process records a run (its store renews the heartbeat) but listens for no cancel request,
      // as an older workbench or a hung recorder would.
      const deaf = openDatabase(app.server.dataDir);
      try {
        const run = deaf.runs.create({ name: 'deaf recorder', config, status: 'running' });
        await page.evaluate((id) => (location.hash = `#/runs/${id}`), run.id);
        await page.locator(`[data-testid="run-view"][data-state="ready"][data-run-id="${run.id}"]`).waitFor();
        const answer = page.waitForResponse((r) => decodeURIComponent(r.url()).endsWith('/api/runs:cancel'));
        await page.getByTestId('cancel-run').click();
        const body = (await (await answer).json()) as { ok: boolean; data: CancelOutcome };
        assert.ok(body.ok && body.data.outcome === 'requested', JSON.stringify(body));
        const waited = body.data.outcome === 'requested' ? body.data.answerWithinMs : 0;
        await page.locator('[data-testid="cancel-run"][data-state="requested"]').waitFor();
        assert.equal(await page.getByTestId('cancel-run').isDisabled(), true);
        assert.equal(await page.getByTestId('cancel-run').innerText(), 'Cancel requested');
        await page.locator('[data-testid="cancel-note"][data-state="overdue"]').waitFor({ timeout: waited + 30_000 });
        assert.equal(await page.getByTestId('cancel-note').innerText(), cancelOverdueText(run.id, process.pid, waited));
        assert.equal(
          await page.getByTestId('cancel-run').isDisabled(),
          false,
          'the button is offered again, not stuck',
        );
        assert.equal(await page.getByTestId('cancel-run').innerText(), 'Cancel run');
        assert.equal(deaf.runs.require(run.id).status, 'running', 'nothing was taken from the recorder');
        assert.deepEqual(errors, []);
      } finally {
        deaf.close();
      }
    },
  );
});
