/** Text fields <-> config values for the wizard (see form.ts for why raw text is passed through). */

// eslint-disable-next-line @typescript-eslint/no-base-to-string -- raw config text: any value as String() shows it
export const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** '' -> undefined (the schema's default or "is required"); a number; or the raw text for the schema to reject. */
export function num(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** "0, 2 5" -> [0, 2, 5]; a token that is not a number stays text so the schema names it. */
export function numList(text: string): (number | string)[] | undefined {
  const tokens = text.split(/[\s,;]+/).filter((t) => t !== '');
  return tokens.length === 0 ? undefined : tokens.map((t) => num(t)!);
}

export function listText(v: unknown): string {
  return Array.isArray(v) ? v.join(', ') : str(v);
}

/** "95-100, 90-95" <-> [[95, 100], [90, 95]]. */
export function groupsText(v: unknown): string {
  return Array.isArray(v) ? v.map((g) => (Array.isArray(g) ? `${g[0]}-${g[1]}` : str(g))).join(', ') : str(v);
}

export function parseGroups(text: string): unknown[] | undefined {
  const tokens = text
    .split(/[,;]/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (tokens.length === 0) return undefined;
  return tokens.map((t) => {
    const m = /^(-?[\d.]+)\s*-\s*(-?[\d.]+)$/.exec(t);
    return m ? [Number(m[1]), Number(m[2])] : t;
  });
}
