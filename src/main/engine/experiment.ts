/**
 * One experiment, start to finish, as stages that emit events: the original federated training and,
 * when the config asks for unlearning, the whole comparison of Table 1 (retrained models, each
 * method, GME, fairness, CSL, time analysis, loss surface), repeated over seeds.
 */
import type { ExperimentConfig } from '../../shared/config';
import type { EngineStartOptions } from '../../shared/events';
import { historyRounds } from '../../shared/history';
import type { RunSummary, SharedStages } from '../../shared/results';
import { stageId } from '../../shared/stages';
import { historyRepeatDir } from './fl/history';
import { buildReport, type RepeatResult } from './metrics/report';
import { prepare } from './prepare';
import { Progress, trainOriginal, type Emit } from './stages';
import { runRepeat } from './unlearning/pipeline';
import { noSharing } from './unlearning/shared-stages';
import { StageCache } from './stage-cache';
import { RunCheckpoint } from './checkpoint/run-checkpoint';
import { runPlannedRounds } from '../../shared/method-rounds';
import { resolveRequest } from './unlearning/request';
import { evaluationClock } from './fl/evaluate';

export type { Emit } from './stages';

export async function runExperiment(
  config: ExperimentConfig,
  emit: Emit,
  signal: AbortSignal,
  start: EngineStartOptions = {},
): Promise<void> {
  const ctx = await prepare(config, emit, signal, start.probeCache ?? null);
  const share = evaluationShare(emit);
  try {
    const progress = new Progress(runPlannedRounds(config));
    const rounds = historyRounds(config);
    // Per repeat: where the original training records its history (and the methods read it), if anywhere.
    const record = (repeat: number) =>
      rounds && start.historyDir ? { dir: historyRepeatDir(start.historyDir, repeat), rounds } : undefined;
    // A study's runs share their stages instead (stage-cache.ts); the two are never used together.
    const runCheckpoint =
      start.checkpoint && !start.share
        ? new RunCheckpoint(start.checkpoint.dir, start.checkpoint.runId, config, ctx.backend.name, (level, message) =>
            emit({ type: 'log', level, message }),
          )
        : null;
    if (!config.unlearning) {
      const original = await trainOriginal(ctx, emit, progress, signal, {
        stage: stageId({ role: 'original', repeat: 0 }),
        seed: config.seed,
        history: record(0),
        ...(runCheckpoint && { checkpoint: runCheckpoint }),
      });
      const last = original.rounds[original.rounds.length - 1];
      emit({
        type: 'done',
        summary: {
          testAccuracy: last.testAccuracy,
          testLoss: last.testLoss,
          bestTestAccuracy: Math.max(...original.rounds.map((r) => r.testAccuracy)),
          rounds: original.rounds.length,
        },
      });
      share.report();
      return;
    }
    const request = resolveRequest(config.unlearning.request, ctx.partition, ctx.trainLabels, ctx.rng.fork('request'));
    emit({
      type: 'artifact',
      kind: 'request',
      name: 'request',
      json: {
        kind: request.kind,
        examples: request.unlearn.length,
        unlearningClients: request.unlearningClients,
        remainingClients: request.remainingClients,
      },
    });
    const repeats: RepeatResult[] = [];
    // In a study, trainings another run already did are reused (unlearning/shared-stages.ts).
    const cache = start.share ? new StageCache(start.share) : null;
    const shared: SharedStages = { original: [], retrained: [] };
    for (let k = 0; k < config.repeats; k++) {
      const sharing = noSharing();
      repeats.push(
        await runRepeat({
          ctx,
          request,
          repeat: k,
          emit,
          progress,
          signal,
          history: record(k),
          shared: { cache, sharing, runCheckpoint },
        }),
      );
      shared.original.push(sharing.original);
      shared.retrained.push(sharing.retrained);
    }
    if (cache) emit({ type: 'artifact', kind: 'shared', name: 'shared', json: shared });
    emit({ type: 'phase', phase: 'evaluating', stage: 'report', label: 'building the report' });
    const req = config.unlearning.request;
    const report = buildReport(repeats, {
      request: { kind: req.kind, clients: req.clients, class: req.class, examples: request.unlearn.length },
      unlearningClients: request.unlearningClients,
      remainingClients: request.remainingClients,
      memorization: config.evaluation.memorization,
      clipNegative: config.evaluation.clipNegative,
      fairness: config.evaluation.fairness,
    });
    emit({ type: 'artifact', kind: 'report', name: 'report', json: report });
    const summary: RunSummary = {
      testAccuracy: report.rows[0].testAccuracy.mean,
      unlearnedExamples: request.unlearn.length,
      rows: report.rows.slice(1).map((row) => ({
        key: row.key,
        label: row.label,
        kind: row.kind,
        testAccuracy: row.testAccuracy.mean,
        unlearnAccuracy: row.unlearnAccuracy.mean,
        topGroupDelta: row.groupDelta[0],
      })),
    };
    share.report();
    emit({ type: 'done', summary });
  } finally {
    await ctx.close();
  }
}

/** Logs, at the end, how much of the run's wall time went to forward-only evaluation (fl/evaluate.ts). */
function evaluationShare(emit: Emit): { report: () => void } {
  const start = { ...evaluationClock, at: performance.now() };
  return {
    report: () => {
      const total = (performance.now() - start.at) / 1000;
      const seconds = evaluationClock.seconds - start.seconds;
      const passes = evaluationClock.passes - start.passes;
      const examples = evaluationClock.examples - start.examples;
      emit({
        type: 'log',
        level: 'info',
        message:
          `Evaluation took ${seconds.toFixed(1)} s of the run's ${total.toFixed(1)} s ` +
          `(${((100 * seconds) / Math.max(total, 1e-9)).toFixed(0)}%): ${passes} passes over ${examples} examples.`,
      });
    },
  };
}
