/**
 * Validate-as-you-type: an invalid field shows the schema's own message under it and blocks Next and
 * Start until fixed; the partition preview follows the fields; a saved config loads back.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/shared/config';
import { getPreset } from '../../src/shared/presets';
import { useAppSession, screenshotBothThemes } from './support/browser';
import { writeIdxFolder } from './support/idx';
import { openWizardWithPreset, startFromReview } from './support/wizard';

describe('the wizard validates as you type', () => {
  const app = useAppSession();

  it('an invalid learning rate blocks Next and Start with the schema message', async () => {
    const { page } = app.s;
    await openWizardWithPreset(page, 'tiny');
    await page.getByTestId('step-model').click();
    const lr = page.getByTestId('field-training.lr');
    await lr.fill('-1');
    const error = page.getByTestId('error-training.lr');
    await error.waitFor();
    assert.equal(await error.innerText(), 'must be greater than 0');
    assert.equal(await lr.getAttribute('aria-invalid'), 'true');
    assert.ok(await page.getByTestId('wizard-next').isDisabled());
    assert.equal(await page.getByTestId('wizard').getAttribute('data-valid'), 'false');
    await screenshotBothThemes(page, 'wizard-invalid');

    await lr.fill('fast');
    assert.equal(await error.innerText(), 'must be a number (got "fast")');

    await page.getByTestId('step-review').click();
    assert.ok(await page.getByTestId('wizard-start').isDisabled());
    assert.match(await page.getByTestId('review-issues').innerText(), /training\.lr: must be a number/);

    await page.getByTestId('step-model').click();
    await lr.fill('0.001');
    await error.waitFor({ state: 'detached' });
    assert.ok(await page.getByTestId('wizard-next').isEnabled());
    assert.equal(await page.getByTestId('wizard').getAttribute('data-valid'), 'true');
  });

  it('a batch size of 1e9 is refused in plain words next to the field', async () => {
    const { page } = app.s;
    await page.getByTestId('step-model').click();
    const batch = page.getByTestId('field-training.batchSize');
    const errorText = (text: string) =>
      page.waitForFunction(([id, t]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() === t, [
        'error-training.batchSize',
        text,
      ] as const);
    await batch.fill('1e9');
    await errorText('must be at most 65,536');
    assert.equal(await batch.getAttribute('aria-invalid'), 'true');
    assert.ok(await page.getByTestId('wizard-next').isDisabled());
    await batch.fill('2.5');
    await errorText('must be a whole number (got 2.5)');
    await page.getByTestId('field-training.rounds').fill('20000');
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="error-training.rounds"]')?.textContent?.trim() ===
        'must be at most 10,000',
    );
    await page.getByTestId('step-review').click();
    const review = await page.getByTestId('review-issues').innerText();
    assert.match(review, /training\.batchSize: must be a whole number \(got 2\.5\)/);
    assert.doesNotMatch(review, /Invalid|expected|a int\b/);
    await page.getByTestId('step-model').click();
    await page.getByTestId('field-training.rounds').fill('3');
    await batch.fill('32');
    await page.getByTestId('error-training.batchSize').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('wizard').getAttribute('data-valid'), 'true');
  });

  it('a folder dataset needs its path; a client that does not exist is named', async () => {
    const { page } = app.s;
    await page.getByTestId('step-dataset').click();
    await page.getByTestId('dataset-idx').check();
    assert.equal(await page.getByTestId('error-dataset.path').innerText(), 'is required for dataset "idx"');
    assert.ok(await page.getByTestId('wizard-next').isDisabled());
    await page.getByTestId('dataset-mnist').check();
    await page.getByTestId('error-dataset.path').waitFor({ state: 'detached' });

    await page.getByTestId('step-request').click();
    await page.getByTestId('field-unlearning.request.clients').fill('0, 7');
    assert.equal(
      await page.getByTestId('error-unlearning.request.clients').innerText(),
      'item 2: client 7 does not exist (partition has 4 clients)',
    );
    await page.getByTestId('request-client-0').uncheck();
    await page.getByTestId('request-client-1').check();
    assert.equal(await page.getByTestId('field-unlearning.request.clients').inputValue(), '1, 7');
    await page.getByTestId('field-unlearning.request.clients').fill('1');
    await page.getByTestId('error-unlearning.request.clients').waitFor({ state: 'detached' });
  });

  it('the partition preview follows the partition fields', async () => {
    const { page } = app.s;
    await page.getByTestId('step-partition').click();
    const chart = page.locator('[data-testid="chart-partition-preview"][data-state="ready"]');
    await chart.waitFor();
    await page.getByTestId('field-partition.clients').fill('6');
    await page.getByTestId('field-partition.scheme').selectOption('dirichlet');
    await page.locator('[data-testid="partition-preview-state"][data-state="ready"]').waitFor();
    await page.waitForFunction(() =>
      /client sizes/.test(document.querySelector('[data-testid="partition-preview-state"]')?.textContent ?? ''),
    );
    await chart.waitFor();
    await page.getByTestId('field-partition.clients').fill('0');
    assert.equal(await page.getByTestId('error-partition.clients').innerText(), 'must be at least 1');
    await page.locator('[data-testid="partition-preview-state"][data-state="error"]').waitFor();
    await page.getByTestId('field-partition.clients').fill('4');
  });

  it('imports an IDX folder by path; an unreadable one is flagged and its run fails with the reason', async () => {
    const { page } = app.s;
    const folder = path.join(app.server.dataDir, 'idx-data');
    writeIdxFolder(folder, 200, 50);
    await openWizardWithPreset(page, 'tiny');
    await page.getByTestId('dataset-idx').check();
    await page.getByTestId('field-dataset.trainSize').fill('');
    await page.getByTestId('field-dataset.testSize').fill('');
    await page.getByTestId('field-dataset.path').fill(folder);
    const check = page.getByTestId('dataset-path-check');
    await page.locator('[data-testid="dataset-path-check"][data-state="ok"]').waitFor();
    assert.match(await check.innerText(), /Read: 200 training examples, 10 classes/);

    await page.getByTestId('field-dataset.path').fill(path.join(folder, 'missing'));
    await page.locator('[data-testid="dataset-path-check"][data-state="error"]').waitFor();
    assert.match(await check.innerText(), /does not exist/);
    await screenshotBothThemes(page, 'wizard-dataset-path');

    // The schema cannot know the folder is missing, so the run starts, and fails saying why.
    await page.getByTestId('step-review').click();
    await page.getByTestId('field-name').fill('e2e missing folder');
    await startFromReview(page);
    await page.locator('[data-testid="run-status"][data-state="failed"]').waitFor({ timeout: 60_000 });
    assert.match(await page.getByTestId('run-ended-note').innerText(), /failed: .*does not exist/);
  });

  it('loads a config file and saves the same config', async () => {
    await app.s.page.getByTestId('nav-new').click();
    const { page } = app.s;
    const cfg = { ...getPreset('tiny'), name: 'from-file', training: { ...getPreset('tiny').training, rounds: 7 } };
    const file = path.join(os.tmpdir(), `fedmem-e2e-config-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify(cfg));
    try {
      await page.getByTestId('config-file').setInputFiles(file);
      await page.locator('[data-testid="wizard"][data-step="dataset"][data-preset=""]').waitFor();
      await page.getByTestId('step-model').click();
      assert.equal(await page.getByTestId('field-training.rounds').inputValue(), '7');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('config-save').click()]);
      assert.equal(download.suggestedFilename(), 'from-file.json');
      const saved = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
      assert.deepEqual(parseConfig(saved), parseConfig(cfg));
    } finally {
      fs.rmSync(file, { force: true });
    }
    assert.deepEqual(app.s.errors, []);
  });

  it("every method is offered with its parameters; a bad one is named under its field; history's disk cost shows", async () => {
    await app.s.page.getByTestId('nav-new').click();
    const { page } = app.s;
    await openWizardWithPreset(page, 'tiny');
    await page.getByTestId('step-methods').click();
    const cards = page.getByTestId('method-card');
    const before = await cards.count();
    for (const id of ['halimi', 'liu', 'fedrecovery', 'fedau', 'fedosd', 'not', 'federaser'])
      await page.getByTestId(`method-add-${id}`).click();
    assert.equal(await cards.count(), before + 7);
    const fedosd = `unlearning.methods.${before + 4}`;
    assert.equal(
      await page.getByTestId(`field-${fedosd}.unlearningRounds`).inputValue(),
      '100',
      'the public code default',
    );
    await page.getByTestId(`field-${fedosd}.unlearningRounds`).fill('-1');
    assert.equal(await page.getByTestId(`error-${fedosd}.unlearningRounds`).innerText(), 'must be at least 0');
    assert.ok(await page.getByTestId('wizard-next').isDisabled());
    await page.getByTestId(`field-${fedosd}.unlearningRounds`).fill('2');
    await page.getByTestId(`error-${fedosd}.unlearningRounds`).waitFor({ state: 'detached' });
    assert.equal(
      await page.getByTestId(`field-unlearning.methods.${before + 1}.rule`).inputValue(),
      'inverse',
      "Liu's rule as the paper writes it",
    );
    await page.getByTestId('step-review').click();
    assert.match(
      await page.getByTestId('history-estimate').innerText(),
      /per-round history .* will take [\d.]+ [kMG]?B/,
    );
    assert.deepEqual(app.s.errors, []);
  });
});
