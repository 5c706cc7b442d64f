/**
 * The settings that matter of one run, as label/value lines: what tells a label-noise Dirichlet α = 1,
 * ρ = 0.4 run from the IID quick run at a glance. The run page renders it; the CLI can print it. Each
 * method lists only what it sets away from its defaults (FedMemEraser always shows ρ and its selection).
 */
import { ANALYSES } from './analysis-schemas';
import { DATASETS, MODELS, methodLabel } from './catalog';
import { experimentConfigSchema, type ExperimentConfig } from './config';
import { methodSchema, type MethodConfig } from './method-schemas';

export interface SummaryItem {
  label: string;
  value: string;
}

const num = (n: number): string => (Number.isInteger(n) ? n.toLocaleString('en-US') : String(n));
const percent = (x: number): string => `${Number((x * 100).toFixed(1))}%`;
const plural = (n: number, one: string, many = `${one}s`): string => `${num(n)} ${n === 1 ? one : many}`;
const ids = (xs: readonly number[]): string => xs.join(', ');

/** Greek letters for the parameters the paper writes that way. */
const PARAM_NAMES: Record<string, string> = { rho: 'ρ', alpha: 'α', sigma: 'σ', gamma: 'γ', beta1: 'β1', beta2: 'β2' };

function paramValue(v: unknown): string {
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return String(v);
}

/** "FedMemEraser ρ 0.4, selection redundant, 3 rounds": the label, then what differs from the defaults. */
export function methodSummary(m: MethodConfig): string {
  const defaults = methodSchema.parse({ id: m.id }) as Record<string, unknown>;
  const always = m.id === 'fedmemeraser' ? ['rho', 'selection'] : [];
  const parts: string[] = [];
  let rounds: string | null = null;
  const entries = Object.entries(m).sort(([a], [b]) => Number(always.includes(b)) - Number(always.includes(a)));
  for (const [key, value] of entries) {
    if (key === 'id' || key === 'label' || value === undefined) continue;
    if (key === 'rounds') {
      rounds = plural(value as number, 'round');
      continue;
    }
    if (!always.includes(key) && JSON.stringify(value) === JSON.stringify(defaults[key])) continue;
    parts.push(`${PARAM_NAMES[key] ?? key} ${paramValue(value)}`);
  }
  if (rounds) parts.push(rounds);
  return parts.length ? `${methodLabel(m)} ${parts.join(', ')}` : methodLabel(m);
}

function partitionSummary(c: ExperimentConfig): string {
  const p = c.partition;
  const scheme =
    p.scheme === 'dirichlet' ? `Dirichlet α ${num(p.alpha)}` : p.scheme === 'iid' ? 'IID' : 'one class per client';
  const sampled = c.training.clientFraction < 1 ? `, ${percent(c.training.clientFraction)} sampled per round` : '';
  return `${plural(p.clients, 'client')}, ${scheme}${sampled}`;
}

function requestSummary(c: ExperimentConfig): string {
  const r = c.unlearning?.request;
  if (!r) return 'none (original training only)';
  if (r.kind === 'clients')
    return `forget ${r.clients && r.clients.length === 1 ? 'client' : 'clients'} ${ids(r.clients ?? [])}`;
  if (r.kind === 'class') return `forget class ${r.class ?? '—'}`;
  if (r.examples) return `forget ${plural(r.examples.length, 'example')}`;
  return `forget ${plural(r.randomExamples ?? 0, 'random example')}`;
}

function datasetSummary(c: ExperimentConfig): string {
  const d = c.dataset;
  const size = `${d.trainSize !== undefined ? num(d.trainSize) : 'all'} train / ${d.testSize !== undefined ? num(d.testSize) : 'all'} test`;
  const extra = [d.augment && 'augmented', d.transpose && 'transposed'].filter(Boolean).join(', ');
  return `${DATASETS[d.id].name}, ${size}${extra ? `, ${extra}` : ''}`;
}

/** The summary of a config (raw or parsed: defaults are filled in first); null when it is not a valid config. */
export function configSummary(input: unknown): SummaryItem[] | null {
  const parsed = experimentConfigSchema.safeParse(input);
  if (!parsed.success) return null;
  const c = parsed.data;
  const t = c.training;
  const noise = c.dataset.labelNoise;
  const e = c.evaluation;
  return [
    { label: 'Dataset', value: datasetSummary(c) },
    { label: 'Model', value: MODELS[c.model.id].name },
    { label: 'Clients', value: partitionSummary(c) },
    { label: 'Training', value: `${plural(t.rounds, 'round')} × ${plural(t.localEpochs, 'local epoch')}` },
    { label: 'Batch', value: num(t.batchSize) },
    {
      label: 'Optimizer',
      value: t.optimizer === 'sgd' ? `SGD, lr ${num(t.lr)}, momentum ${num(t.momentum)}` : `Adam, lr ${num(t.lr)}`,
    },
    { label: 'Aggregation', value: t.aggregation === 'mean' ? 'mean of client updates' : 'weighted by client size' },
    { label: 'Request', value: requestSummary(c) },
    {
      label: 'Label noise',
      value: noise
        ? `${noise.clients.length === 1 ? 'client' : 'clients'} ${ids(noise.clients)}, ${percent(noise.rate)} of labels flipped`
        : 'none',
    },
    { label: 'Methods', value: c.unlearning ? c.unlearning.methods.map(methodSummary).join('; ') : 'none' },
    {
      label: 'Retrained models',
      value: `J = ${e.retrainModels}${e.referenceModels ? ` + ${e.referenceModels} reference` : ''}`,
    },
    ...(e.analyses.length
      ? [{ label: 'Analyses', value: e.analyses.map((a) => ANALYSES[a.id].label).join('; ') }]
      : []),
    { label: 'Repeats', value: c.repeats === 1 ? '1' : `${c.repeats} (seeds ${c.seed}–${c.seed + c.repeats - 1})` },
    { label: 'Seed', value: String(c.seed) },
  ];
}
