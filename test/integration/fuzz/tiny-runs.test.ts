/**
 * For a few generated valid configs (tiny sizes: at most 300 training examples, 2 rounds, 3 clients,
 * an MLP and one fine-tuning step), `fedmem run` does what validation promised: the run completes.
 * Three samples keep this under a minute; FUZZ_SEED replays another draw.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { validateConfig } from '../../../src/shared/config';
import { validConfigArb } from '../../unit/fuzz/arbitraries';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-fuzz-runs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const seed = Number(process.env.FUZZ_SEED ?? 20240613);
const configs = fc.sample(validConfigArb({ tiny: true }), { numRuns: 3, seed });

configs.forEach((config, i) => {
  test(`generated tiny config ${i + 1} (seed ${seed}) validates and runs to completion`, { timeout: 120_000 }, () => {
    const checked = validateConfig(config);
    assert.ok(checked.ok, JSON.stringify(checked));
    const file = path.join(tmp, `config-${i}.json`);
    fs.writeFileSync(file, JSON.stringify(config));
    const r = spawnSync(
      process.execPath,
      [bin, 'run', '--config', file, '--data-dir', path.join(tmp, 'data'), '--json'],
      { encoding: 'utf8', cwd: os.tmpdir() },
    );
    assert.equal(r.status, 0, `${r.stderr}\nconfig: ${JSON.stringify(config)}`);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const last = events[events.length - 1];
    assert.equal(last.type, 'finished');
    assert.equal(last.status, 'done', String(last.error));
    const rounds = events.filter((e) => e.type === 'round' && e.stage === 'original').map((e) => e.round);
    assert.deepEqual(
      rounds,
      Array.from({ length: checked.ok ? checked.config.training.rounds : 0 }, (_, k) => k + 1),
    );
  });
});
