/**
 * The study builder's form and the StudyInput it stands for. The form keeps what people type (the
 * base as JSON text, values as a comma list, numbers as text) so nothing they type is lost while it
 * is half-finished; studyFromForm turns it into the definition main validates, and reports what
 * cannot be read at all (bad JSON, a value list with a stray bracket) under the field that holds it.
 * Everything else (a path that does not resolve, a value the config refuses) is main's to name.
 */
import { reservedKeyProblem } from '../../../shared/reserved-keys';
import type { StudyInput } from '../../../shared/study';
import { parseValuesText, valuesToText } from './values-text';
import { num } from '../wizard/text';

export interface AxisForm {
  path: string;
  mode: 'values' | 'range';
  valuesText: string;
  from: string;
  to: string;
  step: string;
  /** Optional title in tables and cell keys; empty = the path's last key. */
  label: string;
  /** The field holds a list (e.g. which clients leave): bare values mean one-element lists. */
  list: boolean;
}

export interface StudyForm {
  name: string;
  baseText: string;
  axes: AxisForm[];
  combine: 'grid' | 'zip';
  seeds: string;
  share: boolean;
}

export const emptyAxis = (): AxisForm => ({
  path: '',
  mode: 'values',
  valuesText: '',
  from: '',
  to: '',
  step: '',
  label: '',
  list: false,
});

export const baseToText = (base: unknown) => `${JSON.stringify(base, null, 2)}\n`;

export function formFromStudy(study: StudyInput): StudyForm {
  return {
    name: study.name ?? '',
    baseText: baseToText(study.base),
    axes: study.axes.map((a) => ({
      ...emptyAxis(),
      path: a.path,
      mode: a.range ? 'range' : 'values',
      valuesText: a.values ? valuesToText(a.values) : '',
      from: a.range ? String(a.range.from) : '',
      to: a.range ? String(a.range.to) : '',
      step: a.range ? String(a.range.step) : '',
      label: a.label ?? '',
      list: (a.values ?? []).some(Array.isArray),
    })),
    combine: study.combine ?? 'grid',
    seeds: String(study.seeds ?? 1),
    share: study.share ?? true,
  };
}

/** Problems only the form can see, keyed like the schema's issue paths ("base", "axes.0.values"). */
export type FormErrors = Record<string, string>;

export function parseBase(text: string): { base: Record<string, unknown> | null; error: string | null } {
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      return { base: null, error: 'must be a JSON object (an experiment config)' };
    const reserved = reservedKeyProblem(v);
    if (reserved !== null) return { base: null, error: `holds ${reserved}` };
    return { base: v as Record<string, unknown>, error: null };
  } catch (e) {
    return { base: null, error: `is not valid JSON: ${(e as Error).message}` };
  }
}

/** The values an axis row stands for (a range is left to the schema, which owns its expansion). */
export function axisFromForm(a: AxisForm, i: number, errors: FormErrors): StudyInput['axes'][number] {
  const label = a.label.trim() ? { label: a.label.trim() } : {};
  if (a.mode === 'range') {
    // Text that is not a number passes through so the schema names the field and its rule.
    const range = { from: num(a.from), to: num(a.to), step: num(a.step) } as { from: number; to: number; step: number };
    return { path: a.path.trim(), range, ...label };
  }
  const parsed = parseValuesText(a.valuesText, { list: a.list });
  if (parsed.error) errors[`axes.${i}.values`] = parsed.error;
  return { path: a.path.trim(), values: parsed.values, ...label };
}

export function studyFromForm(form: StudyForm): { study: StudyInput | null; errors: FormErrors } {
  const errors: FormErrors = {};
  const { base, error } = parseBase(form.baseText);
  if (error) errors.base = error;
  const axes = form.axes.map((a, i) => axisFromForm(a, i, errors));
  const seeds = num(form.seeds);
  const study = {
    ...(form.name.trim() && { name: form.name.trim() }),
    base: base ?? {},
    axes,
    ...(axes.length === 2 && { combine: form.combine }),
    seeds: (seeds ?? 1) as number,
    share: form.share,
  } satisfies StudyInput;
  return { study: Object.keys(errors).length ? null : study, errors };
}
