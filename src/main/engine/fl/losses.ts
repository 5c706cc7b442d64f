import * as tf from '@tensorflow/tfjs-core';

/**
 * The objectives a client can minimise. 'ce' is ordinary training; 'fedosd-uce' is FedOSD's
 * unlearning cross-entropy (Pan et al. 2025), minimised on the data to forget.
 */
export const LOSS_IDS = ['ce', 'fedosd-uce'] as const;
export type LossId = (typeof LOSS_IDS)[number];

/** Softmax cross-entropy per example, from logits [b, C] and integer labels [b]. */
export function perExampleCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const onehot = tf.oneHot(labels, logits.shape[1]);
    return tf.neg(tf.sum(tf.mul(onehot, logp), 1)) as tf.Tensor1D;
  });
}

/**
 * FedOSD's unlearning cross-entropy per example: -log(1 - p_y / 2), p = softmax(logits), as the
 * public code's UnLearningCELoss computes it. Descending it lowers p_y like gradient ascent on CE
 * would, but the loss is bounded (0 to log 2) and its gradient vanishes as p_y -> 0 instead of
 * exploding, so the unlearning run converges. 1 - p_y / 2 >= 1/2, so the log never sees 0.
 */
export function perExampleUnlearningCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const p = tf.softmax(logits);
    const onehot = tf.oneHot(labels, logits.shape[1]);
    const py = tf.sum(tf.mul(onehot, p), 1);
    return tf.neg(tf.log(tf.sub(1, tf.mul(py, 0.5)))) as tf.Tensor1D;
  });
}

export function perExampleLoss(loss: LossId, logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return loss === 'fedosd-uce'
    ? perExampleUnlearningCrossEntropy(logits, labels)
    : perExampleCrossEntropy(logits, labels);
}
