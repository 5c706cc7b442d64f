/**
 * `npm run bench -- --study NAME`: runs a study preset (src/shared/study-presets.ts) end to end in a
 * fresh data folder through the same queue the app uses, and prints its wall time, what its runs
 * shared, the estimate beside the measurement, and the ablation table's top-group and test accuracy.
 * Options: --values a,b,c (replace the first axis's values), --seeds N, --no-share (every run trains
 * its own original and retrained models: what sharing saves), --rounds N and --local-epochs N (a
 * smaller training for a quicker measurement), --keep (keep the data folder), --workers 1,2 (also run
 * it through a Redis queue with that many local `fedmem worker` processes; bench-study-queue.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatSeconds } from '../src/shared/format';
import { getStudyPreset } from '../src/shared/study-presets';
import { buildStudyTable } from '../src/shared/study-table';
import { studySchema, type AxisValue } from '../src/shared/study';
import { startRun } from '../src/main/runs/record-run';
import { openDatabase } from '../src/main/store';
import { LocalStudyQueue } from '../src/main/studies/local-queue';
import { estimateItems } from '../src/main/studies/study-estimate';
import { StudyService } from '../src/main/studies/study-service';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

export async function benchStudy(name: string): Promise<void> {
  const input = getStudyPreset(name);
  const values = arg('values');
  if (values)
    input.axes[0].values = values
      .split(',')
      .map((v): AxisValue => (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v.trim()));
  if (arg('seeds')) input.seeds = Number(arg('seeds'));
  if (process.argv.includes('--no-share')) input.share = false;
  const training = (input.base.training ??= {}) as Record<string, unknown>;
  if (arg('rounds')) training.rounds = Number(arg('rounds'));
  if (arg('local-epochs')) training.localEpochs = Number(arg('local-epochs'));
  const workers = arg('workers')?.split(',').map(Number);
  // Against worker processes, each run gets one thread (as each worker's would): the queue's scaling is what is
  // measured.
  if (workers) input.base.compute = { ...(input.base.compute as object), workers: 1 };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-bench-study-'));
  const store = openDatabase(dir);
  const service = new StudyService(store);
  const study = service.create(input);
  const estimate = estimateItems(study.definition, service.configs(study.id));
  console.log(
    `study ${name}${values ? ` (values ${values})` : ''}, ${input.seeds ?? 1} seed(s), sharing ${input.share === false ? 'off' : 'on'}: ${estimate.runs} runs, ${os.cpus().length} cores`,
  );
  console.log(
    `estimate: ${formatSeconds(estimate.seconds.shared)} (${formatSeconds(estimate.seconds.unshared)} without sharing); original trainings ${estimate.originalTrainings.shared} of ${estimate.originalTrainings.unshared}, retrained models ${estimate.retrainedModels.shared} of ${estimate.retrainedModels.unshared}`,
  );
  const t0 = performance.now();
  const queue = new LocalStudyQueue(store, {
    studyId: study.id,
    launch: (config, s) => startRun(store, config, { study: s }),
  });
  await queue.idle();
  await queue.close(0);
  const seconds = (performance.now() - t0) / 1000;
  const detail = service.detail(study.id);
  const reusedOriginal = detail.items.reduce((a, it) => a + (it.shared?.original.filter(Boolean).length ?? 0), 0);
  const reusedRetrained = detail.items.reduce(
    (a, it) => a + (it.shared?.retrained.reduce((x, r) => x + r.reused, 0) ?? 0),
    0,
  );
  console.log(
    `measured: ${seconds.toFixed(1)} s (${formatSeconds(seconds)}) for ${detail.counts.done} done / ${detail.items.length} runs; reused ${reusedOriginal} original and ${reusedRetrained} retrained models`,
  );
  for (const it of detail.items)
    console.log(
      `  ${it.status.padEnd(6)} ${it.cellKey.padEnd(36)} seed ${it.seed}  ${formatSeconds((it.durationMs ?? 0) / 1000)}`,
    );
  const table = buildStudyTable(studySchema.parse(study.definition), detail.results);
  const pct = (v: number | null) => (v === null ? '   -  ' : (100 * v).toFixed(1).padStart(6));
  console.log(
    `top group (${table.columns[0]?.short}) accuracy %, |delta| to ${table.reference.label ?? table.reference.key}; D_u; test (mean over n runs x repeats)`,
  );
  for (const block of table.blocks) {
    if (block.title) console.log(`  ${block.title}`);
    for (const r of block.rows) {
      const col = (key: string) => r.cells[table.columns.findIndex((c) => c.key === key)];
      const top = r.cells[0];
      console.log(
        `    ${r.label.padEnd(28)} top ${pct(top.mean)} (${pct(top.deltaValue)})  D_u ${pct(col('unlearn').mean)}  test ${pct(col('test').mean)}  n=${r.n}`,
      );
    }
  }
  const reports = new Map(
    detail.items.map((it) => [it.key, it.runId && store.artifacts.json(it.runId, 'report', 'report')]),
  );
  store.close();
  if (workers) await (await import('./bench-study-queue')).benchStudyQueue(input, workers, { seconds, reports });
  if (process.argv.includes('--keep')) console.log(`data folder kept: ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
