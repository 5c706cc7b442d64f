/**
 * The maths of the embeddings analysis (Figure 1): a 2-D PCA of feature vectors and how much one
 * client's points mix with the others' (k nearest neighbours). Pure, float64, deterministic.
 */

/** Rows of `d` numbers each, stored flat (row i = data[i*d .. i*d+d)). */
export interface FlatRows {
  data: Float32Array | Float64Array;
  n: number;
  d: number;
}

export interface Pca2 {
  /** points[i] = the centred row i projected on the two leading principal directions. */
  points: [number, number][];
  /** The two unit directions (length d), the first of largest variance. */
  components: [Float64Array, Float64Array];
  /** Share of the total variance each direction explains (0 when the data has none). */
  explained: [number, number];
}

const MAX_ITERATIONS = 2000;
const TOLERANCE = 1e-12;

/**
 * The two leading principal components by power iteration on the covariance (never formed: each step
 * is Xc^T (Xc v), so a d of a few hundred stays cheap), the second after deflating the first. The start
 * vector is the centred row of largest norm (never orthogonal to the dominant direction unless the data
 * is degenerate), and each direction's sign is fixed so its largest-magnitude entry is positive, so the
 * same data always gives the same picture.
 */
export function pca2({ data, n, d }: FlatRows): Pca2 {
  if (n < 1 || d < 1) throw new Error('PCA needs at least one point of at least one dimension');
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j] / n;
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = data[i * d + j] - mean[j];
  let total = 0;
  for (let k = 0; k < x.length; k++) total += (x[k] * x[k]) / n;

  const first = leadingDirection(x, n, d, null);
  const second = leadingDirection(x, n, d, first.v);
  const points = Array.from(
    { length: n },
    (_, i) => [dot(x, i * d, first.v, d), dot(x, i * d, second.v, d)] as [number, number],
  );
  const share = (lambda: number) => (total > 0 ? Math.max(0, lambda) / total : 0);
  return { points, components: [first.v, second.v], explained: [share(first.lambda), share(second.lambda)] };
}

function dot(x: Float64Array, offset: number, v: Float64Array, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += x[offset + j] * v[j];
  return s;
}

/** v minus its component along the unit vector u (in place). */
function removeAlong(v: Float64Array, u: Float64Array | null): void {
  if (!u) return;
  let p = 0;
  for (let j = 0; j < v.length; j++) p += v[j] * u[j];
  for (let j = 0; j < v.length; j++) v[j] -= p * u[j];
}

function normalise(v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j] * v[j];
  const norm = Math.sqrt(s);
  if (norm > 0) for (let j = 0; j < v.length; j++) v[j] /= norm;
  return norm;
}

/** C v with C = Xc^T Xc / n, restricted to the space orthogonal to `skip`. */
function covarianceTimes(
  x: Float64Array,
  n: number,
  d: number,
  v: Float64Array,
  skip: Float64Array | null,
): Float64Array {
  const out = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const s = dot(x, i * d, v, d);
    if (s !== 0) for (let j = 0; j < d; j++) out[j] += (s * x[i * d + j]) / n;
  }
  removeAlong(out, skip);
  return out;
}

function leadingDirection(
  x: Float64Array,
  n: number,
  d: number,
  skip: Float64Array | null,
): { v: Float64Array; lambda: number } {
  // Start from the row with the largest norm once `skip` is removed.
  let v: Float64Array = new Float64Array(d);
  let best = -1;
  for (let i = 0; i < n; i++) {
    const row = x.slice(i * d, i * d + d);
    removeAlong(row, skip);
    const norm = normalise(row);
    if (norm > best) [best, v] = [norm, row];
  }
  if (!(best > 0)) {
    // No variance left: any unit vector orthogonal to `skip` will do.
    v = new Float64Array(d);
    v[skip && d > 1 && Math.abs(skip[0]) > 0.5 ? 1 : 0] = 1;
    removeAlong(v, skip);
    normalise(v);
    return { v: fixSign(v), lambda: 0 };
  }
  let lambda = 0;
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    const w = covarianceTimes(x, n, d, v, skip);
    lambda = normalise(w);
    if (lambda === 0) break;
    let change = 0;
    for (let j = 0; j < d; j++) change = Math.max(change, Math.abs(w[j] - v[j]));
    v = w;
    if (change < TOLERANCE) break;
  }
  return { v: fixSign(v), lambda };
}

function fixSign(v: Float64Array): Float64Array {
  let at = 0;
  for (let j = 1; j < v.length; j++) if (Math.abs(v[j]) > Math.abs(v[at])) at = j;
  if (v[at] < 0) for (let j = 0; j < v.length; j++) v[j] = -v[j];
  return v;
}

export interface Overlap {
  /** Points of the focus group whose k nearest neighbours are mostly (more than k/2) outside it. */
  mixed: number;
  focus: number;
  /** mixed / focus (NaN with no focus point). */
  share: number;
  /**
   * The share expected if the groups were perfectly mixed: P(Binomial(k, p) > k/2), p = the share of
   * the other points among a focus point's candidate neighbours. Near it = overlapping; near 0 = separate.
   */
  chance: number;
}

/**
 * For each point with inFocus[i], its k nearest other points (Euclidean in the given rows; ties by
 * index); the point is mixed when more than half of them are not in focus. Brute force: n is a few
 * hundred to a few thousand here.
 */
export function knnOverlap({ data, n, d }: FlatRows, inFocus: ArrayLike<boolean | number>, k: number): Overlap {
  if (!Number.isInteger(k) || k < 1) throw new Error('k must be a positive integer');
  if (n - 1 < k) throw new Error(`k = ${k} needs at least ${k + 1} points, got ${n}`);
  let focus = 0;
  let mixed = 0;
  const dist = new Float64Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    if (!inFocus[i]) continue;
    focus++;
    for (let m = 0; m < n; m++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = data[i * d + j] - data[m * d + j];
        s += t * t;
      }
      dist[m] = s;
    }
    dist[i] = Infinity;
    order.sort((a, b) => dist[a] - dist[b] || a - b);
    let others = 0;
    for (let r = 0; r < k; r++) if (!inFocus[order[r]]) others++;
    if (others > k / 2) mixed++;
  }
  let focusTotal = 0;
  for (let i = 0; i < n; i++) if (inFocus[i]) focusTotal++;
  const p = (n - focusTotal) / (n - 1);
  return { mixed, focus, share: focus ? mixed / focus : NaN, chance: binomialTailAboveHalf(k, p) };
}

/** P(X > k/2) for X ~ Binomial(k, p). */
export function binomialTailAboveHalf(k: number, p: number): number {
  let total = 0;
  let choose = 1; // C(k, r), built up incrementally
  for (let r = 0; r <= k; r++) {
    if (r > 0) choose = (choose * (k - r + 1)) / r;
    if (r > k / 2) total += choose * p ** r * (1 - p) ** (k - r);
  }
  return total;
}
