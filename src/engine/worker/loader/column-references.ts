import type { ScriptTokens } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';

/** DuckDB's token kinds (duckdb-wasm's TokenType enum, which is not exported at runtime by every build). */
const IDENTIFIER = 0;
const NUMERIC = 1;
const STRING = 2;
const OPERATOR = 3;
const KEYWORD = 4;

type Tokenize = (sql: string) => ScriptTokens;

interface Token {
  type: number;
  /** The token without the whitespace and comments DuckDB's tokenizer leaves attached to it. */
  text: string;
}

const QUOTED = /^"(?:[^"]|"")*"/;
const WORD = /^[\p{L}\p{N}_$]+/u;

function tokensOf(sql: string, tokenize: Tokenize): Token[] {
  const { offsets, types } = tokenize(sql);
  const tokens: Token[] = [];
  for (let i = 0; i < offsets.length; i++) {
    const raw = sql.slice(offsets[i], offsets[i + 1] ?? sql.length);
    const type = types[i];
    const word = type === IDENTIFIER || type === KEYWORD ? (QUOTED.exec(raw) ?? WORD.exec(raw)) : null;
    tokens.push({ type, text: word ? word[0] : raw.trim() });
  }
  return tokens;
}

/** The name an identifier or keyword token stands for: quoted names keep their case, others fold. */
function nameOf(token: Token): string | undefined {
  if (token.type !== IDENTIFIER && token.type !== KEYWORD) return undefined;
  const t = token.text;
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replaceAll('""', '"') : t;
}

/**
 * The names among `candidates` (stored columns, tables, cells) that some SQL text names, found with DuckDB's
 * own tokenizer: every identifier (or keyword, since a column may be called `year`). Over-approximates on
 * purpose: reading one column too many costs bytes, one too few would give a wrong answer.
 */
export function columnsReferenced(
  sqlTexts: readonly string[],
  candidates: readonly string[],
  tokenize: Tokenize,
): string[] {
  return namesReferenced(sqlTexts, candidates, tokenize, () => true);
}

/**
 * Like `columnsReferenced`, for the names of tables and cells: a name right after `AS` is the alias of a
 * column, table or subquery, never a table read (`count(*) AS admissions` reads no table `admissions`).
 */
export function tablesReferenced(
  sqlTexts: readonly string[],
  candidates: readonly string[],
  tokenize: Tokenize,
): string[] {
  return namesReferenced(sqlTexts, candidates, tokenize, (previous) => previous?.text.toLowerCase() !== 'as');
}

function namesReferenced(
  sqlTexts: readonly string[],
  candidates: readonly string[],
  tokenize: Tokenize,
  counts: (previous: Token | undefined) => boolean,
): string[] {
  const found = new Set<string>();
  for (const sql of sqlTexts) {
    const tokens = tokensOf(sql, tokenize);
    for (const [i, token] of tokens.entries()) {
      const name = nameOf(token);
      if (name === undefined || !counts(tokens[i - 1])) continue;
      const quoted = token.text.startsWith('"');
      for (const c of candidates) {
        if (quoted ? c === name : c.toLowerCase() === name.toLowerCase()) found.add(c);
      }
    }
  }
  return candidates.filter((c) => found.has(c));
}

/** Keywords after which a query reads columns it does not name (`NATURAL JOIN`, `PIVOT t ON …`, …). */
const UNNAMED_COLUMN_KEYWORDS = new Set([
  'columns',
  'natural',
  'pivot',
  'pivot_wider',
  'pivot_longer',
  'unpivot',
  'summarize',
  'table',
]);
/** What may come right before a `FROM` that starts a query (`FROM t` alone is `SELECT * FROM t`). */
const BEFORE_LEADING_FROM = new Set(['(', ';', 'union', 'all', 'except', 'intersect', 'name', 'as']);

const isOperand = (t: Token | undefined) =>
  t !== undefined && (t.type === IDENTIFIER || t.type === NUMERIC || t.type === STRING || t.text === ')');
const startsOperand = (t: Token | undefined) =>
  t !== undefined &&
  (t.type === IDENTIFIER || t.type === NUMERIC || t.type === STRING || ['(', '-', '+'].includes(t.text));

/**
 * True when some text may read columns of a table without naming them: a `*` that is not a product or
 * `count(*)`, `COLUMNS(…)`, a natural join, a pivot, `SUMMARIZE`, `TABLE t`, or a query that starts with
 * `FROM`. Every column of the tables it reads must then be loaded. Any doubt counts as yes.
 */
export function readsUnnamedColumns(sqlTexts: readonly string[], tokenize: Tokenize): boolean {
  return sqlTexts.some((sql) => {
    const tokens = tokensOf(sql, tokenize);
    return tokens.some((t, i) => {
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      if (t.type === KEYWORD && UNNAMED_COLUMN_KEYWORDS.has(t.text.toLowerCase())) return true;
      if (t.type === KEYWORD && t.text.toLowerCase() === 'from')
        return prev === undefined || BEFORE_LEADING_FROM.has(prev.text.toLowerCase());
      if (t.type !== OPERATOR || t.text !== '*') return false;
      const countStar = prev?.text === '(' && next?.text === ')';
      return !countStar && !(isOperand(prev) && startsOperand(next));
    });
  });
}
