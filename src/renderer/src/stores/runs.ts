/**
 * The runs list: search and status filter (applied by main's runs:list), start (re-run), delete, and a refresh
 * whenever a run starts or finishes anywhere in the app.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RunListItem } from '../../../shared/contract';
import type { RunStatus } from '../../../shared/events';
import { api } from '../api';
import { useNotifyStore } from './notify';

export const useRunsStore = defineStore('runs', () => {
  const items = ref<RunListItem[]>([]);
  const search = ref('');
  const status = ref<RunStatus | ''>('');
  const state = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  let seq = 0;
  let unsubscribe: (() => void) | null = null;

  async function load() {
    const mine = ++seq;
    state.value = items.value.length ? state.value : 'loading';
    const filter = { search: search.value.trim() || undefined, status: status.value || undefined };
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

  return { items, search, status, state, load, watchPush, remove, start };
});
