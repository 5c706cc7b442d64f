/**
 * The runs a compare view shows: each loaded with runs:get. A run that cannot be loaded (deleted, a
 * mistyped id in a shared URL) is shown in place with its error, not as a toast; a slower, older load
 * never replaces a newer one.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { RunDetail } from '../../../shared/contract';
import { api } from '../api';

export interface CompareEntry {
  id: string;
  detail: RunDetail | null;
  error: string | null;
}

export const useCompareStore = defineStore('compare', () => {
  const entries = shallowRef<CompareEntry[]>([]);
  const state = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  let seq = 0;

  async function open(ids: string[]) {
    const mine = ++seq;
    state.value = 'loading';
    const results = await Promise.all(ids.map((id) => api.runs.get({ id })));
    if (mine !== seq) return;
    entries.value = results.map((r, i) => ({
      id: ids[i],
      detail: r.ok ? r.data : null,
      error: r.ok ? null : r.error.message,
    }));
    state.value = entries.value.some((e) => e.detail) ? 'ready' : 'error';
  }

  function close() {
    seq++;
    entries.value = [];
    state.value = 'idle';
  }

  return { entries, state, open, close };
});
