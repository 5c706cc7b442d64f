/**
 * The one table model of each analysis (analysis-results.ts), built from its per-repeat artifacts. The
 * Results view shows it and `fedmem export --table distances|stability|reset` writes it as CSV, JSON
 * or LaTeX; both only render what these functions return. Accuracies stay fractions in the data.
 */
import type {
  BackdoorArtifact,
  DistancesArtifact,
  EmbeddingsArtifact,
  ResetArtifact,
  ResetOutcome,
  StabilityArtifact,
} from './analysis-results';

export interface AnalysisTableColumn {
  key: string;
  /** Plain text; the LaTeX renderer escapes it. */
  label: string;
  type: 'number' | 'string';
}

export interface AnalysisTable {
  name: string;
  caption: string;
  columns: AnalysisTableColumn[];
  rows: Record<string, number | string | null>[];
  note?: string;
  /** Leading columns that identify a row. */
  keyColumns: number;
}

type PerRepeat<T> = readonly { repeat: number; json: T }[];

const num = (key: string, label = key): AnalysisTableColumn => ({ key, label, type: 'number' });
const str = (key: string, label = key): AnalysisTableColumn => ({ key, label, type: 'string' });
const mean = (v: readonly number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);

/** Means over the pairs of one kind (Appendix G.1's finding compares these two). */
export interface DistanceMeans {
  l2: number | null;
  cosine: number | null;
  kl: number | null;
  pairs: number;
}

/**
 * The G.1 finding in two numbers per measure: the mean over distinct retrained pairs, and the mean from
 * each retrained model to the original (KL both ways). Close means: the retrained models are as far from
 * each other as from the original.
 */
export function distanceFinding(d: DistancesArtifact): {
  betweenRetrained: DistanceMeans;
  retrainedToOriginal: DistanceMeans;
} {
  const r = d.models.flatMap((m, i) => (m.role === 'retrained' ? [i] : []));
  const o = d.models.findIndex((m) => m.role === 'original');
  const pairs: [number, number][] = [];
  r.forEach((i) => r.forEach((j) => i !== j && pairs.push([i, j])));
  const toOriginal: [number, number][] =
    o < 0 ? [] : r.flatMap((i) => [[i, o] as [number, number], [o, i] as [number, number]]);
  const means = (ps: [number, number][]): DistanceMeans => ({
    l2: mean(ps.map(([i, j]) => d.l2[i][j])),
    cosine: mean(ps.map(([i, j]) => d.cosine[i][j])),
    kl: mean(ps.map(([i, j]) => d.kl[i][j])),
    pairs: ps.length / 2,
  });
  return { betweenRetrained: means(pairs), retrainedToOriginal: means(toOriginal) };
}

const fmt = (v: number | null, digits = 3) => (v === null ? 'n/a' : v.toFixed(digits));

export function distancesTable(all: PerRepeat<DistancesArtifact>, run: string): AnalysisTable {
  const f = all.map(({ json }) => distanceFinding(json));
  const avg = (pick: (x: ReturnType<typeof distanceFinding>) => number | null) =>
    mean(f.map(pick).filter((v): v is number => v !== null));
  const first = all[0]?.json;
  return {
    name: 'distances',
    caption:
      `Distances between every pair of models (Appendix G.1, Figure G6), KL on ${first?.klExamples ?? 0} examples of ${first?.klOn === 'test' ? 'the test set' : 'D_u'}; ` +
      `mean L2 between retrained models ${fmt(avg((x) => x.betweenRetrained.l2))} vs retrained to original ${fmt(avg((x) => x.retrainedToOriginal.l2))}, ` +
      `KL ${fmt(
        avg((x) => x.betweenRetrained.kl),
        4,
      )} vs ${fmt(
        avg((x) => x.retrainedToOriginal.kl),
        4,
      )} (run ${run})`,
    keyColumns: 3,
    columns: [
      num('repeat'),
      str('from'),
      str('to'),
      num('l2', 'L2 distance'),
      num('cosine', 'cosine similarity'),
      num('kl', 'KL(from || to)'),
    ],
    rows: all.flatMap(({ repeat, json: d }) =>
      d.models.flatMap((a, i) =>
        d.models.map((b, j) => ({
          repeat: repeat + 1,
          from: a.label,
          to: b.label,
          l2: d.l2[i][j],
          cosine: d.cosine[i][j],
          kl: d.kl[i][j],
        })),
      ),
    ),
  };
}

export function stabilityTable(all: PerRepeat<StabilityArtifact>, run: string): AnalysisTable {
  const j = Math.max(0, ...all.map((a) => a.json.probabilities.length));
  const first = all[0]?.json;
  const shares = all.map(({ json }) => `${(json.unstableShare * 100).toFixed(1)}%`).join(' / ');
  return {
    name: 'stability',
    caption:
      `Probability of the label of each example of D_u under each retrained model, sorted by the mean (Appendix G.2, Figure G7); ` +
      `unstable (${first?.measure === 'std' ? 'standard deviation' : 'max - min'} above ${first?.threshold ?? ''}): ${shares}${all.length > 1 ? ' per repeat' : ''} (run ${run})`,
    keyColumns: 3,
    columns: [
      num('repeat'),
      num('rank'),
      num('id'),
      num('mean'),
      num('spread'),
      num('unstable'),
      ...Array.from({ length: j }, (_, k) => num(`p_retrained_${k + 1}`, `retrained ${k + 1}`)),
    ],
    rows: all.flatMap(({ repeat, json: s }) =>
      s.ids.map((id, i) => ({
        repeat: repeat + 1,
        rank: i + 1,
        id,
        mean: s.mean[i],
        spread: s.spread[i],
        unstable: s.spread[i] > s.threshold ? 1 : 0,
        ...Object.fromEntries(s.probabilities.map((p, k) => [`p_retrained_${k + 1}`, p[i]])),
      })),
    ),
  };
}

const ratioLabel = (r: number) => `${+(r * 100).toFixed(2)}%`;
const STRATEGY_LABEL = { important: 'important', redundant: 'redundant' } as const;

/**
 * Table H8's layout: one row per GME group of D_u, then D_u, D_r (sample) and the test set; a column for
 * the original model and, for each ratio, resetting the important and the redundant parameters. Each
 * cell is the mean accuracy over repeats (an empty group: null).
 */
export function resetTable(all: PerRepeat<ResetArtifact>, run: string): AnalysisTable {
  const first = all[0]?.json;
  if (!first) return { name: 'reset', caption: 'no reset results', columns: [], rows: [], keyColumns: 1 };
  const ratios = [...new Set(first.outcomes.map((o) => o.ratio))];
  const cols = ratios.flatMap((ratio) =>
    (['important', 'redundant'] as const).map((strategy) => ({ ratio, strategy, key: `${strategy}_${ratio}` })),
  );
  type Acc = Pick<ResetOutcome, 'remaining' | 'unlearn' | 'test' | 'groupAccuracy'>;
  const avgOf = (pick: (a: ResetArtifact) => Acc | undefined, value: (x: Acc) => number | null) =>
    mean(
      all
        .map(({ json }) => pick(json))
        .flatMap((x) => (x ? [value(x)] : []))
        .filter((v): v is number => v !== null),
    );
  const lines: { set: string; value: (x: Acc) => number | null }[] = [
    ...first.groups.map((g, p) => ({ set: `Group ${g.label}`, value: (x: Acc) => x.groupAccuracy[p] })),
    { set: 'D_u', value: (x) => x.unlearn },
    { set: 'D_r (sample)', value: (x) => x.remaining },
    { set: 'Test', value: (x) => x.test },
  ];
  return {
    name: 'reset',
    caption: `Accuracy right after resetting the important (SalUn) or the redundant (FedMemEraser) parameters, no fine-tuning (Appendix H.1, Table H8)${all.length > 1 ? `, mean over ${all.length} repeats` : ''} (run ${run})`,
    keyColumns: 1,
    columns: [
      str('set', 'Data'),
      num('original', 'Original'),
      ...cols.map((c) => num(c.key, `${STRATEGY_LABEL[c.strategy]} ${ratioLabel(c.ratio)}`)),
    ],
    rows: lines.map(({ set, value }) => ({
      set,
      original: avgOf((a) => a.original, value),
      ...Object.fromEntries(
        cols.map((c) => [
          c.key,
          avgOf((a) => a.outcomes.find((o) => o.ratio === c.ratio && o.strategy === c.strategy), value),
        ]),
      ),
    })),
    note: `D_r accuracy on a sample of ${first.remainingSample} examples; ratios are shares of all ${first.totalScalars.toLocaleString('en-US')} parameters.`,
  };
}

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : 'n/a');
const leavingLabel = (e: EmbeddingsArtifact) =>
  `client${e.unlearningClients.length > 1 ? 's' : ''} ${e.unlearningClients.join(', ')}`;

/** Figure 1's overlap: per repeat and model, the share of the leaving client's points mixed with the others'. */
export function embeddingsOverlapTable(all: PerRepeat<EmbeddingsArtifact>, run: string): AnalysisTable {
  const first = all[0]?.json;
  return {
    name: 'embeddings-overlap',
    caption:
      `Overlap of the leaving ${first ? leavingLabel(first) : 'client'}'s features with the other clients' (class ${first?.class ?? ''}): ` +
      `share of its examples whose ${first?.k ?? ''} nearest neighbours in the ${first?.dimension ?? ''}-dimensional feature space are mostly other clients' (run ${run})`,
    keyColumns: 2,
    columns: [
      num('repeat'),
      str('model', 'Model'),
      num('overlap', 'overlap'),
      num('chance', 'if fully mixed'),
      num('points', 'examples'),
      num('explained', 'variance shown in 2-D'),
    ],
    rows: all.flatMap(({ repeat, json: e }) =>
      e.panels.map((p) => ({
        repeat: repeat + 1,
        model: p.model.label,
        overlap: p.overlap,
        chance: p.overlapChance,
        points: e.ids.length,
        explained: p.explained[0] + p.explained[1],
      })),
    ),
  };
}

/** Figure 1's data: every 2-D point with its model, client and example id (the export table). */
export function embeddingsTable(all: PerRepeat<EmbeddingsArtifact>, run: string): AnalysisTable {
  const overlaps = all.flatMap(({ json: e }) => e.panels.map((p) => `${p.model.label} ${pct(p.overlap)}`)).join(', ');
  const first = all[0]?.json;
  return {
    name: 'embeddings',
    caption: `Features of class ${first?.class ?? ''} projected to 2-D by PCA, per model (Figure 1); overlap of the leaving ${first ? leavingLabel(first) : 'client'}: ${overlaps} (run ${run})`,
    keyColumns: 4,
    columns: [
      num('repeat'),
      str('model', 'Model'),
      num('client'),
      num('id'),
      num('unlearning', 'leaving client'),
      num('x', 'PC 1'),
      num('y', 'PC 2'),
    ],
    rows: all.flatMap(({ repeat, json: e }) =>
      e.panels.flatMap((p) =>
        p.points.map(([x, y], i) => ({
          repeat: repeat + 1,
          model: p.model.label,
          client: e.clients[i],
          id: e.ids[i],
          unlearning: e.unlearningClients.includes(e.clients[i]) ? 1 : 0,
          x,
          y,
        })),
      ),
    ),
  };
}

/**
 * Figure G8 as a table: each model at its end (original, retrained, methods), then every round of the
 * original training and of each method that trains; accuracies and the attack success as fractions.
 */
export function backdoorTable(all: PerRepeat<BackdoorArtifact>, run: string): AnalysisTable {
  const first = all[0]?.json;
  const asrOf = (role: string) =>
    mean(all.flatMap(({ json }) => json.models.filter((m) => m.role === role).map((m) => m.asr)));
  const values = (p: {
    testAccuracy: number;
    asr: number;
    cleanAccuracy: number | null;
    triggeredAsTarget: number | null;
  }) => ({
    test: p.testAccuracy,
    asr: p.asr,
    clean: p.cleanAccuracy,
    triggered: p.triggeredAsTarget,
  });
  return {
    name: 'backdoor',
    caption:
      `Backdoor to class ${first?.target ?? '?'} vs normal data (Appendix G.3, Figure G8): attack success after the original training ${fmt(asrOf('original'))}, ` +
      `retrained ${fmt(asrOf('retrained'))}, unlearned ${fmt(asrOf('method'))} (run ${run})`,
    keyColumns: 4,
    columns: [
      num('repeat'),
      str('model', 'Model'),
      str('when', 'When'),
      num('round'),
      num('test', 'test accuracy'),
      num('asr', 'attack success'),
      num('clean', 'D_u clean accuracy'),
      num('triggered', 'D_u triggered as target'),
    ],
    rows: all.flatMap(({ repeat, json }) => [
      ...json.models.map((m) => ({ repeat: repeat + 1, model: m.label, when: 'end', round: null, ...values(m) })),
      ...json.stages.flatMap((s) =>
        s.points.map((p) => ({ repeat: repeat + 1, model: s.label, when: 'round', round: p.round, ...values(p) })),
      ),
    ]),
    note: "D_u clean / triggered: the backdoored clients' examples without and with the trigger; attack success on test examples of other classes with the trigger stamped.",
  };
}
