/**
 * A small SQL scanner for dependency tracking only: it finds the identifiers a cell mentions, skipping
 * strings and comments. It decides nothing about security; the engine's guard works from DuckDB's own plan.
 */

export interface IdentifierToken {
  /** The identifier as DuckDB compares it: unquoted words and quoted names alike, lower-cased. */
  name: string;
  start: number;
  end: number;
  /** Preceded by a dot, as in `alias.column`: a member of something else, not a table by itself. */
  qualified: boolean;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

export function identifiers(sql: string): IdentifierToken[] {
  const out: IdentifierToken[] = [];
  let i = 0;
  let lastSignificant = '';
  const n = sql.length;
  while (i < n) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
      continue;
    }
    if (ch === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
      continue;
    }
    if (ch === "'") {
      i = skipQuoted(sql, i, "'");
      lastSignificant = "'";
      continue;
    }
    if (ch === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? n : close + tag[0].length;
        lastSignificant = "'";
        continue;
      }
    }
    if (ch === '"') {
      const end = skipQuoted(sql, i, '"');
      const closed = end <= n && sql[end - 1] === '"' && end - 1 > i;
      const name = sql.slice(i + 1, closed ? end - 1 : end).replace(/""/g, '"');
      out.push({ name: name.toLowerCase(), start: i, end, qualified: lastSignificant === '.' });
      i = end;
      lastSignificant = 'w';
      continue;
    }
    if (WORD_START.test(ch)) {
      let end = i + 1;
      while (end < n && WORD_PART.test(sql[end]!)) end++;
      // E'…' and X'…' style literals: the prefix letter belongs to the string, not an identifier.
      if (end === i + 1 && sql[end] === "'" && /[EeXxBb]/.test(ch)) {
        i = skipQuoted(sql, end, "'");
        lastSignificant = "'";
        continue;
      }
      out.push({ name: sql.slice(i, end).toLowerCase(), start: i, end, qualified: lastSignificant === '.' });
      i = end;
      lastSignificant = 'w';
      continue;
    }
    if (!/\s/.test(ch)) lastSignificant = ch;
    i++;
  }
  return out;
}

/** Index just past the closing quote; a doubled quote inside is an escaped quote. */
function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

/** The lower-cased names among `candidates` that `sql` mentions as a table-like identifier. */
export function referencedNames(sql: string, candidates: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const t of identifiers(sql)) if (!t.qualified && candidates.has(t.name)) found.add(t.name);
  return found;
}
