/**
 * The preload: runs sandboxed (context isolation on, no Node), exposes exactly `window.api` built
 * from the contract, never ipcRenderer itself. Bundled to one CommonJS file (sandboxed preloads
 * cannot load ES modules or other files).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildPreloadApi } from './api';

export const api = buildPreloadApi(ipcRenderer);
export type Api = typeof api;

contextBridge.exposeInMainWorld('api', api);
