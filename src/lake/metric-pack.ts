import { z } from 'zod';

/**
 * A metric pack: one JSON document per metric view, written by the site build at `metrics/<name>.json` (with
 * `metrics/index.json` listing them), so that any HTTP client can read what a metric says, how it is defined
 * and how fresh it is without running the app. Packs hold aggregates only: small groups are suppressed and
 * no column tagged PHI or PII is ever written. Documented in docs/metric-packs.md.
 */

export const METRIC_PACK_FORMAT = 'lakebook-metric-pack';
export const METRIC_PACK_INDEX_FORMAT = 'lakebook-metric-pack-index';

const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/);
const isoTime = z.iso.datetime({ offset: true });
const tag = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/);

/** A value in a pack: numbers, text (dates as `YYYY-MM-DD`, times as ISO), booleans, or null. */
export const packValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);
export type PackValue = z.infer<typeof packValue>;

const interval = z.object({ low: z.number(), high: z.number() }).strict();

const periodStats = z
  .object({
    /** First and last value of the period column in the period. */
    from: z.string(),
    to: z.string(),
    /** The rate, or the mean, of the period. */
    value: z.number(),
    /** Stays in the period (rates) or observations (monthly means). */
    n: z.number().int().nonnegative(),
    /** Events counted in the rate's numerator (rates only). */
    events: z.number().int().nonnegative().optional(),
    /**
     * Period values (days or months) inside from..to whose rows were suppressed for the group: they are in
     * no figure of the pack, so that no figure gives them back by subtraction.
     */
    leftOut: z.array(z.string()).default([]),
  })
  .strict();

/**
 * A group's change set against the change of the rest of its breakdown (the other wards) over the same
 * periods: a difference in differences, with a p-value adjusted for the number of groups compared.
 */
export const versusRestSchema = z
  .object({
    /** The rest's rate before and after, pooled from the same periods as the group's. */
    rest: z.object({ before: z.number(), after: z.number() }).strict(),
    /** (group after - group before) - (rest after - rest before) */
    difference: z.number(),
    ci95: interval,
    /** Two-sided p-value of `difference` (normal approximation, stays independent). */
    pValue: z.number().min(0).max(1),
    /** `pValue` after Holm's step-down adjustment over the `tests` groups of the breakdown and measure. */
    adjustedPValue: z.number().min(0).max(1),
    tests: z.number().int().positive(),
    /**
     * True when `adjustedPValue` is below 0.05 and the group moved the worse way against the rest (see the
     * comparison's `worse`; either way when it has none): the group a screen of the breakdown names.
     */
    standsOut: z.boolean(),
  })
  .strict();

export const comparisonSchema = z
  .object({
    /** What is compared, e.g. `readmission_rate_30d`. */
    measure: z.string().min(1),
    kind: z.enum(['rate', 'mean_of_monthly_means']),
    /** Rates: the count columns of the metric the rate is pooled from. */
    numerator: identifier.optional(),
    denominator: identifier.optional(),
    /** Rates: which way of the measure is worse (e.g. `higher` for readmissions), when one is. */
    worse: z.enum(['higher', 'lower']).optional(),
    /** Means: the metric column averaged over months. */
    column: identifier.optional(),
    /** The group the comparison covers, e.g. `{ "ward": "Surgery" }`; empty for the whole hospital. */
    group: z.record(z.string(), z.string()),
    /**
     * Set when the figures pool the rows of another metric view (a breakdown listed in `related`), with that
     * view's period column; absent when they pool this pack's own rows.
     */
    source: z.object({ metric: identifier, periodColumn: identifier }).strict().optional(),
    /** True when the group has fewer patients than the threshold: every number below is then absent. */
    suppressed: z.boolean(),
    before: periodStats.optional(),
    after: periodStats.optional(),
    /** after - before */
    difference: z.number().optional(),
    ci95: interval.optional(),
    /** Rates of a group in a breakdown (e.g. a ward): its change against the rest of the breakdown's. */
    versusRest: versusRestSchema.optional(),
    method: z.string().min(1),
  })
  .strict()
  .refine(
    (c) => c.suppressed === (c.before === undefined) && !(c.suppressed && c.versusRest),
    'a suppressed comparison carries no numbers',
  );

export const beforeAfterSchema = z
  .object({
    intervention: z
      .object({
        label: z.string().min(1),
        date: z.iso.date(),
        /** Where the date comes from (the record of the rule's start in the lake). */
        source: z.string().min(1).optional(),
      })
      .strict(),
    /** The metric column that dates each row; rows before `intervention.date` are "before". */
    periodColumn: identifier,
    comparisons: z.array(comparisonSchema),
  })
  .strict();

export const packColumnSchema = z
  .object({
    name: z.string().min(1),
    type: z.string().min(1),
    /** Effective tags from the catalog (the column's own, else its table's). */
    tags: z.array(tag),
    /** What the column holds, from the `-- column:` line of the metric's SQL file. */
    description: z.string().min(1),
    /** What one unit of a value is: `index stays`, `patients`, `proportion (0–1)`, `hours`, `date`, … */
    unit: z.string().min(1),
    /** Rates: the columns of the same pack whose ratio the rate is (given together). */
    numerator: identifier.optional(),
    denominator: identifier.optional(),
  })
  .strict();

/** Another pack that counts the same thing: a finer breakdown of it, or the total it breaks down. */
export const relatedSchema = z
  .object({
    metric: identifier,
    /** Relative to this pack: `<name>.json`. */
    url: z.string().min(1),
    relation: z.enum(['breakdown', 'total']),
    /** Breakdowns: the columns it adds (e.g. `["ward"]`). */
    by: z.array(identifier).optional(),
    note: z.string().min(1),
  })
  .strict();

/** The pack's fields without the checks across them; `metricPackSchema` is what a pack must pass. */
export const metricPackObject = z
  .object({
    format: z.literal(METRIC_PACK_FORMAT),
    version: z.literal(1),
    name: identifier,
    description: z.string(),
    /** The definition in words, from the SQL file's comment. */
    definition: z.string(),
    sql: z.string().min(1),
    owner: z.string().min(1),
    license: z.string(),
    tags: z.array(tag).min(1),
    sources: z.array(
      z
        .object({
          name: identifier,
          zone: z.enum(['raw', 'curated', 'metrics']),
          description: z.string(),
          tags: z.array(tag),
          updatedAt: isoTime,
        })
        .strict(),
    ),
    lineage: z
      .object({
        upstream: z.array(identifier),
        /** The SQL file, relative to the project. */
        definition: z.string().min(1),
        /** Every snapshot file, oldest first; earlier snapshots never change. */
        snapshots: z.array(z.string().min(1)),
      })
      .strict(),
    asOf: isoTime,
    freshness: z
      .object({
        status: z.enum(['fresh', 'stale', 'unknown']),
        newerSources: z.array(z.object({ name: identifier, updatedAt: isoTime }).strict()),
      })
      .strict(),
    columns: z.array(packColumnSchema).min(1),
    /** Short statements to read before using the numbers: definition, window, intervals, suppression, design. */
    caveats: z.array(z.string().min(1)).min(1),
    /** Packs of the same counts at another grain; a breakdown's comparisons also appear in `beforeAfter`. */
    related: z.array(relatedSchema).optional(),
    smallCells: z.object({ countColumn: identifier, minGroupSize: z.number().int().positive() }).strict(),
    latest: z
      .object({
        asOf: isoTime,
        /** Rows of the newest snapshot; a suppressed row keeps its dimensions and nulls every measure. */
        rows: z.array(
          z.object({ values: z.record(z.string(), packValue), suppressed: z.boolean() }).strict(),
        ),
        suppressedRows: z.number().int().nonnegative(),
      })
      .strict(),
    beforeAfter: beforeAfterSchema.optional(),
  })
  .strict();

export const metricPackSchema = metricPackObject.refine(
  (p) =>
    p.columns.every(
      (c) =>
        (c.numerator === undefined) === (c.denominator === undefined) &&
        [c.numerator, c.denominator].every((n) => n === undefined || p.columns.some((x) => x.name === n)),
    ),
  "a rate column's numerator and denominator come together and are columns of the pack",
);

export type MetricPack = z.infer<typeof metricPackSchema>;
export type BeforeAfter = z.infer<typeof beforeAfterSchema>;
export type Comparison = z.infer<typeof comparisonSchema>;
export type PackColumn = z.infer<typeof packColumnSchema>;
export type Related = z.infer<typeof relatedSchema>;
export type VersusRest = z.infer<typeof versusRestSchema>;

export const metricPackIndexSchema = z
  .object({
    format: z.literal(METRIC_PACK_INDEX_FORMAT),
    version: z.literal(1),
    metrics: z.array(
      z
        .object({
          name: identifier,
          description: z.string(),
          /** Relative to the index: `<name>.json`. */
          url: z.string().min(1),
          asOf: isoTime,
          tags: z.array(tag),
          beforeAfter: z.boolean(),
        })
        .strict(),
    ),
  })
  .strict();

export type MetricPackIndex = z.infer<typeof metricPackIndexSchema>;

export function parseMetricPack(json: unknown): MetricPack {
  return metricPackSchema.parse(json);
}

export function parseMetricPackIndex(json: unknown): MetricPackIndex {
  return metricPackIndexSchema.parse(json);
}

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;

/** DuckDB column types a pack writes as JSON numbers: the measures that a suppressed row nulls. */
export function isNumeric(type: string): boolean {
  return NUMERIC.test(type);
}

/** The tags no pack may carry on any column it writes. */
export const FORBIDDEN_PACK_TAGS = ['PHI', 'PII'] as const;

/** Columns whose effective tags include PHI or PII; a pack writer must refuse to write any of them. */
export function forbiddenColumns(columns: readonly Pick<PackColumn, 'name' | 'tags'>[]): string[] {
  return columns
    .filter((c) => c.tags.some((t) => (FORBIDDEN_PACK_TAGS as readonly string[]).includes(t)))
    .map((c) => c.name);
}
