import { Null, Table, makeData, makeVector, tableFromIPC, tableToIPC, type Vector } from 'apache-arrow';
import type { TableAccess } from '../../../gov/types';
import { checkedTypeName, quoteIdent } from '../../../gov/sql-text';
import type { DuckSession } from '../core/duck-session';
import { fail } from '../../errors';
import { stubDdl } from './load-plan';

/**
 * A table of the role's instance can hold some of its columns only: the others are NULL until a statement
 * needs them. These helpers shape what goes in, and add columns to a table that already holds rows.
 */

/** Where the columns being added to a loaded table are gathered before they join it. */
export const ADDED_COLUMNS_TABLE = '__lakebook_added_columns';
const MERGED_TABLE = '__lakebook_merged';

/** The view with the columns not in `loaded` read as typed NULLs, so its select needs no stored column for them. */
export function withNullColumns(access: TableAccess, loaded: ReadonlySet<string>): TableAccess {
  return {
    ...access,
    columns: access.columns.map((c) =>
      loaded.has(c.name) ? c : { ...c, expr: `CAST(NULL AS ${checkedTypeName(c.type)})` },
    ),
  };
}

/** The view narrowed to `columns`, in the view's order. */
export function onlyColumns(access: TableAccess, columns: ReadonlySet<string>): TableAccess {
  return { ...access, columns: access.columns.filter((c) => columns.has(c.name)) };
}

/**
 * An Arrow stream holding some of the view's columns (in its order) made into one holding all of them:
 * the missing ones are Arrow nulls, which DuckDB casts to the table's types on insert. Nothing is copied
 * when no column is missing.
 */
export function padWithNulls(ipc: Uint8Array, access: TableAccess, loaded: ReadonlySet<string>): Uint8Array {
  if (access.columns.every((c) => loaded.has(c.name))) return ipc;
  const table = tableFromIPC(ipc);
  const columns: Record<string, Vector> = {};
  for (const c of access.columns) {
    const column = loaded.has(c.name) ? table.getChild(c.name) : null;
    columns[c.name] = column ?? makeVector(makeData({ type: new Null(), length: table.numRows }));
  }
  return tableToIPC(new Table(columns), 'stream');
}

/** An empty typed table for the columns being added, so that inserts cast to the view's types. */
export function createAddedColumnsTable(user: DuckSession, added: TableAccess): void {
  user.query(`DROP TABLE IF EXISTS ${quoteIdent(ADDED_COLUMNS_TABLE)}`);
  user.query(stubDdl({ ...added, table: ADDED_COLUMNS_TABLE }, checkedTypeName));
}

/**
 * Joins the gathered columns to the table row by row (both were read in file order through the same
 * filter) and puts the result in the table's place. The table is unchanged when anything fails.
 */
export function mergeAddedColumns(user: DuckSession, access: TableAccess, added: ReadonlySet<string>): void {
  const table = quoteIdent(access.table);
  const gathered = quoteIdent(ADDED_COLUMNS_TABLE);
  const merged = quoteIdent(MERGED_TABLE);
  try {
    const rows = (name: string) => Number(user.query(`SELECT count(*) FROM ${name}`).getChildAt(0)?.get(0));
    const have = rows(table);
    const got = rows(gathered);
    if (have !== got)
      fail('LOAD', `Columns of ${access.table} came back with ${got} rows where the table has ${have}.`);
    const select = access.columns
      .map((c) => `${added.has(c.name) ? 'a' : 'o'}.${quoteIdent(c.name)}`)
      .join(', ');
    user.query(
      `CREATE TABLE ${merged} AS SELECT ${select} FROM ${table} AS o POSITIONAL JOIN ${gathered} AS a`,
    );
    user.query('BEGIN TRANSACTION');
    try {
      user.query(`DROP TABLE ${table}`);
      user.query(`ALTER TABLE ${merged} RENAME TO ${table}`);
      user.query('COMMIT');
    } catch (e) {
      user.query('ROLLBACK');
      throw e;
    }
  } finally {
    user.query(`DROP TABLE IF EXISTS ${merged}`);
    user.query(`DROP TABLE IF EXISTS ${gathered}`);
  }
}
