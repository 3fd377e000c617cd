import { describe, expect, it } from 'vitest';
import {
  differenceInDifferences,
  holmAdjust,
  meanDifference,
  rateDifference,
  tQuantile975,
  twoSidedPValue,
} from './before-after.ts';

describe('before/after statistics', () => {
  it('t quantiles match the printed tables', () => {
    // Student's t, two-sided 95%: standard table values.
    const table: [number, number][] = [
      [3, 3.182],
      [5, 2.571],
      [10, 2.228],
      [22, 2.074],
      [60, 2.0],
    ];
    for (const [df, t] of table) expect(tQuantile975(df)).toBeCloseTo(t, 2);
    expect(tQuantile975(Infinity)).toBeCloseTo(1.96, 3);
  });

  it('a rate difference is after minus before with a symmetric Wald interval', () => {
    const r = rateDifference({ events: 140, total: 1000 }, { events: 105, total: 1000 });
    expect(r.before).toBeCloseTo(0.14, 10);
    expect(r.after).toBeCloseTo(0.105, 10);
    expect(r.difference).toBeCloseTo(-0.035, 10);
    const se = Math.sqrt((0.14 * 0.86) / 1000 + (0.105 * 0.895) / 1000);
    expect(r.ci95.low).toBeCloseTo(-0.035 - 1.96 * se, 4);
    expect(r.ci95.high).toBeCloseTo(-0.035 + 1.96 * se, 4);
  });

  it('refuses a period without stays', () => {
    expect(() => rateDifference({ events: 0, total: 0 }, { events: 1, total: 2 })).toThrow();
  });

  it('a mean difference uses Welch degrees of freedom', () => {
    const before = [10, 12, 11, 13, 12, 11];
    const after = [8, 9, 7, 9, 8, 10];
    const d = meanDifference(before, after);
    expect(d.before).toBeCloseTo(11.5, 10);
    expect(d.after).toBeCloseTo(8.5, 10);
    // Equal variances (1.1) and sizes: Welch's df is 2(n-1) = 10, t(10) = 2.228.
    expect(d.df).toBeCloseTo(10, 10);
    const half = 2.228 * Math.sqrt((2 * 1.1) / 6);
    expect(d.ci95.low).toBeCloseTo(-3 - half, 2);
    expect(d.ci95.high).toBeCloseTo(-3 + half, 2);
  });

  it('two-sided normal p-values match the printed tables, far into the tails', () => {
    const table: [number, number][] = [
      [0, 1],
      [1, 0.3173105078629141],
      [1.959963984540054, 0.05],
      [2.575829303548901, 0.01],
      [3.290526731491926, 0.001],
      [5, 5.733031438470704e-7],
      [8, 1.244192114854357e-15],
    ];
    for (const [z, p] of table) {
      expect(Math.abs(twoSidedPValue(z) - p) / p, `z = ${z}`).toBeLessThan(2e-7);
      expect(twoSidedPValue(-z)).toBe(twoSidedPValue(z));
    }
  });

  it("Holm's adjustment steps down and never lets a smaller p-value get a larger adjusted one", () => {
    // m = 4: sorted 0.01, 0.02, 0.03, 0.5 -> 0.04, max(0.04, 0.06), max(0.06, 0.06), max(0.06, 0.5).
    const adjusted = holmAdjust([0.03, 0.01, 0.5, 0.02]);
    expect(adjusted.map((p) => Number(p.toFixed(10)))).toEqual([0.06, 0.04, 0.5, 0.06]);
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });

  it("a difference in differences is the group's change minus the rest's, with the four-sample Wald interval", () => {
    const group = { before: { events: 30, total: 1000 }, after: { events: 90, total: 1000 } };
    const rest = { before: { events: 180, total: 5000 }, after: { events: 125, total: 5000 } };
    const d = differenceInDifferences(group, rest);
    expect(d.difference).toBeCloseTo(0.06 - -0.011, 12);
    const se = Math.sqrt(
      (0.03 * 0.97) / 1000 + (0.09 * 0.91) / 1000 + (0.036 * 0.964) / 5000 + (0.025 * 0.975) / 5000,
    );
    expect(d.ci95.high - d.ci95.low).toBeCloseTo(2 * 1.959963984540054 * se, 12);
    expect(d.pValue).toBeCloseTo(twoSidedPValue(d.difference / se), 15);
    expect(d.pValue).toBeLessThan(1e-9);
    expect(() => differenceInDifferences(group, { ...rest, after: { events: 0, total: 0 } })).toThrow();
  });
});
