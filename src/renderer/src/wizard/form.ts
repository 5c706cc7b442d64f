/**
 * The wizard's form state and its two conversions: form -> config (the same JSON the CLI takes) and
 * config -> form (presets, "duplicate", loading a saved file). Number fields hold the text the user
 * typed; text that is not a number goes into the config unchanged so the schema itself reports it
 * ("must be a number (got string)") under the field. Keys the form has no control for are kept in
 * `extra` objects so a loaded config survives a round trip.
 */
import { evaluationSchema, methodSchema, type MethodId } from '../../../shared/unlearning-config';
import { datasetNeedsPath } from '../../../shared/catalog';
import { computeSchema, partitionSchema, trainingSchema } from '../../../shared/config';
import { groupsText, listText, num, numList, parseGroups, str } from './text';

export type Extra = Record<string, unknown>;

export interface MethodForm {
  /** Stable key for list rendering. */
  uid: number;
  id: MethodId | string;
  label: string;
  rounds: string;
  rhoMode: 'number' | 'auto';
  rho: string;
  selection: string;
  locate: string;
  extra: Extra;
}

export interface WizardForm {
  name: string;
  seed: string;
  dataset: {
    id: string;
    path: string;
    trainSize: string;
    testSize: string;
    transpose: boolean;
    augment: boolean;
    noise: boolean;
    noiseClients: string;
    noiseRate: string;
    extra: Extra;
  };
  partition: { clients: string; scheme: string; alpha: string; minSize: string; extra: Extra };
  model: { id: string; extra: Extra };
  training: {
    rounds: string;
    localEpochs: string;
    batchSize: string;
    optimizer: string;
    lr: string;
    momentum: string;
    aggregation: string;
    clientFraction: string;
    extra: Extra;
  };
  compute: { backend: string; workers: string; extra: Extra };
  unlearning: {
    enabled: boolean;
    kind: string;
    clients: string;
    class: string;
    examplesMode: 'random' | 'list';
    randomExamples: string;
    examples: string;
    extra: Extra;
  };
  methods: MethodForm[];
  evaluation: {
    retrainModels: string;
    groups: string;
    memorization: string;
    clipNegative: boolean;
    referenceModels: string;
    fairness: string;
    csl: boolean;
    lossSurface: boolean;
    lossSteps: string;
    lossOvershoot: string;
    lossMaxRemaining: string;
    extra: Extra;
  };
  repeats: string;
  extra: Extra;
}

const TRAINING = trainingSchema.parse({ rounds: 10 });
const PARTITION = partitionSchema.parse({ clients: 10 });
const COMPUTE = computeSchema.parse({});
const EVALUATION = evaluationSchema.parse({});
const LOSS = EVALUATION.lossSurface || { steps: 10, overshoot: 0.2, maxRemaining: 2000 };
const FEDMEMERASER = methodSchema.parse({ id: 'fedmemeraser' }) as { rho: number | 'auto'; selection: string; locate: string };

let nextUid = 1;

function rest(obj: unknown, known: string[]): Extra {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return {};
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !known.includes(k)));
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Drops undefined values so the saved JSON stays clean. */
function clean<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---------- methods ----------

export function newMethod(id: MethodId | string): MethodForm {
  return {
    uid: nextUid++,
    id,
    label: '',
    rounds: '',
    rhoMode: FEDMEMERASER.rho === 'auto' ? 'auto' : 'number',
    rho: FEDMEMERASER.rho === 'auto' ? '' : String(FEDMEMERASER.rho),
    selection: FEDMEMERASER.selection,
    locate: FEDMEMERASER.locate,
    extra: {},
  };
}

function methodToForm(raw: unknown): MethodForm {
  const m = obj(raw);
  const f = newMethod(str(m.id));
  f.label = str(m.label);
  f.rounds = str(m.rounds);
  if (m.rho === 'auto') f.rhoMode = 'auto';
  else if (m.rho !== undefined) f.rho = str(m.rho);
  if (m.selection !== undefined) f.selection = str(m.selection);
  if (m.locate !== undefined) f.locate = str(m.locate);
  f.extra = rest(m, ['id', 'label', 'rounds', 'rho', 'selection', 'locate']);
  return f;
}

function methodToConfig(f: MethodForm): Record<string, unknown> {
  const base = { ...f.extra, id: f.id, label: f.label.trim() || undefined };
  if (f.id === 'finetune') return clean({ ...base, rounds: num(f.rounds) });
  if (f.id === 'fedmemeraser') {
    return clean({ ...base, rounds: num(f.rounds), rho: f.rhoMode === 'auto' ? 'auto' : num(f.rho), selection: f.selection, locate: f.locate });
  }
  return clean(base);
}

// ---------- whole form ----------

export function emptyForm(): WizardForm {
  return configToForm({});
}

export function configToForm(input: unknown): WizardForm {
  const c = obj(input);
  const d = obj(c.dataset);
  const noise = obj(d.labelNoise);
  const p = obj(c.partition);
  const m = obj(c.model);
  const t = obj(c.training);
  const cp = obj(c.compute);
  const u = c.unlearning === undefined ? undefined : obj(c.unlearning);
  const req = obj(u?.request);
  const e = obj(c.evaluation);
  const ls = e.lossSurface === false ? undefined : obj(e.lossSurface);
  const pick = (o: Record<string, unknown>, k: string, dflt: unknown) => str(o[k] !== undefined ? o[k] : dflt);
  return {
    name: str(c.name),
    seed: pick(c, 'seed', 1),
    dataset: {
      id: pick(d, 'id', 'mnist'),
      path: str(d.path),
      trainSize: str(d.trainSize),
      testSize: str(d.testSize),
      transpose: d.transpose === true,
      augment: d.augment === true,
      noise: d.labelNoise !== undefined,
      noiseClients: listText(noise.clients),
      noiseRate: str(noise.rate),
      extra: rest(d, ['id', 'path', 'trainSize', 'testSize', 'transpose', 'augment', 'labelNoise']),
    },
    partition: {
      clients: pick(p, 'clients', 10),
      scheme: pick(p, 'scheme', PARTITION.scheme),
      alpha: pick(p, 'alpha', PARTITION.alpha),
      minSize: pick(p, 'minSize', PARTITION.minSize),
      extra: rest(p, ['clients', 'scheme', 'alpha', 'minSize']),
    },
    model: { id: pick(m, 'id', 'cnn'), extra: rest(m, ['id']) },
    training: {
      rounds: pick(t, 'rounds', TRAINING.rounds),
      localEpochs: pick(t, 'localEpochs', TRAINING.localEpochs),
      batchSize: pick(t, 'batchSize', TRAINING.batchSize),
      optimizer: pick(t, 'optimizer', TRAINING.optimizer),
      lr: pick(t, 'lr', TRAINING.lr),
      momentum: pick(t, 'momentum', TRAINING.momentum),
      aggregation: pick(t, 'aggregation', TRAINING.aggregation),
      clientFraction: pick(t, 'clientFraction', TRAINING.clientFraction),
      extra: rest(t, ['rounds', 'localEpochs', 'batchSize', 'optimizer', 'lr', 'momentum', 'aggregation', 'clientFraction']),
    },
    compute: { backend: pick(cp, 'backend', COMPUTE.backend), workers: pick(cp, 'workers', COMPUTE.workers), extra: rest(cp, ['backend', 'workers']) },
    unlearning: {
      enabled: u !== undefined,
      kind: pick(req, 'kind', 'clients'),
      clients: req.clients === undefined && u === undefined ? '0' : listText(req.clients),
      class: str(req.class),
      examplesMode: req.examples !== undefined ? 'list' : 'random',
      randomExamples: str(req.randomExamples),
      examples: listText(req.examples),
      extra: { ...rest(u, ['request', 'methods']), request: rest(req, ['kind', 'clients', 'class', 'examples', 'randomExamples']) },
    },
    methods: Array.isArray(u?.methods) ? u.methods.map(methodToForm) : [newMethod('finetune'), newMethod('fedmemeraser')],
    evaluation: {
      retrainModels: pick(e, 'retrainModels', EVALUATION.retrainModels),
      groups: groupsText(e.groups ?? EVALUATION.groups),
      memorization: pick(e, 'memorization', EVALUATION.memorization),
      clipNegative: e.clipNegative === undefined ? EVALUATION.clipNegative : e.clipNegative === true,
      referenceModels: pick(e, 'referenceModels', EVALUATION.referenceModels),
      fairness: pick(e, 'fairness', EVALUATION.fairness),
      csl: e.csl === undefined ? EVALUATION.csl : e.csl === true,
      lossSurface: e.lossSurface !== false,
      lossSteps: pick(ls ?? {}, 'steps', LOSS.steps),
      lossOvershoot: pick(ls ?? {}, 'overshoot', LOSS.overshoot),
      lossMaxRemaining: pick(ls ?? {}, 'maxRemaining', LOSS.maxRemaining),
      extra: rest(e, ['retrainModels', 'groups', 'memorization', 'clipNegative', 'referenceModels', 'fairness', 'csl', 'lossSurface']),
    },
    repeats: pick(c, 'repeats', 1),
    extra: rest(c, ['name', 'seed', 'dataset', 'partition', 'model', 'training', 'compute', 'unlearning', 'evaluation', 'repeats']),
  };
}

export function formToConfig(f: WizardForm): Record<string, unknown> {
  const d = f.dataset;
  const u = f.unlearning;
  const e = f.evaluation;
  const needsPath = datasetNeedsPath(d.id);
  const request = clean({
    ...obj(u.extra.request),
    kind: u.kind,
    clients: u.kind === 'clients' ? numList(u.clients) : undefined,
    class: u.kind === 'class' ? num(u.class) : undefined,
    examples: u.kind === 'examples' && u.examplesMode === 'list' ? numList(u.examples) : undefined,
    randomExamples: u.kind === 'examples' && u.examplesMode === 'random' ? num(u.randomExamples) : undefined,
  });
  const { request: _request, ...unlearningExtra } = u.extra;
  return clean({
    ...f.extra,
    name: f.name.trim() || undefined,
    seed: num(f.seed),
    dataset: clean({
      ...d.extra,
      id: d.id,
      path: needsPath ? d.path.trim() || undefined : undefined,
      trainSize: num(d.trainSize),
      testSize: num(d.testSize),
      transpose: d.id === 'idx' && d.transpose ? true : undefined,
      augment: d.augment ? true : undefined,
      labelNoise: d.noise ? clean({ clients: numList(d.noiseClients), rate: num(d.noiseRate) }) : undefined,
    }),
    partition: clean({ ...f.partition.extra, clients: num(f.partition.clients), scheme: f.partition.scheme, alpha: num(f.partition.alpha), minSize: num(f.partition.minSize) }),
    model: { ...f.model.extra, id: f.model.id },
    training: clean({
      ...f.training.extra,
      rounds: num(f.training.rounds),
      localEpochs: num(f.training.localEpochs),
      batchSize: num(f.training.batchSize),
      optimizer: f.training.optimizer,
      lr: num(f.training.lr),
      momentum: num(f.training.momentum),
      aggregation: f.training.aggregation,
      clientFraction: num(f.training.clientFraction),
    }),
    compute: clean({ ...f.compute.extra, backend: f.compute.backend, workers: num(f.compute.workers) }),
    unlearning: u.enabled ? { ...unlearningExtra, request, methods: f.methods.map(methodToConfig) } : undefined,
    evaluation: clean({
      ...e.extra,
      retrainModels: num(e.retrainModels),
      groups: parseGroups(e.groups),
      memorization: e.memorization,
      clipNegative: e.clipNegative ? true : undefined,
      referenceModels: num(e.referenceModels),
      fairness: e.fairness,
      csl: e.csl,
      lossSurface: e.lossSurface ? clean({ steps: num(e.lossSteps), overshoot: num(e.lossOvershoot), maxRemaining: num(e.lossMaxRemaining) }) : false,
    }),
    repeats: num(f.repeats),
  });
}
