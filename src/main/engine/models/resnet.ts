/**
 * ResNet-18 / ResNet-34 (He et al. 2016) with GroupNorm, the paper's CIFAR-10 / CIFAR-100 models.
 *
 * Source: classes OriginalResNet18 / OriginalResNet34 and BasicBlock in "Federated Unlearning Based on
 * Memorization.ipynb" of JWei1999/Rethinking-Federated-Unlearning-via-the-Lens-of-Memorization:
 *  - basic blocks [2,2,2,2] (18) / [3,4,6,3] (34), widths 64/128/256/512, first block of stages 2-4 stride 2;
 *  - every BatchNorm replaced by nn.GroupNorm(C/16 groups, eps 1e-5, affine=False): 4/8/16/32 groups;
 *  - convs without bias; projection shortcut = 1x1 conv (stride s, no bias) + GroupNorm when the shape
 *    changes; global average pool; dense with bias.
 * Stem: the authors' ResNet-34 uses the CIFAR stem (3x3 conv 64, stride 1, pad 1, no max-pool); their
 * ResNet-18 keeps the ImageNet stem (7x7 stride 2 pad 3 + 3x3/2 max-pool) and resizes CIFAR-10 to 224x224.
 * The default here is the CIFAR stem for both (32x32 input); `stem: 'imagenet'` is the ResNet-18 code variant.
 * Padding follows torch (symmetric, explicit), not tfjs 'same', so strided shapes match torch exactly.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDef } from '../types';
import { ParamList, conv, defineModel, norm, type ConvRef, type NormRef } from './layers';

export type ResNetDepth = 18 | 34;
export type ResNetStem = 'cifar' | 'imagenet';

export interface ResNetOptions {
  stem?: ResNetStem;
  /** Channels per GroupNorm group (authors: 16, i.e. 4/8/16/32 groups). */
  channelsPerGroup?: number;
  /** GroupNorm with learnable gamma/beta (authors: false). */
  affine?: boolean;
}

const BLOCKS: Record<ResNetDepth, number[]> = { 18: [2, 2, 2, 2], 34: [3, 4, 6, 3] };
const WIDTHS = [64, 128, 256, 512];

interface Block {
  stride: number;
  conv1: ConvRef;
  gn1: NormRef;
  conv2: ConvRef;
  gn2: NormRef;
  shortcut?: { conv: ConvRef; gn: NormRef };
}

export function buildResNet(
  depth: ResNetDepth,
  inputShape: [number, number, number],
  numClasses: number,
  options: ResNetOptions = {},
): ModelDef {
  const { stem = 'cifar', channelsPerGroup = 16, affine = false } = options;
  const ps = new ParamList();
  const gn = (name: string, ch: number) =>
    ps.groupNorm(name, ch, Math.max(1, Math.floor(ch / channelsPerGroup)), affine);

  const stemK = stem === 'cifar' ? 3 : 7;
  const stemConv = ps.conv('conv1', stemK, inputShape[2], WIDTHS[0], false);
  const stemGn = gn('bn1', WIDTHS[0]);

  const blocks: Block[] = [];
  let cin = WIDTHS[0];
  BLOCKS[depth].forEach((count, stage) => {
    const cout = WIDTHS[stage];
    for (let i = 0; i < count; i++) {
      const stride = i === 0 && stage > 0 ? 2 : 1;
      const prefix = `layer${stage + 1}.${i}`;
      const block: Block = {
        stride,
        conv1: ps.conv(`${prefix}.conv1`, 3, cin, cout, false),
        gn1: gn(`${prefix}.bn1`, cout),
        conv2: ps.conv(`${prefix}.conv2`, 3, cout, cout, false),
        gn2: gn(`${prefix}.bn2`, cout),
      };
      if (stride !== 1 || cin !== cout) {
        block.shortcut = {
          conv: ps.conv(`${prefix}.downsample.0`, 1, cin, cout, false),
          gn: gn(`${prefix}.downsample.1`, cout),
        };
      }
      blocks.push(block);
      cin = cout;
    }
  });
  const fc = ps.dense('fc', cin, numClasses);
  const params = ps.specs;

  const runBlock = (p: tf.Tensor[], b: Block, x: tf.Tensor4D): tf.Tensor4D => {
    let y = tf.relu(norm(p, b.gn1, conv(p, b.conv1, x, b.stride, 1)));
    y = norm(p, b.gn2, conv(p, b.conv2, y, 1, 1));
    const identity = b.shortcut ? norm(p, b.shortcut.gn, conv(p, b.shortcut.conv, x, b.stride, 0)) : x;
    return tf.relu(tf.add(y, identity)) as tf.Tensor4D;
  };

  return defineModel(
    depth === 18 ? 'resnet18' : 'resnet34',
    inputShape,
    numClasses,
    params,
    (p, x) => {
      let y: tf.Tensor4D;
      if (stem === 'cifar') {
        y = tf.relu(norm(p, stemGn, conv(p, stemConv, x, 1, 1)));
      } else {
        y = tf.relu(norm(p, stemGn, conv(p, stemConv, x, 2, 3)));
        y = tf.maxPool(y, 3, 2, 1);
      }
      for (const b of blocks) y = runBlock(p, b, y);
      return tf.mean<tf.Tensor2D>(y, [1, 2]);
    },
    fc,
  );
}
