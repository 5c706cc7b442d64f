/** Durations for the run views; the table number formats live in shared/format.ts (the CLI uses them too). */
import { EMPTY } from '../../../shared/format';

export { EMPTY, fixed, formatDelta, formatStat } from '../../../shared/format';

export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return EMPTY;
  if (s < 1) return '<1 s';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

export function formatDuration(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? EMPTY : formatSeconds(ms / 1000);
}
