/**
 * The runs list: its filter (search words, status, tag, dataset, method, metric conditions; applied by
 * main's runs:list, and kept here so it survives leaving the list and coming back), start (re-run),
 * delete, and a refresh whenever a run starts or finishes anywhere in the app.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RunListItem } from '../../../shared/contract';
import type { RunStatus } from '../../../shared/events';
import { api } from '../api';
import { useNotifyStore } from './notify';
import { DEFAULT_RUN_SORT, sortRuns, type RunSort } from '../format/run-sort';
import type { MetricCondition } from '../../../shared/run-metrics';

export const useRunsStore = defineStore('runs', () => {
  const items = ref<RunListItem[]>([]);
  const search = ref('');
  const status = ref<RunStatus | ''>('');
  /** Only runs with this tag ('' for all), applied by main. */
  const tag = ref('');
  /** Only runs on this dataset id / including this method id ('' for all). */
  const dataset = ref('');
  const method = ref('');
  /** Conditions on the metrics the list shows; all must hold. */
  const conditions = ref<MetricCondition[]>([]);
  const filtering = computed(
    () =>
      !!(search.value.trim() || status.value || tag.value || dataset.value || method.value || conditions.value.length),
  );
  /** The column the list is sorted by, applied here (the list is already in memory). */
  const sort = ref<RunSort>({ ...DEFAULT_RUN_SORT });
  const sorted = computed(() => sortRuns(items.value, sort.value));
  const state = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  let seq = 0;
  let unsubscribe: (() => void) | null = null;

  async function load() {
    const mine = ++seq;
    state.value = items.value.length ? state.value : 'loading';
    const filter = {
      search: search.value.trim() || undefined,
      status: status.value || undefined,
      tag: tag.value || undefined,
      dataset: dataset.value || undefined,
      method: method.value || undefined,
      conditions: conditions.value.length ? conditions.value.map((c) => ({ ...c })) : undefined,
    };
    const data = await useNotifyStore().call(api.runs.list(filter));
    // A slower, older response must not overwrite a newer one (typing in the search box).
    if (mine !== seq) return;
    if (data) items.value = data;
    state.value = data ? 'ready' : 'error';
  }

  /** Keeps the list current while any view is open; idempotent. */
  function watchPush() {
    if (unsubscribe) return;
    const offFinished = api.on('run:finished', () => void load());
    const offEvent = api.on('run:event', ({ runId, event }) => {
      if (event.type !== 'phase') return;
      const item = items.value.find((r) => r.id === runId);
      if (item) item.phase = event.label;
      else void load();
    });
    unsubscribe = () => {
      offFinished();
      offEvent();
    };
  }

  async function remove(id: string): Promise<boolean> {
    const notify = useNotifyStore();
    const data = await notify.call(api.runs.delete({ id }));
    if (!data) return false;
    items.value = items.value.filter((r) => r.id !== id);
    notify.info('Run deleted');
    return true;
  }

  /** Starts a run of `config` (e.g. a finished run's, again); its id, or null when main refused it (notified). */
  async function start(config: unknown): Promise<string | null> {
    const data = await useNotifyStore().call(api.runs.start({ config }));
    return data ? data.runId : null;
  }

  function replace(item: RunListItem) {
    items.value = items.value.map((r) => (r.id === item.id ? item : r));
  }

  /** True when main accepted the new name (a refusal is notified, in plain words). */
  async function rename(id: string, name: string): Promise<boolean> {
    const data = await useNotifyStore().call(api.runs.rename({ id, name }));
    if (data) replace(data);
    return !!data;
  }

  function clearFilters() {
    search.value = '';
    status.value = '';
    tag.value = '';
    dataset.value = '';
    method.value = '';
    conditions.value = [];
  }

  /** The updated run when main accepted the note and tags, else null (the refusal is notified). */
  async function annotate(id: string, note: string | null, tags: string[]): Promise<RunListItem | null> {
    const data = await useNotifyStore().call(api.runs.annotate({ id, note, tags }));
    if (!data) return null;
    // A run that lost the tag being filtered by leaves the list.
    if (tag.value && !data.tags.includes(tag.value)) items.value = items.value.filter((r) => r.id !== id);
    else replace(data);
    return data;
  }

  return {
    items,
    sorted,
    search,
    status,
    tag,
    dataset,
    method,
    conditions,
    filtering,
    sort,
    state,
    load,
    watchPush,
    remove,
    start,
    rename,
    annotate,
    clearFilters,
  };
});
