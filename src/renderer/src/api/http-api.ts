/**
 * Browser mode's implementation of the same `Api` the preload exposes: calls are `POST /api/<channel>`
 * with the input as JSON, push events arrive over one WebSocket at /ws (reconnecting with backoff).
 * Auth rides on the HttpOnly cookie the server set when the page was first opened with ?token=;
 * if a token is in the address bar anyway (a dev proxy that did not redirect), it is kept in
 * sessionStorage, removed from the URL, and sent as a header too.
 */
import { createApi, type Api } from '../../../shared/api';
import type { ApiResult, PushChannel } from '../../../shared/contract';

const TOKEN_KEY = 'fedmem-token';
const TOKEN_HEADER = 'X-FedMem-Token';

function takeToken(): string | null {
  try {
    const url = new URL(window.location.href);
    const fromUrl = url.searchParams.get('token');
    if (fromUrl) {
      sessionStorage.setItem(TOKEN_KEY, fromUrl);
      url.searchParams.delete('token');
      window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null; // storage disabled: the cookie still authenticates
  }
}

export interface HttpApiOptions {
  /** Default: the page's own origin. */
  baseUrl?: string;
  token?: string | null;
}

export function createHttpApi(options: HttpApiOptions = {}): Api {
  const base = (options.baseUrl ?? window.location.origin).replace(/\/$/, '');
  const token = options.token === undefined ? takeToken() : options.token;
  const listeners = new Map<PushChannel, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retry = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  const subscribed = () => [...listeners.values()].some((s) => s.size > 0);

  function connect(): void {
    if (socket || !subscribed()) return;
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    socket = ws;
    ws.onopen = () => (retry = 0);
    ws.onmessage = (m) => {
      let msg: { channel?: PushChannel; payload?: unknown };
      try {
        msg = JSON.parse(String(m.data)) as typeof msg;
      } catch {
        return;
      }
      for (const l of (msg.channel && listeners.get(msg.channel)) || []) l(msg.payload);
    };
    ws.onclose = () => {
      if (socket !== ws) return; // a socket we closed on purpose, already replaced or dropped
      socket = null;
      if (!subscribed()) return;
      // Server restarted or tunnel dropped: retry with capped exponential backoff (0.5 s .. 10 s).
      clearTimeout(reconnectTimer);
      reconnectTimer = setTimeout(connect, Math.min(10_000, 500 * 2 ** retry++));
    };
  }

  return createApi({
    async invoke(channel, input): Promise<ApiResult<unknown>> {
      try {
        const res = await fetch(`${base}/api/${encodeURIComponent(channel)}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', ...(token && { [TOKEN_HEADER]: token }) },
          body: input === undefined ? '' : JSON.stringify(input),
        });
        const body = (await res.json().catch(() => null)) as ApiResult<unknown> | null;
        if (body && typeof body === 'object' && 'ok' in body) return body;
        return {
          ok: false,
          error: {
            code: res.status === 401 ? 'UNAUTHORIZED' : 'NETWORK',
            message: `the server answered ${res.status} ${res.statusText}`,
          },
        };
      } catch (e) {
        return {
          ok: false,
          error: {
            code: 'NETWORK',
            message: `cannot reach the workbench server (${e instanceof Error ? e.message : String(e)})`,
          },
        };
      }
    },
    subscribe(channel, listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      connect();
      return () => {
        set.delete(listener);
        if (!subscribed() && socket) {
          socket.close();
          socket = null;
        }
      };
    },
  });
}
