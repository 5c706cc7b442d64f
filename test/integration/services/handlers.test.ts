/**
 * Main's handlers as the renderer reaches them: registered on a fake IPC registry, backed by the real
 * store in a temp data dir and the real engine (forked from the sources), with pushes recorded.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CHANNELS } from '../../../src/shared/api';
import { getPreset } from '../../../src/shared/presets';
import { METHOD_IDS } from '../../../src/shared/method-schemas';
import { buildLatex, buildTable, LATEX_REFUSED } from '../../../src/main/export/run-tables';
import { toCsv, toJson } from '../../../src/main/export/data-files';
import { DEFAULT_LATEX_OPTIONS } from '../../../src/shared/latex-options';
import { cancellingText, endedText } from '../../../src/shared/run-cancel';
import { createAppServices, type AppServices } from '../../../src/main/services/handlers';
import { openDatabase } from '../../../src/main/store';
import { FakeIpc, PushRecorder, tempDir } from '../../unit/services/helpers';

const tiny = getPreset('tiny');
/** Enough rounds that a cancel always lands mid-run. */
const long = { ...tiny, name: 'long', training: { ...tiny.training, rounds: 40 } };

let dataDir: string;
let services: AppServices;
let ipc: FakeIpc;
let pushes: PushRecorder;
let doneRunId = '';

before(() => {
  dataDir = tempDir('fedmem-ipc-');
  pushes = new PushRecorder();
  services = createAppServices({ dataDir, mode: 'browser', push: pushes.push });
  ipc = new FakeIpc();
  services.register(ipc);
});

after(async () => {
  await services.shutdown(10_000);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('registers exactly one handler per contract channel', () => {
  assert.deepEqual([...ipc.handlers.keys()].sort(), [...CHANNELS].sort());
});

describe('validation', () => {
  test('runs:start with a bad config fails INVALID_CONFIG and names each field', async () => {
    const r = await ipc.invoke('runs:start', {
      config: { ...tiny, training: { ...tiny.training, lr: -1 }, partition: { clients: 0 } },
    });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'INVALID_CONFIG');
    const paths = r.error.issues.map((i: { path: string }) => i.path);
    assert.ok(paths.includes('training.lr'), paths.join());
    assert.ok(paths.includes('partition.clients'), paths.join());
    assert.match(r.error.message, /training\.lr: must be greater than 0/);
  });

  test('a payload of the wrong shape fails INVALID_INPUT naming the field', async () => {
    const r = await ipc.invoke('runs:get', {});
    assert.equal(r.error.code, 'INVALID_INPUT');
    assert.deepEqual(
      r.error.issues.map((i: { path: string }) => i.path),
      ['id'],
    );
    const e = await ipc.invoke('runs:export', { id: 'x', format: 'pdf' });
    assert.equal(e.error.code, 'INVALID_INPUT');
    assert.equal(e.error.issues[0].path, 'format');
    assert.equal(e.error.message, 'runs:export: format: must be one of: csv, json, latex');
    const extra = await ipc.invoke('runs:list', { bogus: 1 });
    assert.equal(extra.error.code, 'INVALID_INPUT');
  });

  test('config:validate reports issues, or a rough estimate for a valid config', async () => {
    const bad = await ipc.invoke('config:validate', { config: { seed: 1 } });
    assert.equal(bad.ok, true);
    assert.equal(bad.data.ok, false);
    assert.ok(bad.data.issues.some((i: { path: string }) => i.path === 'dataset'));
    assert.equal(bad.data.estimateSeconds, null);
    const good = await ipc.invoke('config:validate', { config: tiny });
    assert.equal(good.data.ok, true);
    assert.ok(good.data.estimateSeconds > 0 && good.data.estimateSeconds < 60, String(good.data.estimateSeconds));
    // original 3 rounds x 800, then 2 retrained models x 3 rounds + finetune 1 + fedmemeraser 1 on the 3 remaining
    // clients' 600.
    assert.equal(good.data.estimate.trainingSamples, 800 * 3 + (2 * 3 + 1 + 1) * 600);
    const quick = await ipc.invoke('config:validate', { config: getPreset('quick') });
    assert.ok(quick.data.estimateSeconds > good.data.estimateSeconds);
  });

  test('unknown ids fail NOT_FOUND', async () => {
    for (const channel of ['runs:get', 'runs:cancel', 'runs:tables']) {
      const r = await ipc.invoke(channel, { id: 'no-such-run' });
      assert.equal(r.error.code, 'NOT_FOUND', channel);
    }
    assert.deepEqual(await ipc.invoke('runs:delete', { id: 'no-such-run' }), { ok: true, data: { deleted: false } });
  });
});

describe('rename, notes and tags', () => {
  test('runs:rename and runs:annotate change the list item; runs:list filters by tag', async () => {
    const a = services.store.runs.create({ name: 'first', config: { dataset: { id: 'mnist' } } });
    const b = services.store.runs.create({ name: 'second', config: { dataset: { id: 'mnist' } } });
    const renamed = await ipc.invoke('runs:rename', { id: a.id, name: '  IID baseline  ' });
    assert.equal(renamed.ok, true);
    assert.equal(renamed.data.name, 'IID baseline', 'trimmed');
    assert.equal(renamed.data.dataset, 'mnist');

    const noted = await ipc.invoke('runs:annotate', {
      id: a.id,
      note: 'compare with rho 0.4',
      tags: ['iid', 'baseline', 'iid'],
    });
    assert.deepEqual(
      { note: noted.data.note, tags: noted.data.tags },
      { note: 'compare with rho 0.4', tags: ['baseline', 'iid'] },
    );
    await ipc.invoke('runs:annotate', { id: b.id, tags: ['iid'] });
    const tagged = await ipc.invoke('runs:list', { tag: 'baseline' });
    assert.deepEqual(
      tagged.data.map((r: { id: string }) => r.id),
      [a.id],
    );
    const iid = await ipc.invoke('runs:list', { tag: 'iid' });
    assert.deepEqual(iid.data.map((r: { id: string }) => r.id).sort(), [a.id, b.id].sort());
    const detail = await ipc.invoke('runs:get', { id: a.id });
    assert.deepEqual(
      { name: detail.data.name, note: detail.data.note, tags: detail.data.tags },
      { name: 'IID baseline', note: 'compare with rho 0.4', tags: ['baseline', 'iid'] },
    );

    // Omitting a field keeps it; null clears the note.
    const cleared = await ipc.invoke('runs:annotate', { id: a.id, note: null });
    assert.deepEqual({ note: cleared.data.note, tags: cleared.data.tags }, { note: null, tags: ['baseline', 'iid'] });
    assert.equal((await ipc.invoke('runs:rename', { id: 'nope', name: 'x' })).error.code, 'NOT_FOUND');
    assert.equal((await ipc.invoke('runs:annotate', { id: 'nope', tags: [] })).error.code, 'NOT_FOUND');
    services.store.runs.delete(a.id);
    services.store.runs.delete(b.id);
  });

  test('bad names and tags fail INVALID_INPUT with a plain message naming the field', async () => {
    const run = services.store.runs.create({ name: 'r', config: {} });
    const blank = await ipc.invoke('runs:rename', { id: run.id, name: '   ' });
    assert.equal(blank.error.code, 'INVALID_INPUT');
    assert.equal(blank.error.message, 'runs:rename: name: must not be empty');
    const long = await ipc.invoke('runs:rename', { id: run.id, name: 'x'.repeat(201) });
    assert.equal(long.error.message, 'runs:rename: name: must be at most 200 characters');
    const spaced = await ipc.invoke('runs:annotate', { id: run.id, tags: ['ok', 'two words'] });
    assert.equal(spaced.error.message, 'runs:annotate: tags.1: may contain only letters, digits, - and _');
    const tooLong = await ipc.invoke('runs:annotate', { id: run.id, tags: ['y'.repeat(41)] });
    assert.equal(tooLong.error.message, 'runs:annotate: tags.0: must be at most 40 characters');
    const many = await ipc.invoke('runs:annotate', { id: run.id, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) });
    assert.equal(many.error.message, 'runs:annotate: tags: must list at most 20 tags');
    const filter = await ipc.invoke('runs:list', { tag: 'a b' });
    assert.equal(filter.error.message, 'runs:list: tag: may contain only letters, digits, - and _');
    assert.equal(services.store.runs.require(run.id).name, 'r', 'nothing changed');
    assert.deepEqual(services.store.runs.require(run.id).tags, []);
    services.store.runs.delete(run.id);
  });
});

describe('catalog, settings, partition preview', () => {
  test('catalog:get lists datasets, models, methods, selections and presets', async () => {
    const { data } = await ipc.invoke('catalog:get');
    assert.ok(data.datasets.some((d: { id: string; needsPath: boolean }) => d.id === 'mnist' && !d.needsPath));
    assert.ok(data.models.some((m: { id: string }) => m.id === 'cnn'));
    assert.deepEqual(
      data.methods.map((m: { id: string }) => m.id),
      [...METHOD_IDS],
    );
    assert.ok(data.selections.some((s: { id: string }) => s.id === 'redundant'));
    assert.deepEqual(data.presets.find((p: { name: string }) => p.name === 'tiny').config, tiny);
  });

  test('settings:get reports the data dir, backends and versions', async () => {
    const { data } = await ipc.invoke('settings:get');
    assert.equal(data.dataDir, path.resolve(dataDir));
    assert.equal(data.mode, 'browser');
    assert.ok(data.backends.some((b: { name: string; available: boolean }) => b.name === 'wasm' && b.available));
    assert.ok(['tensorflow-gpu', 'tensorflow', 'wasm'].includes(data.activeBackend));
    assert.ok(data.cores >= 1);
    assert.equal(data.versions['fedmem-workbench'], '0.1.0');
  });

  test('partition:preview runs the real partitioner; bad input fails at the field', async () => {
    const cfg = { ...tiny, partition: { clients: 5, scheme: 'dirichlet', alpha: 0.3 } };
    const { data } = await ipc.invoke('partition:preview', { config: cfg });
    assert.equal(data.classCounts.length, 5);
    assert.equal(data.numClasses, 10);
    assert.equal(
      data.sizes.reduce((a: number, b: number) => a + b, 0),
      800,
    );
    assert.deepEqual((await ipc.invoke('partition:preview', { config: cfg })).data, data, 'deterministic');
    const big = await ipc.invoke('partition:preview', {
      config: { ...tiny, dataset: { id: 'mnist', trainSize: 70000 } },
    });
    assert.equal(big.error.code, 'DATASET_CONFIG');
    assert.equal(big.error.issues[0].path, 'dataset.trainSize');
    const invalid = await ipc.invoke('partition:preview', { config: { ...tiny, partition: { clients: -1 } } });
    assert.equal(invalid.error.code, 'INVALID_CONFIG');
  });
});

describe('a run through the handlers', () => {
  test('runs:start with the tiny preset pushes events and finishes done', async () => {
    const r = await ipc.invoke('runs:start', { config: tiny });
    assert.equal(r.ok, true, JSON.stringify(r));
    doneRunId = r.data.runId;
    const listed = await ipc.invoke('runs:list', { status: 'running' });
    assert.ok(listed.data.some((i: { id: string; active: boolean }) => i.id === doneRunId && i.active));
    const fin = await pushes.finished(doneRunId);
    assert.equal(fin.payload.status, 'done', fin.payload.error ?? '');
    const events = pushes.eventsOf(doneRunId);
    const rounds = events.flatMap((e) => (e.type === 'round' ? [`${e.stage}/${e.round}`] : []));
    assert.deepEqual(
      rounds.filter((r) => r.startsWith('original/')),
      ['original/1', 'original/2', 'original/3'],
    );
    assert.ok(rounds.includes('unlearn:fedmemeraser/1'), rounds.join());
    assert.ok(events.some((e) => e.type === 'started'));
    const weights = events.find((e) => e.type === 'weights');
    assert.ok(weights && weights.type === 'weights' && weights.tensors.length > 0);
    for (const t of weights.tensors)
      assert.deepEqual(Object.keys(t).sort(), ['name', 'shape'], 'no tensor data is pushed');
  });

  test('runs:get returns its rounds, inline artifacts, files and events; the preview matched the run', async () => {
    const { data } = await ipc.invoke('runs:get', { id: doneRunId });
    assert.equal(data.status, 'done');
    assert.equal(data.active, false);
    const rounds = data.rounds.map((r: { stage: string; round: number }) => `${r.stage}/${r.round}`);
    assert.deepEqual(rounds.slice(0, 3), ['original/1', 'original/2', 'original/3']);
    assert.ok(rounds.includes('retrain:1/3') && rounds.includes('unlearn:finetune/1'), rounds.join());
    assert.equal(typeof data.rounds[2].testAccuracy, 'number');
    assert.ok(data.artifacts['report/report'], Object.keys(data.artifacts).join());
    const preview = await ipc.invoke('partition:preview', { config: tiny });
    assert.deepEqual(
      (data.artifacts['partition/partition'] as { classCounts: number[][] }).classCounts,
      preview.data.classCounts,
    );
    const file = data.files.find((f: { kind: string }) => f.kind === 'weights');
    assert.ok(file && fs.existsSync(path.join(dataDir, file.path)));
    assert.ok(data.events.some((e: { type: string }) => e.type === 'done'));
    const list = await ipc.invoke('runs:list', { search: 'tiny' });
    assert.ok(
      list.data.some(
        (i: { id: string; dataset: string; model: string }) =>
          i.id === doneRunId && i.dataset === 'mnist' && i.model === 'cnn',
      ),
    );
  });

  test('runs:export text equals buildTable rendered as CSV and JSON and buildLatex as LaTeX; LaTeX options pass through', async () => {
    const tables = await ipc.invoke('runs:tables', { id: doneRunId });
    assert.ok(tables.data.includes('rounds') && tables.data.includes('partition'), tables.data.join());
    const store = openDatabase(dataDir, { recoverInterrupted: false });
    try {
      const main = buildTable(store, doneRunId, undefined, 'csv');
      assert.equal(main.name, tables.data[0]);
      const csv = await ipc.invoke('runs:export', { id: doneRunId, format: 'csv' });
      assert.equal(csv.data.text, toCsv(main));
      assert.equal(csv.data.fileName, `tiny-${main.name}.csv`);
      for (const table of tables.data) {
        const tex = await ipc.invoke('runs:export', { id: doneRunId, format: 'latex', table });
        if (table in LATEX_REFUSED) {
          assert.equal(tex.error.code, 'NOT_IN_LATEX', table);
          assert.match(tex.error.message, /--format csv/);
          continue;
        }
        assert.equal(tex.data.text, buildLatex(store, doneRunId, table, DEFAULT_LATEX_OPTIONS).text, table);
        assert.equal(tex.data.fileName, `tiny-${table}.tex`);
        const json = await ipc.invoke('runs:export', { id: doneRunId, format: 'json', table });
        assert.equal(json.data.text, toJson(buildTable(store, doneRunId, table, 'json')), table);
        assert.equal(json.data.fileName, `tiny-${table}.json`);
        assert.equal(JSON.parse(json.data.text).name, table);
      }
      const narrow = await ipc.invoke('runs:export', {
        id: doneRunId,
        format: 'latex',
        table: 'partition',
        latex: { float: 'table' },
      });
      assert.match(narrow.data.text, /\\begin\{table\}\[t\]/);
      assert.equal(
        narrow.data.text,
        buildLatex(store, doneRunId, 'partition', { ...DEFAULT_LATEX_OPTIONS, float: 'table' }).text,
      );
      const bad = await ipc.invoke('runs:export', { id: doneRunId, format: 'latex', latex: { decimals: 9 } });
      assert.equal(bad.error.code, 'INVALID_INPUT');
      assert.equal(bad.error.issues[0].path, 'latex.decimals');
    } finally {
      store.close();
    }
    // Table names are an enum: an unknown one and an object-prototype key are refused the same way, naming the choices.
    for (const name of ['nope', '__proto__', 'constructor']) {
      const unknown = await ipc.invoke('runs:export', { id: doneRunId, format: 'csv', table: name });
      assert.equal(unknown.error.code, 'INVALID_INPUT', name);
      assert.equal(unknown.error.issues[0].path, 'table');
      assert.match(unknown.error.message, /table: must be one of table1, examples, importance/);
    }
  });

  test('runs:cancel stops a run: it ends cancelled and keeps its recorded rounds; delete is refused meanwhile', async () => {
    const { data } = await ipc.invoke('runs:start', { config: long });
    const id = data.runId;
    await pushes.waitFor(
      (p) => p.channel === 'run:event' && p.payload.runId === id && p.payload.event.type === 'round',
    );
    const refused = await ipc.invoke('runs:delete', { id });
    assert.equal(refused.error.code, 'RUN_ACTIVE');
    assert.deepEqual(await ipc.invoke('runs:cancel', { id }), {
      ok: true,
      data: { outcome: 'cancelling', message: cancellingText(id) },
    });
    const fin = await pushes.finished(id);
    assert.equal(fin.payload.status, 'cancelled');
    const run = await ipc.invoke('runs:get', { id });
    assert.equal(run.data.status, 'cancelled');
    assert.ok(run.data.rounds.length >= 1 && run.data.rounds.length < 40, String(run.data.rounds.length));
    assert.deepEqual(await ipc.invoke('runs:cancel', { id }), {
      ok: true,
      data: { outcome: 'ended', status: 'cancelled', message: endedText(id, 'cancelled') },
    });
  });

  test('runs:delete removes the rows and the weight files', async () => {
    const { data } = await ipc.invoke('runs:get', { id: doneRunId });
    const files = data.files.map((f: { path: string }) => path.join(dataDir, f.path));
    assert.ok(files.length > 0 && files.every((f: string) => fs.existsSync(f)));
    assert.deepEqual(await ipc.invoke('runs:delete', { id: doneRunId }), { ok: true, data: { deleted: true } });
    assert.ok(files.every((f: string) => !fs.existsSync(f)));
    assert.equal((await ipc.invoke('runs:get', { id: doneRunId })).error.code, 'NOT_FOUND');
    const rows = (table: string) =>
      (services.store.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`).get(doneRunId) as { n: number })
        .n;
    assert.deepEqual(['round_metrics', 'artifacts', 'run_events'].map(rows), [0, 0, 0]);
    const experiments = services.store.db
      .prepare('SELECT COUNT(*) AS n FROM experiments WHERE id = ?')
      .get(data.id) as { n: number };
    assert.equal(experiments.n, 0);
  });
});

test('quitting cancels running runs and waits, so they are stored cancelled, not interrupted', async () => {
  const dir = tempDir('fedmem-ipc-quit-');
  const rec = new PushRecorder();
  const app = createAppServices({ dataDir: dir, mode: 'electron', push: rec.push });
  try {
    const id = app.runs.start((await import('../../../src/shared/config')).parseConfig(long)).runId;
    await rec.waitFor((p) => p.channel === 'run:event' && p.payload.runId === id && p.payload.event.type === 'round');
    await app.shutdown(20_000);
    assert.equal(app.store.isOpen, false);
    const store = openDatabase(dir);
    assert.equal(store.interruptedOnOpen, 0);
    assert.equal(store.runs.require(id).status, 'cancelled');
    store.close();
  } finally {
    await app.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('dialog:pickFolder answers null where there is no native dialog, the chosen path where there is', async () => {
  assert.deepEqual(await ipc.invoke('dialog:pickFolder'), { ok: true, data: null });
  const dir = tempDir('fedmem-ipc-pick-');
  const desktop = createAppServices({
    dataDir: dir,
    mode: 'electron',
    push: () => {},
    pickFolder: async () => '/data/emnist',
  });
  try {
    assert.deepEqual(await desktop.dispatch('dialog:pickFolder', undefined), { ok: true, data: '/data/emnist' });
  } finally {
    await desktop.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
