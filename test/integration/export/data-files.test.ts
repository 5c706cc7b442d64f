/**
 * Every table of a finished run (two repeats, two leaving clients with label noise, a method label
 * full of CSV and LaTeX specials) exported as CSV and JSON, then read by the consumer they are for:
 * pandas (Debian's python3-pandas under /usr/bin/python3). Each column must come out with the dtype
 * its declared type promises, numbers must round-trip to the stored values, and the JSON must read
 * to the same frame as the CSV.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import type { TableJson } from '../../../src/shared/data-table';
import type { ExamplesArtifact, UnlearningReport } from '../../../src/shared/results';
import { availableTables, buildTable } from '../../../src/main/export/run-tables';
import { toCsv, toJson } from '../../../src/main/export/data-files';
import { useStoredRun } from '../support/stored-run';
import { skipOrFail } from '../support/required-tool';

const PYTHON = '/usr/bin/python3';
const HOSTILE = 'Fine_tune, "quoted" 100% ρ=0.3';
const hasPandas = spawnSync(PYTHON, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0;
if (!hasPandas)
  console.warn(
    `\n*** SKIPPED: pandas is not importable by ${PYTHON} (apt-get install python3-pandas); the CSV/JSON exports were NOT checked with pandas ***\n`,
  );

const config = parseConfig({
  seed: 5,
  dataset: { id: 'mnist', trainSize: 400, testSize: 200, labelNoise: { clients: [0, 1], rate: 0.2 } },
  partition: { clients: 4 },
  training: { rounds: 2, batchSize: 32, lr: 1e-3 },
  unlearning: {
    request: { kind: 'clients', clients: [0, 1] },
    methods: [
      { id: 'retrain' },
      { id: 'finetune', rounds: 1, label: HOSTILE },
      { id: 'fedmemeraser', rho: 0.3, rounds: 1 },
    ],
  },
  evaluation: { retrainModels: 2, lossSurface: { steps: 2, overshoot: 0.5, maxRemaining: 100 } },
  repeats: 2,
});

interface PandasTable {
  columns: string[];
  rows: number;
  kinds: Record<string, 'numeric' | 'object'>;
  values: Record<string, (number | string | null)[]>;
  jsonDiffers: string[];
}

const run = useStoredRun(config);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-data-files-'));
const exported: Record<string, TableJson> = {};
let read: Record<string, PandasTable> = {};
let loaded = false;

// Done on first use rather than in a root before() hook: Node 20 does not order root hooks after
// useStoredRun's, so the run may not exist yet there.
function load(): void {
  if (loaded) return;
  loaded = true;
  for (const name of availableTables(run.store, run.runId)) {
    const csv = toCsv(buildTable(run.store, run.runId, name, 'csv'));
    const json = toJson(buildTable(run.store, run.runId, name, 'json'));
    fs.writeFileSync(path.join(dir, `${name}.csv`), csv);
    fs.writeFileSync(path.join(dir, `${name}.json`), json);
    exported[name] = JSON.parse(json);
  }
  if (!hasPandas) return;
  const r = spawnSync(PYTHON, [path.join(import.meta.dirname, 'read-data-files.py'), dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  read = JSON.parse(r.stdout);
}
// KEEP_DATA_FILES=1 keeps the exported files for a look (their folder is printed).
after(() => (process.env.KEEP_DATA_FILES ? console.log(dir) : fs.rmSync(dir, { recursive: true, force: true })));

/** Equal to 1e-9 relative (so also for the 1e-5-sized scores; zero only equals zero). */
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

test('every table of the run is exported, the per-run study tables included', () => {
  load();
  assert.deepEqual(Object.keys(exported), [
    'table1',
    'examples',
    'importance',
    'time',
    'loss-surface',
    'csl',
    'rounds',
    'clients',
    'partition',
  ]);
  for (const t of Object.values(exported)) assert.ok(t.rows.length > 0, `${t.name} has rows`);
});

test('pandas reads every CSV with the declared column types (numeric columns never object)', (t) => {
  if (!hasPandas) return skipOrFail(t, 'pandas is not installed');
  load();
  for (const [name, t] of Object.entries(exported)) {
    const p = read[name];
    assert.deepEqual(
      p.columns,
      t.columns.map((c) => c.key),
      `${name}: header`,
    );
    assert.equal(p.rows, t.rows.length, `${name}: rows`);
    for (const c of t.columns) {
      const allMissing = t.rows.every((r) => r[c.key] === null);
      // An all-empty text column reads as float NaN in pandas; that is the one allowed exception.
      const want = c.type === 'number' || allMissing ? (c.type === 'number' ? 'numeric' : p.kinds[c.key]) : 'object';
      assert.equal(p.kinds[c.key], want, `${name}.${c.key} is ${c.type} but pandas read ${p.kinds[c.key]}`);
    }
  }
});

test('CSV numbers read by pandas equal the JSON export to 1e-9 relative, and empty cells are NaN', (t) => {
  if (!hasPandas) return skipOrFail(t, 'pandas is not installed');
  load();
  let empties = 0;
  for (const [name, t] of Object.entries(exported)) {
    for (const c of t.columns) {
      t.rows.forEach((row, i) => {
        const want = row[c.key];
        const got = read[name].values[c.key][i];
        if (want === null) {
          empties++;
          assert.equal(got, null, `${name}.${c.key}[${i}] should be NaN`);
        } else if (c.type === 'number')
          assert.ok(close(got as number, want as number), `${name}.${c.key}[${i}]: ${got} vs ${want}`);
        else assert.equal(got, want, `${name}.${c.key}[${i}]`);
      });
    }
  }
  assert.ok(empties > 0, 'the run has missing values, so empty cells were exercised');
});

test('the JSON read with json.load and pd.DataFrame equals the CSV frame', (t) => {
  if (!hasPandas) return skipOrFail(t, 'pandas is not installed');
  load();
  for (const name of Object.keys(exported)) assert.deepEqual(read[name].jsonDiffers, [], name);
});

test('numbers round-trip to the stored artifacts and metrics; the hostile label survives', (t) => {
  if (!hasPandas) return skipOrFail(t, 'pandas is not installed');
  load();
  const report = run.store.artifacts.json(run.runId, 'report') as UnlearningReport;
  const ex = run.store.artifacts.json(run.runId, 'examples') as ExamplesArtifact;
  const t1 = read.table1.values;
  assert.deepEqual(
    t1.method,
    report.rows.map((r) => r.label),
  );
  assert.ok(t1.method.includes(HOSTILE));
  report.rows.forEach((r, i) => {
    assert.ok(close(t1.test_acc_pct_mean[i] as number, r.testAccuracy.mean! * 100), `${r.label} test accuracy`);
    assert.ok(close(t1.unlearn_acc_pct_std[i] as number, r.unlearnAccuracy.std! * 100), `${r.label} D_u std`);
  });
  assert.deepEqual(read.examples.values.id, ex.ids);
  ex.score.forEach((s, i) => assert.ok(close(read.examples.values.score[i] as number, s), `score ${i}`));
  assert.deepEqual(read.examples.values.noisy, ex.noisy, 'noise flags are 0/1 numbers');
  assert.ok(
    ex.noisy.some((n) => n === 1),
    'the leaving clients carry label noise',
  );
  const rounds = run.store.metrics.roundsFor(run.runId);
  rounds.forEach((r, i) =>
    assert.ok(close(read.rounds.values.testAccuracy[i] as number, r.testAccuracy!), `round ${i}`),
  );
});
