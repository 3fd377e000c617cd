/**
 * Number formats per result column, set in the SQL cell itself with a comment line:
 *
 *   -- format: mean_before percent:2, difference percent:2, stays integer
 *
 * The grid shows those columns formatted, a chart drawing the column uses the same format on its axis, and
 * Markdown values use the same names (`auto`, `integer`, `decimal[:digits]`, `percent[:digits]`,
 * `compact`). The SQL is the cell's one source of truth, so the formats travel with it into files, links and
 * the server. Unknown formats are ignored rather than refused: the SQL still runs.
 */
import { effectiveAggregate, NUMBER_FORMATS, type ChartConfig, type NumberFormat } from './config';

export interface ColumnFormat {
  format: NumberFormat;
  decimals?: number;
}

const FORMAT_LINE = /^[ \t]*--[ \t]*format:(.*)$/gim;
const ITEM = /^([A-Za-z_][A-Za-z0-9_]*)\s+([a-z]+)(?::(\d))?$/;

export function columnFormats(sql: string): Map<string, ColumnFormat> {
  const formats = new Map<string, ColumnFormat>();
  for (const line of sql.matchAll(FORMAT_LINE)) {
    for (const item of line[1]!.split(',')) {
      const m = ITEM.exec(item.trim());
      if (!m || !(NUMBER_FORMATS as readonly string[]).includes(m[2]!)) continue;
      formats.set(m[1]!, {
        format: m[2] as NumberFormat,
        ...(m[3] !== undefined ? { decimals: Number(m[3]) } : {}),
      });
    }
  }
  return formats;
}

/**
 * A chart left on the automatic format draws its values as its source cell formats that column, so the
 * grid and the chart read the same. Sums and counts are other numbers: they keep the automatic format.
 */
export function withSourceFormat(config: ChartConfig, sourceSql: string | undefined): ChartConfig {
  if (config.yFormat !== 'auto' || !config.y || sourceSql === undefined) return config;
  if (!['none', 'avg', 'min', 'max'].includes(effectiveAggregate(config))) return config;
  const format = columnFormats(sourceSql).get(config.y);
  if (!format) return config;
  return { ...config, yFormat: format.format, decimals: config.decimals ?? format.decimals };
}

/** A format as a `-- format:` line writes it: `percent:1`, `integer`. */
export function formatText(format: ColumnFormat): string {
  return format.decimals === undefined ? format.format : `${format.format}:${format.decimals}`;
}

/**
 * The cell's SQL with `column`'s format set (or removed, for `undefined` or `auto`): the column's item is
 * taken out of every `-- format:` line (a line left empty goes), then added to the first such line, or on a
 * new first line when the cell has none. Everything else in the SQL is kept as it was.
 */
export function withColumnFormat(sql: string, column: string, format: ColumnFormat | undefined): string {
  const item = format && format.format !== 'auto' ? `${column} ${formatText(format)}` : undefined;
  let placed = item === undefined;
  const lines: string[] = [];
  for (const line of sql.split('\n')) {
    const m = /^([ \t]*--[ \t]*format:)(.*)$/i.exec(line);
    if (!m) {
      lines.push(line);
      continue;
    }
    const items = m[2]!
      .split(',')
      .map((i) => i.trim())
      .filter((i) => i !== '' && ITEM.exec(i)?.[1] !== column);
    if (!placed) {
      items.push(item!);
      placed = true;
    }
    if (items.length > 0) lines.push(`${m[1]} ${items.join(', ')}`);
  }
  return placed ? lines.join('\n') : `-- format: ${item}\n${lines.join('\n')}`;
}

/** The SQL without its `-- format:` lines: what the engine's answer depends on. */
export function withoutFormatLines(sql: string): string {
  return sql.replace(/^[ \t]*--[ \t]*format:.*(?:\r?\n|$)/gim, '');
}
