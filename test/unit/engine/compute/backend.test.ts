/**
 * Backend selection on a machine without the native packages (ours and CI's): auto lands on wasm,
 * explicit native requests fail with a message naming the package, detection lists all four.
 * Where a developer has installed a native package, the assertions that assume its absence skip.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { detectBackends, initBackend } from '../../../../src/main/engine/compute/backend';

const installed = (pkg: string) => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
};
const hasGpuPkg = installed('@tensorflow/tfjs-node-gpu');
const hasCpuPkg = installed('@tensorflow/tfjs-node');
const noNatives = !hasGpuPkg && !hasCpuPkg;

describe('initBackend', () => {
  it(
    'auto picks wasm when no native package is installed, single-threaded, ready to train',
    { skip: !noNatives },
    async () => {
      const handlers = process.listeners('uncaughtException').length;
      const info = await initBackend('auto');
      assert.equal(
        process.listeners('uncaughtException').length,
        handlers,
        "the wasm glue's rethrowing handler is removed",
      );
      assert.equal(info.name, 'wasm');
      assert.equal(info.tfjsVersion, tf.version_core);
      assert.match(info.detail ?? '', /\b1 thread\b/);
      assert.equal(tf.getBackend(), 'wasm');
      assert.equal(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'), false);
      assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'), 'our dW kernel is registered');
      assert.ok(tf.getGradient('Conv2D') && tf.getGradient('Sum'), 'gradients are registered');
      const chained = tf.tensor([1, 2]) as tf.Tensor & { add?: unknown };
      assert.equal(typeof chained.add, 'function', 'chained ops are registered');
      chained.dispose();
    },
  );

  it('rejects an explicit tensorflow request naming @tensorflow/tfjs-node', { skip: hasCpuPkg }, async () => {
    const before = tf.getBackend();
    await assert.rejects(initBackend('tensorflow'), (err: Error) => {
      assert.match(err.message, /@tensorflow\/tfjs-node\b(?!-gpu)/);
      assert.match(err.message, /npm install @tensorflow\/tfjs-node/);
      return true;
    });
    assert.equal(tf.getBackend(), before, 'a failed request leaves the active backend alone');
  });

  it('rejects an explicit tensorflow-gpu request naming @tensorflow/tfjs-node-gpu', { skip: hasGpuPkg }, async () => {
    await assert.rejects(initBackend('tensorflow-gpu'), /@tensorflow\/tfjs-node-gpu/);
  });

  it('can switch to cpu and back to wasm', async () => {
    assert.equal((await initBackend('cpu')).name, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    const wasm = await initBackend('wasm', { wasmThreads: 1 });
    assert.equal(wasm.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
  });
});

describe('detectBackends', () => {
  it('lists all five backends in preference order', async () => {
    const list = await detectBackends();
    assert.deepEqual(
      list.map((b) => b.name),
      ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'],
    );
    const byName = Object.fromEntries(list.map((b) => [b.name, b]));
    assert.equal(byName.wasm.available, true);
    assert.equal(byName.cpu.available, true);
    if (!hasGpuPkg) {
      assert.equal(byName['tensorflow-gpu'].available, false);
      assert.match(byName['tensorflow-gpu'].reason ?? '', /@tensorflow\/tfjs-node-gpu is not installed/);
    }
    if (!hasCpuPkg) {
      assert.equal(byName.tensorflow.available, false);
      assert.match(byName.tensorflow.reason ?? '', /@tensorflow\/tfjs-node is not installed/);
    }
  });

  it('does not change the active backend', async () => {
    const before = tf.getBackend();
    await detectBackends();
    assert.equal(tf.getBackend(), before);
  });
});
