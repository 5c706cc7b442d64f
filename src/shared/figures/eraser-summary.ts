/**
 * The "what FedMemEraser did" panel's model, from each repeat's importance artifact (named by the
 * entry's stage in that repeat): how ρ was set in one sentence, the reset per parameter tensor, and
 * accuracy on D_r, D_u and test right after the reset and after fine-tuning, as mean ± std over
 * repeats (no ± for one repeat). Runs recorded before these were kept show what they have.
 */
import { SELECTIONS } from '../catalog';
import type { ImportanceArtifact, ReportRow, SetAccuracy, Stat } from '../results';
import { parseStageId } from '../stages';
import { meanStd, stageLabel } from './common';
import { firstRepeatStage } from './live-curve';
import { importanceSignal } from './importance';

export interface EraserEntry {
  /** The entry's stage in the first repeat ('unlearn:fedmemeraser'), the key of its Table 1 row. */
  stage: string;
  label: string;
  /** One artifact per repeat, in repeat order. */
  repeats: ImportanceArtifact[];
}

/** Importance artifacts grouped by method entry (in the order entries first appear), repeats sorted. */
export function eraserEntries(artifacts: readonly { name: string; json: ImportanceArtifact }[]): EraserEntry[] {
  const byStage = new Map<string, { repeat: number; json: ImportanceArtifact }[]>();
  for (const { name, json } of artifacts) {
    const stage = firstRepeatStage(name);
    byStage.set(stage, [...(byStage.get(stage) ?? []), { repeat: parseStageId(name)?.repeat ?? 0, json }]);
  }
  return [...byStage].map(([stage, list]) => ({
    stage,
    label: stageLabel(stage),
    repeats: list.sort((a, b) => a.repeat - b.repeat).map((x) => x.json),
  }));
}

/** Mean ± sample std over repeats; std null with one value (nothing to spread), mean null with none. */
export function repeatStat(values: readonly (number | null | undefined)[]): Stat {
  const s = meanStd(values);
  return {
    mean: s?.mean ?? null,
    std: s && s.n > 1 ? s.std : null,
    values: values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null)),
  };
}

const num = (v: number) => v.toLocaleString('en-US');

/** A count over repeats with thousands separators: "31,759", or "2 ± 1.4" as a mean over repeats. */
export function countText(s: Stat): string {
  if (s.mean === null) return '—';
  const f = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: s.std === null ? 0 : 1 });
  return s.std === null ? f(s.mean) : `${f(s.mean)} ± ${f(s.std)}`;
}
const rho = (v: number) => String(Math.round(v * 1000) / 1000);

/** "0.3", "0.3 and 0.25", "0.3, 0.25 and 0.2", or "0.2 to 0.3" for more than four values. */
export function valueList(values: readonly number[], fmt: (v: number) => string = rho): string {
  const distinct = [...new Set(values.map(fmt))];
  if (distinct.length === 1) return distinct[0];
  if (values.length > 4) return `${fmt(Math.min(...values))} to ${fmt(Math.max(...values))}`;
  const all = values.map(fmt);
  return `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}`;
}

/** Which scalars were re-initialised, in words; `share` ("30%") only where ρ is a share of all scalars. */
function whatIsReset(imp: ImportanceArtifact, share?: string): string {
  if (imp.selection === 'redundant')
    return `the ${share ? `${share} of ` : ''}scalars the remaining clients use least (smallest ${importanceSignal(imp)})`;
  const name = (SELECTIONS as Record<string, { name: string }>)[imp.selection]?.name ?? imp.selection;
  return `the scalars the “${name}” selection picks`;
}

/** How ρ was set, in one sentence. Runs recorded before the rule was kept only give the value. */
export function rhoSentence(repeats: readonly ImportanceArtifact[]): string {
  const first = repeats[0];
  const rules = new Set(repeats.map((i) => i.rhoRule));
  const chosen = repeats.map((i) => i.chosenRho).filter((v): v is number => v !== null);
  const per = repeats.length > 1 && new Set(chosen).size > 1 ? ` in the ${repeats.length} repeats` : '';
  const share = chosen.length ? valueList(chosen, (v) => `${rho(100 * v)}%`) : undefined;
  if (rules.size === 1 && first.rhoRule === 'fixed')
    return `ρ = ${valueList(chosen)}, set in the run's settings: ${whatIsReset(first, share)} were re-initialised.`;
  if (rules.size === 1 && first.rhoRule === 'gamma')
    return `A threshold instead of a ratio: ${whatIsReset(first)} with importance below γ = ${first.gamma ?? '?'} were re-initialised.`;
  if (rules.size === 1 && first.rhoRule === 'auto') {
    const knees = repeats.map((i) => i.kneePercentile!);
    const exps = repeats.map((i) => Math.round(Math.log10(i.threshold!)));
    return (
      `ρ “auto” = ${valueList(chosen)}${per} (the paper's rule, Appendix H.3): the importance curve rises sharply from the ${valueList(knees, (v) => `${rho(v)}th`)} percentile ` +
      `(around ${valueList(exps, (e) => `10^${e + 1}`)}), and ρ is the share of scalars one order of magnitude lower, below ${valueList(exps, (e) => `10^${e}`)}.`
    );
  }
  if (rules.has('auto') || rules.has('auto-fallback')) {
    const each = repeats.map(
      (i, r) =>
        `${rho(i.chosenRho ?? NaN)} in repeat ${r + 1}${i.rhoRule === 'auto-fallback' ? ' (the curve had no knee: the fallback)' : ''}`,
    );
    return `ρ “auto” (the paper's rule, Appendix H.3) chose ${each.join(', ')}; ${whatIsReset(first)} were re-initialised.`;
  }
  return chosen.length
    ? `ρ = ${valueList(chosen)}: ${whatIsReset(first, share)} were re-initialised.`
    : `Re-initialised: ${whatIsReset(first)}.`;
}

export interface LayerRow {
  name: string;
  shape: string;
  scalars: number;
  reset: Stat;
  /** reset / scalars, a fraction. */
  share: Stat;
}

/** Per parameter tensor (model order) and a total row; null for runs that did not record layers. */
export function layerRows(repeats: readonly ImportanceArtifact[]): { rows: LayerRow[]; total: LayerRow } | null {
  const layers = repeats[0]?.layers;
  if (!layers || repeats.some((i) => !i.layers || i.layers.length !== layers.length)) return null;
  const rows = layers.map((l, t) => {
    const reset = repeats.map((i) => i.layers![t].reset);
    return {
      name: l.name,
      shape: l.shape.join('×'),
      scalars: l.scalars,
      reset: repeatStat(reset),
      share: repeatStat(reset.map((n) => (l.scalars ? n / l.scalars : null))),
    };
  });
  const total = repeats[0].totalScalars;
  const reset = repeats.map((i) => i.resetScalars);
  return {
    rows,
    total: {
      name: 'All parameters',
      shape: '',
      scalars: total,
      reset: repeatStat(reset),
      share: repeatStat(reset.map((n) => (total ? n / total : null))),
    },
  };
}

export type SetKey = 'remaining' | 'unlearn' | 'test';

export interface AccuracyRow {
  key: SetKey;
  label: string;
  afterReset: Stat | null;
  afterFineTune: Stat | null;
}

const SET_LABELS: Record<SetKey, string> = {
  remaining: 'D_r (remaining clients)',
  unlearn: 'D_u (data to forget)',
  test: 'Test set',
};

/**
 * D_r, D_u and test × right after the reset / after fine-tuning. After fine-tuning is the model
 * Table 1 assesses; a run recorded before the artifact kept it takes D_u and test from `row`.
 */
export function accuracyRows(repeats: readonly ImportanceArtifact[], row?: ReportRow | null): AccuracyRow[] {
  const from = (pick: (i: ImportanceArtifact) => SetAccuracy | undefined, key: SetKey): Stat | null =>
    repeats.every((i) => pick(i)) ? repeatStat(repeats.map((i) => pick(i)![key])) : null;
  const fallback: Partial<Record<SetKey, Stat>> = row ? { unlearn: row.unlearnAccuracy, test: row.testAccuracy } : {};
  return (['remaining', 'unlearn', 'test'] as const).map((key) => ({
    key,
    label: SET_LABELS[key],
    afterReset: from((i) => i.afterReset, key),
    afterFineTune: from((i) => i.afterFineTune, key) ?? fallback[key] ?? null,
  }));
}

/** "after fine-tuning (3 rounds)"; "no fine-tuning (the reset alone)" for rounds 0; unknown for old runs. */
export function fineTuneHeading(repeats: readonly ImportanceArtifact[]): string {
  const rounds = repeats[0]?.fineTuneRounds;
  if (rounds === undefined) return 'After fine-tuning';
  return rounds === 0
    ? 'Unlearned (no fine-tuning)'
    : `After fine-tuning (${num(rounds)} round${rounds === 1 ? '' : 's'})`;
}

/** "D_r: all 3,000 examples of the remaining clients"; null when not recorded. */
export function remainingNote(repeats: readonly ImportanceArtifact[]): string | null {
  const n = repeats.map((i) => i.afterReset?.remainingExamples).filter((v): v is number => typeof v === 'number');
  return n.length ? `D_r is measured on all ${valueList(n, num)} examples of the remaining clients.` : null;
}
