/**
 * The only way chart code puts names and values into SQL: identifiers are always double-quoted (so a
 * column called `select` or `a"b` is just a name), strings are single-quoted, numbers must be finite.
 */

export class ChartSqlError extends Error {
  override name = 'ChartSqlError';
}

export function quoteIdent(name: string): string {
  if (name.length === 0) throw new ChartSqlError('A column or cell name is empty.');
  if (name.includes('\0')) throw new ChartSqlError('A column or cell name contains a NUL character.');
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteString(value: string): string {
  if (value.includes('\0')) throw new ChartSqlError('A text value contains a NUL character.');
  return `'${value.replaceAll("'", "''")}'`;
}

export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new ChartSqlError(`Not a finite number: ${value}`);
  return String(value);
}

export function sqlInt(value: number): string {
  if (!Number.isSafeInteger(value)) throw new ChartSqlError(`Not an integer: ${value}`);
  return String(value);
}
