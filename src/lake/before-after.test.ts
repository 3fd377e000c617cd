import { describe, expect, it } from 'vitest';
import { meanDifference, rateDifference, tQuantile975 } from './before-after.ts';

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
});
