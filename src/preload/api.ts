/**
 * Builds window.api over ipcRenderer from the contract (src/shared/api.ts does the generating). Kept
 * apart from index.ts so tests can build it with a fake ipcRenderer: importing 'electron' outside
 * Electron fails when the binary is absent.
 */
import { createApi, type Api } from '../shared/api';
import type { ApiResult } from '../shared/contract';

/** The three ipcRenderer methods the bridge uses; the raw object itself never reaches the page. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function buildPreloadApi(ipc: IpcRendererLike): Api {
  return createApi({
    async invoke(channel, input) {
      try {
        return (await ipc.invoke(channel, input)) as ApiResult<unknown>;
      } catch (e) {
        // Handlers return envelopes; a rejection means no handler or a broken channel (e.g. main restarting).
        return { ok: false, error: { code: 'IPC', message: e instanceof Error ? e.message : String(e) } };
      }
    },
    subscribe(channel, listener) {
      // Forward only the payload: the IpcRendererEvent would hand the page a sender object.
      const forward = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(channel, forward);
      return () => void ipc.removeListener(channel, forward);
    },
  });
}
