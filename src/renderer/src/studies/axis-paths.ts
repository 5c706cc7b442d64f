/**
 * The config paths a study axis is likely to sweep, read off its base config: every parameter of each
 * method entry that takes a number, a choice or a switch, and the data / training / evaluation knobs
 * the paper's ablations vary. Labels, choices and kinds come from the same schema-derived fields the
 * wizard uses, so a path is described once. Only paths whose parent objects exist are offered:
 * setPath (shared/study.ts) refuses to create a missing section, so any other path would just fail.
 */
import { ownValue } from '../../../shared/reserved-keys';
import { rowLabel, selectIndex } from '../../../shared/study';
import { methodParamFields } from '../wizard/method-fields';
import { schemaField, type Parse } from '../wizard/schema-fields';

/** How the values box reads a path's values: 'list' fields take one bracketed list per value. */
export type AxisKind = Exclude<Parse, 'string'> | 'list';

export interface AxisPathSuggestion {
  path: string;
  /** What people call it: "FedMemEraser: Pruning ratio ρ". */
  label: string;
  /** The section the suggestion is listed under (a method's row label, "Data", "Training", ...). */
  group: string;
  kind: AxisKind;
  /** The values an enum (or a number-or-word field's words, or a switch) can take. */
  choices: string[];
  /** The base config's value at the path (undefined: unset, the schema's default applies). */
  current: unknown;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The plain paths offered, in the order a researcher reads a config. */
const PLAIN: { path: string; group: string }[] = [
  { path: 'partition.scheme', group: 'Data' },
  { path: 'partition.alpha', group: 'Data' },
  { path: 'partition.clients', group: 'Data' },
  { path: 'dataset.trainSize', group: 'Data' },
  { path: 'training.rounds', group: 'Training' },
  { path: 'training.localEpochs', group: 'Training' },
  { path: 'training.lr', group: 'Training' },
  { path: 'training.batchSize', group: 'Training' },
  { path: 'evaluation.retrainModels', group: 'Evaluation' },
  { path: 'evaluation.memorization', group: 'Evaluation' },
];

/** The value at a dot path of plain keys; undefined when any step is missing. */
export function valueAt(config: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (isObject(node) ? ownValue(node, key) : undefined), config);
}

/** Whether every object above the path's last key exists (the last key may be new). */
export function parentExists(config: unknown, path: string): boolean {
  const keys = path.split('.');
  return keys.length === 1 ? isObject(config) : isObject(valueAt(config, keys.slice(0, -1).join('.')));
}

/** A selector is spliced into "methods[SEL].param": it must not hold the path's own punctuation. */
const usable = (s: unknown): s is string => typeof s === 'string' && s !== '' && !/[.[\]]/.test(s);

/**
 * How a path names method entry `index`: its id when that picks it alone, else its row label, else its
 * position ("2"). Checked with the selection rule setPath applies, so the path resolves to this entry.
 */
export function methodSelector(methods: unknown[], index: number): { bracket: string } | { position: number } {
  const entry = methods[index];
  const candidates = isObject(entry) ? [entry.id, rowLabel(entry)] : [];
  for (const c of candidates) {
    if (!usable(c)) continue;
    try {
      if (selectIndex(methods, c, '') === index) return { bracket: c };
    } catch {
      // Ambiguous or unknown: try the next way of naming it.
    }
  }
  return { position: index };
}

export function methodParamPath(methods: unknown[], index: number, param: string): string {
  const sel = methodSelector(methods, index);
  return 'bracket' in sel
    ? `unlearning.methods[${sel.bracket}].${param}`
    : `unlearning.methods.${sel.position}.${param}`;
}

function methodSuggestions(base: Json): AxisPathSuggestion[] {
  const methods = valueAt(base, 'unlearning.methods');
  if (!Array.isArray(methods)) return [];
  return methods.flatMap((entry, index) => {
    if (!isObject(entry) || typeof entry.id !== 'string') return [];
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a label from study JSON
    const row = String(rowLabel(entry) ?? entry.id);
    return methodParamFields(entry.id)
      .filter((f) => f.parse !== 'string')
      .map((f) => ({
        path: methodParamPath(methods, index, f.key),
        label: `${row}: ${f.label}`,
        group: row,
        kind: f.parse as AxisKind,
        choices:
          f.parse === 'boolean'
            ? ['true', 'false']
            : f.parse === 'enum'
              ? f.options.map((o) => o.value)
              : (f.words ?? []),
        current: entry[f.key],
      }));
  });
}

/** Every suggested axis path for `base`, method parameters first. */
export function suggestAxisPaths(base: unknown): AxisPathSuggestion[] {
  if (!isObject(base)) return [];
  const plain = PLAIN.filter((p) => parentExists(base, p.path)).map(({ path, group }): AxisPathSuggestion => {
    const f = schemaField(path);
    return {
      path,
      label: f.label,
      group,
      kind: f.parse as AxisKind,
      choices: f.parse === 'enum' ? f.options.map((o) => o.value) : (f.words ?? []),
      current: valueAt(base, path),
    };
  });
  const request = valueAt(base, 'unlearning.request');
  const clients: AxisPathSuggestion[] =
    isObject(request) && request.kind === 'clients'
      ? [
          {
            path: 'unlearning.request.clients',
            label: 'Leaving clients',
            group: 'Unlearning request',
            kind: 'list',
            choices: [],
            current: request.clients,
          },
        ]
      : [];
  return [...methodSuggestions(base), ...clients, ...plain];
}
