/** What history a config records, the config rules around it, and its size on disk. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig, validateConfig } from '../../../src/shared/config';
import { clientsPerRound, historyBytes, historyRounds, intervalRounds } from '../../../src/shared/history';
import { estimateRun } from '../../../src/main/runs/estimate';
import { paramShapes } from '../../../src/shared/model-shapes';

const base = (training: object, methods: object[] | null, request: object = { kind: 'clients', clients: [1] }) => ({
  seed: 1,
  dataset: { id: 'mnist', trainSize: 100, testSize: 50 },
  partition: { clients: 4 },
  training: { rounds: 5, ...training },
  ...(methods && { unlearning: { request, methods } }),
});

test('recorded rounds: every round for FedRecovery, every interval-th for FedEraser, the union for both', () => {
  assert.deepEqual(intervalRounds(5, 2), [1, 3, 5]);
  assert.deepEqual(intervalRounds(6, 2), [1, 3, 5]);
  assert.equal(
    historyRounds(parseConfig(base({}, [{ id: 'finetune' }]))),
    null,
    'no method needs it: nothing recorded',
  );
  assert.deepEqual(historyRounds(parseConfig(base({}, [{ id: 'fedrecovery' }]))), [1, 2, 3, 4, 5]);
  assert.deepEqual(historyRounds(parseConfig(base({}, [{ id: 'federaser' }]))), [1, 3, 5], 'default interval 2');
  assert.deepEqual(
    historyRounds(
      parseConfig(
        base({}, [
          { id: 'federaser', interval: 3 },
          { id: 'federaser', interval: 2, label: 'e2' },
        ]),
      ),
    ),
    [1, 3, 4, 5],
  );
  assert.deepEqual(
    historyRounds(parseConfig(base({ recordHistory: true }, null))),
    [1, 2, 3, 4, 5],
    'asked for alone: every round',
  );
  assert.equal(historyRounds(parseConfig(base({ recordHistory: false }, [{ id: 'finetune' }]))), null);
});

test('recordHistory false with a method that needs it is an error on that field, in plain words', () => {
  const r = validateConfig(base({ recordHistory: false }, [{ id: 'federaser' }]));
  assert.equal(r.ok, false);
  const issue = !r.ok && r.issues.find((i) => i.path === 'training.recordHistory');
  assert.ok(issue, JSON.stringify(!r.ok && r.issues));
  assert.match(issue.message, /federaser/);
  assert.match(issue.message, /true or leave it unset/);
});

test('both methods need a client request; bad params name their field', () => {
  const r = validateConfig(base({}, [{ id: 'fedrecovery' }], { kind: 'class', class: 3 }));
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.issues.map((i) => i.path), ['unlearning.methods.0.id']);
  assert.throws(
    () => parseConfig(base({}, [{ id: 'federaser', calibrationRatio: 0 }])),
    (e: ConfigError) => e.issues[0].path === 'unlearning.methods.0.calibrationRatio',
  );
  assert.throws(
    () => parseConfig(base({}, [{ id: 'federaser', interval: 0 }])),
    (e: ConfigError) => e.issues[0].path === 'unlearning.methods.0.interval',
  );
  assert.throws(
    () => parseConfig(base({}, [{ id: 'fedrecovery', sigma: -1 }])),
    (e: ConfigError) => e.issues[0].path === 'unlearning.methods.0.sigma',
  );
  assert.throws(
    () => parseConfig(base({}, [{ id: 'fedrecovery', noise: 1 }])),
    (e: ConfigError) => /unknown key "noise"/.test(e.message),
  );
  const defaults = parseConfig(base({}, [{ id: 'fedrecovery' }, { id: 'federaser' }])).unlearning!.methods;
  assert.deepEqual(defaults, [
    { id: 'fedrecovery', sigma: 0.02, weighting: 'normalized', residual: 'contribution', scale: 1 },
    { id: 'federaser', interval: 2, calibrationRatio: 0.5, calibrate: 'client' },
  ]);
});

test('history size: files per round = 1 global + the sampled clients, times rounds and repeats', () => {
  assert.equal(clientsPerRound(10, 1), 10);
  assert.equal(clientsPerRound(10, 0.25), 3);
  assert.equal(clientsPerRound(10, 0.01), 1);
  const config = parseConfig({ ...base({}, [{ id: 'federaser' }]), repeats: 2 });
  assert.equal(historyBytes(config, 1000), 2 * 3 * (1 + 4) * 1000);
  assert.equal(historyBytes(parseConfig(base({}, [{ id: 'finetune' }])), 1000), 0);
});

test('the wizard estimate carries the history size only when history is recorded', () => {
  assert.equal(estimateRun(parseConfig(base({}, [{ id: 'finetune' }]))).historyBytes, 0);
  const cnn = estimateRun(parseConfig(base({}, [{ id: 'fedrecovery' }]))).historyBytes;
  // 5 rounds x 5 files (a global and 4 clients), each 4 bytes a parameter plus a header under 1 kB.
  const params = paramShapes('cnn', [28, 28, 1], 10).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  assert.ok(params > 100_000);
  assert.ok(cnn > 5 * 5 * params * 4 && cnn < 5 * 5 * (params * 4 + 1000), `${cnn}`);
});
