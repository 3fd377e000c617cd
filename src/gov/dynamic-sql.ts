import { identifierName, TOKEN, type Token } from './statements';

/**
 * `query(sql)` plans a SQL string as part of the statement, and `query_table(name)` resolves table names
 * from strings. What DuckDB folds while binding (a settings or variable function, text built by `||` or
 * `format`) never shows in the plan, so the text must be known before it is planned: the guard accepts
 * only literal arguments and checks the text given to `query()` as a statement of its own.
 */

export type DynamicSqlCall =
  { fn: 'query'; sql: string } | { fn: 'query' | 'query_table'; sql?: undefined; nonLiteral: true };

const DYNAMIC_FUNCTIONS = new Set(['query', 'query_table']);

/** The value of a plain `'…'` or `$tag$…$tag$` literal; undefined for anything else (`E'…'`, …). */
function literalValue(text: string): string | undefined {
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'"))
    return text.slice(1, -1).replaceAll("''", "'");
  const dollar = /^(\$[A-Za-z_0-9]*\$)([\s\S]*)\1$/.exec(text);
  return dollar ? dollar[2] : undefined;
}

const isOperator = (t: Token | undefined, text: string) =>
  t !== undefined && t.type === TOKEN.OPERATOR && t.text.startsWith(text);

/** `query_table` arguments: string literals, lists of them, and the `by_name` flag. */
function literalArguments(tokens: Token[], open: number): boolean {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === TOKEN.STRING) {
      if (literalValue(t.text) === undefined) return false;
      continue;
    }
    if (t.type === TOKEN.OPERATOR) {
      if (!/^[()[\],]+$/.test(t.text)) return false;
      for (const c of t.text) {
        if (c === '(') depth++;
        if (c === ')') depth--;
        if (depth === 0) return true;
      }
      continue;
    }
    if (!['true', 'false'].includes(identifierName(t))) return false;
  }
  return false;
}

/** Every call of `query` or `query_table` among a statement's tokens, with its SQL text when literal. */
export function dynamicSqlCalls(tokens: Token[]): DynamicSqlCall[] {
  const calls: DynamicSqlCall[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== TOKEN.IDENTIFIER && t.type !== TOKEN.KEYWORD) continue;
    const fn = identifierName(t);
    if (!DYNAMIC_FUNCTIONS.has(fn) || !isOperator(tokens[i + 1], '(')) continue;
    if (fn === 'query_table') {
      if (!literalArguments(tokens, i + 1)) calls.push({ fn, nonLiteral: true });
      continue;
    }
    const arg = tokens[i + 2];
    const sql = arg?.type === TOKEN.STRING ? literalValue(arg.text) : undefined;
    const closed = tokens[i + 1].text === '(' && isOperator(tokens[i + 3], ')');
    calls.push(sql !== undefined && closed ? { fn: 'query', sql } : { fn: 'query', nonLiteral: true });
  }
  return calls;
}
