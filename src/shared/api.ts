/**
 * The renderer-facing API, generated from the contract's keys: `runs:list` becomes `api.runs.list()`,
 * and `api.on('run:event', fn)` subscribes to a push channel and returns its unsubscribe function.
 * The preload (over ipcRenderer) and browser mode (over HTTP + WebSocket) each supply a transport;
 * both produce this same `Api`, so the renderer cannot tell them apart.
 */
import {
  contract,
  PUSH_CHANNELS,
  type ApiResult,
  type Channel,
  type InputOf,
  type OutputOf,
  type PushChannel,
  type PushEvents,
} from './contract';

export interface ApiTransport {
  /** Must resolve (never reject) with the handler's ApiResult, or a transport error as `{ ok: false }`. */
  invoke(channel: Channel, input: unknown): Promise<ApiResult<unknown>>;
  subscribe(channel: PushChannel, listener: (payload: unknown) => void): () => void;
}

type DomainOf<C> = C extends `${infer D}:${string}` ? D : never;
/** Calls whose payload may be omitted (no input, or every field optional with a default) take it optionally. */
type Method<C extends Channel> =
  undefined extends InputOf<C>
    ? (input?: InputOf<C>) => Promise<ApiResult<OutputOf<C>>>
    : (input: InputOf<C>) => Promise<ApiResult<OutputOf<C>>>;

export type Api = {
  readonly [D in DomainOf<Channel>]: { readonly [C in Channel as C extends `${D}:${infer V}` ? V : never]: Method<C> };
} & {
  on<P extends PushChannel>(channel: P, listener: (payload: PushEvents[P]) => void): () => void;
};

export const CHANNELS = Object.keys(contract) as Channel[];

export function createApi(transport: ApiTransport): Api {
  const api: Record<string, Record<string, (input?: unknown) => Promise<ApiResult<unknown>>>> = {};
  for (const channel of CHANNELS) {
    const [domain, verb] = channel.split(':');
    (api[domain] ??= {})[verb] = (input?: unknown) => transport.invoke(channel, input);
  }
  const on = (channel: PushChannel, listener: (payload: never) => void) => {
    // The renderer is untrusted input to the preload too: only contract channels may be subscribed.
    if (!PUSH_CHANNELS.includes(channel)) throw new Error(`unknown push channel "${String(channel)}"`);
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    return transport.subscribe(channel, listener as (payload: unknown) => void);
  };
  return { ...api, on } as unknown as Api;
}

/** A failed call as an Error, for code that prefers try/catch over checking `ok`. */
export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export function unwrap<T>(result: ApiResult<T>): T {
  if (result.ok) return result.data;
  throw new ApiCallError(result.error.code, result.error.message, result.error.issues);
}
