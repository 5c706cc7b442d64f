/**
 * `fedmem rename`, `note`, `tag`, `list` filters and `show`'s settings, as a user runs them: a real
 * process on a real data directory whose runs are written through the store (no engine needed to
 * rename or tag a run), read back through the store afterwards.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { applyTagChanges } from '../../../src/main/cli/annotate-commands';
import { openDatabase } from '../../../src/main/store';
import { getPreset } from '../../../src/shared/presets';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-cli-annotate-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function fedmem(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args, '--data-dir', dataDir], { encoding: 'utf8', cwd: os.tmpdir() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const stored = (id: string) => {
  const store = openDatabase(dataDir, { recoverInterrupted: false });
  try {
    return store.runs.require(id);
  } finally {
    store.close();
  }
};

let close = '';
let far = '';
before(() => {
  const store = openDatabase(dataDir);
  const make = (name: string, delta: number) => {
    const r = store.runs.create({ name, config: getPreset('quick'), status: 'running' });
    store.runs.finish(r.id, 'done', null, {
      testAccuracy: 0.95,
      rows: [
        {
          key: 'unlearn:fedmemeraser',
          label: 'FedMemEraser',
          kind: 'method',
          testAccuracy: 0.949,
          unlearnAccuracy: 0.8,
          topGroupDelta: delta,
        },
      ],
    });
    return r.id;
  };
  close = make('close to retraining', 0.05);
  far = make('far from retraining', 0.3);
  store.close();
});

test('+tag and -tag edit a set: a bare tag adds, removing a missing tag is harmless, the result is sorted', () => {
  assert.deepEqual(applyTagChanges(['b', 'old'], ['+a', '-old', 'c', '-missing', '+a']), ['a', 'b', 'c']);
  assert.throws(() => applyTagChanges([], ['+']), /"\+" names no tag/);
});

test('rename, note and tag write through to the store', () => {
  const r = fedmem('rename', close, 'rho 0.3 baseline');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${close}  rho 0.3 baseline\n`);
  assert.equal(fedmem('note', close, 'lr looks high').code, 0);
  assert.equal(fedmem('tag', close, '+baseline', '+sweep').stdout, `${close}  tags: baseline, sweep\n`);
  // "-sweep" is a tag to remove, not an option.
  const t = fedmem('tag', close, '-sweep', '+iid');
  assert.equal(t.code, 0, t.stderr);
  assert.equal(t.stdout, `${close}  tags: baseline, iid\n`);
  assert.equal(fedmem('tag', close).stdout, `${close}  tags: baseline, iid\n`, 'no changes: prints the tags');
  const run = stored(close);
  assert.deepEqual(
    { name: run.name, note: run.note, tags: run.tags },
    { name: 'rho 0.3 baseline', note: 'lr looks high', tags: ['baseline', 'iid'] },
  );
  assert.equal(fedmem('note', close, '').stdout, `${close}  note cleared\n`);
  assert.equal(stored(close).note, null);
});

test('bad input is refused with the same plain message the app shows', () => {
  const bad = fedmem('tag', far, '+no spaces!');
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /^fedmem: .*may contain only letters, digits, - and _/);
  assert.deepEqual(stored(far).tags, []);
  const missing = fedmem('rename', 'no-such-run', 'x');
  assert.notEqual(missing.code, 0);
  assert.equal(missing.stderr, 'fedmem: run no-such-run does not exist\n');
});

test('list filters by --tag, --where on a metric, --method and --search words', () => {
  const ids = (out: string) =>
    out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/\s+/)[0]);
  fedmem('tag', far, '+sweep');
  assert.deepEqual(ids(fedmem('list', '--tag', 'sweep').stdout), [far]);
  assert.deepEqual(
    ids(fedmem('list', '--where', 'FedMemEraser top-delta <= 10').stdout),
    [close],
    '|Δ| 5 points passes, 30 does not',
  );
  assert.deepEqual(
    ids(fedmem('list', '--where', 'FedMemEraser test >= 94.9', '--where', 'Original test >= 95').stdout),
    [far, close],
  );
  assert.equal(
    fedmem('list', '--where', 'NoT test >= 0').stdout,
    'no run matches the filter\n',
    'a run without the row does not match',
  );
  assert.deepEqual(ids(fedmem('list', '--method', 'fedmemeraser', '--search', 'far "labels flipped"').stdout), [far]);
  const bad = fedmem('list', '--where', 'FedMemEraser speed >= 2');
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /^fedmem: --where: "speed" is not a metric; use one of test, du, top-delta/);
});

test('show starts with the settings summary, then the tags and the note', () => {
  fedmem('note', far, 'compare with the Dirichlet run');
  const r = fedmem('show', far);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0], new RegExp(`^run\\s+${far}\\s+\\(far from retraining\\)`));
  assert.equal(lines[1], 'settings');
  assert.match(r.stdout, /\n {2}clients\s+3 clients, IID\n/);
  assert.match(r.stdout, /\n {2}label noise\s+client 0, 10% of labels flipped\n/);
  assert.match(r.stdout, /\n {2}methods\s+Retrained; Fine-tune 3 rounds; FedMemEraser ρ 0\.3/);
  assert.match(r.stdout, /\ntags\s+sweep\nnote\s+compare with the Dirichlet run\nstatus\s+done/);
});
