/**
 * The study builder: the form (builder-form.ts), where its base came from, validation by main as the
 * user types (studies:validate, debounced: it expands every cell and validates each run's config, and
 * prices the study with this machine's throughput), and start. Kept across navigation like the
 * wizard, so a half-built study survives a look at a run.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { ConfigIssue } from '../../../shared/config';
import { PRESETS } from '../../../shared/presets';
import type { StudyInput } from '../../../shared/study';
import { getStudyPreset } from '../../../shared/study-presets';
import type { StudyEstimate } from '../../../shared/study-types';
import { suggestAxisPaths } from '../studies/axis-paths';
import { checkStudyJson, looksLikeStudy } from '../studies/study-json';
import {
  baseToText,
  emptyAxis,
  formFromStudy,
  parseBase,
  studyFromForm,
  type StudyForm,
} from '../studies/builder-form';
import { api } from '../api';
import { useNotifyStore } from './notify';
import { useSettingsStore } from './settings';

type Validation = {
  state: 'idle' | 'loading' | 'ready' | 'error';
  issues: ConfigIssue[];
  estimate: StudyEstimate | null;
  message: string | null;
};

function blankForm(): StudyForm {
  const { name: _name, ...base } = PRESETS.quick;
  return { name: '', baseText: baseToText(base), axes: [emptyAxis()], combine: 'grid', seeds: '1', share: true };
}

/** A copy without Vue proxies, for the IPC bridge (structured clone) and for editing apart from its source. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export const useStudyBuilderStore = defineStore('study-builder', () => {
  const notify = useNotifyStore();
  const form = ref<StudyForm>(blankForm());
  /** What filled the base, in words ("study preset f2-rho", "run “quick” (3f2a…)", "pasted JSON"). */
  const source = ref('experiment preset quick');
  const concurrency = ref(1);
  const validation = shallowRef<Validation>({ state: 'idle', issues: [], estimate: null, message: null });
  const starting = ref(false);

  const built = computed(() => studyFromForm(form.value));
  const base = computed(() => parseBase(form.value.baseText).base);
  const suggestions = computed(() => suggestAxisPaths(base.value));
  const valid = computed(
    () => built.value.study !== null && validation.value.state === 'ready' && validation.value.issues.length === 0,
  );

  function fill(study: StudyInput, from: string) {
    form.value = formFromStudy(plain(study));
    source.value = from;
  }

  function applyStudyPreset(name: string) {
    fill(getStudyPreset(name), `study preset ${name}`);
  }

  /** A new base; the axes stay (their paths usually still apply), the name too. */
  function setBase(config: unknown, from: string) {
    const { name: _name, ...rest } = plain(config) as Record<string, unknown>;
    form.value.baseText = baseToText(rest);
    source.value = from;
  }

  function applyExperimentPreset(name: string) {
    const config =
      useSettingsStore().catalog?.presets.find((p) => p.name === name)?.config ??
      (PRESETS as Record<string, unknown>)[name];
    if (config) setBase(config, `experiment preset ${name}`);
  }

  async function baseFromRun(id: string): Promise<boolean> {
    const run = await notify.call(api.runs.get({ id }));
    if (!run) return false;
    setBase(run.config, `run “${run.name}” (${id.slice(0, 8)})`);
    return true;
  }

  /**
   * Pasted or loaded JSON: a whole study (it has `base` and `axes`) fills everything; anything else
   * is taken as the base config. A study is checked with the study schema first (the form is left as it
   * was when it fails). Returns the problem in words, naming the fields, or null.
   */
  function loadJson(text: string): string | null {
    const { base: parsed, error } = parseBase(text);
    if (!parsed) return `The JSON ${error}`;
    if (!looksLikeStudy(parsed)) {
      setBase(parsed, 'pasted JSON');
      return null;
    }
    const { study, error: invalid } = checkStudyJson(parsed);
    if (study) fill(study, 'pasted study');
    return invalid;
  }

  function reset() {
    form.value = blankForm();
    source.value = 'experiment preset quick';
    concurrency.value = 1;
  }

  function setSecondAxis(on: boolean) {
    if (on && form.value.axes.length === 1) form.value.axes.push(emptyAxis());
    if (!on) form.value.axes.splice(1);
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;
  watch(
    () => (built.value.study ? JSON.stringify(built.value.study) : null),
    (key) => {
      clearTimeout(timer);
      const mine = ++seq;
      if (key === null) {
        validation.value = {
          state: 'error',
          issues: [],
          estimate: null,
          message: 'Fix the marked fields to see the estimate.',
        };
        return;
      }
      validation.value = { ...validation.value, state: 'loading' };
      timer = setTimeout(async () => {
        const r = await api.studies.validate({ study: JSON.parse(key) });
        if (mine !== seq) return;
        if (!r.ok)
          validation.value = { state: 'error', issues: r.error.issues ?? [], estimate: null, message: r.error.message };
        else validation.value = { state: 'ready', issues: r.data.issues, estimate: r.data.estimate, message: null };
      }, 400);
    },
    { immediate: true },
  );

  async function start(): Promise<string | null> {
    const study = built.value.study;
    if (!study || starting.value) return null;
    starting.value = true;
    try {
      const r = await api.studies.create({ study: plain(study), start: true, concurrency: concurrency.value });
      if (r.ok) return r.data.id;
      if (r.error.issues?.length)
        validation.value = { state: 'ready', issues: r.error.issues, estimate: null, message: null };
      notify.error(r.error);
      return null;
    } finally {
      starting.value = false;
    }
  }

  return {
    form,
    source,
    concurrency,
    validation,
    starting,
    built,
    base,
    suggestions,
    valid,
    fill,
    applyStudyPreset,
    applyExperimentPreset,
    baseFromRun,
    loadJson,
    setBase,
    reset,
    setSecondAxis,
    start,
  };
});
