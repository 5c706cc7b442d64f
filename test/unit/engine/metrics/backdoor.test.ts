import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stampTrigger } from '../../../../src/main/engine/data/backdoor';
import type { Evaluator } from '../../../../src/main/engine/fl/evaluate';
import { backdoorMeter, nonTargetIndices } from '../../../../src/main/engine/metrics/backdoor';

/**
 * A stand-in model on 2x2 images: it reads the class from the first pixel (class / 10), except that a
 * lit bottom-right pixel (the trigger) with a class below 3 makes it answer 0: a partial backdoor.
 */
const stub = {
  run(_w: unknown, data: { x: Float32Array; y: Int32Array }, idx: Int32Array) {
    const predict = (i: number) =>
      data.x[i * 4 + 3] === 1 && Math.round(data.x[i * 4] * 10) < 3 ? 0 : Math.round(data.x[i * 4] * 10);
    const correct = [...idx].filter((i) => predict(i) === data.y[i]).length;
    return Promise.resolve({ accuracy: correct / idx.length });
  },
} as unknown as Evaluator;

const images = (classes: number[]) => Float32Array.from(classes.flatMap((c) => [c / 10, 0, 0, 0]));

test('attack success, clean and triggered accuracy on a hand-worked case', async () => {
  const testY = Int32Array.from([0, 1, 2, 3, 4, 5]);
  const testX = images([0, 1, 2, 3, 4, 5]);
  const pattern = { size: 1, position: 'bottom-right' as const };
  // Training: classes 1-4; examples 1 and 3 carry the trigger and the target label 0.
  const train = { x: stampTrigger(images([1, 2, 3, 4]), [2, 2, 1], pattern, [1, 3]), y: Int32Array.from([1, 0, 3, 0]) };
  const meter = backdoorMeter(stub, {
    triggeredTest: stampTrigger(testX, [2, 2, 1], pattern, null),
    test: { x: testX, y: testY, n: 6 },
    train,
    clean: Int32Array.from([0, 2]),
    triggered: Int32Array.from([1, 3]),
    target: 0,
  });
  // Test classes 1-5 can be attacked; the trigger turns 1 and 2 into 0: 2 of 5.
  // Clean examples (classes 1, 3) are read right; of the triggered ones, class 2 answers 0, class 4 does not.
  assert.deepEqual(await meter([]), { asr: 2 / 5, cleanAccuracy: 1, triggeredAsTarget: 1 / 2 });
  assert.deepEqual([...nonTargetIndices(testY, 3)], [0, 1, 2, 4, 5]);
});
