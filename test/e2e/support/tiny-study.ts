/**
 * The smallest study base the study tests run (seconds per run): 3 clients, one round, J = 1, retraining
 * and FedMemEraser.
 */
export const TINY_STUDY_BASE = {
  seed: 3,
  dataset: { id: 'mnist', trainSize: 300, testSize: 100 },
  partition: { clients: 3 },
  training: { rounds: 1, batchSize: 32, lr: 1e-3 },
  unlearning: {
    request: { kind: 'clients', clients: [0] },
    methods: [{ id: 'retrain' }, { id: 'fedmemeraser', rho: 0.3, rounds: 1 }],
  },
  evaluation: { retrainModels: 1, lossSurface: false, csl: false },
};
