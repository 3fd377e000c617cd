/**
 * Building blocks for the SQL the policy evaluator writes (masks, row filters, stub tables). Every name and
 * value that comes from a policy, a manifest or a user attribute passes through these functions, so none of
 * them can end a literal or an identifier early.
 */

/** A double-quoted identifier; embedded quotes are doubled. */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error('An identifier cannot contain a NUL character.');
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A single-quoted VARCHAR literal. DuckDB does not treat backslashes as escapes in standard literals, so
 * doubling the quote is the whole escaping rule; the cast keeps the type explicit.
 */
export function quoteString(value: string): string {
  if (value.includes('\u0000')) throw new Error('A text value cannot contain a NUL character.');
  return `'${value.replaceAll("'", "''")}'`;
}

export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Not a finite number: ${value}`);
  return String(value);
}

export function literal(value: string | number): string {
  return typeof value === 'number' ? numberLiteral(value) : quoteString(value);
}

/**
 * DuckDB type names as a catalog may spell them: words, an optional size or precision, optional list
 * brackets. Nested STRUCT/MAP/UNION types are refused rather than pasted into DDL.
 */
const SIMPLE_TYPE = /^[A-Za-z][A-Za-z0-9_]*(?: [A-Za-z][A-Za-z0-9_]*)*(?:\(\d+(?:, ?\d+)?\))?(?:\[\d*\])*$/;

export function checkedTypeName(type: string): string {
  const t = type.trim();
  if (!SIMPLE_TYPE.test(t)) throw new Error(`Unsupported column type "${type}".`);
  return t;
}

const NUMERIC_TYPES = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'INT',
  'BIGINT',
  'HUGEINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'UHUGEINT',
  'FLOAT',
  'REAL',
  'DOUBLE',
  'DECIMAL',
  'NUMERIC',
  'INT1',
  'INT2',
  'INT4',
  'INT8',
  'FLOAT4',
  'FLOAT8',
]);

/** The base type word, upper-cased, without precision: `DECIMAL(10,2)` → `DECIMAL`. */
export function baseType(type: string): string {
  return type.trim().toUpperCase().replace(/\(.*$/, '').trim();
}

export function isNumericType(type: string): boolean {
  return !type.includes('[') && NUMERIC_TYPES.has(baseType(type));
}

export function isDateType(type: string): boolean {
  return baseType(type) === 'DATE';
}

export function isTimestampType(type: string): boolean {
  return baseType(type).startsWith('TIMESTAMP') || baseType(type) === 'DATETIME';
}
