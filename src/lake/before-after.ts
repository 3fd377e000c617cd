/**
 * Before/after comparisons with 95% confidence intervals, shared by the metric packs and their tests. Pure
 * arithmetic on counts and means that the metric views already publish, so a comparison never needs a
 * patient-level row.
 */

/** Two-sided 95% normal critical value. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

export interface RateDifference {
  before: number;
  after: number;
  /** after - before */
  difference: number;
  ci95: Interval;
}

/**
 * Difference of two independent proportions with the Wald interval. With thousands of stays per period the
 * normal approximation is close; it ignores that one patient can contribute several stays.
 */
export function rateDifference(
  before: { events: number; total: number },
  after: { events: number; total: number },
): RateDifference {
  if (before.total <= 0 || after.total <= 0) throw new Error('Both periods need at least one stay.');
  const p1 = before.events / before.total;
  const p2 = after.events / after.total;
  const se = Math.sqrt((p1 * (1 - p1)) / before.total + (p2 * (1 - p2)) / after.total);
  const difference = p2 - p1;
  return { before: p1, after: p2, difference, ci95: around(difference, Z_95 * se) };
}

export interface DifferenceInDifferences {
  /** (group after - group before) - (rest after - rest before) */
  difference: number;
  ci95: Interval;
  /** Two-sided p-value of the difference under the normal approximation. */
  pValue: number;
}

type Counts = { events: number; total: number };

/**
 * A group's change in a rate set against the change of the rest over the same periods, with the Wald
 * interval for four independent proportions. Like `rateDifference` it treats stays as independent.
 */
export function differenceInDifferences(
  group: { before: Counts; after: Counts },
  rest: { before: Counts; after: Counts },
): DifferenceInDifferences {
  const parts = [group.before, group.after, rest.before, rest.after];
  if (parts.some((c) => c.total <= 0)) throw new Error('Every period of both sides needs at least one stay.');
  const [gb, ga, rb, ra] = parts.map((c) => c.events / c.total) as [number, number, number, number];
  const se = Math.sqrt(
    parts.reduce((v, c) => v + ((c.events / c.total) * (1 - c.events / c.total)) / c.total, 0),
  );
  const difference = ga - gb - (ra - rb);
  const pValue = se === 0 ? (difference === 0 ? 1 : 0) : twoSidedPValue(difference / se);
  return { difference, ci95: around(difference, Z_95 * se), pValue };
}

/**
 * The two-sided p-value of a standard normal statistic, 2 (1 - Φ(|z|)) = erfc(|z| / √2), with the Chebyshev
 * fit of erfc from Numerical Recipes (relative error below 1.2e-7 everywhere, tails included).
 */
export function twoSidedPValue(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -1.26551223 +
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
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.min(1, t * Math.exp(-x * x + poly));
}

/**
 * Holm's step-down adjustment: the i-th smallest of m p-values becomes max over j <= i of (m - j + 1) p_(j),
 * capped at 1. It keeps the chance of naming any group by chance alone at or below the level across all m.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, step) => {
    running = Math.max(running, Math.min(1, (m - step) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

export interface MeanDifference {
  before: number;
  after: number;
  difference: number;
  ci95: Interval;
  /** Welch-Satterthwaite degrees of freedom of the interval. */
  df: number;
}

/**
 * Difference of the means of two samples with Welch's t interval (unequal variances). The metric packs use
 * it on monthly mean lengths of stay, so the months are the observations.
 */
export function meanDifference(before: readonly number[], after: readonly number[]): MeanDifference {
  if (before.length < 2 || after.length < 2) throw new Error('Each period needs at least two observations.');
  const m1 = mean(before);
  const m2 = mean(after);
  const v1 = variance(before, m1) / before.length;
  const v2 = variance(after, m2) / after.length;
  const se = Math.sqrt(v1 + v2);
  const df =
    se === 0 ? Infinity : (v1 + v2) ** 2 / (v1 ** 2 / (before.length - 1) + v2 ** 2 / (after.length - 1));
  const difference = m2 - m1;
  return { before: m1, after: m2, difference, ci95: around(difference, tQuantile975(df) * se), df };
}

function around(centre: number, halfWidth: number): Interval {
  return { low: centre - halfWidth, high: centre + halfWidth };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function variance(xs: readonly number[], m: number): number {
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
}

/**
 * The 97.5% quantile of Student's t with `df` degrees of freedom (fractional allowed), by the Cornish-Fisher
 * expansion around the normal quantile (Abramowitz and Stegun 26.7.5); within 0.002 of the exact value from
 * df = 3 upward, which is far below the precision a before/after summary reports.
 */
export function tQuantile975(df: number): number {
  if (!(df > 0)) throw new Error('Degrees of freedom must be positive.');
  if (!Number.isFinite(df)) return Z_95;
  const z = Z_95;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const z9 = z ** 9;
  const g1 = (z3 + z) / 4;
  const g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
  const g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
  const g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}
