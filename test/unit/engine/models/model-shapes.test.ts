/** The pure parameter shapes the estimate uses equal what the model builders create, for every model. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import './tf-setup';
import { buildModel } from '../../../../src/main/engine/models/registry';
import { MODEL_IDS } from '../../../../src/shared/catalog';
import { datasetShape, paramShapes } from '../../../../src/shared/model-shapes';

test('paramShapes mirrors buildModel(...).params (names and shapes, in order)', () => {
  const shapes: [number, number, number][] = [
    [28, 28, 1],
    [32, 32, 3],
    [20, 12, 2],
  ];
  for (const id of MODEL_IDS) {
    for (const shape of shapes) {
      for (const classes of [10, 47]) {
        const built = buildModel(id, shape, classes).params.map((p) => ({ name: p.name, shape: p.shape }));
        assert.deepEqual(paramShapes(id, shape, classes), built, `${id} ${shape} ${classes}`);
      }
    }
  }
  assert.deepEqual(datasetShape('cifar100'), { inputShape: [32, 32, 3], numClasses: 100 });
});
