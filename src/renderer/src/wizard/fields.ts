/**
 * Where a schema issue shows up in the wizard. A field's id is its config path
 * ('training.lr', 'unlearning.methods.1.rho'); issues inside list-valued fields
 * ('unlearning.request.clients.2', 'evaluation.groups.0.1') belong to the list's one text field.
 * Each step owns the paths under its prefixes (longest prefix wins); issues for paths with no
 * control (unknown keys, the root) are listed at the top of the step that owns them, or on review.
 */
import { ANALYSES, ANALYSIS_IDS, analysisSchema, type AnalysisId } from '../../../shared/analysis-schemas';
import type { ConfigIssue } from '../../../shared/config';
import { SCHEMA_FIELDS } from './schema-fields';
import { METHOD_PARAM_KEYS } from './method-fields';

export type StepId = 'dataset' | 'partition' | 'model' | 'request' | 'methods' | 'evaluation' | 'review';

export interface StepInfo {
  id: StepId;
  title: string;
  prefixes: string[];
}

export const STEPS: StepInfo[] = [
  { id: 'dataset', title: 'Dataset', prefixes: ['dataset'] },
  { id: 'partition', title: 'Partition', prefixes: ['partition', 'dataset.labelNoise', 'dataset.backdoor'] },
  { id: 'model', title: 'Model & FL', prefixes: ['model', 'training', 'compute', 'seed'] },
  { id: 'request', title: 'Unlearning request', prefixes: ['unlearning.request'] },
  { id: 'methods', title: 'Methods', prefixes: ['unlearning'] },
  { id: 'evaluation', title: 'Evaluation', prefixes: ['evaluation', 'repeats'] },
  { id: 'review', title: 'Review', prefixes: ['name'] },
];

const LIST_FIELDS = [
  'unlearning.request.clients',
  'unlearning.request.examples',
  'dataset.labelNoise.clients',
  'dataset.backdoor.clients',
  'evaluation.groups',
  'evaluation.analyses',
];

/**
 * An analysis's own controls, "evaluation.analyses.<id>.<parameter>", one per parameter of its schema (see
 * addressAnalysisIssues).
 */
const ANALYSIS_PARAMS = analysisSchema.options.flatMap((o) =>
  Object.keys(o.shape)
    .filter((k) => k !== 'id')
    .map((k) => `${o.shape.id.value}.${k}`),
);
const ANALYSIS_CONTROL = new RegExp(
  `^evaluation\\.analyses\\.(${ANALYSIS_PARAMS.map((p) => p.replace('.', '\\.')).join('|')})(?:\\.|$)`,
);

/**
 * The wizard shows the analyses by name, not by their position in the config's list, so an issue
 * inside one ("evaluation.analyses.1.threshold") is re-addressed to that analysis's control
 * ("evaluation.analyses.stability.threshold"); one on the entry as a whole names the analysis.
 */
export function addressAnalysisIssues(issues: ConfigIssue[], config: unknown): ConfigIssue[] {
  const list = (config as { evaluation?: { analyses?: { id?: unknown }[] } } | null)?.evaluation?.analyses;
  return issues.map((issue) => {
    const m = /^evaluation\.analyses\.(\d+)(?:\.(.*))?$/.exec(issue.path);
    const id = m && Array.isArray(list) ? list[Number(m[1])]?.id : undefined;
    if (!m || typeof id !== 'string' || !(ANALYSIS_IDS as readonly string[]).includes(id)) return issue;
    if (m[2] !== undefined) return { ...issue, path: `evaluation.analyses.${id}.${m[2]}` };
    return { path: 'evaluation.analyses', message: `${ANALYSES[id as AnalysisId].label}: ${issue.message}` };
  });
}

/** The field (control) an issue path belongs to. */
export function fieldForIssue(path: string): string {
  const analysis = ANALYSIS_CONTROL.exec(path);
  if (analysis) return `evaluation.analyses.${analysis[1]}`;
  for (const list of LIST_FIELDS) if (path === list || path.startsWith(`${list}.`)) return list;
  return path;
}

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`);

export function stepForField(field: string): StepId {
  let best: StepInfo | undefined;
  let bestLen = -1;
  for (const step of STEPS) {
    for (const p of step.prefixes) {
      if (under(field, p) && p.length > bestLen) {
        best = step;
        bestLen = p.length;
      }
    }
  }
  return best?.id ?? 'review';
}

/** Messages keyed by field id; several issues on one field are joined. */
export function issuesByField(issues: ConfigIssue[]): Record<string, string> {
  // A Map, then fromEntries: an issue's path is the user's key, and "__proto__" must stay a plain entry.
  const out = new Map<string, string>();
  for (const issue of issues) {
    const f = fieldForIssue(issue.path);
    const prefix = issue.path !== f ? `item ${Number(issue.path.slice(f.length + 1).split('.')[0]) + 1}: ` : '';
    const earlier = out.get(f);
    out.set(f, earlier ? `${earlier}; ${prefix}${issue.message}` : `${prefix}${issue.message}`);
  }
  return Object.fromEntries(out);
}

export function issuesForStep(issues: ConfigIssue[], step: StepId): ConfigIssue[] {
  return issues.filter((i) => stepForField(fieldForIssue(i.path)) === step);
}

/** The compound inputs' fields; every plain field is a SCHEMA_FIELDS path. */
const COMPOUND_CONTROLS = [
  /^dataset\.labelNoise(\.(clients|rate))?$/,
  /^dataset\.backdoor(\.(share|clients|target|pattern\.size|pattern\.position))?$/,
  /^unlearning\.request\.(kind|clients|class|examples|randomExamples)$/,
  /^evaluation\.(groups|lossSurface|analyses)$/,
  ANALYSIS_CONTROL,
  /^evaluation\.lossSurface\.(steps|overshoot|maxRemaining)$/,
];
const PLAIN_CONTROLS = new Set(SCHEMA_FIELDS.map((f) => f.path));

/** Whether the wizard has a control that shows this field's message. */
export function hasControl(field: string): boolean {
  return PLAIN_CONTROLS.has(field) || COMPOUND_CONTROLS.some((re) => re.test(field)) || isMethodControl(field);
}

/** The method list itself, and each entry's parameters (method-fields.ts). */
function isMethodControl(field: string): boolean {
  const m = /^unlearning\.methods(?:\.\d+\.(\w+))?$/.exec(field);
  return m !== null && (m[1] === undefined || METHOD_PARAM_KEYS.has(m[1]));
}

/** Issues on paths the wizard has no control for (listed at the top of the step that owns them). */
export function orphanIssues(issues: ConfigIssue[], step: StepId): ConfigIssue[] {
  return issuesForStep(issues, step).filter((i) => !hasControl(fieldForIssue(i.path)));
}
