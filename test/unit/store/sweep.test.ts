/**
 * The data folder on open (issue 13): created owner-only, and cleared of what killed writers left
 * half-written, without touching a live writer's file or anything that is not a leftover.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { openDatabase } from '../../../src/main/store';
import { ABANDONED_AFTER_MS, ABANDONED_ANYWAY_AFTER_MS, isAbandoned } from '../../../src/main/store/sweep';
import { tempDataDir } from './helpers';

const NOW = 1_000_000_000_000;
const facts = { now: NOW, pidAlive: (pid: number) => pid === 42 };

test('isAbandoned: only temp names; a dead pid after ten quiet minutes; anything after a day', () => {
  const quiet = NOW - ABANDONED_AFTER_MS - 1;
  assert.equal(isAbandoned('model.fmw.tmp-7-ab12', quiet, facts), true, 'dead writer, quiet file');
  assert.equal(isAbandoned('.tmp-7-00ff', quiet, facts), true, 'a stage-cache folder');
  assert.equal(isAbandoned('model.fmw.tmp-7-ab12', NOW - 1000, facts), false, 'still changing: maybe another host');
  assert.equal(isAbandoned('model.fmw.tmp-42-ab12', quiet, facts), false, 'its writer is alive');
  assert.equal(isAbandoned('model.fmw.tmp-42-ab12', NOW - ABANDONED_ANYWAY_AFTER_MS - 1, facts), true, 'a day old');
  assert.equal(isAbandoned('model.fmw', NOW - ABANDONED_ANYWAY_AFTER_MS - 1, facts), false, 'a real file');
  assert.equal(isAbandoned('notes.tmp-draft', quiet, facts), false);
});

test('opening a data folder creates it owner-only and sweeps abandoned temp files under weights/ and studies/', (t) => {
  const dir = path.join(tempDataDir(t), 'new-folder');
  const gone = Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout,
  );
  const old = new Date(Date.now() - ABANDONED_AFTER_MS - 60_000);
  const put = (rel: string, folder = false) => {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (folder) fs.mkdirSync(abs);
    else fs.writeFileSync(abs, 'x');
    fs.utimesSync(abs, old, old);
    return abs;
  };
  const store0 = openDatabase(dir);
  store0.close();
  if (process.platform !== 'win32') assert.equal(fs.statSync(dir).mode & 0o777, 0o700);

  const leftover = put(`weights/run-1/model.fmw.tmp-${gone}-abcd`);
  const stageTmp = put(`studies/s1/shared/.tmp-${gone}-0a0b`, true);
  const live = put(`weights/run-2/model.fmw.tmp-${process.pid}-abcd`);
  const real = put('weights/run-1/model.fmw');
  const store = openDatabase(dir);
  t.after(() => store.close());
  assert.equal(store.tempFilesSwept, 2);
  assert.equal(fs.existsSync(leftover), false);
  assert.equal(fs.existsSync(stageTmp), false);
  assert.equal(fs.existsSync(live), true, "a live writer's file stays");
  assert.equal(fs.existsSync(real), true);

  const reader = openDatabase(dir, { recoverInterrupted: false });
  t.after(() => reader.close());
  assert.equal(reader.tempFilesSwept, 0, 'a reader never writes');
});
