/** How many of a study's runs may go at once: the IPC contract and `fedmem study --concurrency` both check this. */
import { z } from 'zod';

export const STUDY_CONCURRENCY = { min: 1, max: 16 } as const;
const { min, max } = STUDY_CONCURRENCY;

export const studyConcurrencySchema = z
  .number()
  .int('must be a whole number')
  .min(min, `must be at least ${min}`)
  .max(max, `must be at most ${max}`);

export function isStudyConcurrency(n: number): boolean {
  return studyConcurrencySchema.safeParse(n).success;
}
