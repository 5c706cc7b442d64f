/**
 * Studies through the real engine process, a real SQLite file and the `fedmem` command: a 2 × 2
 * study trains the original model and the retrained models once and the other runs reuse them, with
 * results bit-identical to running the config alone (their progress counting the reused rounds as
 * replayed); a study whose process is killed after its first
 * run continues with `fedmem study resume`, leaving the first run untouched; `fedmem study figure`
 * draws the finished study's charts to SVG and PNG files.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../../src/shared/config';
import type { EngineEvent, RunProgressCount } from '../../../src/shared/events';
import { startRun } from '../../../src/main/runs/record-run';
import { openDatabase, type Store } from '../../../src/main/store';
import { LocalStudyQueue, sharedDirFor } from '../../../src/main/studies/local-queue';
import { StudyService } from '../../../src/main/studies/study-service';
import { exportStudyTable, studyTableModel } from '../../../src/main/export/study-export';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-study-'));
// Retries: the engine of a SIGKILLed `fedmem run` may store one more round before it sees its parent gone.
after(() => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 }));

const base = {
  seed: 5,
  dataset: { id: 'mnist', trainSize: 300, testSize: 150 },
  partition: { clients: 3 },
  training: { rounds: 2, batchSize: 32, lr: 1e-3 },
  compute: { workers: 1 },
  unlearning: {
    request: { kind: 'clients', clients: [0] },
    methods: [{ id: 'retrain' }, { id: 'fedmemeraser', rho: 0.3, rounds: 1 }],
  },
  evaluation: { retrainModels: 2, lossSurface: { steps: 2, maxRemaining: 50 } },
};

/** Time fields are the training clock of whichever run trained a stage; everything else must match exactly. */
const withoutClock = (report: unknown) =>
  JSON.stringify(report, (k, v) =>
    ['timeToPeakSeconds', 'speedup', 'wallSeconds', 'wallSpeedup'].includes(k) ? undefined : v,
  );

async function runQueue(
  store: Store,
  studyId: string,
  onEvent?: (runId: string, e: EngineEvent) => void,
): Promise<void> {
  const queue = new LocalStudyQueue(store, {
    studyId,
    launch: (config, study) => startRun(store, config, { study, onEvent }),
  });
  await queue.idle();
  await queue.close(0);
}

test('a 2 × 2 study trains the original and retrained models once; the other runs reuse them with identical results', async () => {
  const store = openDatabase(path.join(tmp, 'grid'));
  try {
    const service = new StudyService(store);
    const study = service.create({
      base,
      axes: [
        { path: 'unlearning.methods[fedmemeraser].rho', values: [0, 0.6] },
        { path: 'evaluation.memorization', values: ['correct', 'probability'] },
      ],
    });
    const lastProgress = new Map<string, RunProgressCount>();
    await runQueue(store, study.id, (runId, e) => e.type === 'round' && lastProgress.set(runId, e.progress));
    const detail = service.detail(study.id);
    assert.deepEqual(detail.counts, { queued: 0, running: 0, done: 4, failed: 0, cancelled: 0 });
    assert.deepEqual(
      detail.items.map((i) => i.cellKey),
      [
        'rho=0|memorization=correct',
        'rho=0|memorization=probability',
        'rho=0.6|memorization=correct',
        'rho=0.6|memorization=probability',
      ],
    );

    // The first run trained everything; the three others reused it all (nothing else differs in training).
    const [first, ...rest] = detail.items;
    assert.deepEqual(first.shared, { original: [null], retrained: [{ reused: 0, trained: 2, from: [] }] });
    for (const it of rest)
      assert.deepEqual(it.shared, {
        original: [first.runId],
        retrained: [{ reused: 2, trained: 0, from: [first.runId] }],
      });
    // One original and two retrained models on disk for the whole study.
    const entries = fs.readdirSync(sharedDirFor(store.dataDir, study.id)).filter((n) => !n.startsWith('.'));
    assert.equal(entries.length, 3);
    // Each run still has the full record: the reused original's rounds and weights, as if trained.
    for (const it of detail.items) {
      const rounds = store.metrics.roundsFor(it.runId!).filter((r) => r.stage === 'original');
      assert.deepEqual(
        rounds.map((r) => r.round),
        [1, 2],
      );
      assert.ok(store.artifacts.list(it.runId!, 'weights').some((a) => a.name === 'original'));
    }
    // Their progress counts the reused rounds as replayed (the ETA does not measure them); the first run's has none.
    assert.equal(lastProgress.get(first.runId!)?.replayed, undefined);
    for (const it of rest) {
      const p = lastProgress.get(it.runId!)!;
      const reusedRounds = store.metrics
        .roundsFor(it.runId!)
        .filter((r) => r.stage === 'original' || r.stage.startsWith('retrain:')).length;
      assert.equal(reusedRounds, 6, 'two rounds each of the original and the two retrained models');
      assert.deepEqual(p, { done: p.total, total: p.total, replayed: reusedRounds });
    }
    const sha = (runId: string, name: string) =>
      store.artifacts.list(runId, 'weights').find((a) => a.name === name)?.sha256;
    for (const it of rest) assert.equal(sha(it.runId!, 'original'), sha(first.runId!, 'original'));
    // Different rho, different unlearned model.
    assert.notEqual(sha(detail.items[2].runId!, 'unlearn:fedmemeraser'), sha(first.runId!, 'unlearn:fedmemeraser'));

    // A reusing run equals the same config run alone, to the bit.
    const reused = detail.items[3];
    const alone = await startRun(store, parseConfig(store.studies.items(study.id)[3].config)).finished;
    assert.equal(alone.status, 'done', alone.error ?? '');
    assert.equal(
      withoutClock(store.artifacts.json(alone.id, 'report')),
      withoutClock(store.artifacts.json(reused.runId!, 'report')),
    );
    for (const name of ['original', 'retrain:0', 'retrain:1', 'unlearn:fedmemeraser'])
      assert.equal(sha(alone.id, name), sha(reused.runId!, name), name);

    // The ablation table: a block per cell (two axes), each with FedMemEraser and the retrained baseline, their
    // numbers the run's own (one seed, one repeat); and the runs table, one line per run and report row.
    const table = studyTableModel(study.definition, detail.results);
    assert.equal(table.layout, 'blocked');
    assert.deepEqual(
      table.blocks.map((b) => b.cellKey),
      detail.items.map((i) => i.cellKey),
    );
    for (const [i, block] of table.blocks.entries()) {
      assert.deepEqual(
        block.rows.map((r) => r.label),
        ['FedMemEraser', 'Retrained baseline'],
      );
      const report = store.artifacts.json(detail.items[i].runId!, 'report')!;
      const fme = report.rows.find((r) => r.methodId === 'fedmemeraser')!;
      assert.equal(block.rows[0].cells[0].mean, fme.groupAccuracy[0].mean);
      assert.equal(block.rows[0].cells[0].deltaValue, fme.groupDelta[0]);
      assert.equal(block.rows[0].n, 1);
    }
    const csv = exportStudyTable('grid', study.definition, detail.results, { format: 'csv', table: 'runs' })
      .text.trim()
      .split('\n');
    assert.equal(csv.length, 1 + 4 * store.artifacts.json(first.runId!, 'report')!.rows.length);

    // Deleting the study deletes its runs and shared trainings, not the run made outside it.
    assert.deepEqual(service.delete(study.id), { deleted: true, runs: 4 });
    assert.equal(store.runs.list({ studyId: study.id }).length, 0);
    assert.ok(store.runs.get(alone.id));
    assert.equal(fs.existsSync(sharedDirFor(store.dataDir, study.id)), false);
  } finally {
    store.close();
  }
});

/** The study the kill-and-resume test finished, for the figure test after it. */
let resumedStudy: { id: string; dataDir: string } | null = null;

test('a study killed after its first run continues with `study resume`; the first run is untouched', async () => {
  const dataDir = path.join(tmp, 'kill');
  const file = path.join(tmp, 'kill-study.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ base, axes: [{ path: 'unlearning.methods[fedmemeraser].rho', values: [0.2, 0.5] }], seeds: 2 }),
  );
  const child = spawn(process.execPath, [bin, 'study', 'run', file, '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const killedAfterFirst = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const id = /study ([0-9a-f-]{36}) /.exec(stderr)?.[1];
      // "[1/4 done]" is printed as the second run starts: the first is stored done.
      if (id && stderr.includes('[1/4 done]')) {
        child.kill('SIGKILL');
        resolve(id);
      }
    });
    child.on('exit', () => reject(new Error(`the study ended before it could be killed:\n${stderr}`)));
  });
  const studyId = await killedAfterFirst;
  await new Promise((r) => child.once('exit', r));

  const before = openDatabase(dataDir, { recoverInterrupted: false });
  const firstItem = before.studies.items(studyId).find((i) => i.status === 'done')!;
  const firstRun = before.runs.require(firstItem.runId!);
  const firstReport = JSON.stringify(before.artifacts.json(firstRun.id, 'report'));
  const killedItem = before.studies.items(studyId).find((i) => i.status === 'running');
  assert.ok(killedItem, 'the second item was running when the process died');
  before.close();

  const r = spawnSync(process.execPath, [bin, 'study', 'resume', studyId, '--data-dir', dataDir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), studyId);

  const store = openDatabase(dataDir, { recoverInterrupted: false });
  try {
    const items = store.studies.items(studyId);
    assert.deepEqual(
      items.map((i) => i.status),
      ['done', 'done', 'done', 'done'],
    );
    const again = items.find((i) => i.key === firstItem.key)!;
    assert.equal(again.runId, firstRun.id, 'the completed run was not run again');
    assert.deepEqual(store.runs.require(firstRun.id), firstRun);
    assert.equal(JSON.stringify(store.artifacts.json(firstRun.id, 'report')), firstReport);
    // The killed attempt is kept as a run of the study, marked interrupted; its item ran again as a new run.
    const runs = store.runs.list({ studyId });
    assert.equal(runs.length, 5);
    const interrupted = runs.filter((r) => r.status === 'interrupted');
    assert.equal(interrupted.length, 1);
    assert.ok(!items.some((i) => i.runId === interrupted[0].id));
    assert.deepEqual(
      runs
        .filter((r) => r.status === 'done')
        .map((r) => r.id)
        .sort(),
      items.map((i) => i.runId).sort(),
    );
  } finally {
    store.close();
  }
  resumedStudy = { id: studyId, dataDir };
});

test("`fedmem study figure` draws the finished study's charts as SVG, PNG and PDF files, and names a wrong --metric's choices", () => {
  assert.ok(resumedStudy, 'the kill-and-resume test finished a study');
  const { id, dataDir } = resumedStudy;
  const figure = (args: string[]) =>
    spawnSync(process.execPath, [bin, 'study', 'figure', id, ...args, '--data-dir', dataDir], { encoding: 'utf8' });
  const FIGURES = ['study-metric', 'study-efficiency', 'study-parallel'];

  const out = path.join(tmp, 'study-svg');
  const svgRun = figure(['--out', out]);
  assert.equal(svgRun.status, 0, svgRun.stderr);
  assert.deepEqual(
    svgRun.stdout.trim().split('\n'),
    FIGURES.map((f) => path.join(out, `${f}.svg`)),
  );
  const svg = (name: string) => fs.readFileSync(path.join(out, `${name}.svg`), 'utf8');
  for (const name of FIGURES)
    assert.match(svg(name), /^<svg [^>]*width="600"[\s\S]*<\/svg>\s*$/, `${name} is a whole SVG document`);
  // The metric chart: the swept method against the axis's two values.
  for (const label of ['FedMemEraser', '0.2', '0.5'])
    assert.ok(svg('study-metric').includes(label), `study-metric shows "${label}"`);

  const png = path.join(tmp, 'study-png');
  const pngRun = figure([
    '--format',
    'png',
    '--out',
    png,
    '--chart',
    'study-metric',
    '--metric',
    'test',
    '--width',
    '400',
    '--height',
    '250',
  ]);
  assert.equal(pngRun.status, 0, pngRun.stderr);
  const file = fs.readFileSync(path.join(png, 'study-metric.png'));
  assert.equal(file.toString('latin1', 12, 16), 'IHDR');
  assert.deepEqual([file.readUInt32BE(16), file.readUInt32BE(20)], [800, 500], 'twice 400 x 250');

  // PDF: a page of 400 x 250 px at 0.75 pt each (how the PDF is drawn is checked in cli/figure.test.ts).
  const pdfRun = figure([
    '--format',
    'pdf',
    '--out',
    png,
    '--chart',
    'study-efficiency',
    '--width',
    '400',
    '--height',
    '250',
  ]);
  assert.equal(pdfRun.status, 0, pdfRun.stderr);
  const pdf = fs.readFileSync(path.join(png, 'study-efficiency.pdf'));
  assert.equal(pdf.toString('latin1', 0, 5), '%PDF-');
  assert.ok(pdf.includes('/MediaBox [0 0 300 187.5]'), 'a 300 x 187.5 pt page');

  const wrong = figure(['--metric', 'nope']);
  assert.equal(wrong.status, 1);
  assert.match(
    wrong.stderr,
    /^fedmem: --metric must be one of group:0, .*unlearn, test, fairness, wall, not "nope"\n$/,
  );
});
