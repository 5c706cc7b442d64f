/**
 * How failures become `{ ok: false, error }`. Handlers throw ApiFailure for expected refusals; errors
 * from lower layers already carry stable codes (ConfigError, StoreError, the data layer's errors)
 * and keep them; anything else is INTERNAL with its message, so a bug is visible, not swallowed.
 */
import { ConfigError, type ConfigIssue } from './config';
import type { ApiError } from './contract';
import { oneLine } from './one-line';

export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues?: ConfigIssue[],
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

const CODE = /^[A-Z][A-Z0-9_]*$/;

/** Every error crosses the bridge as one line: an id or value a user typed may hold line breaks. */
export function toApiError(e: unknown): ApiError {
  const error = describeError(e);
  return { ...error, message: oneLine(error.message) };
}

function describeError(e: unknown): ApiError {
  if (e instanceof ApiFailure) return { code: e.code, message: e.message, ...(e.issues && { issues: e.issues }) };
  if (e instanceof ConfigError) return { code: 'INVALID_CONFIG', message: e.message, issues: e.issues };
  if (e instanceof Error) {
    const err = e as Error & { code?: unknown; field?: unknown; problem?: unknown };
    const code = typeof err.code === 'string' && CODE.test(err.code) ? err.code : 'INTERNAL';
    // The data layer names the config field it could not honour; show it at that field.
    if (code === 'DATASET_CONFIG' && typeof err.field === 'string' && typeof err.problem === 'string') {
      return { code, message: e.message, issues: [{ path: err.field, message: err.problem }] };
    }
    if (code === 'STORE_NOT_FOUND') return { code: 'NOT_FOUND', message: e.message };
    return { code, message: e.message };
  }
  return { code: 'INTERNAL', message: String(e) };
}
