/**
 * Every model exposes its final dense layer and its penultimate features (FedAU's auxiliary head sits
 * there): the head indices name the last layer's matrix and bias, and forwardWithFeatures gives the
 * same logits as forward, bit for bit, and logits = features x W + b.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildResNet } from '../../../../src/main/engine/models/resnet';
import { buildVgg9 } from '../../../../src/main/engine/models/vgg9';
import { buildModel } from '../../../../src/main/engine/models/registry';
import type { ModelDef } from '../../../../src/main/engine/types';
import { randomBatch, tf, weightTensors } from './tf-setup';

const cases: [string, ModelDef, string][] = [
  ['mlp', buildModel('mlp', [28, 28, 1], 10), 'fc3'],
  ['cnn', buildModel('cnn', [28, 28, 1], 10), 'fc2'],
  ['vgg9 authors', buildVgg9([28, 28, 1], 10), 'fc2'],
  ['vgg9 fedma', buildVgg9([32, 32, 3], 10, { layout: 'fedma' }), 'fc3'],
  ['resnet18', buildResNet(18, [8, 8, 3], 7), 'fc'],
];

for (const [label, def, last] of cases) {
  test(`${label}: the head is ${last}, and forwardWithFeatures matches forward bit for bit`, () => {
    assert.equal(def.params[def.head.weight].name, `${last}.weight`);
    assert.equal(def.params[def.head.bias].name, `${last}.bias`);
    assert.deepEqual(def.params[def.head.weight].shape, [def.head.inputDim, def.numClasses]);
    const p = weightTensors(def, 3);
    const x = randomBatch(3, def.inputShape);
    const before = tf.memory().numTensors;
    const logits = def.forward(p, x);
    const both = def.forwardWithFeatures(p, x);
    assert.equal(tf.memory().numTensors, before + 3, 'only the returned tensors remain');
    assert.deepEqual(both.features.shape, [3, def.head.inputDim]);
    assert.deepEqual(both.logits.dataSync(), logits.dataSync());
    const again = tf.tidy(() => tf.add(tf.matMul(both.features, p[def.head.weight] as tf.Tensor2D), p[def.head.bias]));
    const a = again.dataSync();
    const l = logits.dataSync();
    for (let k = 0; k < l.length; k++) assert.ok(Math.abs(a[k] - l[k]) <= 1e-5 * (1 + Math.abs(l[k])), `logit ${k}`);
    tf.dispose([logits, both.features, both.logits, again, x, ...p]);
  });
}
