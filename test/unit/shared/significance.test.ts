/** Welch's t-test against hand-worked cases and closed forms of Student's t distribution. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logGamma, regularizedBeta, studentTwoSidedP, welchTest } from '../../../src/shared/significance';

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('Welch: t and the Welch-Satterthwaite df of a hand-worked case (t = -sqrt 3, df = 75/17)', () => {
  // a: mean 2.5, variance 5/3; b: mean 5, variance 20/3; s^2/n = 5/12 and 5/3.
  const r = welchTest([1, 2, 3, 4], [2, 4, 6, 8]);
  close(r.t, -Math.sqrt(3), 1e-12, 't');
  close(r.df, 75 / 17, 1e-12, 'df');
  assert.ok(r.p !== null && r.p > 0.1 && r.p < 0.2, `p ${r.p}`);
  // Swapping the samples flips the sign only.
  const s = welchTest([2, 4, 6, 8], [1, 2, 3, 4]);
  close(s.t, Math.sqrt(3), 1e-12, 't swapped');
  close(s.p!, r.p, 1e-15, 'p swapped');
});

test('two-sided p equals the closed forms for 1 and 2 degrees of freedom', () => {
  for (const t of [0.1, 0.7, 1.5, 3, 12]) {
    close(studentTwoSidedP(t, 1), 1 - (2 / Math.PI) * Math.atan(t), 1e-12, `df 1, t ${t}`);
    close(studentTwoSidedP(-t, 2), 1 - t / Math.sqrt(2 + t * t), 1e-12, `df 2, t ${t}`);
  }
  close(studentTwoSidedP(0, 7), 1, 1e-12, 't = 0');
});

test('two-sided p for a fractional df equals a numerical integral of the t density (normalised numerically)', () => {
  const df = 75 / 17;
  const density = (x: number) => (1 + (x * x) / df) ** (-(df + 1) / 2);
  const simpson = (f: (x: number) => number, a: number, b: number, n: number) => {
    const h = (b - a) / n;
    let s = f(a) + f(b);
    for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
    return (s * h) / 3;
  };
  // Tails beyond 400 carry ~1e-12 of the mass at this df.
  const total = 2 * simpson(density, 0, 400, 400000);
  const tail = simpson(density, Math.sqrt(3), 400, 400000);
  close(studentTwoSidedP(Math.sqrt(3), df), (2 * tail) / total, 1e-7, 'p');
});

test('the incomplete beta and log-gamma against closed forms', () => {
  for (const x of [0.05, 0.3, 0.5, 0.9]) {
    close(regularizedBeta(x, 3.5, 1), x ** 3.5, 1e-12, `I_x(a, 1) at ${x}`);
    close(regularizedBeta(x, 1, 2.5), 1 - (1 - x) ** 2.5, 1e-12, `I_x(1, b) at ${x}`);
  }
  close(logGamma(5), Math.log(24), 1e-12, 'Gamma(5)');
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-12, 'Gamma(1/2)');
});

test('no p-value without two values per side or without variance', () => {
  assert.equal(welchTest([1], [2, 3]).p, null);
  assert.equal(welchTest([1, 1], [1, 1]).p, null);
});
