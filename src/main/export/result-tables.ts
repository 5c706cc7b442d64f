/**
 * Tables built from an unlearning run's artifacts (issue 3): table1 (the paper's layout), examples
 * (per example of D_u), importance (Figure H10), time (Figure 2), loss-surface (Figure H13), csl
 * (Figure H9). All but table1 are plain data tables meant for CSV.
 */
import { byRepeat, type ArtifactKind, type ArtifactShapes } from '../../shared/results';
import type { Store } from '../store';
import { dataColumn as col, textColumn as text, type Table } from './table';
import { table1Csv } from './table1';

function artifact<K extends ArtifactKind>(
  store: Store,
  runId: string,
  kind: K,
  name: string = kind,
): ArtifactShapes[K] {
  const a = store.artifacts.json(runId, kind, name);
  if (a === undefined)
    throw new Error(`run ${runId} has no ${kind} results (was it an unlearning run, and did it finish?)`);
  return a;
}

/**
 * Every repeat's copy of a per-repeat artifact (csl, loss-surface), in repeat order. Their tables
 * carry a 1-based `repeat` column; runs recorded before every repeat had one give repeat 1 only.
 */
function perRepeat<K extends 'csl' | 'loss-surface'>(
  store: Store,
  runId: string,
  kind: K,
): { repeat: number; json: ArtifactShapes[K] }[] {
  const all = byRepeat(kind, store.artifacts.list(runId, kind) as { name: string; json: ArtifactShapes[K] }[]);
  if (all.length === 0) artifact(store, runId, kind); // throws the usual "has no … results"
  return all;
}

/** How captions name the run: its name as the user gave it (escaped by the LaTeX renderer). */
const runName = (store: Store, runId: string) => store.runs.get(runId)?.name ?? runId;

export function reportOf(store: Store, runId: string) {
  return artifact(store, runId, 'report');
}

/** Table 1's numbers as plain columns; its LaTeX has its own layout (latex-table1.ts). */
export function table1For(store: Store, runId: string): Table {
  return table1Csv(artifact(store, runId, 'report'));
}

export function examplesTable(store: Store, runId: string): Table {
  const ex = artifact(store, runId, 'examples');
  const report = artifact(store, runId, 'report');
  const models = Object.keys(ex.correct);
  // Model keys make headers 20-30 characters wide; numbered headers with a legend keep the table on the page.
  const modelKey = (m: string) => `correct_${m.replace(/[^a-zA-Z0-9]+/g, '_')}`;
  return {
    name: 'examples',
    keyColumns: 1,
    note: `Columns c1-c${models.length}: 1 when the model classifies the example correctly; ${models.map((m, i) => `c${i + 1} = ${m}`).join(', ')}.`,
    caption: `Every example of D_u: memorization score, GME group and correctness under each model (run ${runName(store, runId)})`,
    columns: [
      ...['id', 'client', 'label', 'noisy', 'score'].map((k) => col(k)),
      text('group'),
      col('csl'),
      ...models.map((m, i) => col(modelKey(m), { label: `c${i + 1}` })),
    ],
    rows: ex.ids.map((id, i) => ({
      id,
      client: ex.clients[i],
      label: ex.labels[i],
      noisy: ex.noisy[i],
      score: ex.score[i],
      group: ex.group[i] >= 0 ? report.groups[ex.group[i]].label : null,
      csl: ex.csl ? ex.csl[i] : null,
      ...Object.fromEntries(models.map((m) => [modelKey(m), ex.correct[m][i]])),
    })),
  };
}

export function importanceTable(store: Store, runId: string): Table {
  const all = store.artifacts.list(runId, 'importance').map((a) => a.json as ArtifactShapes['importance']);
  if (all.length === 0) throw new Error(`run ${runId} has no importance results (they come from FedMemEraser)`);
  return {
    name: 'importance',
    caption: `Parameter-importance distribution of the remaining clients' mean gradient or update (run ${runName(store, runId)})`,
    columns: [
      text('stage'),
      text('locate'),
      ...['percentile', 'log10_magnitude', 'chosen_rho', 'recommended_rho', 'knee_percentile', 'threshold'].map((k) =>
        col(k),
      ),
    ],
    rows: all.flatMap((imp) =>
      imp.percentiles.map((p, i) => ({
        stage: imp.stage,
        locate: imp.locate ?? 'first-round-update',
        percentile: p,
        log10_magnitude: imp.log10Magnitude[i],
        chosen_rho: imp.chosenRho,
        recommended_rho: imp.recommendedRho,
        knee_percentile: imp.kneePercentile,
        threshold: imp.threshold,
      })),
    ),
  };
}

export function timeTable(store: Store, runId: string): Table {
  const time = artifact(store, runId, 'time');
  return {
    name: 'time',
    caption: `Test accuracy against rounds and wall-clock seconds (run ${runName(store, runId)})`,
    keyColumns: 2,
    columns: [
      text('stage', 'l'),
      ...['round', 'seconds', 'test_accuracy', 'peak_accuracy', 'peak_round', 'peak_seconds'].map((k) => col(k)),
    ],
    rows: time.curves.flatMap((c) =>
      c.points.map((p) => ({
        stage: c.stage,
        round: p.round,
        seconds: p.seconds,
        test_accuracy: p.testAccuracy,
        peak_accuracy: c.peakAccuracy,
        peak_round: c.peakRound,
        peak_seconds: c.peakSeconds,
      })),
    ),
  };
}

const SET_LABEL = { remaining: 'Rem.', unlearning: '$D_u$', test: 'Test' } as const;

export function lossSurfaceTable(store: Store, runId: string): Table {
  const all = perRepeat(store, runId, 'loss-surface');
  const sets = ['remaining', 'unlearning', 'test'] as const;
  return {
    name: 'loss-surface',
    caption: `Loss and accuracy along the straight path from the original model (t=0) to each target (t=1), per repeat (run ${runName(store, runId)})`,
    keyColumns: 3,
    columns: [
      col('repeat'),
      text('target', 'l'),
      col('t'),
      ...sets.flatMap((s) => [
        col(`${s}_loss`, { label: `${SET_LABEL[s]} loss` }),
        col(`${s}_accuracy`, { label: `${SET_LABEL[s]} acc.` }),
      ]),
    ],
    rows: all.flatMap(({ repeat, json: ls }) =>
      ls.paths.flatMap((path) =>
        path.points.map((p) => ({
          repeat: repeat + 1,
          target: path.target,
          t: p.t,
          ...Object.fromEntries(
            sets.flatMap((s) => [
              [`${s}_loss`, p[s].loss],
              [`${s}_accuracy`, p[s].accuracy],
            ]),
          ),
        })),
      ),
    ),
  };
}

export function cslTable(store: Store, runId: string): Table {
  const all = perRepeat(store, runId, 'csl');
  // D_u is resolved once per run, so the examples table's ids index every repeat's CSL arrays.
  const ex = artifact(store, runId, 'examples');
  const each = (f: (c: ArtifactShapes['csl']) => string) => all.map(({ json }) => f(json)).join(' / ');
  const over = all.length > 1 ? ` (repeats 1-${all.length})` : '';
  return {
    name: 'csl',
    caption:
      `CSL vs memorization score per example of D_u; cosine ${each((c) => c.cosine?.toFixed(3) ?? 'n/a')}, ` +
      `top-${Math.round(all[0].json.topFraction * 100)}% overlap ${each((c) => `${(c.overlap * 100).toFixed(1)}%`)}${over} (run ${runName(store, runId)})`,
    keyColumns: 2,
    columns: ['repeat', 'id', 'csl', 'memorization_score'].map((k) => col(k)),
    rows: all.flatMap(({ repeat, json: csl }) =>
      csl.csl.map((v, i) => ({ repeat: repeat + 1, id: ex.ids[i], csl: v, memorization_score: csl.score[i] })),
    ),
  };
}
