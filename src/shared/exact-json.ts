/**
 * JSON that keeps NaN and ±Infinity (plain JSON turns them into null): a saved round record with a
 * non-finite loss must replay as the number it was, or a resumed run's report could differ from an
 * uninterrupted one's. Such a number is written as {"$num":"NaN"}; text without those reads as usual.
 */
const replacer = (_key: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $num: String(v) } : v);

const reviver = (_key: string, v: unknown) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const keys = Object.keys(v);
  const num = (v as { $num?: unknown }).$num;
  return keys.length === 1 && (num === 'NaN' || num === 'Infinity' || num === '-Infinity') ? Number(num) : v;
};

export const toExactJson = (value: unknown): string => JSON.stringify(value, replacer);
export const fromExactJson = (text: string): unknown => JSON.parse(text, reviver);
