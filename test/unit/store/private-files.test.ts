/**
 * Owner-only files (issue 24): what the store and the engine's writers create in the data folder is 0600
 * (folders 0700) under a umask that would let everyone read, SQLite's -wal/-shm included; a database an
 * older release left 0644 is narrowed; a data folder other users can read is warned about once, not changed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { StageCache } from '../../../src/main/engine/stage-cache';
import { openDatabase } from '../../../src/main/store';
import { writeFileAtomically } from '../../../src/main/files/atomic-file';
import { appendPrivateFile, looseFolderWarning, warnIfFolderLoose } from '../../../src/main/files/private-files';
import { tempDataDir } from './helpers';

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

/** Runs the test under umask 000: whatever mode a file gets is the mode the code asked for. */
function openUmask(t: TestContext): void {
  const before = process.umask(0);
  t.after(() => process.umask(before));
}

/** Every file and folder under `dir` with its mode, relative paths. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
    out[rel] = modeOf(path.join(dir, rel)).toString(8);
  }
  return out;
}

test('looseFolderWarning: one sentence naming the folder, its mode and the fix; nothing for a private folder', () => {
  assert.equal(looseFolderWarning('/d', 0o40700), null);
  assert.equal(looseFolderWarning('/d', 0o40500), null);
  assert.equal(
    looseFolderWarning('/home/a/data', 0o40755),
    'warning: the data folder /home/a/data can be read by other users (mode 0755); ' +
      "make it private with: chmod 700 '/home/a/data'",
  );
  assert.match(looseFolderWarning('/d', 0o40710)!, /mode 0710/, 'group access alone is warned about');
});

test('the database, its -wal and -shm and the folder made for it are owner-only under umask 000', (t) => {
  openUmask(t);
  const dir = path.join(tempDataDir(t), 'made', 'here');
  const store = openDatabase(dir);
  t.after(() => store.close());
  store.runs.create({ name: 'r', config: {} }); // a commit: the -wal holds it until a checkpoint
  assert.equal(modeOf(dir), 0o700);
  assert.equal(modeOf(path.dirname(dir)), 0o700, 'a missing parent is made private too');
  for (const f of ['fedmem.sqlite', 'fedmem.sqlite-wal', 'fedmem.sqlite-shm']) {
    assert.equal(modeOf(path.join(dir, f)), 0o600, f);
  }
});

test('a database an older release left 0644 is narrowed on open, and so are the -wal and -shm it left', (t) => {
  openUmask(t);
  const dir = tempDataDir(t);
  openDatabase(dir).close();
  const db = path.join(dir, 'fedmem.sqlite');
  for (const f of [db, `${db}-wal`]) fs.writeFileSync(f, fs.existsSync(f) ? fs.readFileSync(f) : '', { mode: 0o644 });
  fs.chmodSync(db, 0o644);
  fs.chmodSync(`${db}-wal`, 0o664);
  const store = openDatabase(dir);
  t.after(() => store.close());
  assert.equal(modeOf(db), 0o600);
  assert.equal(modeOf(`${db}-wal`), 0o600);
  assert.equal(modeOf(`${db}-shm`), 0o600);
});

test('an existing data folder other users can read is warned about once per process, and left as it is', (t) => {
  const dir = path.join(tempDataDir(t), 'shared');
  fs.mkdirSync(dir);
  fs.chmodSync(dir, 0o755);
  const lines: string[] = [];
  openDatabase(dir, { warn: (l) => lines.push(l) }).close();
  openDatabase(dir, { warn: (l) => lines.push(l) }).close();
  assert.deepEqual(lines, [looseFolderWarning(dir, 0o755)]);
  assert.match(lines[0], /^warning: the data folder .* can be read by other users \(mode 0755\)/);
  assert.equal(modeOf(dir), 0o755, 'the user chose that folder: it is not changed behind their back');

  const quiet: string[] = [];
  warnIfFolderLoose(tempDataDir(t), (l) => quiet.push(l));
  assert.deepEqual(quiet, [], 'a private folder (mkdtemp makes 0700) is not warned about');
});

test('atomic writes (weights, history, checkpoints) make owner-only files and folders under umask 000', (t) => {
  openUmask(t);
  const dir = tempDataDir(t);
  writeFileAtomically(path.join(dir, 'weights', 'run', 'history', 'r1.fmw'), [Buffer.from('x')]);
  appendPrivateFile(path.join(dir, 'weights', 'engine.log'), 'a line\n');
  assert.deepEqual(modes(dir), {
    weights: '700',
    'weights/run': '700',
    'weights/run/history': '700',
    'weights/run/history/r1.fmw': '600',
    'weights/engine.log': '600',
  });
});

test("a study's shared trainings (the stage cache) are owner-only files in owner-only folders under umask 000", (t) => {
  openUmask(t);
  const dir = path.join(tempDataDir(t), 'shared');
  const cache = new StageCache({ dir, runId: 'run-a' });
  const rounds = [
    { stage: 'original', round: 1, testAccuracy: 0.5, testLoss: 1, trainLoss: 1, elapsedMs: 1, clients: [] },
  ];
  const lastRound = { shares: new Map([[0, 1]]), localModels: new Map([[0, [Float32Array.of(3)]]]) };
  cache.begin('k').commit({ weights: [Float32Array.of(1)], rounds, csl: Float64Array.of(2), lastRound });
  const found = modes(dir);
  assert.ok(Object.keys(found).length >= 5, JSON.stringify(found));
  for (const [rel, mode] of Object.entries(found)) {
    assert.equal(mode, fs.statSync(path.join(dir, rel)).isDirectory() ? '700' : '600', rel);
  }
  assert.equal(modeOf(dir), 0o700);
});
