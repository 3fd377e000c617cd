import type { XAxisKind } from './aggregate-sql';
import type { ChartConfig } from './config';

export type ChartMark = ChartConfig['marks'][number];

/**
 * Where a reference line goes in the chart's own coordinates: time x is epoch milliseconds of UTC wall-clock
 * (as the chart SQL returns it), so `2025-03-01` is that day's midnight. Undefined when the value cannot sit
 * on that axis (text on a number axis), so a wrong mark is left out rather than drawn somewhere else.
 */
export function markPosition(mark: ChartMark, xAxis: XAxisKind): number | string | undefined {
  const { value } = mark;
  if (mark.axis === 'y' || xAxis === 'number') {
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  if (xAxis === 'category') return String(value);
  if (typeof value === 'number') return value;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? `${value}T00:00:00Z`
    : /Z|[+-]\d\d:?\d\d$/.test(value)
      ? value
      : `${value}Z`;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Category labels turn when they would not fit side by side; none is ever skipped. */
export function categoryTicks(
  labels: readonly string[],
  plotWidth: number,
): { angle: number; height: number } {
  const longest = Math.max(0, ...labels.map((l) => l.length));
  const fits = labels.length * (longest * 7 + 8) <= plotWidth;
  if (fits) return { angle: 0, height: 30 };
  return { angle: -35, height: Math.min(120, 24 + Math.ceil(longest * 7 * 0.6)) };
}
