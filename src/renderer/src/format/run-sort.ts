/**
 * Sorting the runs list by a column header, and reading the tags a user types. Pure, so unit tests
 * check them without a page. The sort is stable and puts missing values (no duration yet, no accuracy)
 * last in either direction: flipping the order should not bring the empty rows to the top.
 */
import { RUN_TAGS_MAX, runTag, type RunListItem } from '../../../shared/contract';

export const RUN_SORT_KEYS = ['name', 'status', 'dataset', 'createdAt', 'durationMs', 'testAccuracy'] as const;
export type RunSortKey = (typeof RUN_SORT_KEYS)[number];
export interface RunSort {
  key: RunSortKey;
  dir: 'asc' | 'desc';
}
export const DEFAULT_RUN_SORT: RunSort = { key: 'createdAt', dir: 'desc' };

type Sortable = Pick<RunListItem, 'name' | 'status' | 'dataset' | 'createdAt' | 'durationMs' | 'summary'>;

export function sortValue(run: Sortable, key: RunSortKey): string | number | null {
  switch (key) {
    case 'durationMs':
      return run.durationMs;
    case 'testAccuracy':
      return typeof run.summary?.testAccuracy === 'number' ? run.summary.testAccuracy : null;
    default:
      return run[key];
  }
}

const text = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function sortRuns<T extends Sortable>(runs: readonly T[], sort: RunSort): T[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return runs
    .map((run, i) => ({ run, i, v: sortValue(run, sort.key) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : text.compare(String(a.v), String(b.v));
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.run);
}

/**
 * A click on a header: the same column flips direction; another column starts ascending (dates and numbers:
 * newest/largest first).
 */
export function nextSort(current: RunSort, key: RunSortKey): RunSort {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: key === 'createdAt' || key === 'durationMs' || key === 'testAccuracy' ? 'desc' : 'asc' };
}

/** Tags typed as "a, b c": split on commas and spaces, duplicates dropped; a plain message for the first bad one. */
export function parseTags(input: string): { ok: true; tags: string[] } | { ok: false; message: string } {
  const tags = [...new Set(input.split(/[\s,]+/).filter((t) => t.length > 0))];
  if (tags.length > RUN_TAGS_MAX) return { ok: false, message: `At most ${RUN_TAGS_MAX} tags (${tags.length} given).` };
  for (const tag of tags) {
    const r = runTag.safeParse(tag);
    if (!r.success) return { ok: false, message: `Tag “${tag}” ${r.error.issues[0].message}.` };
  }
  return { ok: true, tags };
}
