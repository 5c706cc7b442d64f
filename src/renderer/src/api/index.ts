/**
 * The renderer's only door to main: `window.api` (the Electron preload) when present, otherwise the
 * HTTP/WebSocket client of browser mode. Both are the contract-generated `Api`, so stores and views
 * import `api` from here and never know which one they got.
 */
import type { Api } from '../../../shared/api';
import { createHttpApi } from './http-api';

declare global {
  interface Window {
    /** Set by the preload in the desktop app; absent in a browser. */
    api?: Api;
  }
}

export const api: Api = window.api ?? createHttpApi();
export const runtime: 'electron' | 'browser' = window.api ? 'electron' : 'browser';

export type { Api } from '../../../shared/api';
export { ApiCallError, unwrap } from '../../../shared/api';
export type { ApiError, ApiResult, PushEvents, UiEngineEvent } from '../../../shared/contract';
