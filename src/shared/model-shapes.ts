/**
 * Parameter names and shapes of every model with its registry defaults, for what must be known before
 * a run without loading tfjs (the history's disk estimate in Electron main). The builders in
 * src/main/engine/models stay the source of truth: a unit test checks that these equal their `params`
 * for every model and input shape, so a change there fails until it is mirrored here.
 */
import { DATASETS, type DatasetId, type ModelId } from './catalog';

export interface ParamShape {
  name: string;
  shape: number[];
}

/** Input shape and class count per dataset, from the catalog ('idx' folders are assumed MNIST-like there). */
export function datasetShape(id: DatasetId): { inputShape: [number, number, number]; numClasses: number } {
  const { shape, numClasses } = DATASETS[id].facts;
  return { inputShape: [shape[0], shape[1], shape[2]], numClasses };
}

class Shapes {
  readonly list: ParamShape[] = [];
  add(name: string, shape: number[]) {
    this.list.push({ name, shape });
  }
  conv(name: string, k: number, cin: number, cout: number, bias: boolean) {
    this.add(`${name}.weight`, [k, k, cin, cout]);
    if (bias) this.add(`${name}.bias`, [cout]);
  }
  dense(name: string, inDim: number, outDim: number) {
    this.add(`${name}.weight`, [inDim, outDim]);
    this.add(`${name}.bias`, [outDim]);
  }
}

const pooled = (n: number, pools: number) => {
  for (let i = 0; i < pools; i++) n = Math.floor(n / 2);
  return n;
};

export function paramShapes(model: ModelId, inputShape: [number, number, number], numClasses: number): ParamShape[] {
  const [h, w, c] = inputShape;
  const s = new Shapes();
  if (model === 'mlp') {
    s.dense('fc1', h * w * c, 200);
    s.dense('fc2', 200, 200);
    s.dense('fc3', 200, numClasses);
  } else if (model === 'cnn') {
    s.conv('conv1', 3, c, 16, true);
    s.conv('conv2', 3, 16, 32, true);
    s.dense('fc1', pooled(h, 2) * pooled(w, 2) * 32, 64);
    s.dense('fc2', 64, numClasses);
  } else if (model === 'vgg9') {
    let cin = c;
    [64, 64, 128, 128].forEach((cout, i) => {
      s.conv(`conv${i + 1}`, 3, cin, cout, true);
      s.add(`gn${i + 1}.weight`, [cout]);
      s.add(`gn${i + 1}.bias`, [cout]);
      cin = cout;
    });
    s.dense('fc1', pooled(h, 2) * pooled(w, 2) * 128, 256);
    s.dense('fc2', 256, numClasses);
  } else {
    // ResNet with the CIFAR stem and GroupNorm without affine (no norm parameters).
    const blocks = model === 'resnet18' ? [2, 2, 2, 2] : [3, 4, 6, 3];
    const widths = [64, 128, 256, 512];
    s.conv('conv1', 3, c, 64, false);
    let cin = 64;
    blocks.forEach((count, stage) => {
      const cout = widths[stage];
      for (let i = 0; i < count; i++) {
        const prefix = `layer${stage + 1}.${i}`;
        s.conv(`${prefix}.conv1`, 3, cin, cout, false);
        s.conv(`${prefix}.conv2`, 3, cout, cout, false);
        if ((i === 0 && stage > 0) || cin !== cout) s.conv(`${prefix}.downsample.0`, 1, cin, cout, false);
        cin = cout;
      }
    });
    s.dense('fc', cin, numClasses);
  }
  return s.list;
}
