/**
 * What differs between the configs of several runs, as rows a compare view prints: one row per dotted
 * path whose value is not the same in every run. Objects are walked key by key. Arrays of entries that
 * carry a `label` or `id` (the unlearning methods) are keyed by it, so inserting a method in one run
 * does not make every later method look changed; an entry present in some runs only is one row holding
 * the whole entry, not one row per field. Arrays of plain values (client lists) are one value.
 */

export interface ConfigDiffRow {
  /** 'training.lr', 'unlearning.methods[fedmemeraser].rho', 'unlearning.request.clients'. */
  path: string;
  /** One per run, in the order given; null where the run has no such path. */
  values: (string | null)[];
}

interface Flat {
  /** Leaf path -> printed value. */
  leaves: Map<string, string>;
  /** Keyed array entry path -> the whole entry, printed. */
  entries: Map<string, string>;
  /** Every leaf and entry path in the order the walk met them. */
  order: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as one short string: plain values as they read, structures as compact JSON with spaces. */
export function printValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return 'undefined';
  if (Array.isArray(v))
    return `[${v.map((x) => (typeof x === 'string' ? JSON.stringify(x) : printValue(x))).join(', ')}]`;
  if (isRecord(v)) {
    const parts = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .map((k) => `${k}: ${typeof v[k] === 'string' ? JSON.stringify(v[k]) : printValue(v[k])}`);
    return `{ ${parts.join(', ')} }`.replace('{  }', '{}');
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- arrays, records handled above
  return String(v);
}

/** The key of an array entry (its label, else its id), or null when it has neither. */
function entryKey(v: unknown): string | null {
  if (!isRecord(v)) return null;
  if (typeof v.label === 'string' && v.label !== '') return v.label;
  if (typeof v.id === 'string' && v.id !== '') return v.id;
  return null;
}

/** Array entries by key when every entry has a distinct one; null otherwise (walked by position). */
function keyedEntries(arr: unknown[]): [string, unknown][] | null {
  if (arr.length === 0) return null;
  const keys = arr.map(entryKey);
  if (keys.some((k) => k === null) || new Set(keys).size !== keys.length) return null;
  return arr.map((v, i) => [keys[i]!, v]);
}

export function flattenConfig(config: unknown): Flat {
  const flat: Flat = { leaves: new Map(), entries: new Map(), order: [] };
  const leaf = (p: string, v: string) => {
    flat.leaves.set(p, v);
    flat.order.push(p);
  };
  const walk = (v: unknown, path: string) => {
    if (isRecord(v)) {
      const keys = Object.keys(v).filter((k) => v[k] !== undefined);
      if (keys.length === 0 && path) leaf(path, '{}');
      for (const k of keys) walk(v[k], path ? `${path}.${k}` : k);
      return;
    }
    if (Array.isArray(v)) {
      const keyed = keyedEntries(v);
      if (keyed) {
        for (const [k, entry] of keyed) {
          const p = `${path}[${k}]`;
          flat.entries.set(p, printValue(entry));
          flat.order.push(p);
          walk(entry, p);
        }
      } else if (v.some((x) => isRecord(x) || Array.isArray(x))) {
        v.forEach((x, i) => walk(x, `${path}[${i}]`));
      } else {
        leaf(path, printValue(v));
      }
      return;
    }
    if (path) leaf(path, printValue(v));
  };
  walk(config, '');
  return flat;
}

/**
 * Rows for the paths whose values differ between the configs, in the order paths first appear
 * (first run first). `ignore` drops paths equal to or under any of its entries (e.g. 'name', which a
 * compare view shows as the column header anyway).
 */
export function configDiff(configs: unknown[], opts: { ignore?: string[] } = {}): ConfigDiffRow[] {
  const ignore = opts.ignore ?? [];
  const ignored = (p: string) => ignore.some((i) => p === i || p.startsWith(`${i}.`) || p.startsWith(`${i}[`));
  const flats = configs.map(flattenConfig);

  // Entries some runs lack: one row each, and their fields are left out.
  const partial: string[] = [];
  for (const f of flats) {
    for (const p of f.entries.keys()) {
      if (
        !partial.includes(p) &&
        !flats.every((g) => g.entries.has(p)) &&
        !partial.some((q) => p.startsWith(`${q}.`) || p.startsWith(`${q}[`))
      )
        partial.push(p);
    }
  }
  const underPartial = (p: string) => partial.some((q) => p === q || p.startsWith(`${q}.`) || p.startsWith(`${q}[`));

  const paths: string[] = [];
  const seen = new Set<string>();
  for (const f of flats) {
    for (const p of f.order) {
      if (seen.has(p)) continue;
      seen.add(p);
      if (partial.includes(p) || (f.leaves.has(p) && !underPartial(p))) paths.push(p);
    }
  }

  const rows: ConfigDiffRow[] = [];
  for (const path of paths) {
    if (ignored(path)) continue;
    const source = partial.includes(path) ? 'entries' : 'leaves';
    const values = flats.map((f) => f[source].get(path) ?? null);
    if (values.every((v) => v === values[0])) continue;
    rows.push({ path, values });
  }
  return rows;
}
