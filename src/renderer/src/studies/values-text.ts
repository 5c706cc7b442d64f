/**
 * An axis's values as people type them: "0, 0.4, 0.8"; "important, localized"; "[0], [0, 1]" for a
 * field that holds a list. Numbers become numbers and true/false booleans, so the study schema sees
 * the types the config wants; anything else stays text, for the schema to accept (a choice) or name
 * as the broken rule. Quotes keep a text value that looks like a number or holds a comma.
 */
import type { AxisValue } from '../../../shared/study';

export interface ParsedValues {
  values: AxisValue[];
  /** The first problem with the text, in words; null when every value parsed. */
  error: string | null;
}

/** Splits at commas outside brackets and quotes. */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((t) => t.trim());
}

const quoted = (t: string) => t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0];

function scalar(t: string): number | string | boolean {
  if (quoted(t)) return t.slice(1, -1);
  if (t === 'true') return true;
  if (t === 'false') return false;
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : t;
}

/**
 * `list`: the field holds a list (e.g. which clients leave): a bare value stands for a one-element
 * list, so "0, 1" means two settings, [0] and [1]; "[0, 1]" is one setting with both.
 */
export function parseValuesText(text: string, opts: { list?: boolean } = {}): ParsedValues {
  if (text.trim() === '') return { values: [], error: 'list at least one value' };
  const values: AxisValue[] = [];
  const tokens = splitTop(text);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const where = `value ${i + 1}`;
    if (t === '') return { values, error: `${where} is empty (two commas in a row?)` };
    if (t.startsWith('[')) {
      if (!t.endsWith(']')) return { values, error: `${where}: "${t}" opens a list that is not closed` };
      const inner = t
        .slice(1, -1)
        .split(/[\s,]+/)
        .filter((x) => x !== '');
      const items = inner.map(scalar);
      if (items.some((x) => typeof x === 'boolean'))
        return { values, error: `${where}: a list holds numbers or text, not true/false` };
      values.push(items as (number | string)[]);
      continue;
    }
    if (t.includes(']')) return { values, error: `${where}: "${t}" closes a list that was not opened` };
    const v = scalar(t);
    values.push(opts.list && typeof v !== 'boolean' ? [v] : v);
  }
  return { values, error: null };
}

/** Values back to the text parseValuesText reads them from (a preset or a stored study into the form). */
export function valuesToText(values: readonly AxisValue[]): string {
  const one = (v: number | string | boolean): string => {
    if (typeof v !== 'string') return String(v);
    // Text that would read back as something else (a number, a switch, a list, a split) is quoted.
    return scalar(v) !== v || /[,[\]"']/.test(v) || v.trim() !== v ? JSON.stringify(v) : v;
  };
  return values.map((v) => (Array.isArray(v) ? `[${v.map(one).join(', ')}]` : one(v))).join(', ');
}

/** How a value reads on a chip: lists in brackets, so "[0, 1]" is not mistaken for two values. */
export const valueChip = (v: AxisValue): string => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
