/** Light or dark, remembered in localStorage; the first visit follows the system preference. */
import { defineStore } from 'pinia';
import { ref } from 'vue';

import type { Theme } from '../../../shared/figures/themes';

export type { Theme };
const KEY = 'fedmem.theme';

function initial(): Theme {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // Storage can be unavailable (privacy modes); fall through to the system preference.
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const useThemeStore = defineStore('theme', () => {
  const theme = ref<Theme>(initial());

  function apply() {
    document.documentElement.dataset.theme = theme.value;
  }

  function set(t: Theme) {
    theme.value = t;
    try {
      localStorage.setItem(KEY, t);
    } catch {
      // Not remembered, still applied.
    }
    apply();
  }

  const toggle = () => set(theme.value === 'dark' ? 'light' : 'dark');

  return { theme, apply, set, toggle };
});
