/**
 * What every model promises, checked for each in one table (full-size models on the pure-JS cpu
 * backend, hence integration): logits of shape [batch, classes] for
 * several input shapes, a nonzero gradient for every parameter tensor (nothing is dead or detached),
 * no tensors left behind by a forward pass, and wrong parameter lists or input shapes rejected.
 * Model-specific facts (parameter counts, layouts, stems) stay in each model's own test file.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tf, gradNorms, randomBatch, weightTensors } from '../../unit/engine/models/tf-setup';
import { buildCnn } from '../../../src/main/engine/models/cnn';
import { buildMlp } from '../../../src/main/engine/models/mlp';
import { buildResNet } from '../../../src/main/engine/models/resnet';
import { buildVgg9 } from '../../../src/main/engine/models/vgg9';
import type { ModelDef } from '../../../src/main/engine/types';

type Shape = [number, number, number];
interface Case {
  name: string;
  build(shape: Shape, classes: number): ModelDef;
  /** Shapes and class counts the output check runs on. */
  shapes: [Shape, number][];
  /** A small input for the gradient check; ResNet-34 has none (ResNet-18 covers the shared blocks, and 21M
   * parameters on the cpu backend are slow). */
  gradShape?: Shape;
}

const CASES: Case[] = [
  {
    name: 'MLP',
    build: buildMlp,
    shapes: [
      [[28, 28, 1], 10],
      [[32, 32, 3], 100],
      [[5, 3, 2], 3],
    ],
    gradShape: [28, 28, 1],
  },
  {
    name: 'CNN',
    build: buildCnn,
    shapes: [
      [[28, 28, 1], 10],
      [[32, 32, 3], 100],
      [[9, 7, 2], 3],
    ],
    gradShape: [28, 28, 1],
  },
  {
    name: 'VGG-9',
    build: buildVgg9,
    shapes: [
      [[28, 28, 1], 26],
      [[32, 32, 3], 10],
      [[8, 8, 3], 3],
    ],
    gradShape: [8, 8, 3],
  },
  {
    name: 'ResNet-18',
    build: (shape, classes) => buildResNet(18, shape, classes),
    // 7 -> 4 -> 2 -> 1 with torch-style padding.
    shapes: [
      [[8, 8, 3], 10],
      [[7, 7, 1], 26],
    ],
    gradShape: [8, 8, 3],
  },
  { name: 'ResNet-34', build: (shape, classes) => buildResNet(34, shape, classes), shapes: [[[8, 8, 3], 100]] },
];

const built = new Map<Case, { def: ModelDef; w: tf.Tensor[] }>();
function firstModel(c: Case): { def: ModelDef; w: tf.Tensor[] } {
  if (!built.has(c)) {
    const def = c.build(...c.shapes[0]);
    built.set(c, { def, w: weightTensors(def) });
  }
  return built.get(c)!;
}

for (const c of CASES) {
  describe(c.name, () => {
    test('logits are [batch, classes] for every input shape', () => {
      c.shapes.forEach(([shape, classes], i) => {
        const { def, w } = i === 0 ? firstModel(c) : { def: c.build(shape, classes), w: null };
        const weights = w ?? weightTensors(def);
        const y = tf.tidy(() => def.forward(weights, randomBatch(2, shape)));
        assert.deepEqual(y.shape, [2, classes], `${shape} / ${classes}`);
        tf.dispose(w ? [y] : [y, ...weights]);
      });
    });

    const gradShape = c.gradShape;
    if (gradShape)
      test('every parameter tensor receives a nonzero gradient', () => {
        const def = c.build(gradShape, 10);
        const x = randomBatch(2, gradShape);
        const norms = gradNorms(def, x);
        def.params.forEach((p, i) => assert.ok(norms[i] > 0, `${p.name}: gradient norm ${norms[i]}`));
        x.dispose();
      });

    test('a forward pass leaves only its output; wrong parameters or inputs are refused', () => {
      const [shape] = c.shapes[0];
      // Large models take seconds to initialise: reuse the first shape's weights.
      const { def, w } = firstModel(c);
      const x = randomBatch(1, shape);
      const before = tf.memory().numTensors;
      const y = def.forward(w, x);
      assert.equal(tf.memory().numTensors, before + 1, 'only the logits survive');
      y.dispose();
      assert.throws(() => def.forward(w.slice(1), x), /parameter tensors/);
      const wrong = randomBatch(1, [shape[0] + 1, shape[1], shape[2]]);
      assert.throws(() => def.forward(w, wrong), /does not match/);
      assert.equal(
        tf.memory().numTensors,
        before + 1,
        'a refused call allocates nothing (the extra tensor is `wrong`)',
      );
      tf.dispose([x, wrong]);
    });
  });
}
