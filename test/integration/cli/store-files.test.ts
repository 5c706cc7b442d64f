/**
 * The data folder as a user meets it through the real `fedmem` command (issue 24): a run under umask
 * 022 leaves only owner-only files (the database's -wal and -shm, weights, history, checkpoints); after
 * kill -9 of a running `fedmem run`, `list` and `show` say interrupted with no writer having opened the
 * store; a data folder other users can read is warned about in one line; a database this user cannot
 * write still serves the commands that only read, and one it cannot read is refused naming the file.
 * Tests run as root, whom permission bits do not stop: those checks run the CLI as `nobody` (setpriv).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { INTERRUPTED_REASON } from '../../../src/main/store/types';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-files-'));
fs.chmodSync(tmp, 0o755); // an unprivileged user must reach the folders the read-only checks give it
// Retries: the engine of a SIGKILLed `fedmem run` may store one more round before it sees its parent gone.
after(() => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 }));

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const setpriv = spawnSync('setpriv', ['--version']).status === 0;

const config = (name: string, rounds: number) => ({
  name,
  seed: 5,
  dataset: { id: 'mnist', trainSize: 400, testSize: 200 },
  partition: { clients: 2 },
  training: { rounds, batchSize: 32, lr: 1e-3, recordHistory: true },
  compute: { workers: 1 },
});

function writeConfig(name: string, rounds: number): string {
  const file = path.join(tmp, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(config(name, rounds)));
  return file;
}

/** The CLI, synchronously; `user` runs it as that uid (root only), as an unprivileged user meets it. */
function fedmem(args: string[], user?: number) {
  const argv = [process.execPath, bin, ...args];
  const asUser = user === undefined ? [] : ['setpriv', `--reuid=${user}`, `--regid=${user}`, '--clear-groups'];
  const [cmd, ...rest] = [...asUser, ...argv];
  const r = spawnSync(cmd, rest, { encoding: 'utf8', cwd: os.tmpdir() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type JsonEvent = { type: string; runId?: string; stage?: string; round?: number; status?: string };

/**
 * `fedmem run --json` under umask 022 (what most systems give), in its own process group; `onEvent`
 * sees each event and may return 'kill' to SIGKILL the group (the CLI and its engine) there.
 */
function runUnderUmask022(args: string[], onEvent: (e: JsonEvent) => 'kill' | void) {
  const argv = ['-c', 'umask 022; exec "$@"', 'sh', process.execPath, bin, ...args];
  const child = spawn('sh', argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const events: JsonEvent[] = [];
  let stderr = '';
  let buffered = '';
  let killed = false;
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buffered += d;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const e = JSON.parse(buffered.slice(0, nl)) as JsonEvent;
      buffered = buffered.slice(nl + 1);
      events.push(e);
      if (!killed && onEvent(e) === 'kill') {
        killed = true;
        process.kill(-child.pid!, 'SIGKILL');
      }
    }
  });
  return new Promise<{ code: number | null; signal: string | null; events: JsonEvent[]; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, events, stderr })),
  );
}

/** Every file and folder under `dir` whose mode lets anyone but the owner in, or that the owner cannot use. */
function notOwnerOnly(dir: string): string[] {
  // A folder listed mid-run may vanish before it is read (a finished stage's temporary folder): list again.
  let names: string[] | undefined;
  for (let attempt = 0; names === undefined; attempt++) {
    try {
      names = fs.readdirSync(dir, { recursive: true }) as string[];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw e;
    }
  }
  return names.flatMap((rel) => {
    // Mid-run, a temporary file listed a moment ago may already be renamed over its real name.
    const st = fs.statSync(path.join(dir, rel), { throwIfNoEntry: false });
    if (st === undefined) return [];
    const want = st.isDirectory() ? 0o700 : 0o600;
    return (st.mode & 0o777) === want ? [] : [`${rel} ${(st.mode & 0o777).toString(8)}`];
  });
}

const done = path.join(tmp, 'done');
let doneRunId = '';

test('a run under umask 022 leaves only owner-only files: the database, its -wal/-shm, weights, history', async () => {
  let midRun: { names: string[]; loose: string[] } | undefined;
  const r = await runUnderUmask022(['run', '--config', writeConfig('modes', 3), '--data-dir', done, '--json'], (e) => {
    // Mid-run the CLI holds the database open, so SQLite's -wal and -shm are there to check.
    if (!midRun && e.type === 'round') midRun = { names: fs.readdirSync(done), loose: notOwnerOnly(done) };
  });
  assert.equal(r.code, 0, r.stderr);
  doneRunId = r.events.at(-1)!.runId!;
  assert.ok(midRun, 'a round was reported');
  const sqliteFiles = midRun.names.filter((n) => n.startsWith('fedmem.sqlite-')).sort();
  assert.deepEqual(sqliteFiles, ['fedmem.sqlite-shm', 'fedmem.sqlite-wal']);
  assert.deepEqual(midRun.loose, []);
  const files = fs.readdirSync(done, { recursive: true }) as string[];
  assert.ok(
    files.some((f) => f.endsWith('.fmw') && f.includes('history')),
    'the history was recorded',
  );
  assert.ok(
    files.some((f) => f.endsWith('original.fmw')),
    'the weights were saved',
  );
  assert.deepEqual(notOwnerOnly(done), []);
  assert.equal(fs.statSync(done).mode & 0o777, 0o700, 'the data folder itself');
  assert.equal(r.stderr.includes('warning: the data folder'), false, 'a folder the workbench made is private');
});

test('after kill -9 of a running `fedmem run`, list and show say interrupted, and reading wrote nothing', async () => {
  const dataDir = path.join(tmp, 'killed');
  const args = ['run', '--config', writeConfig('killed', 8), '--data-dir', dataDir, '--json'];
  const r = await runUnderUmask022(args, (e) => (e.type === 'round' && e.round === 1 ? 'kill' : undefined));
  assert.equal(r.signal, 'SIGKILL', r.stderr);
  const runId = r.events[0].runId!;
  const stored = () => {
    const raw = new Database(path.join(dataDir, 'fedmem.sqlite'), { readonly: true });
    try {
      return raw.prepare('SELECT status FROM runs WHERE id = ?').get(runId);
    } finally {
      raw.close();
    }
  };
  assert.deepEqual(stored(), { status: 'running' }, 'the killed process left its run running in the database');

  const list = fedmem(['list', '--json', '--data-dir', dataDir]);
  assert.equal(list.code, 0, list.stderr);
  const [item] = JSON.parse(list.stdout) as { id: string; status: string; error: string }[];
  const { id, status, error } = item;
  assert.deepEqual({ id, status, error }, { id: runId, status: 'interrupted', error: INTERRUPTED_REASON });
  const show = fedmem(['show', runId, '--json', '--data-dir', dataDir]);
  assert.equal(show.code, 0, show.stderr);
  assert.equal(JSON.parse(show.stdout).run.status, 'interrupted');
  assert.match(fedmem(['show', runId, '--data-dir', dataDir]).stdout, /status\s+interrupted: the process stopped/);
  const filtered = fedmem(['list', '--status', 'running', '--data-dir', dataDir]);
  assert.equal(filtered.stdout, 'no run matches the filter\n');
  assert.deepEqual(stored(), { status: 'running' }, 'readers reported it without marking it');
  assert.deepEqual(notOwnerOnly(dataDir), [], 'the killed run left owner-only files');
});

test('a data folder other users can read gets one warning line on stderr, and is left as it is', () => {
  const dataDir = path.join(tmp, 'open-folder');
  fs.mkdirSync(dataDir);
  fs.chmodSync(dataDir, 0o755);
  const r = fedmem(['list', '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stderr,
    `warning: the data folder ${dataDir} can be read by other users (mode 0755); make it private with: chmod 700 '${dataDir}'\n`,
  );
  assert.equal(fs.statSync(dataDir).mode & 0o777, 0o755);
  assert.equal(fs.statSync(path.join(dataDir, 'fedmem.sqlite')).mode & 0o777, 0o600, 'what it made inside is private');
});

const noSetpriv = asRoot && !setpriv && 'needs setpriv to run the CLI as an unprivileged user';

test(
  'a database this user cannot write (0444 file, 0555 folder) serves list, show, export; changes are refused',
  { skip: noSetpriv },
  (t) => {
    assert.ok(doneRunId, 'the first test stored a run');
    const dataDir = path.join(tmp, 'read-only');
    fs.cpSync(done, dataDir, { recursive: true });
    const user = asRoot ? NOBODY : undefined;
    if (asRoot) {
      const inside = (fs.readdirSync(dataDir, { recursive: true }) as string[]).map((f) => path.join(dataDir, f));
      for (const p of [dataDir, ...inside]) fs.chownSync(p, NOBODY, NOBODY);
    }
    const dbFile = path.join(dataDir, 'fedmem.sqlite');
    fs.chmodSync(dbFile, 0o444);
    fs.chmodSync(dataDir, 0o555);
    t.after(() => fs.chmodSync(dataDir, 0o755)); // so the folder can be removed
    const before = fs.readdirSync(dataDir).sort();

    for (const args of [
      ['list', '--json'],
      ['show', doneRunId, '--json'],
      ['export', doneRunId, '--format', 'csv'],
    ]) {
      const mine = fedmem([...args, '--data-dir', done]);
      const theirs = fedmem([...args, '--data-dir', dataDir], user);
      assert.equal(theirs.code, 0, `${args[0]}: ${theirs.stderr}`);
      assert.equal(theirs.stdout, mine.stdout, `${args[0]} reads the same as from a writable copy`);
    }
    const note = fedmem(['note', doneRunId, 'hello', '--data-dir', dataDir], user);
    assert.equal(note.code, 1);
    assert.equal(
      note.stderr,
      `fedmem: cannot write the database ${dbFile}: the file is read-only for this user; ` +
        'commands that only read (list, show, export, figure) still work\n',
    );
    assert.deepEqual(fs.readdirSync(dataDir).sort(), before, 'nothing was created beside the database');

    // One this user cannot even read.
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(dbFile, 0o000);
    if (asRoot) fs.chownSync(dbFile, 0, 0);
    const denied = fedmem(['list', '--data-dir', dataDir], user);
    assert.equal(denied.code, 1);
    assert.equal(
      denied.stderr,
      `fedmem: cannot open the database ${dbFile}: this user may not read it (see its owner and permissions)\n`,
    );
  },
);
