/**
 * How a result value reads on screen and in CSV. Values come straight from Arrow vectors (`get(i)`), so
 * a 1M-row result is never turned into row objects; only the rows on screen or being written are formatted.
 */
import { DataType, type Field } from 'apache-arrow';
import type { ColumnFormat } from '../../charts/column-formats';
import { formatNumber } from '../../charts/format';

export type CellText = { kind: 'null' } | { kind: 'value'; text: string };

export function isNumericField(field: Field): boolean {
  const t = field.type;
  return DataType.isInt(t) || DataType.isFloat(t) || DataType.isDecimal(t);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isoDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function isoTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso
    .replace('T', ' ')
    .replace(/\.000Z$/, '')
    .replace(/Z$/, '');
}

/** Arrow hands decimals back as unscaled big integers; the scale puts the point back. */
function decimalText(value: unknown, scale: number): string {
  const digits = String(value);
  if (scale === 0) return digits;
  const negative = digits.startsWith('-');
  const abs = (negative ? digits.slice(1) : digits).padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${abs.slice(0, -scale)}.${abs.slice(-scale)}`;
}

function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export function formatValue(value: unknown, field: Field): CellText {
  if (value === null || value === undefined) return { kind: 'null' };
  const t = field.type;
  if (DataType.isDate(t) && (typeof value === 'number' || value instanceof Date))
    return { kind: 'value', text: isoDate(Number(value)) };
  if (DataType.isTimestamp(t) && (typeof value === 'number' || value instanceof Date))
    return { kind: 'value', text: isoTimestamp(Number(value)) };
  if (DataType.isDecimal(t)) return { kind: 'value', text: decimalText(value, t.scale) };
  if (value instanceof Uint8Array)
    return { kind: 'value', text: Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('') };
  if (typeof value === 'object') {
    const withJson = value as { toJSON?: () => unknown };
    return { kind: 'value', text: jsonText(withJson.toJSON ? withJson.toJSON() : value) };
  }
  return { kind: 'value', text: String(value) };
}

/**
 * A value as its column's format set in the cell shows it (`-- format: rate percent:1`); other columns,
 * and values that are no number, as `formatValue` shows them.
 */
export function formatWith(value: unknown, field: Field, format: ColumnFormat | undefined): CellText {
  if (!format || value === null || value === undefined || !isNumericField(field))
    return formatValue(value, field);
  const t = field.type;
  const n = DataType.isDecimal(t) ? Number(decimalText(value, t.scale)) : Number(value);
  return { kind: 'value', text: formatNumber(n, format.format, format.decimals) };
}
