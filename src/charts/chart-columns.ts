/**
 * A chart's columns resolved against its source cell's: their kinds checked, and the per-row SQL
 * expressions (x on its axis, y as a double, the series label, an interval's ends) that the shapes of
 * aggregate-sql.ts aggregate.
 */
import { effectiveAggregate, type Aggregate, type ChartConfig, type TimeUnit } from './config';
import type { ColumnKind, SourceColumn } from './columns';
import { ChartSqlError, quoteIdent, quoteString, sqlNumber } from './sql-text';

export const MISSING_LABEL = '(missing)';
/** Series beyond this many (by row count) are left out: more lines than this cannot be told apart. */
export const MAX_SERIES = 10;

/** Resolves the config's columns against the source's and builds the per-row expressions. */
export class Columns {
  readonly agg: Aggregate;
  readonly xKind: ColumnKind | undefined;
  private readonly kinds: Map<string, ColumnKind>;

  constructor(
    readonly config: ChartConfig,
    columns: SourceColumn[],
  ) {
    this.kinds = new Map(columns.map((col) => [col.name, col.kind]));
    this.agg = effectiveAggregate(config);
    this.xKind = config.x === undefined ? undefined : this.kindOf(config.x);
    if (config.y !== undefined && this.agg !== 'count') {
      const yKind = this.kindOf(config.y);
      if (yKind !== 'number' && !(yKind === 'boolean' && this.agg === 'rate')) {
        throw new ChartSqlError(`Column "${config.y}" holds ${yKind} values; the chart needs numbers for y.`);
      }
    }
    if (config.series !== undefined) this.kindOf(config.series);
    if (this.interval) {
      for (const column of [this.interval.low, this.interval.high]) {
        if (this.kindOf(column) !== 'number')
          throw new ChartSqlError(`Column "${column}" holds no numbers; an interval needs numbers.`);
      }
      if (!['none', 'avg'].includes(this.agg))
        throw new ChartSqlError(
          `An interval belongs to each value as it is: use it with the values as they are (aggregate "none" or "avg"), not "${this.agg}".`,
        );
    }
  }

  /** The interval drawn as error bars (bars) or a band (lines and areas); other charts draw none. */
  get interval(): ChartConfig['interval'] {
    return ['bar', 'line', 'area'].includes(this.config.type) ? this.config.interval : undefined;
  }

  /** The interval's ends as `lo` and `hi` of the source rows, or nothing. */
  intervalColumns(): string | undefined {
    const i = this.interval;
    if (!i) return undefined;
    return `CAST(${quoteIdent(i.low)} AS DOUBLE) AS lo, CAST(${quoteIdent(i.high)} AS DOUBLE) AS hi`;
  }

  private kindOf(name: string): ColumnKind {
    const kind = this.kinds.get(name);
    if (kind === undefined) throw new ChartSqlError(`The source cell has no column "${name}".`);
    return kind;
  }

  get from(): string {
    return `FROM ${quoteIdent(this.config.source)}`;
  }

  /** The x column itself, quoted. */
  get xRef(): string {
    return quoteIdent(this.requireX());
  }

  /** x on a continuous axis: epoch milliseconds for time, a double for numbers. */
  xValue(unit?: TimeUnit): string {
    const ref = this.xRef;
    if (this.xKind === 'time') {
      const ts = `CAST(${ref} AS TIMESTAMP)`;
      // date_trunc answers a DATE for units of a day and more; the cast makes every unit a TIMESTAMP again.
      const t = unit ? `CAST(date_trunc(${quoteString(unit)}, ${ts}) AS TIMESTAMP)` : ts;
      return `epoch_us(${t}) / 1000.0`;
    }
    if (this.xKind === 'number') return `CAST(${ref} AS DOUBLE)`;
    throw new ChartSqlError(`Column "${this.config.x}" is not a number or a date; choose another x.`);
  }

  /** x for the M4 grid: integer epoch microseconds for time (exact bucket edges), a double for numbers. */
  xGrid(unit?: TimeUnit): string {
    if (this.xKind !== 'time') return this.xValue();
    const ts = `CAST(${this.xRef} AS TIMESTAMP)`;
    return `epoch_us(${unit ? `CAST(date_trunc(${quoteString(unit)}, ${ts}) AS TIMESTAMP)` : ts})`;
  }

  xLabel(): string {
    return label(this.xRef);
  }

  /** y as a double; for `rate`, 1 where y is true or non-zero and 0 elsewhere. */
  yValue(): string {
    if (this.config.y === undefined || this.agg === 'count') return 'CAST(NULL AS DOUBLE)';
    const ref = quoteIdent(this.config.y);
    if (this.agg === 'rate') {
      return `CASE WHEN ${ref} IS NULL THEN NULL WHEN CAST(${ref} AS DOUBLE) <> 0 THEN 1.0 ELSE 0.0 END`;
    }
    return `CAST(${ref} AS DOUBLE)`;
  }

  /** The aggregate over a group's `y`; `none` behaves as `avg` where rows must be combined. */
  aggCall(agg: Aggregate = this.agg): string {
    switch (agg) {
      case 'count':
        return 'CAST(count(*) AS DOUBLE)';
      case 'sum':
        return 'sum(y)';
      case 'min':
        return 'min(y)';
      case 'max':
        return 'max(y)';
      case 'avg':
      case 'rate':
      case 'none':
        return 'avg(y)';
    }
  }

  seriesValue(): string {
    return this.config.series === undefined ? "''" : label(quoteIdent(this.config.series));
  }

  /**
   * CTEs `base` (the source's rows as s, x, y) and `src` (only the largest series). Rows without x are
   * dropped; rows without y too when they are drawn one by one.
   */
  sourceCtes(x: string, opts: { dropNullY: boolean; extra?: string; where?: string }): string[] {
    const base = `base AS (${this.rowsSelect(x, opts)})`;
    const src =
      this.config.series === undefined
        ? 'src AS (SELECT * FROM base)'
        : `src AS (SELECT * FROM base WHERE s IN (SELECT s FROM base GROUP BY s ORDER BY count(*) DESC, s LIMIT ${MAX_SERIES}))`;
    return [base, src];
  }

  /**
   * The source's rows as s, x, y (and `extra`), without rows lacking x (or y with `dropNullY`), and only
   * those meeting `where` when given. With `samplePercent`, DuckDB's SYSTEM sample of them: whole vectors
   * of rows kept or skipped at random.
   */
  rowsSelect(
    x: string,
    opts: { dropNullY: boolean; extra?: string; samplePercent?: number; where?: string },
  ): string {
    const where = [`${this.xRef} IS NOT NULL`];
    if (opts.dropNullY && this.config.y !== undefined) where.push(`${quoteIdent(this.config.y)} IS NOT NULL`);
    if (opts.where) where.push(opts.where);
    const extra = opts.extra ? `, ${opts.extra}` : '';
    const sample =
      opts.samplePercent === undefined ? '' : ` TABLESAMPLE ${sqlNumber(opts.samplePercent)}% (system)`;
    return `SELECT ${this.seriesValue()} AS s, ${x} AS x, ${this.yValue()} AS y${extra} ${this.from}${sample} WHERE ${where.join(' AND ')}`;
  }

  private requireX(): string {
    if (this.config.x === undefined) throw new ChartSqlError('Choose the column for the x axis.');
    return this.config.x;
  }
}

function label(ref: string): string {
  return `COALESCE(CAST(${ref} AS VARCHAR), ${quoteString(MISSING_LABEL)})`;
}
