/**
 * Number formatting for result tables, shared by the Vue table and the terminal: "mean ± std" of a
 * Stat scaled to the unit the table shows (percent for accuracies, x10^3 for fairness), and the
 * "(delta)" to the retrained baseline.
 */
import type { Stat } from './results';

export const EMPTY = '—';

export function fixed(v: number | null | undefined, scale = 1, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return EMPTY;
  const s = (v * scale).toFixed(digits);
  // -0.00 reads as a sign error in a table.
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** "81.37 ± 0.51"; just the mean when there is no std (one repeat); "—" when the mean is missing. */
export function formatStat(stat: Stat | null | undefined, scale = 100, digits = 2): string {
  if (!stat || stat.mean === null || !Number.isFinite(stat.mean)) return EMPTY;
  const mean = fixed(stat.mean, scale, digits);
  return stat.std === null || !Number.isFinite(stat.std) ? mean : `${mean} ± ${fixed(stat.std, scale, digits)}`;
}

/** "(1.23)"; empty when there is nothing to compare. */
export function formatDelta(delta: number | null | undefined, scale = 100, digits = 2): string {
  return delta === null || delta === undefined || !Number.isFinite(delta) ? '' : `(${fixed(delta, scale, digits)})`;
}

/** "1.4 MB" (decimal units, as disks are sold and file managers show them). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return EMPTY;
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} bytes` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** "42 s", "3 min 20 s", "1 h 5 min" for an estimate or a run's length. */
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

/** A number to `digits` significant digits, without trailing zeros: 21.415354 -> "21.4", 0.33333 -> "0.333". */
export function significant(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return EMPTY;
  const s = String(Number(v.toPrecision(digits)));
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}
