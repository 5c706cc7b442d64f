/**
 * The small 2 × 2 study the distributed-queue tests run (4 runs of 2 rounds on 200 MNIST examples,
 * all sharing one original training), so every file compares the same thing.
 */
export const queueStudy = {
  base: {
    seed: 5,
    dataset: { id: 'mnist', trainSize: 200, testSize: 100 },
    partition: { clients: 3 },
    training: { rounds: 2, batchSize: 32, lr: 1e-3 },
    compute: { workers: 1 },
    unlearning: { request: { kind: 'clients', clients: [0] }, methods: [{ id: 'fedmemeraser', rho: 0.3, rounds: 1 }] },
    evaluation: { retrainModels: 1, lossSurface: { steps: 2, maxRemaining: 20 } },
  },
  axes: [
    { path: 'unlearning.methods[fedmemeraser].rho', values: [0, 0.6] },
    { path: 'evaluation.memorization', values: ['correct', 'probability'] },
  ],
};
