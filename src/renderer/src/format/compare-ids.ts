/** Which runs a compare shows: read from and written to the `ids` query (`#/compare?ids=a,b,c`). */

export const COMPARE_MIN = 2;
export const COMPARE_MAX = 6;

/** The ids of an `ids` query value (a string or vue-router's array form), de-duplicated, in order. */
export function parseCompareIds(query: unknown): string[] {
  const raw = Array.isArray(query) ? query.join(',') : typeof query === 'string' ? query : '';
  const ids = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return [...new Set(ids)];
}

export function canCompare(count: number): boolean {
  return count >= COMPARE_MIN && count <= COMPARE_MAX;
}

/** Selected ids in the order the list shows them (not the order they were ticked). */
export function selectedInListOrder(listIds: string[], selected: ReadonlySet<string>): string[] {
  return listIds.filter((id) => selected.has(id));
}
