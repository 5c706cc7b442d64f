/**
 * Evaluates one model the way every table needs it: per example of D_u (for memorization scores and
 * GME groups), on the test set, and on each remaining client's data (for local fairness). Labels are
 * the training labels (after any injected noise): memorization is about what the model fit.
 */
import type { PerExample } from '../fl/evaluate';
import type { ExperimentContext } from '../prepare';
import type { Weights } from '../types';
import type { ResolvedRequest } from './request';

export interface ModelAssessment {
  key: string;
  unlearn: PerExample;
  unlearnAccuracy: number;
  testAccuracy: number;
  testLoss: number;
  /** Mean loss on each remaining client's D_r part, aligned with request.remainingClients. */
  clientLoss: number[];
}

export function assessModel(exp: ExperimentContext, request: ResolvedRequest, key: string, weights: Weights): ModelAssessment {
  const train = { x: exp.dataset.train.x, y: exp.trainLabels };
  const du = exp.evaluator.run(weights, train, request.unlearn, request.unlearn.length);
  const test = exp.evaluateTest(weights);
  const clientLoss = request.remainingClients.map((k) => {
    const idx = request.remainingByClient[k];
    return exp.evaluator.run(weights, train, idx, idx.length).loss;
  });
  return { key, unlearn: du.perExample, unlearnAccuracy: du.accuracy, testAccuracy: test.accuracy, testLoss: test.loss, clientLoss };
}
