/**
 * `round_metrics` (one row per run/stage/round) and `client_metrics` (one per client too).
 * Writes are upserts: an engine that re-emits a round (a retry) replaces the row instead of failing the run.
 */
import type Database from 'better-sqlite3';
import type { ClientMetric, RoundMetric } from './types';

interface RoundRow {
  run_id: string;
  stage: string;
  round: number;
  test_accuracy: number | null;
  test_loss: number | null;
  train_loss: number | null;
  elapsed_ms: number | null;
}

interface ClientRow {
  run_id: string;
  stage: string;
  round: number;
  client: number;
  train_loss: number | null;
  num_examples: number | null;
}

/** Optional numbers may be omitted on input. */
export type RoundMetricInput = Pick<RoundMetric, 'runId' | 'stage' | 'round'> &
  Partial<Omit<RoundMetric, 'runId' | 'stage' | 'round'>>;
export type ClientMetricInput = Pick<ClientMetric, 'runId' | 'stage' | 'round' | 'client'> &
  Partial<Pick<ClientMetric, 'trainLoss' | 'numExamples'>>;

export interface MetricsRepo {
  insertRound(m: RoundMetricInput): void;
  /** Many rounds in one transaction. */
  insertRounds(rows: readonly RoundMetricInput[]): void;
  /** One transaction for the batch (typically all clients of one round). */
  insertClientRounds(rows: readonly ClientMetricInput[]): void;
  /** Ordered by stage then round. */
  roundsFor(runId: string, stage?: string): RoundMetric[];
  /** Ordered by stage, round, client. */
  clientRoundsFor(runId: string, stage?: string, round?: number): ClientMetric[];
  /** Distinct stages of a run that has round metrics, sorted by name. */
  stagesFor(runId: string): string[];
}

const toRound = (r: RoundRow): RoundMetric => ({
  runId: r.run_id,
  stage: r.stage,
  round: r.round,
  testAccuracy: r.test_accuracy,
  testLoss: r.test_loss,
  trainLoss: r.train_loss,
  elapsedMs: r.elapsed_ms,
});

const toClient = (r: ClientRow): ClientMetric => ({
  runId: r.run_id,
  stage: r.stage,
  round: r.round,
  client: r.client,
  trainLoss: r.train_loss,
  numExamples: r.num_examples,
});

/** SQLite stores NaN as NULL anyway; say so here so a reader does not expect NaN back. */
const num = (v: number | null | undefined): number | null =>
  v === undefined || v === null || Number.isNaN(v) ? null : v;

export function createMetricsRepo(db: Database.Database): MetricsRepo {
  const upsertRound = db.prepare(
    `INSERT INTO round_metrics (run_id, stage, round, test_accuracy, test_loss, train_loss, elapsed_ms)
     VALUES (@runId, @stage, @round, @testAccuracy, @testLoss, @trainLoss, @elapsedMs)
     ON CONFLICT (run_id, stage, round) DO UPDATE SET
       test_accuracy = excluded.test_accuracy, test_loss = excluded.test_loss,
       train_loss = excluded.train_loss, elapsed_ms = excluded.elapsed_ms`,
  );
  const upsertClient = db.prepare(
    `INSERT INTO client_metrics (run_id, stage, round, client, train_loss, num_examples)
     VALUES (@runId, @stage, @round, @client, @trainLoss, @numExamples)
     ON CONFLICT (run_id, stage, round, client) DO UPDATE SET
       train_loss = excluded.train_loss, num_examples = excluded.num_examples`,
  );
  const rounds = db.prepare<{ runId: string; stage: string | null }, RoundRow>(
    `SELECT * FROM round_metrics WHERE run_id = @runId AND (@stage IS NULL OR stage = @stage)
     ORDER BY stage, round`,
  );
  const clients = db.prepare<{ runId: string; stage: string | null; round: number | null }, ClientRow>(
    `SELECT * FROM client_metrics WHERE run_id = @runId
       AND (@stage IS NULL OR stage = @stage) AND (@round IS NULL OR round = @round)
     ORDER BY stage, round, client`,
  );
  const stages = db.prepare<[string], { stage: string }>(
    'SELECT DISTINCT stage FROM round_metrics WHERE run_id = ? ORDER BY stage',
  );

  const writeRound = (m: RoundMetricInput) =>
    upsertRound.run({
      runId: m.runId,
      stage: m.stage,
      round: m.round,
      testAccuracy: num(m.testAccuracy),
      testLoss: num(m.testLoss),
      trainLoss: num(m.trainLoss),
      elapsedMs: num(m.elapsedMs),
    });
  const writeRounds = db.transaction((rows: readonly RoundMetricInput[]) => rows.forEach(writeRound));
  const writeClients = db.transaction((rows: readonly ClientMetricInput[]) => {
    for (const c of rows) {
      upsertClient.run({
        runId: c.runId,
        stage: c.stage,
        round: c.round,
        client: c.client,
        trainLoss: num(c.trainLoss),
        numExamples: c.numExamples ?? null,
      });
    }
  });

  return {
    insertRound: (m) => void writeRound(m),
    insertRounds: (rows) => writeRounds(rows),
    insertClientRounds: (rows) => writeClients(rows),
    roundsFor: (runId, stage) => rounds.all({ runId, stage: stage ?? null }).map(toRound),
    clientRoundsFor: (runId, stage, round) =>
      clients.all({ runId, stage: stage ?? null, round: round ?? null }).map(toClient),
    stagesFor: (runId) => stages.all(runId).map((r) => r.stage),
  };
}
