/**
 * VGG-9 with GroupNorm, the paper's EMNIST model ("EMNIST is processed using a VGG-9 model (Simonyan &
 * Zisserman, 2014)"; the paper gives no layer table).
 *
 * Source of the default layout ('authors'): class VGG9_GN in "Federated Unlearning Based on
 * Memorization.ipynb" of JWei1999/Rethinking-Federated-Unlearning-via-the-Lens-of-Memorization, the model
 * the authors actually ran:
 *   conv3x3 64 (pad 1, bias) - GN(8, affine) - ReLU - conv 64 - GN - ReLU - maxpool2
 *   conv 128 - GN - ReLU - conv 128 - GN - ReLU - maxpool2
 *   flatten - dense 256 - ReLU - dense classes            (its dropout is commented out)
 * Despite the name it has 6 weight layers. torch's nn.GroupNorm defaults to affine=True, so gamma/beta are
 * parameters here (initialised U(-0.1, 0.1) like every rank-1 tensor in the authors' reset).
 *
 * Option layout 'fedma': the 9-weight-layer "VGG-9" common in FL papers (FedMA, Wang et al. 2020;
 * IBM/FedMA ModerateCNN): conv 32-64-pool-128-128-pool-256-256-pool, dense 512-512-classes; here with the
 * same GroupNorm(8, affine) after each conv and without its dropout (forward has no training mode).
 *
 * The flatten order is NHWC (H, W, C), not torch's (C, H, W): this only matters when importing torch weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDef } from '../types';
import {
  ParamList,
  conv,
  defineModel,
  dense,
  flatten,
  maxPool2,
  norm,
  type ConvRef,
  type DenseRef,
  type NormRef,
} from './layers';

export type Vgg9Layout = 'authors' | 'fedma';

export interface Vgg9Options {
  layout?: Vgg9Layout;
  /** GroupNorm groups (the authors' default: 8). */
  groups?: number;
}

/** Conv widths with 'M' for a 2x2 max-pool, and hidden dense widths, per layout. */
const LAYOUTS: Record<Vgg9Layout, { features: (number | 'M')[]; hidden: number[] }> = {
  authors: { features: [64, 64, 'M', 128, 128, 'M'], hidden: [256] },
  fedma: { features: [32, 64, 'M', 128, 128, 'M', 256, 256, 'M'], hidden: [512, 512] },
};

type Stage = { kind: 'conv'; conv: ConvRef; norm: NormRef } | { kind: 'pool' };

export function buildVgg9(
  inputShape: [number, number, number],
  numClasses: number,
  options: Vgg9Options = {},
): ModelDef {
  const { layout = 'authors', groups = 8 } = options;
  const cfg = LAYOUTS[layout];
  const ps = new ParamList();
  const stages: Stage[] = [];
  let [h, w, c] = inputShape;
  let convIdx = 0;
  for (const item of cfg.features) {
    if (item === 'M') {
      stages.push({ kind: 'pool' });
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
    } else {
      convIdx++;
      stages.push({
        kind: 'conv',
        conv: ps.conv(`conv${convIdx}`, 3, c, item, true),
        norm: ps.groupNorm(`gn${convIdx}`, item, groups, true),
      });
      c = item;
    }
  }
  if (h * w === 0) throw new Error(`vgg9: input ${inputShape[0]}x${inputShape[1]} is too small for its pools`);
  const fcs: DenseRef[] = [];
  let dim = h * w * c;
  for (const width of [...cfg.hidden, numClasses]) {
    fcs.push(ps.dense(`fc${fcs.length + 1}`, dim, width));
    dim = width;
  }
  const params = ps.specs;
  return defineModel(
    'vgg9',
    inputShape,
    numClasses,
    params,
    (p, x) => {
      let y = x;
      for (const s of stages) {
        y = s.kind === 'pool' ? maxPool2(y) : tf.relu(norm(p, s.norm, conv(p, s.conv, y, 1, 1)));
      }
      let z = flatten(y);
      for (let i = 0; i < fcs.length - 1; i++) z = tf.relu(dense(p, fcs[i], z));
      return z;
    },
    fcs[fcs.length - 1],
  );
}
