/**
 * The new-experiment wizard: form state, validate-as-you-type with the experiment schema itself
 * (validateConfig is pure TS), the partition preview and run-time estimate from main (debounced),
 * presets, duplicate-from-run, save/load of the CLI's JSON config, and start.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { validateConfig, type ConfigIssue } from '../../../shared/config';
import type { PartitionPreview, RunEstimate } from '../../../shared/contract';
import { PRESETS } from '../../../shared/presets';
import { reservedKeyProblem } from '../../../shared/reserved-keys';
import { api } from '../api';
import { addressAnalysisIssues, issuesByField, issuesForStep, STEPS, type StepId } from '../wizard/fields';
import { configToForm, formToConfig } from '../wizard/form';
import { useNotifyStore } from './notify';
import { useSettingsStore } from './settings';

type Remote<T> = {
  state: 'idle' | 'loading' | 'ready' | 'error';
  data: T | null;
  message: string | null;
  code?: string;
};
const idle = <T>(): Remote<T> => ({ state: 'idle', data: null, message: null });

export const useWizardStore = defineStore('wizard', () => {
  const form = ref(configToForm(PRESETS.quick));
  const step = ref<StepId>('dataset');
  /** Issues main reported on start (normally the same as local ones); cleared on any edit. */
  const serverIssues = ref<ConfigIssue[]>([]);
  const preview = shallowRef<Remote<PartitionPreview>>(idle());
  const estimate = shallowRef<Remote<{ seconds: number | null; detail: RunEstimate | null }>>(idle());
  const starting = ref(false);

  const config = computed(() => formToConfig(form.value));
  const validation = computed(() => validateConfig(config.value));
  const issues = computed<ConfigIssue[]>(() =>
    addressAnalysisIssues(
      [...(validation.value.ok ? [] : validation.value.issues), ...serverIssues.value],
      config.value,
    ),
  );
  const errors = computed(() => issuesByField(issues.value));
  const valid = computed(() => issues.value.length === 0);
  const steps = computed(() => (form.value.unlearning.enabled ? STEPS : STEPS.filter((s) => s.id !== 'methods')));
  const stepIndex = computed(() =>
    Math.max(
      0,
      steps.value.findIndex((s) => s.id === step.value),
    ),
  );
  const stepIssues = (id: StepId) => issuesForStep(issues.value, id);

  watch(form, () => (serverIssues.value = []), { deep: true });
  // Turning unlearning off hides the methods step; do not leave the user on a step that is gone.
  watch(steps, (list) => {
    if (!list.some((s) => s.id === step.value)) step.value = 'request';
  });

  function reset(input: unknown) {
    form.value = configToForm(input);
    step.value = 'dataset';
  }

  /** The preset the form was last filled from (cleared by loading a run or a file). */
  const preset = ref<string | null>('quick');

  function applyPreset(name: string) {
    const fromCatalog = useSettingsStore().catalog?.presets.find((p) => p.name === name)?.config;
    const config = fromCatalog ?? (PRESETS as Record<string, unknown>)[name];
    if (!config) return;
    // A plain copy: the catalog sits in reactive state, and structuredClone rejects proxies.
    reset(JSON.parse(JSON.stringify(config)));
    preset.value = name;
  }

  async function loadRun(id: string): Promise<boolean> {
    const run = await useNotifyStore().call(api.runs.get({ id }));
    if (!run) return false;
    reset(run.config);
    preset.value = null;
    form.value.values.name = `${run.name} (copy)`;
    return true;
  }

  /** Loads the text of a saved config file; false (after a toast) when it is not a JSON object. */
  function loadJson(text: string): boolean {
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('the file does not hold a JSON object');
      const reserved = reservedKeyProblem(parsed);
      if (reserved !== null) throw new Error(reserved);
      reset(parsed);
      preset.value = null;
      return true;
    } catch (e) {
      useNotifyStore().error(`Could not load the config: ${(e as Error).message}`);
      return false;
    }
  }

  const json = () => `${JSON.stringify(config.value, null, 2)}\n`;

  // ----- partition preview: only the data-related part of the config, so later steps cannot block it.
  const previewConfig = computed(() => {
    const c = config.value;
    return { seed: c.seed, dataset: c.dataset, partition: c.partition, training: { rounds: 1 } };
  });
  let previewTimer: ReturnType<typeof setTimeout> | undefined;
  let previewSeq = 0;
  watch(
    () => JSON.stringify(previewConfig.value),
    (key) => {
      clearTimeout(previewTimer);
      const local = validateConfig(previewConfig.value);
      if (!local.ok) {
        preview.value = {
          state: 'error',
          data: null,
          message: 'Fix the dataset and partition fields to see the preview.',
        };
        return;
      }
      preview.value = { ...preview.value, state: 'loading' };
      const mine = ++previewSeq;
      previewTimer = setTimeout(async () => {
        const r = await api.partition.preview({ config: JSON.parse(key) });
        if (mine !== previewSeq) return;
        preview.value = r.ok
          ? { state: 'ready', data: r.data, message: null }
          : { state: 'error', data: null, message: r.error.message, code: r.error.code };
      }, 350);
    },
    { immediate: true },
  );

  // ----- run-time estimate from main's model (config:validate).
  let estimateTimer: ReturnType<typeof setTimeout> | undefined;
  let estimateSeq = 0;
  watch(
    () => (valid.value ? JSON.stringify(config.value) : null),
    (key) => {
      clearTimeout(estimateTimer);
      if (key === null) {
        estimate.value = { state: 'error', data: null, message: 'The estimate needs a valid config.' };
        return;
      }
      estimate.value = { ...estimate.value, state: 'loading' };
      const mine = ++estimateSeq;
      estimateTimer = setTimeout(async () => {
        const r = await api.config.validate({ config: JSON.parse(key) });
        if (mine !== estimateSeq) return;
        if (!r.ok) estimate.value = { state: 'error', data: null, message: r.error.message };
        else if (!r.data.ok) {
          serverIssues.value = r.data.issues;
          estimate.value = { state: 'error', data: null, message: 'The config is not valid.' };
        } else
          estimate.value = {
            state: 'ready',
            data: { seconds: r.data.estimateSeconds, detail: r.data.estimate ?? null },
            message: null,
          };
      }, 300);
    },
    { immediate: true },
  );

  async function start(): Promise<string | null> {
    if (!valid.value || starting.value) return null;
    starting.value = true;
    try {
      const r = await api.runs.start({ config: config.value });
      if (r.ok) return r.data.runId;
      if (r.error.issues?.length) serverIssues.value = r.error.issues;
      useNotifyStore().error(r.error);
      return null;
    } finally {
      starting.value = false;
    }
  }

  function go(delta: number) {
    const next = steps.value[stepIndex.value + delta];
    if (next) step.value = next.id;
  }

  return {
    form,
    preset,
    step,
    steps,
    stepIndex,
    config,
    issues,
    errors,
    valid,
    preview,
    estimate,
    starting,
    stepIssues,
    reset,
    applyPreset,
    loadRun,
    loadJson,
    json,
    start,
    go,
  };
});
