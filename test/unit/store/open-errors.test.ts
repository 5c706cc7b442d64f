/**
 * A database that cannot be opened is refused in one sentence naming the file and the likely cause
 * (issue 24): on hand-made facts for each cause, and on real files for those root can meet too (tests
 * run as root, whom permission bits do not stop: test/integration/cli/store-files.test.ts covers those
 * as an unprivileged user).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../../src/main/store';
import { StoreError } from '../../../src/main/files/errors';
import { describeOpenFailure, type DbPathFacts } from '../../../src/main/store/open-errors';
import { tempDataDir } from './helpers';

const DB = '/data/fedmem.sqlite';
const fine: DbPathFacts = {
  folderExists: true,
  folderWritable: true,
  fileExists: true,
  fileIsFolder: false,
  fileReadable: true,
  fileWritable: true,
};

test('describeOpenFailure names the file and the cause the file system shows', () => {
  const say = (code: string, f: Partial<DbPathFacts> = {}) =>
    describeOpenFailure(code, 'sqlite says', DB, { ...fine, ...f });
  assert.deepEqual(say('SQLITE_NOTADB'), {
    code: 'STORE_NOT_A_DATABASE',
    message:
      `${DB} is not a SQLite database (or is corrupt); ` +
      'move it aside to start an empty database, or choose another data folder',
  });
  assert.match(
    say('SQLITE_CORRUPT_INDEX')!.message,
    /^\/data\/fedmem\.sqlite is corrupt \(sqlite says\); restore it from/,
  );
  assert.deepEqual(say('SQLITE_READONLY', { fileWritable: false }), {
    code: 'STORE_READ_ONLY',
    message:
      `cannot write the database ${DB}: the file is read-only for this user; ` +
      'commands that only read (list, show, export, figure) still work',
  });
  const folder = say('SQLITE_READONLY_DIRECTORY', { folderWritable: false })!.message;
  assert.match(folder, /: its folder is read-only for this user;/);
  assert.match(say('SQLITE_READONLY')!.message, /: the file system is mounted read-only;/);
  assert.equal(
    say('SQLITE_CANTOPEN', { fileReadable: false })!.message,
    `cannot open the database ${DB}: this user may not read it (see its owner and permissions)`,
  );
  const noFolder = say('SQLITE_CANTOPEN', { folderWritable: false, fileExists: false })!.message;
  assert.match(noFolder, /: its folder is not writable by this user/);
  assert.match(
    say('SQLITE_CANTOPEN_ISDIR', { fileIsFolder: true })!.message,
    /: that is a folder, not a database file$/,
  );
  assert.match(say('EACCES', { folderExists: false })!.message, /: its folder does not exist$/);
  assert.equal(
    say('SQLITE_CANTOPEN')!.message,
    `cannot open the database ${DB}: sqlite says`,
    "no cause found: SQLite's words",
  );
  assert.equal(say('SQLITE_FULL')!.message, `cannot write the database ${DB}: the disk is full`);
  assert.match(say('SQLITE_IOERR_SHORT_READ')!.message, /disk I\/O error \(SQLITE_IOERR_SHORT_READ\)$/);
  assert.equal(say('SQLITE_BUSY'), null, 'an error this does not know is shown as it is');
});

const refusal = (code: string, message: RegExp) => (e: unknown) =>
  e instanceof StoreError && e.code === code && message.test(e.message);
const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('a file that is not a database is refused by name, for readers and writers, and is left as it was', (t) => {
  const dir = tempDataDir(t);
  const file = path.join(dir, 'fedmem.sqlite');
  const junk = Buffer.from('a text file someone saved under the database name, long enough for a header\n'.repeat(20));
  fs.writeFileSync(file, junk);
  const expected = refusal(
    'STORE_NOT_A_DATABASE',
    new RegExp(`^${escaped(file)} is not a SQLite database \\(or is corrupt\\)`),
  );
  assert.throws(() => openDatabase(dir), expected);
  assert.throws(() => openDatabase(dir, { onlyReads: true }), expected);
  assert.deepEqual(fs.readFileSync(file), junk);
});

test('a folder where the database file should be, and a data folder under a file, are refused by name', (t) => {
  const dir = tempDataDir(t);
  fs.mkdirSync(path.join(dir, 'fedmem.sqlite'));
  assert.throws(
    () => openDatabase(dir),
    refusal('STORE_CANNOT_OPEN', /fedmem\.sqlite: that is a folder, not a database file$/),
  );
  fs.writeFileSync(path.join(dir, 'a-file'), '');
  const under = path.join(dir, 'a-file', 'data');
  const refused = new RegExp(`^cannot create the data folder ${escaped(under)}: a part of that path is a file;`);
  assert.throws(() => openDatabase(under), refusal('STORE_CANNOT_OPEN', refused));
});
