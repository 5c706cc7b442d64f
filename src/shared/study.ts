/**
 * A study (issue 11): a base config, one or two axes and a number of seeds, expanded into the runs
 * it stands for. An axis is a config path with a list of values or a range. Paths are dot-separated
 * keys; a method entry is picked by its row label or id in brackets (`unlearning.methods[fedmemeraser].rho`)
 * or by position (`unlearning.methods.2.rho`). Two axes form a grid, or are zipped when asked. Every
 * expanded config is validated before anything runs, and each problem names its cell, the field and
 * the rule it breaks. Pure: no engine, no store.
 */
import { z } from 'zod';
import { METHODS, methodLabel } from './catalog';
import { validateConfig, type ConfigIssue, type ExperimentConfig } from './config';
import type { MethodId } from './method-schemas';
import { isReservedKey, ownValue, reservedKeyRule } from './reserved-keys';
import { int, PLAIN_PARSE } from './zod-rules';

/** A value an axis sets: a scalar, or a list for list-valued fields (e.g. which clients leave). */
const axisValue = z.union([z.number(), z.string(), z.boolean(), z.array(z.union([z.number(), z.string()]))]);
export type AxisValue = z.infer<typeof axisValue>;

/** How an axis value reads in keys, labels and tables: lists as "0, 1". */
export const axisValueText = (v: AxisValue): string => (Array.isArray(v) ? v.join(', ') : String(v));

/**
 * Values one axis may take, and runs one study may expand to: beyond them a request is refused before anything is
 * built.
 */
export const MAX_AXIS_VALUES = 200;
export const MAX_STUDY_RUNS = 2000;

/** How many values a range gives, without building them (a hostile range could ask for billions). */
const rangeLength = (r: { from: number; to: number; step: number }) => Math.floor((r.to - r.from) / r.step + 1e-9) + 1;
const axisLength = (a: { values?: unknown[]; range?: { from: number; to: number; step: number } }) =>
  a.values?.length ?? (a.range ? rangeLength(a.range) : 0);

export const studyAxisSchema = z
  .strictObject({
    path: z.string().min(1, 'must not be empty'),
    values: z.array(axisValue).min(1, 'must list at least one value').optional(),
    range: z
      .strictObject({ from: z.number(), to: z.number(), step: z.number().gt(0, 'must be greater than 0') })
      .optional(),
    /** Column/row title in tables; default the path's last key. */
    label: z.string().min(1, 'must not be empty').optional(),
  })
  .superRefine((a, ctx) => {
    if ((a.values === undefined) === (a.range === undefined))
      ctx.addIssue({ code: 'custom', path: ['values'], message: 'give either values or a range, not both or neither' });
    if (a.range && a.range.to < a.range.from)
      ctx.addIssue({ code: 'custom', path: ['range', 'to'], message: 'must be at least range.from' });
    else if (axisLength(a) > MAX_AXIS_VALUES)
      ctx.addIssue({
        code: 'custom',
        path: [a.values ? 'values' : 'range'],
        message: `gives ${axisLength(a) > 1e9 ? 'more than a billion' : axisLength(a).toLocaleString('en-US')} values; an axis may have at most ${MAX_AXIS_VALUES}`,
      });
  });

export const studySchema = z
  .strictObject({
    name: z.string().max(200, 'must be at most 200 characters').optional(),
    /** The config every run starts from (validated per run, after the axes are applied). */
    base: z.record(z.string(), z.unknown()),
    axes: z.array(studyAxisSchema).min(1, 'must have at least one axis').max(2, 'must have at most two axes'),
    /** 'grid': every combination; 'zip': the i-th value of each axis together (equal lengths). */
    combine: z.enum(['grid', 'zip']).default('grid'),
    /** Runs per cell, with seeds base.seed, base.seed + 1, ... */
    seeds: int(1).max(50, 'must be at most 50').default(1),
    /**
     * Runs with the same data, partition, model, training and seed reuse one original model and one set
     * of retrained models (bit-identical to training them again). Off: every run trains its own, e.g.
     * to measure what sharing saves.
     */
    share: z.boolean().default(true),
    /**
     * On a Redis queue (issue 16): whether the runs' model weights travel back from the workers to this
     * database (the default, so the runs are complete as if made here). False keeps them on the workers:
     * the tables, curves and reports still come back, the weights files do not.
     */
    weights: z.boolean().optional(),
  })
  .superRefine((st, ctx) => {
    const lengths = st.axes.map(axisLength);
    if (lengths.some((n) => !(n <= MAX_AXIS_VALUES))) return; // the axis has said so
    const cells = st.combine === 'zip' ? Math.min(...lengths) : lengths.reduce((a, b) => a * b, 1);
    const runs = cells * st.seeds;
    if (runs > MAX_STUDY_RUNS)
      ctx.addIssue({
        code: 'custom',
        path: ['axes'],
        message: `expand to ${runs.toLocaleString('en-US')} runs (${cells} cells × ${st.seeds} seeds); a study may have at most ${MAX_STUDY_RUNS.toLocaleString('en-US')}`,
      });
  });
export type StudyInput = z.input<typeof studySchema>;
export type Study = z.output<typeof studySchema>;
export type StudyAxis = Study['axes'][number];

export type PathSegment = { key: string } | { key: string; select: string };

/** "a.b[sel].c" -> [{key a}, {key b, select sel}, {key c}]; throws with the path's problem. */
export function parsePath(path: string): PathSegment[] {
  return path.split('.').map((part) => {
    const m = /^([A-Za-z0-9_-]+)(?:\[([^\]]+)\])?$/.exec(part);
    if (!m) throw new StudyError(`path "${path}": "${part}" is not a key or key[id]`);
    if (isReservedKey(m[1])) throw new StudyError(`path "${path}": ${reservedKeyRule(m[1])}`);
    return m[2] === undefined ? { key: m[1] } : { key: m[1], select: m[2] };
  });
}

export class StudyError extends Error {
  readonly code = 'INVALID_STUDY';
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** An entry's row label: its own, else its method's (catalog), as tables show it (and study tables match). */
export function rowLabel(e: Json): unknown {
  return (
    e.label ??
    (typeof e.id === 'string' && Object.hasOwn(METHODS, e.id) ? methodLabel({ id: e.id as MethodId }) : undefined)
  );
}

/** Index of the list entry a selector names: its row label or its `id` (a label wins, being unique). */
export function selectIndex(list: unknown[], select: string, where: string): number {
  const byLabel = list.findIndex((e) => isObject(e) && rowLabel(e) === select);
  if (byLabel >= 0) return byLabel;
  const byId = list.flatMap((e, i) => (isObject(e) && e.id === select ? [i] : []));
  if (byId.length === 1) return byId[0];
  if (byId.length > 1)
    throw new StudyError(`${where}: ${byId.length} entries have id "${select}"; pick one by its label`);
  throw new StudyError(`${where}: no entry with id or label "${select}"`);
}

/**
 * The method entry (its index in the base config's list) and the parameter an axis sets, when its
 * path is `unlearning.methods[SEL].param` or `unlearning.methods.N.param`; null for any other path,
 * or one that does not resolve (expandStudy reports those).
 */
export function methodParamOf(base: Json, path: string): { index: number; param: string } | null {
  let segs: PathSegment[];
  try {
    segs = parsePath(path);
  } catch {
    return null;
  }
  const methods = isObject(base.unlearning) ? base.unlearning.methods : undefined;
  if (!Array.isArray(methods) || segs[0].key !== 'unlearning' || 'select' in segs[0]) return null;
  const [, list, a, b] = segs;
  let index: number;
  if (segs.length === 3 && list.key === 'methods' && 'select' in list && !('select' in a)) {
    try {
      index = selectIndex(methods, list.select, path);
    } catch {
      return null;
    }
  } else if (
    segs.length === 4 &&
    list.key === 'methods' &&
    !('select' in list) &&
    /^\d+$/.test(a.key) &&
    !('select' in a) &&
    !('select' in b)
  ) {
    index = Number(a.key);
  } else return null;
  return index < methods.length && isObject(methods[index]) ? { index, param: segs[segs.length - 1].key } : null;
}

/**
 * A copy of `config` with `value` at `path`. Objects on the way must exist (a typo in a key is an
 * error, not a silently created field) except the last key, which may be new (an optional field).
 */
export function setPath(config: Json, path: string, value: AxisValue): Json {
  const out = structuredClone(config);
  const segments = parsePath(path);
  let node: unknown = out;
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    const where = `path "${path}" at "${seg.key}"`;
    const arrayIndex = /^\d+$/.test(seg.key);
    if (Array.isArray(node) && arrayIndex) {
      if (Number(seg.key) >= node.length) throw new StudyError(`${where}: the list has ${node.length} entries`);
    } else if (!isObject(node)) {
      throw new StudyError(`${where}: not inside an object`);
    }
    // Own properties only: an inherited name (toString, hasOwnProperty) is no config field either.
    const holder = node as Json & unknown[];
    const key = arrayIndex && Array.isArray(node) ? Number(seg.key) : seg.key;
    if ('select' in seg) {
      const list = ownValue(holder, seg.key);
      if (!Array.isArray(list)) throw new StudyError(`${where}: "${seg.key}" is not a list in the base config`);
      const idx = selectIndex(list, seg.select, where);
      if (last) throw new StudyError(`${where}: a selected entry needs a field after it`);
      node = list[idx];
      return;
    }
    if (last) {
      holder[key as string] = value;
      return;
    }
    if (ownValue(holder, seg.key) === undefined) throw new StudyError(`${where}: the base config has no "${seg.key}"`);
    node = ownValue(holder, seg.key);
  });
  return out;
}

/**
 * The row label of the method entry an axis path points into (`unlearning.methods[sel].x` or
 * `unlearning.methods.<i>.x`), resolved in the base config as setPath resolves it; null when the path
 * names no method entry. Tells charts and tables which report row a study sweeps, so that the
 * selector rule is not written a second time.
 */
export function axisMethodRow(base: Json, path: string): string | null {
  const target = methodParamOf(base, path);
  const methods = isObject(base.unlearning) ? (base.unlearning.methods as unknown[]) : [];
  const label = target ? rowLabel(methods[target.index] as Json) : undefined;
  return typeof label === 'string' ? label : null;
}

/** An axis's values: its list, or from..to by step (float steps rounded to 10 significant digits). */
export function axisValues(axis: StudyAxis): AxisValue[] {
  if (axis.values) return axis.values;
  const { from, to, step } = axis.range!;
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const v = Number((from + k * step).toPrecision(10));
    if (v > to + 1e-12 * Math.max(1, Math.abs(to))) break;
    // A step below the values' precision never moves past `to` (1e20 + 1 is 1e20).
    if (k >= MAX_AXIS_VALUES)
      throw new StudyError(
        `axis "${axis.path}": the range's step ${step} is too small for values near ${from}; it gives more than ${MAX_AXIS_VALUES} values`,
      );
    out.push(v);
  }
  return out;
}

export interface StudyCell {
  /** One value per axis, in axis order. */
  values: AxisValue[];
  /** Stable key of the cell, e.g. "rho=0.4|alpha=0.5". */
  key: string;
}

export const axisLabel = (a: StudyAxis) =>
  a.label ??
  a.path
    .split('.')
    .pop()!
    .replace(/\[.*\]$/, '');

export function studyCells(study: Study): StudyCell[] {
  const lists = study.axes.map(axisValues);
  let combos: AxisValue[][];
  if (lists.length === 1) combos = lists[0].map((v) => [v]);
  else if (study.combine === 'zip') {
    if (lists[0].length !== lists[1].length)
      throw new StudyError(`zipped axes need equal lengths (${lists[0].length} and ${lists[1].length} values)`);
    combos = lists[0].map((v, i) => [v, lists[1][i]]);
  } else combos = lists[0].flatMap((a) => lists[1].map((b) => [a, b]));
  return combos.map((values) => ({
    values,
    key: values.map((v, i) => `${axisLabel(study.axes[i])}=${axisValueText(v)}`).join('|'),
  }));
}

/** The seed of a run: the base config's seed (0 when it names none) plus the seed index. */
export const studySeed = (study: Pick<Study, 'base'>, seedIndex: number) =>
  (typeof study.base.seed === 'number' ? study.base.seed : 0) + seedIndex;

export interface StudyRun {
  cell: StudyCell;
  /** 0-based seed index; the run's seed is base.seed + seedIndex. */
  seedIndex: number;
  config: ExperimentConfig;
}

export interface StudyProblem extends ConfigIssue {
  /** The cell whose config breaks the rule (null: the study itself). */
  cell: string | null;
}

/** Every run of the study, validated; or every problem, each naming its cell, field and rule. */
export function expandStudy(input: unknown): { ok: true; runs: StudyRun[] } | { ok: false; problems: StudyProblem[] } {
  const parsed = studySchema.safeParse(input, PLAIN_PARSE);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ cell: null, path: i.path.join('.'), message: i.message })),
    };
  const study = parsed.data;
  const runs: StudyRun[] = [];
  const problems: StudyProblem[] = [];
  let cells: StudyCell[];
  try {
    cells = studyCells(study);
  } catch (e) {
    return { ok: false, problems: [{ cell: null, path: 'axes', message: (e as Error).message }] };
  }
  for (const cell of cells) {
    let config: Json = study.base;
    try {
      cell.values.forEach((v, i) => (config = setPath(config, study.axes[i].path, v)));
    } catch (e) {
      problems.push({ cell: cell.key, path: 'axes', message: (e as Error).message });
      continue;
    }
    for (let s = 0; s < study.seeds; s++) {
      const checked = validateConfig({ ...config, seed: studySeed(study, s) });
      if (checked.ok) runs.push({ cell, seedIndex: s, config: checked.config });
      else if (s === 0) problems.push(...checked.issues.map((i) => ({ ...i, cell: cell.key })));
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, runs };
}
