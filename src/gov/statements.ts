/**
 * Splits a cell into statements with DuckDB's own tokenizer: a `;` that the tokenizer reports as an
 * operator ends a statement, one inside a string or a comment does not. The split only has to be safe, not
 * perfect: each piece is then planned as a prepared statement, which DuckDB refuses when a piece still holds
 * two statements, and the engine runs exactly the pieces the guard checked.
 */

/** Token kinds of DuckDB-WASM's `tokenize` (its TokenType enum). */
export const TOKEN = { IDENTIFIER: 0, NUMERIC: 1, STRING: 2, OPERATOR: 3, KEYWORD: 4, COMMENT: 5 } as const;

export interface TokenList {
  offsets: number[];
  types: number[];
}

export interface Token {
  offset: number;
  type: number;
  /** The token's text, read up to the next token (identifiers and keywords only; others are a prefix). */
  text: string;
}

export interface StatementText {
  sql: string;
  tokens: Token[];
}

const WORD = /^(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")*")/;

function tokenText(source: string, offset: number, end: number): string {
  const slice = source.slice(offset, end);
  const word = WORD.exec(slice);
  return word ? word[0] : slice.trim();
}

/** The identifier a token names: unquoted words fold to lower case, quoted ones keep their case. */
export function identifierName(t: Token): string {
  return t.text.startsWith('"') ? t.text.slice(1, -1).replaceAll('""', '"') : t.text.toLowerCase();
}

export function splitStatements(source: string, list: TokenList): StatementText[] {
  const tokens: Token[] = list.offsets.map((offset, i) => ({
    offset,
    type: list.types[i],
    text: tokenText(source, offset, list.offsets[i + 1] ?? source.length),
  }));
  const out: StatementText[] = [];
  let start = 0;
  let current: Token[] = [];
  const close = (end: number) => {
    const sql = source.slice(start, end).trim();
    if (current.length > 0 && sql.length > 0) out.push({ sql, tokens: current });
    current = [];
  };
  for (const t of tokens) {
    if (t.type === TOKEN.OPERATOR && source[t.offset] === ';') {
      close(t.offset);
      start = t.offset + 1;
    } else if (t.type !== TOKEN.COMMENT) {
      current.push(t);
    }
  }
  close(source.length);
  return out;
}
