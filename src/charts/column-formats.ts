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
