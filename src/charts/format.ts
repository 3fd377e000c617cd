import type { ChartConfig, DateFormat, NumberFormat, TimeUnit } from './config';

/**
 * How chart values read: numbers with the chosen format and unit, times as UTC wall-clock (DuckDB's
 * TIMESTAMP has no zone, so showing it in the viewer's zone would shift every date).
 */

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are slow to build (tens of microseconds) and charts format thousands of values: one per setting. */
function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat('en-US', options)));
  return f;
}

function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat('en-GB', options)));
  return f;
}

export function formatNumber(
  value: number | null | undefined,
  format: NumberFormat,
  decimals?: number,
  unit = '',
): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const suffix = unit ? ` ${unit}` : '';
  switch (format) {
    case 'percent':
      return `${numberFormat({
        style: 'percent',
        minimumFractionDigits: decimals ?? 0,
        maximumFractionDigits: decimals ?? 1,
      }).format(value)}${suffix}`;
    case 'integer':
      return `${numberFormat({ maximumFractionDigits: 0 }).format(value)}${suffix}`;
    case 'decimal':
      return `${numberFormat({
        minimumFractionDigits: decimals ?? 2,
        maximumFractionDigits: decimals ?? 2,
      }).format(value)}${suffix}`;
    case 'compact':
      return `${numberFormat({ notation: 'compact', maximumFractionDigits: decimals ?? 1 }).format(value)}${suffix}`;
    case 'auto':
      return `${numberFormat({ maximumFractionDigits: decimals ?? (Math.abs(value) >= 100 ? 0 : 2) }).format(value)}${suffix}`;
  }
}

const DATE_OPTIONS: Record<Exclude<DateFormat, 'auto' | 'quarter'>, Intl.DateTimeFormatOptions> = {
  datetime: {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  },
  date: { year: 'numeric', month: 'short', day: 'numeric' },
  month: { year: 'numeric', month: 'short' },
  year: { year: 'numeric' },
};

/** A date format that fits a time unit, for `auto`. */
export function dateFormatFor(unit: TimeUnit | undefined, spanMs?: number): Exclude<DateFormat, 'auto'> {
  switch (unit) {
    case 'hour':
      return 'datetime';
    case 'day':
    case 'week':
      return 'date';
    case 'month':
      return 'month';
    case 'quarter':
      return 'quarter';
    case 'year':
      return 'year';
    case undefined:
      if (spanMs === undefined) return 'date';
      return spanMs < 3 * 86_400_000 ? 'datetime' : spanMs > 3 * 365 * 86_400_000 ? 'month' : 'date';
  }
}

/** Epoch milliseconds (UTC wall-clock) as text. */
export function formatTime(ms: number | null | undefined, format: Exclude<DateFormat, 'auto'>): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const d = new Date(ms);
  if (format === 'quarter') return `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}`;
  return dateFormat({ ...DATE_OPTIONS[format], timeZone: 'UTC' }).format(d);
}

/** Formatters for one chart's axes, tooltips and table. */
export interface ChartFormatters {
  y(value: number | null | undefined): string;
  x(value: unknown): string;
}

/**
 * The unit belongs to the measured values: y for most charts, x for a histogram, whose y counts rows (a
 * histogram of stays in days has "days" under its bins and plain counts up its side).
 */
export function chartFormatters(config: ChartConfig, xIsTime: boolean, spanMs?: number): ChartFormatters {
  const dateFormat = config.xFormat === 'auto' ? dateFormatFor(config.timeUnit, spanMs) : config.xFormat;
  const histogram = config.type === 'histogram';
  return {
    y: (v) =>
      histogram ? formatNumber(v, 'integer') : formatNumber(v, config.yFormat, config.decimals, config.unit),
    x: (v) => {
      if (v === null || v === undefined) return '–';
      if (xIsTime && typeof v === 'number') return formatTime(v, dateFormat);
      if (typeof v === 'number') return formatNumber(v, 'auto', undefined, histogram ? config.unit : '');
      return String(v);
    },
  };
}

/** The change of a KPI against the previous period, e.g. "+12.5 % vs previous month". */
export function formatChange(
  value: number | null,
  previous: number | null,
  unit: TimeUnit | undefined,
): string {
  if (value === null || previous === null) return 'No previous period to compare';
  const period = `previous ${unit ?? 'period'}`;
  if (previous === 0) return value === 0 ? `No change vs ${period}` : `Up from 0 vs ${period}`;
  const change = (value - previous) / Math.abs(previous);
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  return `${sign}${formatNumber(Math.abs(change), 'percent')} vs ${period}`;
}
