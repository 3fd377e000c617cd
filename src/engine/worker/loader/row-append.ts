import type { TableAccess } from '../../../gov/types';
import { checkedTypeName, quoteIdent } from '../../../gov/sql-text';
import type { DuckSession } from '../core/duck-session';
import { stubDdl } from './load-plan';

/** Where row groups added to a table that holds some of its rows are gathered before they join it. */
export const ADDED_ROWS_TABLE = '__lakebook_added_rows';

/** An empty table shaped like the view's table, so that inserts cast to its types. */
export function createAddedRowsTable(user: DuckSession, access: TableAccess): void {
  user.query(`DROP TABLE IF EXISTS ${quoteIdent(ADDED_ROWS_TABLE)}`);
  user.query(stubDdl({ ...access, table: ADDED_ROWS_TABLE }, checkedTypeName));
}

/** Appends the gathered rows after the table's own, in one statement: all of them or, on failure, none. */
export function appendAddedRows(user: DuckSession, access: TableAccess): void {
  user.query(`INSERT INTO ${quoteIdent(access.table)} SELECT * FROM ${quoteIdent(ADDED_ROWS_TABLE)}`);
}
