import { quoteString } from './sql-text';
import { identifierName, splitStatements, TOKEN, type Token, type TokenList } from './statements';

/**
 * `PIVOT t ON col USING …` without an `IN` list makes DuckDB list the distinct values of `col` first, as a
 * second statement the guard cannot check as one. The engine does the same in two guarded steps: it runs
 * `distinctValuesSql` for each `ON` expression (like any query of the cell, under the role's view), then
 * checks and runs the cell with the values written in (`withInLists`). Pure text work on DuckDB's tokens.
 */

export interface PivotColumn {
  /** The `ON` expression as written. */
  expr: string;
  /** Offset in the cell where its `IN (…)` list goes. */
  end: number;
  /** The PIVOT's source (`t`, `(SELECT …)`), as written. */
  source: string;
}

/** Words that end the `ON` list of a PIVOT statement. */
const AFTER_ON = new Set(['using', 'group', 'order', 'limit', 'offset']);

/** Values beyond this many make a table too wide to read; the user is asked to list the ones they need. */
export const MAX_PIVOT_VALUES = 1000;

const word = (t: Token) =>
  t.type === TOKEN.IDENTIFIER || t.type === TOKEN.KEYWORD ? identifierName(t) : undefined;

/** How an operator token changes the parenthesis depth (DuckDB may print `((` or `))` as one token). */
function depthChange(t: Token): number {
  if (t.type !== TOKEN.OPERATOR) return 0;
  let d = 0;
  for (const c of t.text) d += c === '(' ? 1 : c === ')' ? -1 : 0;
  return d;
}

/** The `ON` expressions without `IN` of the simple PIVOT at token `at` of a statement ending at `end`. */
function columnsOf(sql: string, tokens: Token[], at: number, end: number): PivotColumn[] {
  let depth = 0;
  let on = -1;
  let stop = tokens.length;
  for (let i = at + 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (depth === 0 && on < 0 && word(t) === 'on') on = i;
    else if (depth === 0 && on >= 0 && AFTER_ON.has(word(t) ?? '')) {
      stop = i;
      break;
    }
    depth += depthChange(t);
    if (depth < 0) {
      stop = i;
      break;
    }
  }
  if (on < 0) return [];
  const source = sql.slice(tokens[at + 1].offset, tokens[on].offset).trim();
  const columns: PivotColumn[] = [];
  let start = on + 1;
  depth = 0;
  let listed = false;
  for (let i = on + 1; i <= stop; i++) {
    const t = tokens[i];
    const ends = i === stop || (depth === 0 && t.type === TOKEN.OPERATOR && t.text.startsWith(','));
    if (ends) {
      const endOffset = i < tokens.length ? tokens[i].offset : end;
      const expr = start < i ? sql.slice(tokens[start].offset, endOffset).trim() : '';
      if (!listed && expr) columns.push({ expr, end: tokens[start].offset + expr.length, source });
      start = i + 1;
      listed = false;
      continue;
    }
    if (depth === 0 && word(t) === 'in') listed = true;
    depth += depthChange(t);
  }
  return columns;
}

/**
 * Every `ON` expression without an `IN` list of the cell's simple PIVOTs (`PIVOT … ON … USING …` as a
 * statement or a subquery); the standard `PIVOT (… FOR … IN …)` form always lists its values.
 */
export function pivotColumnsWithoutIn(sql: string, list: TokenList): PivotColumn[] {
  const columns: PivotColumn[] = [];
  for (const s of splitStatements(sql, list)) {
    const last = s.tokens[s.tokens.length - 1];
    const end = last.offset + last.text.length;
    s.tokens.forEach((t, i) => {
      if (word(t) !== 'pivot' && word(t) !== 'pivot_wider') return;
      const before = s.tokens[i - 1];
      if (before && !(before.type === TOKEN.OPERATOR && before.text.endsWith('('))) return;
      columns.push(...columnsOf(sql, s.tokens, i, end));
    });
  }
  return columns;
}

/** The distinct values of one `ON` expression as text, in the order of the values, NULL left out. */
export function distinctValuesSql(column: PivotColumn): string {
  return `SELECT CAST(v AS VARCHAR) AS v FROM (SELECT DISTINCT (${column.expr}) AS v FROM ${column.source}) WHERE v IS NOT NULL ORDER BY v LIMIT ${MAX_PIVOT_VALUES + 1}`;
}

/** The cell with `IN ('v1', 'v2', …)` after each column, values as text like DuckDB's own pivot lists. */
export function withInLists(sql: string, columns: PivotColumn[], values: string[][]): string {
  let out = sql;
  const order = columns.map((c, i) => ({ c, v: values[i] })).sort((a, b) => b.c.end - a.c.end);
  for (const { c, v } of order) {
    out = `${out.slice(0, c.end)} IN (${v.map(quoteString).join(', ')})${out.slice(c.end)}`;
  }
  return out;
}
