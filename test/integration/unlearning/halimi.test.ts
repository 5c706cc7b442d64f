/**
 * Halimi et al. through the real engine process on a tiny MNIST client request: the original training
 * keeps the leaving client's final local model, the method's ascent runs from the reference model
 * without it and reports itself, the post-training rounds are the ones it planned, and the report has
 * its rows. A second entry with a small ball and no early stop shows the ball holds in a real run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import type { EngineEvent } from '../../../src/shared/events';
import type { UnlearningReport } from '../../../src/shared/results';
import { useStoredRun } from '../support/stored-run';

const config = parseConfig({
  seed: 3,
  dataset: { id: 'mnist', trainSize: 300, testSize: 200 },
  partition: { clients: 3 },
  training: { rounds: 2, batchSize: 32, lr: 1e-3 },
  unlearning: {
    request: { kind: 'clients', clients: [1] },
    methods: [
      { id: 'halimi', rounds: 1 },
      { id: 'halimi', label: 'small ball', rounds: 2, radius: 0.1, distanceThreshold: 1e9, epochs: 1 },
    ],
  },
  evaluation: { retrainModels: 1, lossSurface: false, csl: false },
});

const logs: string[] = [];
const run = useStoredRun(config, {
  onEvent: (_id: string, e: EngineEvent) => void (e.type === 'log' && logs.push(e.message)),
});

test('the report has a row per Halimi entry between the original and the retrained baseline', () => {
  const report = run.store.artifacts.get(run.runId, 'report', 'report')!.json as UnlearningReport;
  assert.deepEqual(
    report.rows.map((r) => r.label),
    ['Original', 'Halimi et al.', 'small ball', 'Retrained baseline'],
  );
  assert.deepEqual(report.remainingClients, [0, 2]);
});

test('the ascent ran from the reference without the leaving client; its trace says how it ended', () => {
  const trace = (stage: string) => {
    const t = run.store.artifacts.json(run.runId, 'method-trace', stage);
    assert.ok(t && t.method === 'halimi', `no Halimi trace for ${stage}`);
    return t;
  };
  const [early, small] = [trace('unlearn:halimi'), trace('unlearn:small ball')];
  for (const t of [early, small])
    assert.deepEqual(t.removedClients, [1], 'the final round kept client 1’s local model');
  // One epoch over client 1's data in batches of 32; the small ball is reached and holds.
  const sizes = (run.store.artifacts.get(run.runId, 'partition', 'partition')!.json as { sizes: number[] }).sizes;
  assert.equal(small.stoppedEarly, false);
  assert.equal(small.radius, 0.1);
  assert.equal(small.steps, Math.ceil(sizes[1] / 32));
  assert.ok(small.projectedSteps > 0);
  const reached = small.lastDistanceToReference!;
  assert.ok(reached <= 0.1 + 1e-6 && reached > 0.1 - 1e-4, `the last iterate is on the sphere (${reached})`);
  // With the published threshold the ascent stops early here, at a step just past it.
  assert.equal(early.stoppedEarly, true);
  assert.ok(early.lastSquaredDistanceToLeaving! > early.distanceThreshold && early.distanceThreshold === 2.2);
  assert.ok(!logs.some((m) => m.includes('the reference model is the original')), 'no fallback');
  assert.equal(logs.filter((m) => m.includes('projected ascent')).length, 2, 'the ascent is also reported in the log');
});

test('post-training rounds are the planned ones, on the remaining clients, with the ascent in their clock', () => {
  const rounds = run.store.metrics.roundsFor(run.runId);
  const of = (stage: string) => rounds.filter((r) => r.stage === stage);
  assert.equal(of('unlearn:halimi').length, 1);
  assert.equal(of('unlearn:small ball').length, 2);
  const [r1, r2] = of('unlearn:small ball');
  assert.ok(r1.elapsedMs! > 0 && r2.elapsedMs! > r1.elapsedMs!);
});
