import { summarizePlan } from './plan';
import { quoteIdent } from './sql-text';
import { identifierName, TOKEN, type StatementText, type Token } from './statements';

/**
 * The tables and cells a statement names, for the `objects` and `tags` of an allowed decision when the
 * optimizer pruned scans from the plan (a false filter, `LIMIT 0`, an empty stub). Only names, never a
 * decision: what may run is decided from the plan.
 *
 * DuckDB's `getTableNames` binds the statement against placeholder columns, so it fails on whatever needs
 * the real columns to bind: `USING` and `NATURAL` joins, `COLUMNS('regex')`, ASOF joins, and any statement
 * reading a cell whose view has one. The names then come from DuckDB's tokens: identifiers naming a table or
 * cell the role may read, except aliases (`AS name`), CTEs that shadow a table, and function calls. A cell
 * found that way is resolved to its base tables by DuckDB, through the table list or else the plan of a
 * bare `FROM cell`.
 */

export interface NameProbe {
  explain(sql: string): string | Promise<string>;
  tableNames(sql: string): string[] | Promise<string[]>;
}

export interface KnownNames {
  /** Lower-case names of the cells (temp views) in the user instance. */
  cells: ReadonlySet<string>;
  /** Whether a lower-case name is a table the role may read. */
  isTable(name: string): boolean;
}

const isName = (t: Token | undefined) => t?.type === TOKEN.IDENTIFIER;
const isWord = (t: Token | undefined, word: string) =>
  t?.type === TOKEN.KEYWORD && identifierName(t) === word;
const opens = (t: Token | undefined) => t?.type === TOKEN.OPERATOR && t.text.startsWith('(');

/** `name AS (`, `name AS MATERIALIZED (`, `name AS NOT MATERIALIZED (`: a CTE definition. */
function definesCte(tokens: Token[], i: number): boolean {
  if (!isWord(tokens[i + 1], 'as')) return false;
  const next = tokens[i + 2];
  return opens(next) || isWord(next, 'materialized') || isWord(next, 'not');
}

/** Names that may refer to a table or cell, in statement order; DuckDB matches even quoted names in any case. */
function referencedNames(tokens: Token[]): string[] {
  const ctes = new Set<string>();
  const names: string[] = [];
  tokens.forEach((t, i) => {
    if (!isName(t)) return;
    const name = identifierName(t).toLowerCase();
    if (definesCte(tokens, i)) ctes.add(name);
    else if (!isWord(tokens[i - 1], 'as') && !opens(tokens[i + 1])) names.push(name);
  });
  return names.filter((n) => !ctes.has(n));
}

async function baseTablesOf(probe: NameProbe, cell: string): Promise<string[]> {
  const sql = `FROM ${quoteIdent(cell)}`;
  try {
    return await probe.tableNames(sql);
  } catch {
    try {
      return summarizePlan(await probe.explain(sql)).scans.map((s) => s.table);
    } catch {
      return [];
    }
  }
}

export async function statementNames(
  probe: NameProbe,
  s: StatementText,
  known: KnownNames,
): Promise<string[]> {
  // Views expand in plans and table lists, so cells are recognised by name among DuckDB's tokens.
  const cells = s.tokens.filter((t) => isName(t) && known.cells.has(identifierName(t))).map(identifierName);
  try {
    return [...(await probe.tableNames(s.sql)), ...cells].map((n) => n.toLowerCase());
  } catch {
    // Falls back to the tokens below.
  }
  const names = new Set<string>();
  for (const name of referencedNames(s.tokens)) {
    if (names.has(name)) continue;
    if (known.isTable(name)) names.add(name);
    else if (known.cells.has(name)) {
      names.add(name);
      for (const table of await baseTablesOf(probe, name)) names.add(table.toLowerCase());
    }
  }
  return [...names];
}
