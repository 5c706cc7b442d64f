/**
 * The one notifier: every failed API call and every user-facing error goes through here
 * and shows as a toast. `call` turns an ApiResult into its data, or null after notifying.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ApiError, ApiResult } from '../../../shared/contract';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  code?: string;
}

let nextId = 1;

export const useNotifyStore = defineStore('notify', () => {
  const toasts = ref<Toast[]>([]);

  function push(kind: Toast['kind'], message: string, code?: string, ttlMs = kind === 'error' ? 10000 : 4000) {
    const toast = { id: nextId++, kind, message, code };
    toasts.value.push(toast);
    if (toasts.value.length > 5) toasts.value.shift();
    setTimeout(() => dismiss(toast.id), ttlMs);
  }

  function dismiss(id: number) {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  const error = (e: ApiError | Error | string) =>
    typeof e === 'string' ? push('error', e) : push('error', e.message, 'code' in e ? e.code : undefined);
  const info = (message: string) => push('info', message);

  /** Data of a successful call; null (after a toast unless `quiet`) for a failed one. */
  async function call<T>(pending: Promise<ApiResult<T>>, opts: { quiet?: boolean } = {}): Promise<T | null> {
    let result: ApiResult<T>;
    try {
      result = await pending;
    } catch (e) {
      result = { ok: false, error: { code: 'NETWORK', message: e instanceof Error ? e.message : String(e) } };
    }
    if (result.ok) return result.data;
    if (!opts.quiet) error(result.error);
    return null;
  }

  return { toasts, push, dismiss, error, info, call };
});
