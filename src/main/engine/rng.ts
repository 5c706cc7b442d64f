/**
 * Seeded randomness for everything the engine draws: initialisation, shuffles, partitions, noise.
 * Every consumer forks a named child stream so that adding a draw in one place never shifts the
 * numbers another place sees (that is what keeps runs reproducible as the code evolves).
 */
import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Gamma(shape, 1) draw (Marsaglia-Tsang), used for Dirichlet sampling. */
  gamma(shape: number): number;
  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T;
  /** An independent stream derived from this stream's seed and a label. */
  fork(label: string | number): Rng;
}

export function createRng(seed: number | string): Rng {
  const key = String(seed);
  const gen = seedrandom.alea(key);
  const rng: Rng = {
    next: () => gen(),
    int: (n) => Math.floor(gen() * n),
    uniform: (lo, hi) => lo + (hi - lo) * gen(),
    normal: () => {
      let u = 0;
      while (u === 0) u = gen();
      const v = gen();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    gamma: (shape) => sampleGamma(rng, shape),
    shuffle: (a) => {
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(gen() * (i + 1));
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
      return a;
    },
    fork: (label) => createRng(`${key}/${label}`),
  };
  return rng;
}

function sampleGamma(rng: Rng, shape: number): number {
  if (shape < 1) {
    // Boost: Gamma(a) = Gamma(a + 1) * U^(1/a)
    return sampleGamma(rng, shape + 1) * Math.pow(rng.next() || Number.MIN_VALUE, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
