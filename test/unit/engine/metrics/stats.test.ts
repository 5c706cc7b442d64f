import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { aggregateRepeats, mean, sampleStd } from '../../../../src/main/engine/metrics/stats';
import { MetricsError } from '../../../../src/main/engine/metrics/errors';

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

describe('stats', () => {
  test('mean and sample std on a hand-worked case', () => {
    // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32
    // sample var = 32/7 (numpy's default population var would be 32/8 = 4)
    const v = [2, 4, 4, 4, 5, 5, 7, 9];
    assert.equal(mean(v), 5);
    close(sampleStd(v), Math.sqrt(32 / 7));
  });

  test('std of one value is 0; empty and NaN input throw', () => {
    assert.equal(sampleStd([3.5]), 0);
    assert.throws(() => mean([]), MetricsError);
    assert.throws(() => sampleStd([1, NaN]), MetricsError);
  });

  test('aggregateRepeats: elementwise, nulls skipped and counted', () => {
    // three repeats x three groups; group 1 empty in repeat 2; group 2 empty everywhere
    const r = aggregateRepeats([
      [0.2, 0.5, null],
      [0.4, null, null],
      [0.6, 0.7, null],
    ]);
    // group 0: mean 0.4, sample std sqrt(((-.2)^2 + 0 + .2^2)/2) = 0.2
    close(r[0].mean!, 0.4);
    close(r[0].std!, 0.2);
    assert.equal(r[0].count, 3);
    assert.equal(r[0].skipped, 0);
    // group 1: values 0.5, 0.7 -> mean 0.6, std sqrt((0.01+0.01)/1) = sqrt(0.02)
    close(r[1].mean!, 0.6);
    close(r[1].std!, Math.sqrt(0.02));
    assert.equal(r[1].count, 2);
    assert.equal(r[1].skipped, 1);
    assert.deepEqual(r[2], { mean: null, std: null, count: 0, skipped: 3 });
  });

  test('aggregateRepeats rejects ragged rows', () => {
    assert.throws(() => aggregateRepeats([[1, 2], [1]]), /repeat 1 has 1 values/);
    assert.throws(() => aggregateRepeats([]), MetricsError);
  });
});
