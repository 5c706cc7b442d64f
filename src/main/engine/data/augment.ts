/**
 * Training-time augmentation of the paper's CIFAR experiments (Appendix E.3; the standard CIFAR
 * recipe): pad each image by `padding` zero pixels on every side, crop a random window of the
 * original size, and flip it horizontally with probability 1/2. Only client training sees it;
 * evaluation, memorization scores and FedMemEraser's locate step use the images as stored.
 *
 * Draws come from the client's own seeded stream (one fork per epoch), so a run stays reproducible
 * on any worker count. Pure array code: no tensors, so it is the same on every backend.
 */
import type { Rng } from '../rng';

export interface AugmentSpec {
  /** Zero padding on each side before the random crop (4 for CIFAR). */
  padding: number;
  /** Random horizontal flip. */
  flip: boolean;
}

export const CIFAR_AUGMENT: AugmentSpec = { padding: 4, flip: true };

/** One example's draw: crop offset within the padded image (0..2*padding) and whether to flip. */
export interface AugmentDraw {
  top: number;
  left: number;
  flip: boolean;
}

export function drawAugment(rng: Rng, spec: AugmentSpec): AugmentDraw {
  const span = 2 * spec.padding + 1;
  return { top: rng.int(span), left: rng.int(span), flip: spec.flip && rng.next() < 0.5 };
}

/**
 * Writes the augmented HWC image `src` into `dst` (same size). Output pixel (r, c) reads padded
 * pixel (r + top, c' + left), where c' = W-1-c when flipped; the padded image is `src` shifted by
 * `padding` with zeros around it.
 */
export function augmentImage(
  src: Float32Array,
  dst: Float32Array,
  [h, w, ch]: readonly [number, number, number],
  padding: number,
  d: AugmentDraw,
): void {
  for (let r = 0; r < h; r++) {
    const sr = r + d.top - padding;
    for (let c = 0; c < w; c++) {
      const sc = (d.flip ? w - 1 - c : c) + d.left - padding;
      const o = (r * w + c) * ch;
      if (sr < 0 || sr >= h || sc < 0 || sc >= w) {
        dst.fill(0, o, o + ch);
      } else {
        const i = (sr * w + sc) * ch;
        for (let k = 0; k < ch; k++) dst[o + k] = src[i + k];
      }
    }
  }
}
