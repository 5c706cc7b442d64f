/**
 * The wizard's form state and its two conversions: form -> config (the same JSON the CLI takes) and
 * config -> form (presets, "duplicate", loading a saved file). Plain fields live in `values` by config
 * path and convert generically (schema-fields.ts); the compound inputs below convert by hand. Number
 * fields hold the text the user typed; text that is not a number goes into the config unchanged so
 * the schema itself reports it under the field. Keys the form has no control for are kept in `extra`
 * at their paths, so a loaded config survives a round trip.
 */
import { evaluationSchema } from '../../../shared/unlearning-config';
import { ANALYSIS_IDS, defaultAnalysis } from '../../../shared/analysis-schemas';
import { isReservedKey, ownValue, reservedKeyRule } from '../../../shared/reserved-keys';
import { methodParamFields } from './method-fields';
import { fromFieldValue, isVisible, SCHEMA_FIELDS, toFieldValue, type FieldValues } from './schema-fields';
import { groupsText, listText, num, numList, parseGroups, str } from './text';

export type Extra = Record<string, unknown>;

export interface MethodForm {
  /** Stable key for list rendering. */
  uid: number;
  id: string;
  label: string;
  /** The method's parameters (method-fields.ts) by key, as their controls hold them. */
  values: FieldValues;
  extra: Extra;
}

export interface WizardForm {
  /** Every plain field (schema-fields.ts), by config path: text, a choice, or true/false. */
  values: FieldValues;
  dataset: {
    noise: boolean;
    noiseClients: string;
    noiseRate: string;
    /** The backdoor (Appendix G.3): clients empty = the clients the request removes. */
    backdoor: boolean;
    backdoorShare: string;
    backdoorClients: string;
    backdoorTarget: string;
    backdoorSize: string;
    backdoorPosition: string;
  };
  unlearning: {
    enabled: boolean;
    kind: string;
    clients: string;
    class: string;
    examplesMode: 'random' | 'list';
    randomExamples: string;
    examples: string;
  };
  methods: MethodForm[];
  evaluation: {
    groups: string;
    lossSurface: boolean;
    lossSteps: string;
    lossOvershoot: string;
    lossMaxRemaining: string;
    analyses: AnalysesForm;
  };
  /** Keys no control covers, at their config paths: kept so a loaded config survives a round trip. */
  extra: Record<string, unknown>;
}

/** The analyses block: each analysis on or off, and its parameters as typed (analysis-schemas.ts). */
export interface AnalysesForm {
  distances: { on: boolean; klOn: string; maxExamples: string };
  stability: { on: boolean; spread: string; threshold: string };
  reset: { on: boolean; ratios: string; maxRemaining: string };
  embeddings: { on: boolean; class: string; maxPerClient: string; k: string };
  backdoor: { on: boolean };
}

const EVALUATION = evaluationSchema.parse({});
const LOSS = EVALUATION.lossSurface || { steps: 10, overshoot: 0.2, maxRemaining: 2000 };

let nextUid = 1;

function rest(obj: unknown, known: string[]): Extra {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return {};
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !known.includes(k)));
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Drops undefined values so the saved JSON stays clean. */
function clean<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---------- methods ----------

export function newMethod(id: string): MethodForm {
  const values = Object.fromEntries(methodParamFields(id).map((f) => [f.key, toFieldValue(f, undefined)]));
  return { uid: nextUid++, id, label: '', values, extra: {} };
}

function methodToForm(raw: unknown): MethodForm {
  const m = obj(raw);
  const f = newMethod(str(m.id));
  f.label = str(m.label);
  const fields = methodParamFields(f.id);
  for (const field of fields) f.values[field.key] = toFieldValue(field, m[field.key]);
  f.extra = rest(m, ['id', 'label', ...fields.map((field) => field.key)]);
  return f;
}

function methodToConfig(f: MethodForm): Record<string, unknown> {
  const params = Object.fromEntries(
    methodParamFields(f.id).map((field) => [field.key, fromFieldValue(field, f.values[field.key])]),
  );
  return clean({ ...f.extra, id: f.id, label: f.label.trim() || undefined, ...params });
}

// ---------- whole form ----------

export function emptyForm(): WizardForm {
  return configToForm({});
}

/** Paths the compound inputs own (everything else not a plain field is kept in `extra`). */
const COMPOUND_PATHS = [
  'dataset.labelNoise',
  'dataset.backdoor',
  'unlearning.request',
  'unlearning.methods',
  'evaluation.groups',
  'evaluation.lossSurface',
  'evaluation.analyses',
];

function analysesToForm(raw: unknown): AnalysesForm {
  const list = Array.isArray(raw) ? raw.map(obj) : [];
  const entry = (id: string) => list.find((a) => a.id === id);
  const field = (id: (typeof ANALYSIS_IDS)[number], key: string) => {
    const v = entry(id)?.[key] ?? (defaultAnalysis(id) as Record<string, unknown>)[key];
    return Array.isArray(v) ? listText(v) : str(v);
  };
  return {
    distances: {
      on: !!entry('distances'),
      klOn: field('distances', 'klOn'),
      maxExamples: field('distances', 'maxExamples'),
    },
    stability: {
      on: !!entry('stability'),
      spread: field('stability', 'spread'),
      threshold: field('stability', 'threshold'),
    },
    reset: { on: !!entry('reset'), ratios: field('reset', 'ratios'), maxRemaining: field('reset', 'maxRemaining') },
    embeddings: {
      on: !!entry('embeddings'),
      class: field('embeddings', 'class'),
      maxPerClient: field('embeddings', 'maxPerClient'),
      k: field('embeddings', 'k'),
    },
    backdoor: { on: !!entry('backdoor') },
  };
}

/** The enabled analyses in ANALYSIS_IDS order (their issues name entries by that position). */
export function analysesToConfig(a: AnalysesForm): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (a.distances.on) out.push({ id: 'distances', klOn: a.distances.klOn, maxExamples: num(a.distances.maxExamples) });
  if (a.stability.on) out.push({ id: 'stability', spread: a.stability.spread, threshold: num(a.stability.threshold) });
  if (a.reset.on) out.push({ id: 'reset', ratios: numList(a.reset.ratios), maxRemaining: num(a.reset.maxRemaining) });
  if (a.embeddings.on)
    out.push({
      id: 'embeddings',
      class: a.embeddings.class.trim() === '' ? undefined : num(a.embeddings.class),
      maxPerClient: num(a.embeddings.maxPerClient),
      k: num(a.embeddings.k),
    });
  if (a.backdoor.on) out.push({ id: 'backdoor' });
  return out.map((x) => clean(x));
}

export function configToForm(input: unknown): WizardForm {
  const c = obj(input);
  const noise = obj(obj(c.dataset).labelNoise);
  const bd = obj(obj(c.dataset).backdoor);
  const bdPattern = obj(bd.pattern);
  const u = c.unlearning === undefined ? undefined : obj(c.unlearning);
  const req = obj(u?.request);
  const e = obj(c.evaluation);
  const ls = e.lossSurface === false ? undefined : obj(e.lossSurface);
  const pick = (o: Record<string, unknown>, k: string, dflt: unknown) => str(o[k] !== undefined ? o[k] : dflt);
  const values: FieldValues = Object.fromEntries(
    SCHEMA_FIELDS.map((f) => [f.path, toFieldValue(f, getPath(c, f.path) ?? FORM_DEFAULTS[f.path])]),
  );
  return {
    values,
    dataset: {
      noise: obj(c.dataset).labelNoise !== undefined,
      noiseClients: listText(noise.clients),
      noiseRate: str(noise.rate),
      backdoor: obj(c.dataset).backdoor !== undefined,
      backdoorShare: pick(bd, 'share', 0.5),
      backdoorClients: listText(bd.clients),
      backdoorTarget: pick(bd, 'target', 0),
      backdoorSize: pick(bdPattern, 'size', 3),
      backdoorPosition: pick(bdPattern, 'position', 'bottom-right'),
    },
    unlearning: {
      enabled: u !== undefined,
      kind: pick(req, 'kind', 'clients'),
      clients: req.clients === undefined && u === undefined ? '0' : listText(req.clients),
      class: str(req.class),
      examplesMode: req.examples !== undefined ? 'list' : 'random',
      randomExamples: str(req.randomExamples),
      examples: listText(req.examples),
    },
    methods: Array.isArray(u?.methods)
      ? u.methods.map(methodToForm)
      : [newMethod('finetune'), newMethod('fedmemeraser')],
    evaluation: {
      groups: groupsText(e.groups ?? EVALUATION.groups),
      lossSurface: e.lossSurface !== false,
      lossSteps: pick(ls ?? {}, 'steps', LOSS.steps),
      lossOvershoot: pick(ls ?? {}, 'overshoot', LOSS.overshoot),
      lossMaxRemaining: pick(ls ?? {}, 'maxRemaining', LOSS.maxRemaining),
      analyses: analysesToForm(e.analyses),
    },
    extra: withoutPaths(c, [...SCHEMA_FIELDS.map((f) => f.path), ...COMPOUND_PATHS, ...KNOWN_REQUEST_KEYS]),
  };
}

/** Values a fresh form starts from where the schema has no default (the schema requires these). */
const FORM_DEFAULTS: Record<string, unknown> = {
  seed: 1,
  'dataset.id': 'mnist',
  'partition.clients': 10,
  'training.rounds': 10,
};
const KNOWN_REQUEST_KEYS = [
  'unlearning.request.kind',
  'unlearning.request.clients',
  'unlearning.request.class',
  'unlearning.request.examples',
  'unlearning.request.randomExamples',
];

export function formToConfig(f: WizardForm): Record<string, unknown> {
  const u = f.unlearning;
  const e = f.evaluation;
  const d = f.dataset;
  const config = jsonClone(f.extra);
  for (const field of SCHEMA_FIELDS) {
    if (field.omitWhenHidden && !isVisible(field, f.values)) continue;
    setPath(config, field.path, fromFieldValue(field, f.values[field.path] ?? toFieldValue(field, undefined)));
  }
  if (d.noise)
    setPath(config, 'dataset.labelNoise', clean({ clients: numList(d.noiseClients), rate: num(d.noiseRate) }));
  if (d.backdoor) {
    const clients = d.backdoorClients.trim() ? numList(d.backdoorClients) : undefined;
    setPath(
      config,
      'dataset.backdoor',
      clean({
        share: num(d.backdoorShare),
        clients,
        target: num(d.backdoorTarget),
        pattern: { size: num(d.backdoorSize), position: d.backdoorPosition },
      }),
    );
  }
  if (u.enabled) {
    setPath(
      config,
      'unlearning.request',
      clean({
        ...obj(getPath(f.extra, 'unlearning.request')),
        kind: u.kind,
        clients: u.kind === 'clients' ? numList(u.clients) : undefined,
        class: u.kind === 'class' ? num(u.class) : undefined,
        examples: u.kind === 'examples' && u.examplesMode === 'list' ? numList(u.examples) : undefined,
        randomExamples: u.kind === 'examples' && u.examplesMode === 'random' ? num(u.randomExamples) : undefined,
      }),
    );
    setPath(config, 'unlearning.methods', f.methods.map(methodToConfig));
  } else {
    delete config.unlearning;
  }
  setPath(config, 'evaluation.groups', parseGroups(e.groups));
  setPath(
    config,
    'evaluation.lossSurface',
    e.lossSurface
      ? clean({ steps: num(e.lossSteps), overshoot: num(e.lossOvershoot), maxRemaining: num(e.lossMaxRemaining) })
      : false,
  );
  const analyses = analysesToConfig(e.analyses);
  if (analyses.length) setPath(config, 'evaluation.analyses', analyses);
  return pruneUndefined(config);
}

// ---------- paths ----------

/** A deep copy of config data. JSON, not structuredClone: the form lives in a reactive (proxied) store. */
function jsonClone<T>(o: T): T {
  return o === undefined ? o : (JSON.parse(JSON.stringify(o)) as T);
}

/** The value at a dot path, through own properties only (a loaded file's keys never lead into a prototype). */
export function getPath(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const k of path.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = ownValue(cur, k);
  }
  return cur;
}

function setPath(o: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const reserved = keys.find(isReservedKey);
  if (reserved !== undefined) throw new Error(`${path}: ${reservedKeyRule(reserved)}`);
  let cur = o;
  for (const k of keys.slice(0, -1)) {
    const next = ownValue(cur, k);
    if (!next || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]] = value;
}

/** A deep copy of `o` without the given paths (and without objects they leave empty). */
function withoutPaths(o: Record<string, unknown>, paths: string[]): Record<string, unknown> {
  const copy = jsonClone(o);
  for (const p of paths) {
    const keys = p.split('.');
    const parent = getPath(copy, keys.slice(0, -1).join('.')) ?? (keys.length === 1 ? copy : undefined);
    if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[keys[keys.length - 1]];
  }
  return pruneEmpty(copy);
}

function pruneEmpty(o: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      pruneEmpty(v as Record<string, unknown>);
      if (Object.keys(v).length === 0) delete o[k];
    }
  }
  return o;
}

/** Drops undefined values at every depth so the saved JSON stays clean. */
function pruneUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) delete o[k];
    else if (v && typeof v === 'object' && !Array.isArray(v)) pruneUndefined(v as Record<string, unknown>);
  }
  return o;
}
