import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../src/shared/config';
import type { ExamplesArtifact, UnlearningReport } from '../src/shared/results';
import { startRun } from '../src/main/runs/record-run';
import { openDatabase } from '../src/main/store';

const cfgIn = JSON.parse(process.argv[2]);
const seeds = (process.argv[3] ?? '1,2').split(',').map(Number);
for (const seed of seeds) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-x-'));
  const store = openDatabase(dir);
  const t0 = performance.now();
  const run = await startRun(store, parseConfig({ ...cfgIn, seed })).finished;
  const secs = (performance.now() - t0) / 1000;
  if (run.status !== 'done') { console.log('FAILED', run.error); continue; }
  const report = store.artifacts.get(run.id, 'report', 'report')!.json as UnlearningReport;
  const ex = store.artifacts.get(run.id, 'examples', 'examples')!.json as ExamplesArtifact;
  const n = ex.ids.length;
  const noisy = ex.noisy.reduce((a, b) => a + b, 0);
  const order = ex.score.map((s, i) => [s, i]).sort((a, b) => b[0] - a[0] || ex.ids[a[1]] - ex.ids[b[1]]);
  const top = order.slice(0, Math.round(0.2 * n));
  const topNoisy = top.reduce((a, [, i]) => a + ex.noisy[i], 0);
  const ratio = (topNoisy / top.length) / (noisy / n);
  // how many noisy are predicted as their noisy label by original
  const origFit = ex.noisy.reduce((a, v, i) => a + (v && ex.correct.original[i] ? 1 : 0), 0);
  const rows = report.rows.map((r) => `${r.label}: ${r.groupAccuracy.map((g) => g.mean === null ? '-' : (100 * g.mean).toFixed(1)).join(' ')} | test ${(100 * r.testAccuracy.mean!).toFixed(1)}`).join('\n  ');
  console.log(`seed ${seed}: ${secs.toFixed(0)} s, n=${n} noisy=${noisy} topNoisy=${topNoisy}/${top.length} ratio=${ratio.toFixed(2)} origFitsNoisy=${origFit}\n  ${rows}`);
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
