/** Small helpers shared by the repositories: timestamps, JSON columns, LIKE patterns. */
import { StoreError } from '../files/errors';

/** Timestamps are ISO-8601 UTC strings (sortable as text, readable in any SQLite browser). */
export function nowIso(): string {
  return new Date().toISOString();
}

export function toJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new StoreError('STORE_INVALID_INPUT', 'value is not JSON-serialisable');
  return text;
}

export function toJsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : toJson(value);
}

/** Parses a JSON column; `where` names table/column/row so a damaged row is easy to find. */
export function parseJson<T>(text: string, where: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new StoreError('STORE_CORRUPT_ROW', `invalid JSON in ${where}`, { cause: err });
  }
}

export function parseJsonOrNull<T>(text: string | null, where: string): T | null {
  return text === null ? null : parseJson<T>(text, where);
}

/** A `%text%` pattern for `LIKE ... ESCAPE '\'` that matches `text` literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function durationMs(startedAt: string | null, endedAt: string): number | null {
  if (startedAt === null) return null;
  const ms = Date.parse(endedAt) - Date.parse(startedAt);
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
}
