/**
 * Evaluates one model the way every table needs it: per example of D_u (for memorization scores and
 * GME groups), on the test set, and on each remaining client's data (for local fairness). Labels are
 * the training labels (after any injected noise): memorization is about what the model fit.
 * Evaluation is forward-only and draws no randomness, so adding one never shifts a run's numbers.
 */
import type { BackdoorMetrics, SetAccuracy } from '../../../shared/results';
import type { Evaluation, PerExample } from '../fl/evaluate';
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
  /** Accuracy on the whole of D_r (every remaining client's data); null when D_r is empty. */
  remainingAccuracy: number | null;
  /** Examples of D_r that accuracy was measured on. */
  remainingExamples: number;
  /** With a backdoor: the attack success rate and accuracy on the backdoored clients' data. */
  backdoor?: BackdoorMetrics;
}

/**
 * Accuracy over several evaluated parts pooled by their sizes (correct / examples); null for no
 * examples. An empty part (whose accuracy the evaluator gives as NaN) adds nothing.
 */
export function pooledAccuracy(parts: readonly { accuracy: number; n: number }[]): number | null {
  const full = parts.filter((p) => p.n > 0);
  const n = full.reduce((a, p) => a + p.n, 0);
  return n === 0 ? null : full.reduce((a, p) => a + p.accuracy * p.n, 0) / n;
}

export async function assessModel(
  exp: ExperimentContext,
  request: ResolvedRequest,
  key: string,
  weights: Weights,
): Promise<ModelAssessment> {
  const train = { x: exp.dataset.train.x, y: exp.trainLabels };
  const du = await exp.evaluator.run(weights, train, request.unlearn, request.unlearn.length);
  const test = await exp.evaluateTest(weights);
  const clients: Evaluation[] = [];
  for (const k of request.remainingClients) {
    const idx = request.remainingByClient[k];
    clients.push(await exp.evaluator.run(weights, train, idx, idx.length));
  }
  return {
    key,
    unlearn: du.perExample,
    unlearnAccuracy: du.accuracy,
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    clientLoss: clients.map((c) => c.loss),
    remainingAccuracy: pooledAccuracy(clients),
    remainingExamples: clients.reduce((a, c) => a + c.n, 0),
    ...(test.backdoor && { backdoor: test.backdoor }),
  };
}

/** The accuracy triple the FedMemEraser panel shows (D_r, D_u, test) of an assessed model. */
export function setAccuracy(a: ModelAssessment): SetAccuracy {
  return {
    remaining: a.remainingAccuracy,
    unlearn: a.unlearnAccuracy,
    test: a.testAccuracy,
    remainingExamples: a.remainingExamples,
  };
}
