/**
 * Which rounds of the original training are recorded as history, written once for the engine (what
 * it writes), the estimate (how much disk that takes) and the methods (what they may read). Per repeat
 * and recorded round t, the history holds the global model before round t and each participating
 * client's update (local - global). FedRecovery needs every round; FedEraser every interval-th round
 * from round 1 (its Delta t); the union is recorded, and `training.recordHistory: true` alone records
 * every round.
 */
import type { ExperimentConfig } from './config';
import type { MethodConfig } from './method-schemas';

/** Rounds FedEraser calibrates: 1, 1 + interval, 1 + 2 interval, ... up to the last round. */
export function intervalRounds(trainingRounds: number, interval: number): number[] {
  const out: number[] = [];
  for (let t = 1; t <= trainingRounds; t += interval) out.push(t);
  return out;
}

/** Rounds one method entry reads from the history; null when it reads none. */
export function roundsNeededBy(m: MethodConfig, trainingRounds: number): number[] | null {
  if (m.id === 'fedrecovery') return intervalRounds(trainingRounds, 1);
  if (m.id === 'federaser') return intervalRounds(trainingRounds, m.interval);
  return null;
}

/** Recorded rounds (ascending), or null when the run records no history. */
export function historyRounds(config: Pick<ExperimentConfig, 'training' | 'unlearning'>): number[] | null {
  const T = config.training.rounds;
  if (config.training.recordHistory === false) return null;
  const needed = new Set<number>();
  let anyMethod = false;
  for (const m of config.unlearning?.methods ?? []) {
    const rounds = roundsNeededBy(m, T);
    if (!rounds) continue;
    anyMethod = true;
    rounds.forEach((t) => needed.add(t));
  }
  if (config.training.recordHistory === true && !anyMethod) return intervalRounds(T, 1);
  return anyMethod ? [...needed].sort((a, b) => a - b) : null;
}

/** Clients trained per round: all, or max(1, round(fraction x K)) as FedAvg samples them. */
export function clientsPerRound(clients: number, fraction: number): number {
  return fraction >= 1 ? clients : Math.max(1, Math.round(fraction * clients));
}

/**
 * Bytes the history takes on disk, given the size of one weights file of the run's model. Exact when
 * every sampled client has training data (a client with none trains nothing and has no update).
 */
export function historyBytes(
  config: Pick<ExperimentConfig, 'training' | 'unlearning' | 'partition' | 'repeats'>,
  weightsFileBytes: number,
): number {
  const rounds = historyRounds(config);
  if (!rounds) return 0;
  const filesPerRound = 1 + clientsPerRound(config.partition.clients, config.training.clientFraction);
  return config.repeats * rounds.length * filesPerRound * weightsFileBytes;
}
