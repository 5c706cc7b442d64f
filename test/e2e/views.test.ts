/** Settings, the remembered theme, and keyboard reachability of the main controls. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ComputeReport } from '../../src/shared/compute-doctor';
import type { Settings } from '../../src/shared/contract';
import { useAppSession, screenshotBothThemes } from './support/browser';
import { apiCall } from './support/server';

describe('settings, theme and keyboard', () => {
  const app = useAppSession();

  it('shows the detected backends, the one in use, workers, data dir and datasets', async () => {
    const { page } = app.s;
    const settings = await apiCall<Settings>(app.server, 'settings:get');
    await page.getByTestId('nav-settings').click();
    await page.locator('[data-testid="settings-view"][data-state="ready"]').waitFor();
    assert.equal(
      await page.getByTestId('settings-active-backend').innerText(),
      settings.activeBackend ?? 'none available',
    );
    assert.equal(await page.getByTestId('settings-workers').innerText(), String(settings.defaultWorkers));
    assert.equal(await page.getByTestId('settings-data-dir').innerText(), app.server.dataDir);
    assert.match(await page.getByTestId('settings-datasets').innerText(), /MNIST/);
    await page.locator('[data-testid="compute-doctor"][data-state="ready"]').waitFor({ timeout: 60_000 });
    await screenshotBothThemes(page, 'settings');
  });

  it("the Compute panel shows the doctor's report: wasm in use and timed, a native backend absent with its reason", async () => {
    const { page } = app.s;
    // The same channel without the benchmark: what the panel must show, row by row.
    const expected = await apiCall<ComputeReport>(app.server, 'compute:doctor', { benchmarkSeconds: 0 });
    // Rows of the backends table only (the panel's WebGPU adapters table has rows too).
    const rows = page.locator('[data-testid="compute-doctor"] tbody tr[data-backend]');
    assert.deepEqual(
      await rows.evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-backend'),
          tr.getAttribute('data-loads'),
          tr.getAttribute('data-in-use'),
        ]),
      ),
      expected.backends.map((b) => [b.name, String(b.loads), String(b.inUse)]),
    );
    const wasm = page.locator('[data-backend="wasm"]');
    if (expected.inUse === 'wasm') {
      assert.equal(await wasm.getAttribute('data-in-use'), 'true');
      assert.match(await wasm.innerText(), /\(in use\)/);
    }
    assert.match(await wasm.innerText(), /[\d.]+ GFLOP\/s \(512×512 matrix product/);
    const gpu = expected.backends.find((b) => b.name === 'tensorflow-gpu')!;
    if (!gpu.loads) {
      const row = page.locator('[data-backend="tensorflow-gpu"]');
      assert.equal(await row.getAttribute('data-loads'), 'false');
      assert.deepEqual(
        await row.locator('details').evaluateAll((ds) => ds.map((d) => d.getAttribute('data-problem'))),
        gpu.problems.map((p) => p.code),
      );
      assert.equal(await row.locator('details summary').first().innerText(), gpu.problems[0].message);
      // Its fix steps open on a click.
      await row.locator('details summary').first().click();
      assert.equal(
        await row.locator('details ol li').first().innerText(),
        (expected.gpu.platform === 'win32' ? gpu.problems[0].fix.windows : gpu.problems[0].fix.linux)[0],
      );
    }
    assert.match(await page.getByTestId('compute-doctor-gpu').innerText(), /^GPU: /);
  });

  it('remembers the theme across reloads', async () => {
    const { page } = app.s;
    const html = page.locator('html');
    assert.equal(await html.getAttribute('data-theme'), 'light');
    await page.getByTestId('theme-toggle').click();
    assert.equal(await html.getAttribute('data-theme'), 'dark');
    await page.reload();
    await page.locator('[data-testid="settings-view"][data-state="ready"]').waitFor();
    assert.equal(await html.getAttribute('data-theme'), 'dark');
    assert.equal(await page.getByTestId('theme-toggle').getAttribute('aria-pressed'), 'true');
    await page.getByTestId('theme-toggle').click();
    assert.equal(await html.getAttribute('data-theme'), 'light');
  });

  it('reaches the navigation and the wizard with the keyboard, with a visible focus ring', async () => {
    const { page } = app.s;
    await page.getByTestId('nav-runs').click();
    // A fresh load, so Tab starts from the top of the document.
    await page.reload();
    await page.locator('[data-testid="runs-table"][data-state="ready"]').waitFor();
    const focused = async () =>
      page.evaluate(
        () => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.textContent?.trim() ?? '',
      );
    const seen: string[] = [];
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      seen.push(await focused());
    }
    assert.equal(seen[0], 'Skip to content');
    for (const id of ['nav-runs', 'nav-studies', 'nav-new', 'nav-settings', 'theme-toggle'])
      assert.ok(seen.includes(id), `${id} is reachable (${seen.join(', ')})`);
    // The focus ring is drawn (outline from :focus-visible).
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, 'none');

    await page.getByTestId('nav-new').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('wizard').waitFor();
    await page.getByTestId('wizard-next').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="wizard"][data-step="partition"]').waitFor();
    await page.getByTestId('field-partition.clients').focus();
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(), 'step-review', 'the step list precedes the fields');
    await page.keyboard.press('Space');
    await page.locator('[data-testid="wizard"][data-step="review"]').waitFor();
    assert.deepEqual(app.s.errors, []);
  });
});
