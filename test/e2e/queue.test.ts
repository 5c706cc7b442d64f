/**
 * Studies on a Redis queue in the UI (issue 16): Settings > Study queue takes a URL with a password
 * and shows it redacted; a study started in the app is run by a `fedmem worker` the app did not
 * start, and the study view's Workers panel names that worker, its backend and its pace.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StudyDetail } from '../../src/shared/study-types';
import { startRedis, startWorker, stop, type TestRedis, type TestWorker } from '../integration/support/redis-server';
import { screenshot, useAppSession } from './support/browser';
import { apiCall } from './support/server';
import { TINY_STUDY_BASE } from './support/tiny-study';

const base = TINY_STUDY_BASE;

describe('a study on a Redis queue', () => {
  let redis: TestRedis;
  let worker: TestWorker;
  before(async () => {
    redis = await startRedis();
    worker = await startWorker(redis.url);
  });
  after(async () => {
    if (worker) await stop(worker.child);
    await redis?.stop();
  });
  const app = useAppSession();

  it('Settings takes the queue URL and never shows its password; the study view names the worker of each run', async () => {
    const { page } = app.s;
    await page.getByTestId('nav-settings').click();
    await page.locator('[data-testid="settings-view"][data-state="ready"]').waitFor();
    await page.locator('[data-testid="queue-panel"][data-queue="local"]').waitFor();
    await page.getByTestId('queue-url-input').fill(redis.url);
    await page.getByTestId('queue-use').click();
    await page.locator('[data-testid="queue-panel"][data-queue="redis"][data-state="connected"]').waitFor();
    assert.equal(await page.getByTestId('queue-url').textContent(), `redis://:***@127.0.0.1:${redis.port}`);
    assert.equal(await page.getByTestId('queue-url-input').inputValue(), '');
    await screenshot(page, 'settings-queue');

    const { id } = await apiCall<{ id: string }>(app.server, 'studies:create', {
      study: { name: 'e2e queue', base, axes: [{ path: 'unlearning.methods[fedmemeraser].rho', values: [0, 0.6] }] },
    });
    await page.evaluate((hash) => (location.hash = hash), `#/studies/${encodeURIComponent(id)}`);
    await page.locator('[data-testid="study-status"][data-state="done"]').waitFor({ timeout: 180_000 });
    await page.locator('[data-testid="study-workers"][data-count="2"]').waitFor();
    const rows = page.getByTestId('study-worker-row');
    assert.deepEqual(
      (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-worker')))).map((w) => w!.split(':').pop()),
      [String(worker.pid), String(worker.pid)],
    );
    const detail = await apiCall<StudyDetail>(app.server, 'studies:get', { id });
    assert.ok(detail.items.every((it) => it.remote?.backend && (it.remote.roundsPerMinute ?? 0) > 0));
    assert.match((await rows.first().textContent())!, new RegExp(`${detail.items[0].remote!.backend}.*rounds/min`));
    assert.ok(!(await page.content()).includes(redis.password));
    await screenshot(page, 'study-workers');
  });
});
