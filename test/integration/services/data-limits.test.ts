/**
 * A config the data cannot honour is refused through the dispatcher (the channels the app and browser
 * mode serve) before anything is stored: config:validate says so, runs:start, studies:validate and
 * studies:create refuse it, and the runs and studies tables stay empty. Real store, real dataset files.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ExperimentConfigInput } from '../../../src/shared/config';
import { getPreset } from '../../../src/shared/presets';
import { createAppServices, type AppServices } from '../../../src/main/services/handlers';
import { FakeIpc, PushRecorder, tempDir } from '../../unit/services/helpers';
import { writeIdxFolder } from '../../e2e/support/idx';

const tiny = getPreset('tiny');
const withRequest = (request: object, dataset: object = tiny.dataset): ExperimentConfigInput =>
  ({ ...tiny, dataset, unlearning: { ...tiny.unlearning!, request } }) as ExperimentConfigInput;

let dataDir: string;
let services: AppServices;
let pushes: PushRecorder;
let ipc: FakeIpc;

before(() => {
  dataDir = tempDir('fedmem-data-limits-');
  pushes = new PushRecorder();
  services = createAppServices({ dataDir, mode: 'browser', push: pushes.push, runStudies: false });
  ipc = new FakeIpc();
  services.register(ipc);
});

after(async () => {
  await services.shutdown(10_000);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Issue = { path: string; message: string };
const issueText = (issues: Issue[]) => issues.map((i) => `${i.path}: ${i.message}`);

function assertNothingStored(): void {
  assert.deepEqual(
    services.store.runs.list({}).map((r) => r.id),
    [],
  );
  assert.deepEqual(
    services.store.studies.list().map((s) => s.id),
    [],
  );
  assert.equal(pushes.pushed.filter((p) => p.channel === 'run:event').length, 0);
}

describe('MNIST (the bundled constants)', () => {
  test('config:validate refuses class 99 naming the classes; class 9 passes with an estimate', async () => {
    const bad = await ipc.invoke('config:validate', { config: withRequest({ kind: 'class', class: 99 }) });
    assert.ok(bad.ok);
    assert.equal(bad.data.ok, false);
    assert.deepEqual(issueText(bad.data.issues), [
      'unlearning.request.class: MNIST has classes 0-9; 99 is not one of them',
    ]);
    assert.equal(bad.data.estimate, null);
    const good = await ipc.invoke('config:validate', { config: withRequest({ kind: 'class', class: 9 }) });
    assert.ok(good.ok && good.data.ok, JSON.stringify(good));
    assert.ok(good.data.estimate);
  });

  test('runs:start refuses class 99 and randomExamples 1e9 of 600 before a run is stored', async () => {
    const cls = await ipc.invoke('runs:start', { config: withRequest({ kind: 'class', class: 99 }) });
    assert.equal(cls.ok, false);
    assert.equal(cls.error.code, 'INVALID_CONFIG');
    const refusal = 'unlearning.request.class: MNIST has classes 0-9; 99 is not one of them';
    assert.equal(cls.error.message, `invalid config: ${refusal}`);
    assert.deepEqual(issueText(cls.error.issues), [refusal]);
    const random = await ipc.invoke('runs:start', {
      config: withRequest({ kind: 'examples', randomExamples: 1e9 }, { id: 'mnist', trainSize: 600, testSize: 200 }),
    });
    assert.equal(random.ok, false);
    assert.deepEqual(issueText(random.error.issues), [
      'unlearning.request.randomExamples: must be at most 599: dataset.trainSize keeps 600 training examples ' +
        'and at least one must remain to train on',
    ]);
    assertNothingStored();
  });

  test('studies:validate and studies:create refuse the cell whose class the data lacks; nothing is stored', async () => {
    const axis = (values: number[]) => [{ path: 'unlearning.request.class', values }];
    const study = { name: 'classes', base: withRequest({ kind: 'class', class: 0 }), axes: axis([5, 99]) };
    const checked = await ipc.invoke('studies:validate', { study });
    assert.ok(checked.ok);
    assert.equal(checked.data.ok, false);
    assert.equal(checked.data.issues.length, 1);
    assert.match(checked.data.issues[0].path, /^\[.*99.*\] unlearning\.request\.class$/);
    assert.equal(checked.data.issues[0].message, 'MNIST has classes 0-9; 99 is not one of them');
    const created = await ipc.invoke('studies:create', { study, start: false });
    assert.equal(created.ok, false);
    assert.equal(created.error.code, 'INVALID_STUDY');
    assert.match(created.error.message, /unlearning\.request\.class: MNIST has classes 0-9; 99 is not one of them/);
    assertNothingStored();
    const fine = await ipc.invoke('studies:validate', { study: { ...study, axes: axis([5, 9]) } });
    assert.ok(fine.ok && fine.data.ok, JSON.stringify(fine));
  });
});

describe('an IDX folder (labels and headers read from the files)', () => {
  test('a folder the test writes: 200 training examples of 10 classes', async () => {
    const dir = path.join(dataDir, 'idx');
    writeIdxFolder(dir, 200, 50);
    const dataset = { id: 'idx', path: dir };
    const r = await ipc.invoke('runs:start', {
      config: withRequest({ kind: 'examples', examples: [199, 200] }, dataset),
    });
    assert.equal(r.ok, false);
    assert.deepEqual(issueText(r.error.issues), [
      'unlearning.request.examples.1: example 200 does not exist: the training set has 200 examples, ids 0-199',
    ]);
    const cls = await ipc.invoke('config:validate', { config: withRequest({ kind: 'class', class: 10 }, dataset) });
    assert.deepEqual(issueText(cls.data.issues), [
      `unlearning.request.class: the IDX folder ${JSON.stringify(dir)} has classes 0-9; 10 is not one of them`,
    ]);
    assertNothingStored();
  });

  const fashion = '/usr/share/datasets/fashion-mnist';
  const notInstalled = !fs.existsSync(fashion) && 'dataset-fashion-mnist is not installed';
  test(
    'Debian Fashion-MNIST (gzipped): class 10 and 60001 training examples are refused',
    { skip: notInstalled },
    async () => {
      const tooMany = withRequest({ kind: 'class', class: 10 }, { id: 'idx', path: fashion, trainSize: 60_001 });
      const r = await ipc.invoke('config:validate', { config: tooMany });
      assert.deepEqual(issueText(r.data.issues), [
        `dataset.trainSize: asks for 60001 examples but the training split of the IDX folder "${fashion}" has 60000`,
        `unlearning.request.class: the IDX folder "${fashion}" has classes 0-9; 10 is not one of them`,
      ]);
      const fits = withRequest({ kind: 'class', class: 9 }, { id: 'idx', path: fashion, trainSize: 600 });
      const ok = await ipc.invoke('config:validate', { config: fits });
      assert.ok(ok.ok && ok.data.ok, JSON.stringify(ok));
    },
  );
});
