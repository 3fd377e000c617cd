import { z } from 'zod';

/**
 * A chart cell's configuration, saved with the notebook. It names a source cell and the columns to draw;
 * the chart builds its own aggregating SQL from it (see aggregate-sql.ts). A config may be incomplete while
 * an analyst is still choosing columns: `parseChartConfig` checks its shape, `missingChoices` says what is
 * still needed before it can be drawn.
 */

export const CHART_TYPES = ['line', 'area', 'bar', 'scatter', 'histogram', 'kpi'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

/** `none` draws the rows as they are (lines, areas, scatter); `rate` is the share of rows where y is true or non-zero. */
export const AGGREGATES = ['none', 'sum', 'avg', 'count', 'min', 'max', 'rate'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export const TIME_UNITS = ['hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/** `percent` expects fractions (0.12 is shown as 12 %), as `rate` returns them. */
export const NUMBER_FORMATS = ['auto', 'integer', 'decimal', 'percent', 'compact'] as const;
export type NumberFormat = (typeof NUMBER_FORMATS)[number];

export const DATE_FORMATS = ['auto', 'datetime', 'date', 'month', 'quarter', 'year'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export const BAR_MODES = ['grouped', 'stacked'] as const;
export type BarMode = (typeof BAR_MODES)[number];

/** Column and cell names are quoted when they go into SQL, so any text is safe; only its length is bounded. */
const name = z.string().min(1).max(256);
const label = z.string().max(200);

export const chartConfigSchema = z.object({
  version: z.literal(1).default(1),
  /** Name of the notebook cell whose result the chart draws (a view of that name in the engine). */
  source: z.string().max(256).default(''),
  type: z.enum(CHART_TYPES).default('bar'),
  barMode: z.enum(BAR_MODES).default('grouped'),
  x: name.optional(),
  y: name.optional(),
  series: name.optional(),
  aggregate: z.enum(AGGREGATES).default('none'),
  /** Truncates a time x to this unit before aggregating; for KPIs it is the period compared. */
  timeUnit: z.enum(TIME_UNITS).optional(),
  /** Histogram: number of equal-width bins. */
  bins: z.number().int().min(1).max(400).default(30),
  /** Bars: categories shown before the rest are gathered into "Other". */
  topN: z.number().int().min(1).max(100).default(12),
  title: label.default(''),
  xTitle: label.default(''),
  yTitle: label.default(''),
  /** Shown after values, e.g. "days" or "beds". */
  unit: z.string().max(24).default(''),
  yFormat: z.enum(NUMBER_FORMATS).default('auto'),
  xFormat: z.enum(DATE_FORMATS).default('auto'),
  decimals: z.number().int().min(0).max(6).optional(),
  /**
   * Reference lines with a label, e.g. the day a rule started (`{ "axis": "x", "value": "2025-03-01",
   * "label": "Fast-Track rule" }`) or a target rate on y. Dates are written YYYY-MM-DD.
   */
  marks: z
    .array(
      z
        .object({
          axis: z.enum(['x', 'y']).default('x'),
          value: z.union([z.string().min(1).max(64), z.number()]),
          label: label.default(''),
        })
        .strict(),
    )
    .max(8)
    .default([]),
  /**
   * Two columns of the source holding each value's interval, e.g. a 95 % confidence interval
   * (`{ "low": "ci_low", "high": "ci_high" }`): error bars on bar charts, a shaded band on line and area
   * charts. Drawn where the values are the rows as they are or their average; an "Other" bar, gathered from
   * several categories, gets none. Where a line has more points than pixels, the band covers every interval
   * of each pixel column.
   */
  interval: z.object({ low: name, high: name }).strict().optional(),
  /** Shown in the notebook's read-only view (`#/view/<notebook id>`), as published Markdown cells are. */
  published: z.boolean().default(false),
});

export type ChartConfig = z.infer<typeof chartConfigSchema>;
/** What a caller may pass: every field with a default may be left out. */
export type ChartConfigInput = z.input<typeof chartConfigSchema>;

export class ChartConfigError extends Error {
  override name = 'ChartConfigError';
}

/** Validates a saved (untrusted) config; the message lists each problem with its field. */
export function parseChartConfig(json: unknown): ChartConfig {
  const result = chartConfigSchema.safeParse(json ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ChartConfigError(`The chart settings are not valid:\n${problems.join('\n')}`);
  }
  return result.data;
}

/** A fresh config for a new chart cell. */
export function defaultChartConfig(source = ''): ChartConfig {
  return parseChartConfig({ source });
}

/** Aggregates that make sense for a chart type; the first is the one the editor picks when the type changes. */
export function aggregatesFor(type: ChartType): readonly Aggregate[] {
  switch (type) {
    case 'line':
    case 'area':
      return AGGREGATES;
    case 'scatter':
      return ['none'];
    case 'histogram':
      return ['count'];
    case 'bar':
    case 'kpi':
      return ['sum', 'avg', 'count', 'min', 'max', 'rate'];
  }
}

/** The aggregate the chart really uses: one the type allows, falling back to the type's default. */
export function effectiveAggregate(config: ChartConfig): Aggregate {
  const allowed = aggregatesFor(config.type);
  return allowed.includes(config.aggregate) ? config.aggregate : allowed[0];
}

/** Whether the chart needs a y column (counts and histograms do not). */
export function needsY(config: ChartConfig): boolean {
  return config.type !== 'histogram' && effectiveAggregate(config) !== 'count';
}

/** Whether the chart needs an x column (a KPI without x is one number over all rows). */
export function needsX(config: ChartConfig): boolean {
  return config.type !== 'kpi';
}

/** What the analyst still has to choose before the chart can be drawn, as sentences for the form. */
export function missingChoices(config: ChartConfig): string[] {
  const missing: string[] = [];
  if (!config.source) missing.push('Choose the cell whose result the chart draws.');
  if (needsX(config) && !config.x) missing.push('Choose the column for the x axis.');
  if (needsY(config) && !config.y) missing.push('Choose the column for the values (y).');
  return missing;
}
