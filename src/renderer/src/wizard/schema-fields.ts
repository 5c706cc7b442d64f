/**
 * The wizard's plain fields, derived from the config schema: a field is its config path plus one
 * descriptor (label, help, when it shows). Its control (text / select / checkbox), how its text
 * parses (whole number, number, text, choice, true/false), its choices and its default come from the
 * schema itself, so adding a config field is the schema change plus one line here. Compound inputs
 * (the method list, GME groups, label noise, the request, the loss surface) stay hand-made in form.ts.
 */
import { z } from 'zod';
import { datasetNeedsPath } from '../../../shared/catalog';
import { experimentConfigSchema } from '../../../shared/config';
import { num } from './text';

export type FieldValue = string | boolean;
export type FieldValues = Record<string, FieldValue>;
export type Control = 'text' | 'select' | 'checkbox';
/** 'number-or-word': a number, or one of the schema's literal words (e.g. rho: 0.3 or "auto"). */
export type Parse = 'integer' | 'number' | 'string' | 'enum' | 'boolean' | 'number-or-word';

export interface FieldDescriptor {
  path: string;
  label: string;
  help?: string;
  placeholder?: string;
  /** Display names for the schema's choices (the choices themselves come from the schema). */
  optionLabels?: Record<string, string>;
  /** The field shows only when this holds for the current values. */
  when?: (v: FieldValues) => boolean;
  /** A hidden field is left out of the config (e.g. a folder for a dataset that reads none). */
  omitWhenHidden?: boolean;
  /** A checkbox whose unchecked state leaves the field unset (its schema then decides), not false. */
  uncheckedUnset?: boolean;
}

export interface SchemaField extends FieldDescriptor {
  control: Control;
  parse: Parse;
  options: { value: string; label: string }[];
  /** The words a 'number-or-word' field accepts besides numbers. */
  words?: string[];
  /** The schema's default (undefined when the field is optional without one). */
  defaultValue: unknown;
  inputmode: 'text' | 'decimal' | 'numeric';
}

const DESCRIPTORS: FieldDescriptor[] = [
  { path: 'name', label: 'Experiment name', placeholder: 'dataset-model' },
  { path: 'seed', label: 'Seed', help: 'Repeats use seed, seed+1, …' },
  { path: 'repeats', label: 'Repeats', help: 'Tables show mean ± std over repeats.' },
  { path: 'dataset.id', label: 'Dataset' },
  {
    path: 'dataset.path',
    label: 'Folder',
    when: (v) => datasetNeedsPath(String(v['dataset.id'])),
    omitWhenHidden: true,
  },
  {
    path: 'dataset.trainSize',
    label: 'Training examples',
    help: 'Stratified, seeded subsample; empty = the whole split.',
  },
  { path: 'dataset.testSize', label: 'Test examples', help: 'Empty = the whole split.' },
  {
    path: 'dataset.transpose',
    label: 'Transpose images (EMNIST)',
    when: (v) => v['dataset.id'] === 'idx',
    omitWhenHidden: true,
  },
  {
    path: 'dataset.augment',
    label: 'Augment training batches: random crop (4-pixel padding) and horizontal flip (Appendix E.3, CIFAR)',
  },
  { path: 'partition.clients', label: 'Clients' },
  {
    path: 'partition.scheme',
    label: 'Partition',
    optionLabels: { iid: 'IID (uniform)', dirichlet: 'Non-IID (Dirichlet α)', 'one-class': 'One class per client' },
  },
  {
    path: 'partition.alpha',
    label: 'Dirichlet α',
    help: 'Smaller = more skewed.',
    when: (v) => v['partition.scheme'] === 'dirichlet',
  },
  {
    path: 'partition.minSize',
    label: 'Minimum examples per client',
    when: (v) => v['partition.scheme'] === 'dirichlet',
  },
  { path: 'model.id', label: 'Model' },
  { path: 'training.rounds', label: 'Rounds' },
  { path: 'training.localEpochs', label: 'Local epochs' },
  { path: 'training.batchSize', label: 'Batch size' },
  { path: 'training.optimizer', label: 'Optimizer' },
  { path: 'training.lr', label: 'Learning rate', help: 'Paper: Adam 1e-4.' },
  { path: 'training.momentum', label: 'Momentum', when: (v) => v['training.optimizer'] === 'sgd' },
  {
    path: 'training.aggregation',
    label: 'Aggregation',
    optionLabels: { mean: 'mean (unweighted, authors’ code)', weighted: 'weighted by client size' },
  },
  { path: 'training.clientFraction', label: 'Clients per round (fraction)' },
  {
    path: 'training.recordHistory',
    label: 'Record per-round history of the original training',
    help: 'Recorded anyway when FedRecovery or FedEraser is listed; the review shows its disk size.',
    uncheckedUnset: true,
  },
  { path: 'compute.backend', label: 'Backend' },
  { path: 'compute.workers', label: 'Worker threads', help: '0 = one per core.' },
  { path: 'evaluation.retrainModels', label: 'Retrained models J', help: 'Paper: 3.' },
  {
    path: 'evaluation.referenceModels',
    label: 'Held-out reference models K',
    help: '0 = the paper’s practice (Δ against the J scoring models). K > 0 trains K more that take no part in scoring: an unbiased Δ.',
  },
  {
    path: 'evaluation.memorization',
    label: 'Memorization score',
    optionLabels: {
      probability: 'probability of the true label (the paper’s numbers)',
      correct: 'correct, 0/1 (Eq. 9 literally; many ties)',
    },
  },
  { path: 'evaluation.clipNegative', label: 'Clip negative scores to 0 (authors’ code)' },
  {
    path: 'evaluation.fairness',
    label: 'Local fairness',
    optionLabels: { sum: 'sum (Appendix E.2)', mean: 'mean (authors’ code)' },
  },
  { path: 'evaluation.csl', label: 'Cumulative sample loss (CSL, Appendix H.2)' },
];

/**
 * Schemas are read through zod 4's public API only (instanceof its classes, `.unwrap()`, `.shape`,
 * `.options`, `.format`, `.values`, `.def.defaultValue`), never its internals (`_zod`), so a zod
 * upgrade that keeps its API keeps the wizard.
 */
type Schema = z.core.$ZodType;

/**
 * The schema at `path` under `root` (the config by default), with wrappers (default, optional) peeled off and the
 * default kept.
 */
export function schemaAt(
  path: string,
  root: Schema = experimentConfigSchema,
): { schema: Schema; defaultValue: unknown } {
  let s = root;
  let defaultValue: unknown;
  const peel = () => {
    for (;;) {
      if (s instanceof z.ZodDefault) {
        defaultValue = s.def.defaultValue;
        s = s.unwrap();
      } else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
      else return;
    }
  };
  for (const key of path.split('.')) {
    peel();
    const next: Schema | undefined =
      s instanceof z.ZodObject ? (s.shape as Record<string, Schema | undefined>)[key] : undefined;
    if (!next) throw new Error(`the config schema has no field ${path}`);
    // A section's default object supplies its fields' values only through their own defaults.
    defaultValue = undefined;
    s = next;
  }
  peel();
  return { schema: s, defaultValue };
}

/** The control, parsing and choices of a field from its (peeled) schema. */
export function deriveField<D extends FieldDescriptor>(d: D, schema: Schema, defaultValue: unknown): D & SchemaField {
  const base = { ...d, defaultValue, options: [] as { value: string; label: string }[] };
  if (schema instanceof z.ZodBoolean) return { ...base, control: 'checkbox', parse: 'boolean', inputmode: 'text' };
  if (schema instanceof z.ZodEnum) {
    const options = (schema.options as string[]).map((value) => ({ value, label: d.optionLabels?.[value] ?? value }));
    return { ...base, control: 'select', parse: 'enum', options, inputmode: 'text' };
  }
  if (schema instanceof z.ZodNumber) {
    const integer = schema.format === 'safeint' || schema.format === 'int32';
    return {
      ...base,
      control: 'text',
      parse: integer ? 'integer' : 'number',
      inputmode: integer ? 'numeric' : 'decimal',
    };
  }
  if (schema instanceof z.ZodString) return { ...base, control: 'text', parse: 'string', inputmode: 'text' };
  const words = numberOrWords(schema);
  if (words) return { ...base, control: 'text', parse: 'number-or-word', words, inputmode: 'text' };
  throw new Error(
    `the wizard has no plain control for ${d.path} (schema type ${schema instanceof z.ZodType ? schema.def.type : 'unknown'})`,
  );
}

/** The literal words of a union of a number and literals (rho: number | "auto"); null for any other schema. */
function numberOrWords(schema: Schema): string[] | null {
  if (!(schema instanceof z.ZodUnion)) return null;
  const options = schema.options as readonly Schema[];
  const literals = options.flatMap((o) => (o instanceof z.ZodLiteral ? [...(o.values as Set<unknown>)] : []));
  const numbers = options.filter((o) => o instanceof z.ZodNumber).length;
  return numbers === 1 && literals.length === options.length - 1 && literals.every((w) => typeof w === 'string')
    ? literals
    : null;
}

export const SCHEMA_FIELDS: SchemaField[] = DESCRIPTORS.map((d) => {
  const { schema, defaultValue } = schemaAt(d.path);
  return deriveField(d, schema, defaultValue);
});
const BY_PATH = new Map(SCHEMA_FIELDS.map((f) => [f.path, f]));

export function schemaField(path: string): SchemaField {
  const f = BY_PATH.get(path);
  if (!f) throw new Error(`no wizard field for ${path}`);
  return f;
}

export function isVisible(f: SchemaField, values: FieldValues): boolean {
  return f.when ? f.when(values) : true;
}

/** A config value as the control holds it: text for text fields, the choice, or true/false. */
export function toFieldValue(f: SchemaField, value: unknown): FieldValue {
  const v = value === undefined ? f.defaultValue : value;
  if (f.parse === 'boolean') return v === true;
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  // An object where a value belongs (a hand-edited or hostile file) is shown as its JSON, so the schema names the
  // field: String() would call the object's own `toString` key, which a file can make anything but a function.
  return jsonText(v);
}

function jsonText(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

/**
 * The control's value as config input: numbers parsed, text that is not a number passed through
 * (so the schema names the field and the rule), empty text left out (the schema's default applies).
 */
export function fromFieldValue(f: SchemaField, value: FieldValue): unknown {
  if (f.parse === 'boolean') return value === true ? true : f.uncheckedUnset ? undefined : false;
  const text = String(value);
  if (f.parse === 'integer' || f.parse === 'number') return num(text);
  if (f.parse === 'number-or-word') return f.words?.includes(text.trim()) ? text.trim() : num(text);
  if (f.parse === 'string') return text.trim() === '' ? undefined : text.trim();
  return text === '' ? undefined : text;
}
