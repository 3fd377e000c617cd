/**
 * Reference statistics for the review notebook's tests, written from the textbook matrix forms so that the
 * notebook's SQL (which uses closed forms and aggregates) is checked against a different computation.
 */

export type Matrix = number[][];

export function transpose(a: Matrix): Matrix {
  return a[0]!.map((_, j) => a.map((row) => row[j]!));
}

export function multiply(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((sum, x, k) => sum + x * b[k]![j]!, 0)));
}

/** Gauss-Jordan inverse with partial pivoting. */
export function invert(a: Matrix): Matrix {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    if (Math.abs(p) < 1e-300) throw new Error('singular matrix');
    m[col] = m[col]!.map((x) => x / p);
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]!;
      m[r] = m[r]!.map((x, j) => x - f * m[col]![j]!);
    }
  }
  return m.map((row) => row.slice(n));
}

export interface Fit {
  coefficients: number[];
  /** Ordinary (homoskedastic) covariance: sigma^2 (X'X)^-1 with sigma^2 = SSR / (n - k). */
  covariance: Matrix;
  residuals: number[];
}

export function ols(x: Matrix, y: number[]): Fit {
  const xt = transpose(x);
  const xtxInv = invert(multiply(xt, x));
  const beta = multiply(
    xtxInv,
    multiply(
      xt,
      y.map((v) => [v]),
    ),
  ).map((r) => r[0]!);
  const residuals = y.map((v, i) => v - x[i]!.reduce((s, xi, k) => s + xi * beta[k]!, 0));
  const sigma2 = residuals.reduce((s, e) => s + e * e, 0) / (y.length - beta.length);
  return { coefficients: beta, covariance: xtxInv.map((r) => r.map((v) => v * sigma2)), residuals };
}

/**
 * Cluster-robust (sandwich) covariance of OLS coefficients, clusters given per row, with the G/(G-1) factor:
 * (X'X)^-1 [sum over clusters of (X_g' e_g)(X_g' e_g)'] (X'X)^-1.
 */
export function clusterCovariance(x: Matrix, y: number[], cluster: readonly string[]): Matrix {
  const { coefficients: beta } = ols(x, y);
  const k = beta.length;
  const xtxInv = invert(multiply(transpose(x), x));
  const sums = new Map<string, number[]>();
  x.forEach((row, i) => {
    const e = y[i]! - row.reduce((s, xi, j) => s + xi * beta[j]!, 0);
    const acc = sums.get(cluster[i]!) ?? new Array<number>(k).fill(0);
    row.forEach((xi, j) => (acc[j]! += xi * e));
    sums.set(cluster[i]!, acc);
  });
  const meat: Matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const s of sums.values())
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) meat[a]![b]! += s[a]! * s[b]!;
  const g = sums.size;
  return multiply(multiply(xtxInv, meat), xtxInv).map((r) => r.map((v) => (v * g) / (g - 1)));
}

/** Complementary error function (Numerical Recipes' Chebyshev fit, fractional error below 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Two-sided p-value of a standard normal statistic. */
export const twoSidedP = (z: number) => erfc(Math.abs(z) / Math.SQRT2);

/** Holm's step-down adjusted p-values, in the input's order. */
export function holm(p: readonly number[]): number[] {
  const order = p.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(p.length);
  let running = 0;
  order.forEach(([v, i], step) => {
    running = Math.max(running, Math.min(1, (p.length - step) * v));
    adjusted[i] = running;
  });
  return adjusted;
}
