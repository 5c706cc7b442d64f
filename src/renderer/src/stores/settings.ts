/** Settings and the catalog (datasets, models, methods, presets), fetched once and cached. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Catalog, Settings } from '../../../shared/contract';
import { api } from '../api';
import { useNotifyStore } from './notify';

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings | null>(null);
  const catalog = ref<Catalog | null>(null);
  const state = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  let pending: Promise<void> | null = null;

  function load(force = false): Promise<void> {
    if (pending && !force) return pending;
    const notify = useNotifyStore();
    state.value = 'loading';
    pending = (async () => {
      const [s, c] = await Promise.all([notify.call(api.settings.get()), notify.call(api.catalog.get())]);
      if (s) settings.value = s;
      if (c) catalog.value = c;
      state.value = s && c ? 'ready' : 'error';
    })();
    return pending;
  }

  return { settings, catalog, state, load };
});
