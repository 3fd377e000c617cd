import type { ColumnStats, RowGroupStats, StatKind } from './parquet-footer';

/**
 * Which row groups a statement can read rows from, told from the filters DuckDB pushes into a table scan
 * (as its plan prints them) against the row groups' min/max statistics. Only comparisons of a column with
 * constants narrow anything; every other filter counts as true, which can only keep more row groups.
 */

export type Comparison = '=' | '<' | '<=' | '>' | '>=';

/** `column op value`, or `column IN (values)` as several `=`; values in the statistics' terms. */
export interface Condition {
  column: string;
  kind: StatKind;
  op: Comparison;
  values: (number | bigint)[];
}

/**
 * The rows of a table a statement reads, per scan of it: a row is needed when it meets every condition of
 * some scan. `all` when any scan may read any row.
 */
export type RowNeed = 'all' | Condition[][];

/** The view's column types, for reading the constants the way the column compares them. */
export type ColumnKinds = ReadonlyMap<string, StatKind>;

/** Column types whose constants and statistics are compared here; any other column narrows nothing. */
export function statKind(type: string): StatKind | undefined {
  const t = type.trim().toUpperCase();
  if (t === 'INTEGER' || t === 'INT' || t === 'INT4' || t === 'SMALLINT' || t === 'TINYINT') return 'integer';
  if (t === 'BIGINT' || t === 'INT8') return 'bigint';
  if (t === 'DATE') return 'date';
  if (t === 'TIMESTAMP') return 'timestamp';
  return undefined;
}

/** The conditions understood among a scan's printed filters (each a conjunction DuckDB prints with AND). */
export function conditionsOf(filters: readonly string[], kinds: ColumnKinds): Condition[] {
  const out: Condition[] = [];
  for (const filter of filters) {
    const tokens = tokenize(filter.replace(/^optional:\s*/, ''));
    if (!tokens) continue;
    // With an OR at the top, the filter is no conjunction and narrows nothing.
    if (depthZero(tokens).some((t) => t.upper === 'OR')) continue;
    for (const part of splitOnAnd(tokens)) {
      const condition = conditionOf(part, kinds);
      if (condition) out.push(condition);
    }
  }
  return out;
}

/** True when the row group may hold a row meeting every condition. */
export function mayMatch(conditions: readonly Condition[], group: RowGroupStats): boolean {
  return conditions.every((c) => {
    const stats = group.columns[c.column];
    return !stats || stats.kind !== c.kind || c.values.some((v) => valueMayMatch(c.op, v, stats, group.rows));
  });
}

/**
 * Indexes of the row groups read, in file order, when each of `needs` holds every row the statement reads
 * (plans of the same statement on different loaded data): a group must be needed by all of them.
 */
export function groupsNeeded(needs: readonly RowNeed[], groups: readonly RowGroupStats[]): number[] {
  const needed = (need: RowNeed, g: RowGroupStats) =>
    need === 'all' || need.some((scan) => mayMatch(scan, g));
  return groups.map((g, i) => (needs.every((need) => needed(need, g)) ? i : -1)).filter((i) => i >= 0);
}

function valueMayMatch(op: Comparison, v: number | bigint, stats: ColumnStats, rows: number): boolean {
  // A comparison is never true on NULL: a row group of NULLs only has no match.
  if (stats.nulls !== undefined && stats.nulls >= rows && rows > 0) return false;
  const { min, max } = stats;
  if (min === undefined || max === undefined || typeof min !== typeof v || typeof max !== typeof v)
    return true;
  switch (op) {
    case '=':
      return min <= v && v <= max;
    case '<':
      return min < v;
    case '<=':
      return min <= v;
    case '>':
      return max > v;
    case '>=':
      return max >= v;
  }
}

interface Token {
  text: string;
  upper: string;
  kind: 'word' | 'quoted' | 'string' | 'number' | 'symbol';
  depth: number;
}

const SYMBOLS = ['::', '>=', '<=', '<>', '!=', '=', '<', '>', '(', ')', ','];

/** Tokens of a printed filter, or undefined for text outside the small grammar read here. */
function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const match =
      (/^'(?:[^']|'')*'/.exec(rest) && { kind: 'string' as const, re: /^'(?:[^']|'')*'/ }) ||
      (/^"(?:[^"]|"")*"/.exec(rest) && { kind: 'quoted' as const, re: /^"(?:[^"]|"")*"/ }) ||
      (/^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(rest) && {
        kind: 'number' as const,
        re: /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
      }) ||
      (/^[A-Za-z_][A-Za-z0-9_]*/.exec(rest) && { kind: 'word' as const, re: /^[A-Za-z_][A-Za-z0-9_]*/ });
    if (match) {
      const t = match.re.exec(rest)![0];
      tokens.push({ text: t, upper: t.toUpperCase(), kind: match.kind, depth });
      i += t.length;
      continue;
    }
    const symbol = SYMBOLS.find((s) => rest.startsWith(s));
    if (!symbol) return undefined;
    if (symbol === ')') depth -= 1;
    tokens.push({ text: symbol, upper: symbol, kind: 'symbol', depth });
    if (symbol === '(') depth += 1;
    i += symbol.length;
  }
  return depth === 0 ? tokens : undefined;
}

function depthZero(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.depth === 0);
}

function splitOnAnd(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [[]];
  for (const t of tokens) {
    if (t.depth === 0 && t.upper === 'AND') parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  return parts;
}

const OPS: Record<string, Comparison> = { '=': '=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** `col op const` or `col IN (const, …)`; anything else is not understood. */
function conditionOf(part: readonly Token[], kinds: ColumnKinds): Condition | undefined {
  const column = columnName(part[0]);
  const kind = column === undefined ? undefined : kinds.get(column);
  if (column === undefined || kind === undefined || part.length < 3) return undefined;
  const op = OPS[part[1].text];
  if (op) {
    const value = constantOf(part.slice(2), kind);
    return value === undefined ? undefined : { column, kind, op, values: [value] };
  }
  if (part[1].upper !== 'IN' || part[2].text !== '(' || part[part.length - 1].text !== ')') return undefined;
  const values: (number | bigint)[] = [];
  let item: Token[] = [];
  for (const t of part.slice(3)) {
    if ((t.text === ',' && t.depth === 1) || (t.text === ')' && t.depth === 0)) {
      const value = constantOf(item, kind);
      if (value === undefined) return undefined;
      values.push(value);
      item = [];
    } else item.push(t);
  }
  return values.length > 0 ? { column, kind, op: '=', values } : undefined;
}

function columnName(t: Token | undefined): string | undefined {
  if (t?.kind === 'word') return t.text;
  if (t?.kind === 'quoted') return t.text.slice(1, -1).replaceAll('""', '"');
  return undefined;
}

/** A constant as DuckDB prints it for a column of `kind`: `3`, `'2024-01-01'::DATE`, `'… 00:00:00'::TIMESTAMP`. */
function constantOf(tokens: readonly Token[], kind: StatKind): number | bigint | undefined {
  if (kind === 'integer' || kind === 'bigint') {
    if (tokens.length !== 1 || tokens[0].kind !== 'number' || !/^-?\d+$/.test(tokens[0].text))
      return undefined;
    if (kind === 'bigint') return BigInt(tokens[0].text);
    const n = Number(tokens[0].text);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  const [literal, cast, type] = tokens;
  if (tokens.length !== 3 || literal.kind !== 'string' || cast.text !== '::') return undefined;
  const body = literal.text.slice(1, -1);
  if (kind === 'date' && type.upper === 'DATE') return daysOf(body);
  if (kind === 'timestamp' && type.upper === 'TIMESTAMP') return microsOf(body);
  return undefined;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

function utcMillis(y: string, m: string, d: string, hh = '0', mm = '0', ss = '0'): number | undefined {
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(m) - 1, Number(d));
  date.setUTCHours(Number(hh), Number(mm), Number(ss), 0);
  // A date that rolled over (2024-02-30) is not what DuckDB printed: do not guess.
  if (
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(m) - 1 ||
    date.getUTCDate() !== Number(d)
  )
    return undefined;
  return date.getTime();
}

function daysOf(text: string): number | undefined {
  const m = DATE.exec(text);
  const ms = m ? utcMillis(m[1], m[2], m[3]) : undefined;
  return ms === undefined ? undefined : ms / 86_400_000;
}

function microsOf(text: string): bigint | undefined {
  const m = TIMESTAMP.exec(text);
  const ms = m ? utcMillis(m[1], m[2], m[3], m[4], m[5], m[6]) : undefined;
  if (m === null || ms === undefined) return undefined;
  return BigInt(ms) * 1000n + BigInt((m[7] ?? '').padEnd(6, '0'));
}
