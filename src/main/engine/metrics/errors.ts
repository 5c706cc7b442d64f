/**
 * The one error type metrics/ throws for bad input (misaligned arrays, invalid group specs, NaNs).
 * Its `code` crosses the process boundary through toEngineError (errors.ts) unchanged.
 */
export class MetricsError extends Error {
  readonly code = 'METRICS_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'MetricsError';
  }
}

/** Throws unless every array has the length of the first one. */
export function requireSameLength(what: string, ...arrays: { length: number }[]): number {
  const n = arrays[0].length;
  for (const a of arrays) {
    if (a.length !== n)
      throw new MetricsError(`${what}: arrays must be aligned (lengths ${arrays.map((x) => x.length).join(' vs ')})`);
  }
  return n;
}

/** Throws if any value is NaN or infinite. */
export function requireFinite(what: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]))
      throw new MetricsError(`${what}: value at index ${i} is not finite (${values[i]})`);
  }
}
