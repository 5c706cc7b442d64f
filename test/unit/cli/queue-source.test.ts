/**
 * Where the CLI takes the queue URL from (queue-source.ts): FEDMEM_QUEUE_URL (then taken out of the
 * environment the engines inherit), a queue file that must be owner-only, or --queue, where a password
 * is warned about without being repeated.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { CliError } from '../../../src/main/process-exit';
import {
  QUEUE_URL_ENV,
  queueFileProblem,
  readQueueFile,
  requireQueueUrl,
  takeQueueUrl,
} from '../../../src/main/cli/queue-source';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-queue-file-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const URL_WITH_PASSWORD = 'redis://:Tr0ub4dor-pw@127.0.0.1:6390/1';

function queueFile(name: string, text: string, mode: number): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  // chmod, not writeFile's mode: the umask would narrow that one.
  fs.chmodSync(file, mode);
  return file;
}

test('a queue file is trusted only when it is yours and no one else may read or write it', () => {
  const ok = { isFile: true, mode: 0o100600, uid: 1000 };
  assert.equal(queueFileProblem('q', ok, 1000, 'linux'), null);
  assert.equal(queueFileProblem('q', { ...ok, mode: 0o100400 }, 1000, 'linux'), null);
  for (const mode of [0o100640, 0o100604, 0o100644, 0o100620, 0o100602, 0o100610, 0o100601, 0o100666]) {
    const problem = queueFileProblem('/home/ana/q', { ...ok, mode }, 1000, 'linux');
    assert.equal(
      problem,
      `queue file /home/ana/q can be read by other users (mode ${(mode & 0o777).toString(8)}); make it owner-only with: chmod 600 /home/ana/q`,
    );
  }
  assert.match(
    queueFileProblem('q', { ...ok, uid: 0 }, 1000, 'linux')!,
    /^queue file q belongs to another user \(uid 0\)/,
  );
  assert.equal(queueFileProblem('q', { ...ok, isFile: false }, 1000, 'linux'), 'queue file q is not a file');
  // Windows modes say nothing about other readers: there, only that it is a file.
  assert.equal(queueFileProblem('q', { ...ok, mode: 0o100666 }, undefined, 'win32'), null);
});

test('reading a queue file: the URL on its one line, or one sentence naming the file', () => {
  assert.equal(readQueueFile(queueFile('good', `${URL_WITH_PASSWORD}\n`, 0o600)), URL_WITH_PASSWORD);
  const open = queueFile('open', URL_WITH_PASSWORD, 0o644);
  assert.throws(
    () => readQueueFile(open),
    (e: Error) =>
      e instanceof CliError &&
      e.message ===
        `queue file ${open} can be read by other users (mode 644); make it owner-only with: chmod 600 ${open}`,
  );
  assert.throws(
    () => readQueueFile(queueFile('empty', '\n', 0o600)),
    /queue file .*empty is empty; write the queue URL in it/,
  );
  assert.throws(
    () => readQueueFile(queueFile('two', `${URL_WITH_PASSWORD}\nredis://h`, 0o600)),
    /must hold one line, the queue URL/,
  );
  assert.throws(() => readQueueFile(path.join(dir, 'missing')), /^Error: cannot read queue file .*missing: ENOENT$/);
  assert.throws(() => readQueueFile(dir), /is not a file/);
  if (process.getuid?.() === 0) {
    // As root a file can be given away: then it is someone else's, whatever its mode.
    const theirs = queueFile('theirs', URL_WITH_PASSWORD, 0o600);
    fs.chownSync(theirs, 65534, 65534);
    assert.throws(() => readQueueFile(theirs), /belongs to another user \(uid 65534\)/);
  }
});

test('FEDMEM_QUEUE_URL gives the queue and leaves the environment, so forked engines never see it', () => {
  const env: NodeJS.ProcessEnv = { [QUEUE_URL_ENV]: ` ${URL_WITH_PASSWORD} `, PATH: '/bin' };
  const warnings: string[] = [];
  assert.equal(
    takeQueueUrl({}, env, (l) => warnings.push(l)),
    URL_WITH_PASSWORD,
  );
  assert.deepEqual(env, { PATH: '/bin' });
  assert.deepEqual(warnings, []);
  // An empty variable is no queue (the way to run one command here with the variable exported).
  assert.equal(takeQueueUrl({}, { [QUEUE_URL_ENV]: '' }), null);
  assert.equal(takeQueueUrl({}, {}), null);
});

test('flags come before the variable; a password in --queue works but is warned about once, without being repeated', () => {
  const file = queueFile('flag', 'redis://:from-file@h', 0o600);
  const warnings: string[] = [];
  const warn = (l: string) => warnings.push(l);
  assert.equal(takeQueueUrl({ queueFile: file }, { [QUEUE_URL_ENV]: 'redis://env' }, warn), 'redis://:from-file@h');
  assert.equal(takeQueueUrl({ queue: 'redis://h:1' }, { [QUEUE_URL_ENV]: 'redis://env' }, warn), 'redis://h:1');
  assert.deepEqual(warnings, []);
  const said: string[] = [];
  assert.equal(
    takeQueueUrl({ queue: URL_WITH_PASSWORD }, {}, (l) => said.push(l)),
    URL_WITH_PASSWORD,
  );
  assert.equal(said.length, 1);
  assert.match(
    said[0],
    /^fedmem: warning: a password in --queue can be read by every user of this machine \(ps\); set FEDMEM_QUEUE_URL or use --queue-file PATH instead$/,
  );
  assert.ok(!said[0].includes('Tr0ub4dor'));
  assert.throws(
    () => takeQueueUrl({ queue: 'redis://h', queueFile: file }, {}),
    /give --queue or --queue-file, not both/,
  );
  assert.throws(
    () => requireQueueUrl({}, {}),
    (e: Error) =>
      e instanceof CliError &&
      /^give the queue: set FEDMEM_QUEUE_URL=redis:\/\/.*--queue-file PATH .*--queue URL$/.test(e.message),
  );
});
