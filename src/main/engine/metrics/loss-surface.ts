/**
 * The loss surface along the shortest unlearning path, paper Appendix H.5 (Figure H13): starting
 * from the original model a, step along the model-difference direction (b - a) towards a retrained
 * model b with a fixed step size, and evaluate the loss at each point:
 *   theta(t) = a + t (b - a) = (1 - t) a + t b,   t = 0 -> original, t = 1 -> retrained.
 * t may lie outside [0, 1] to look past either end. Evaluating the loss is the caller's job.
 */
import type { Weights } from '../types';
import { MetricsError } from './errors';

/** (1 - t) a + t b per scalar, as new arrays (computed in float64, stored as float32). */
export function interpolate(a: Weights, b: Weights, t: number): Weights {
  if (!Number.isFinite(t)) throw new MetricsError(`interpolate: t must be finite (got ${t})`);
  if (a.length !== b.length) throw new MetricsError(`interpolate: ${a.length} tensors vs ${b.length}`);
  return a.map((ta, i) => {
    const tb = b[i];
    if (ta.length !== tb.length)
      throw new MetricsError(`interpolate: tensor ${i} has ${ta.length} vs ${tb.length} elements`);
    const out = new Float32Array(ta.length);
    // (1 - t) a + t b rather than a + t (b - a): exact at t = 0 and t = 1.
    for (let k = 0; k < ta.length; k++) out[k] = (1 - t) * ta[k] + t * tb[k];
    return out;
  });
}

/**
 * The t values of a path with `steps` equal intervals between the original (t = 0) and the
 * retrained model (t = 1), extended on both sides by the same step h = 1 / steps as far as
 * `overshoot` allows: every t = i / steps (integer i) with -overshoot <= t <= 1 + overshoot.
 * 0 and 1 are always included exactly (i = 0 and i = steps); the ends +-overshoot are included
 * only when overshoot is a multiple of h (within 1e-9). Example: steps 4, overshoot 0.5 ->
 * -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5.
 */
export function pathSteps(steps: number, overshoot = 0): number[] {
  if (!Number.isInteger(steps) || steps < 1)
    throw new MetricsError(`pathSteps: steps must be an integer >= 1 (got ${steps})`);
  if (!(overshoot >= 0) || !Number.isFinite(overshoot))
    throw new MetricsError(`pathSteps: overshoot must be >= 0 (got ${overshoot})`);
  const extra = Math.floor(overshoot * steps + 1e-9);
  const out: number[] = [];
  for (let i = -extra; i <= steps + extra; i++) out.push(i === 0 ? 0 : i / steps); // never -0
  return out;
}
