/** Schema building blocks every config section shares, so each rule and its message is written once. */
import { z } from 'zod';

/** A whole number of at least `min`. */
export const int = (min: number) => z.number().int('must be a whole number').min(min, `must be at least ${min}`);
