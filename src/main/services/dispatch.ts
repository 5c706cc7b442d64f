/**
 * One typed table of handlers and the single place their payloads are validated: `dispatch(channel,
 * payload)` parses with the contract's schema, calls the handler, and always resolves to an
 * ApiResult. Electron's ipcMain and browser mode's HTTP routes both call it, so they cannot differ.
 */
import { describeIssues, issuesText } from '../../shared/config';
import { oneLine, quoted } from '../../shared/one-line';
import { PLAIN_PARSE } from '../../shared/zod-rules';
import { findReservedKey, reservedKeyRule } from '../../shared/reserved-keys';
import { contract, type ApiResult, type Channel, type OutputOf, type ParsedInputOf } from '../../shared/contract';
import { CHANNELS } from '../../shared/api';
import { ApiFailure, toApiError } from '../../shared/api-errors';

export type Handlers = { [C in Channel]: (input: ParsedInputOf<C>) => OutputOf<C> | Promise<OutputOf<C>> };
export type Dispatch = (channel: string, payload: unknown) => Promise<ApiResult<unknown>>;

export function isChannel(channel: string): channel is Channel {
  return Object.prototype.hasOwnProperty.call(contract, channel);
}

export function createDispatch(handlers: Handlers, onInternalError?: (channel: string, e: unknown) => void): Dispatch {
  return async (channel, payload) => {
    if (!isChannel(channel))
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `no such call ${quoted(channel)}` } };
    // Before any schema sees it: no input key may name the object machinery (an own "__proto__" from JSON).
    const reserved = findReservedKey(payload);
    if (reserved !== null) {
      const issues = [{ path: reserved.path, message: reservedKeyRule(reserved.key) }];
      return {
        ok: false,
        error: { code: 'INVALID_INPUT', message: oneLine(`${channel}: ${issuesText(issues, '(payload)')}`), issues },
      };
    }
    const parsed = contract[channel].input.safeParse(payload, PLAIN_PARSE);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error);
      return {
        ok: false,
        error: { code: 'INVALID_INPUT', message: oneLine(`${channel}: ${issuesText(issues, '(payload)')}`), issues },
      };
    }
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      return { ok: true, data: await handler(parsed.data) };
    } catch (e) {
      const error = toApiError(e);
      if (error.code === 'INTERNAL' && !(e instanceof ApiFailure)) onInternalError?.(channel, e);
      return { ok: false, error };
    }
  };
}

/** What main needs of an IPC object: Electron's ipcMain fits, and tests pass a fake. */
export interface IpcRegistry {
  handle(channel: string, listener: (event: unknown, payload: unknown) => unknown): void;
}

/** Registers one IPC handler per contract channel. `allow` vets the sender (Electron: our own page only). */
export function registerHandlers(
  ipc: IpcRegistry,
  dispatch: Dispatch,
  allow: (event: unknown) => boolean = () => true,
): void {
  for (const channel of CHANNELS) {
    ipc.handle(channel, (event, payload) =>
      allow(event)
        ? dispatch(channel, payload)
        : { ok: false, error: { code: 'FORBIDDEN', message: 'this page may not call the workbench API' } },
    );
  }
}
