import { checkedTypeName } from '../../../gov/sql-text';
import type { TableAccess } from '../../../gov/types';
import { toEngineError } from '../../errors';
import type { DuckSession } from '../core/duck-session';
import { stubDdl } from './load-plan';

/**
 * Creates the empty table of each table of the view (data is loaded into them on demand), and returns one
 * line per table that could not be created: it then stays absent, like a denied table.
 */
export function createStubTables(user: DuckSession, tables: readonly TableAccess[]): string[] {
  try {
    // One call for every stub, as on every role switch, instead of one a table; all or none of them.
    if (tables.length > 0) {
      const ddl = tables.map((a) => `${stubDdl(a, checkedTypeName)};`);
      user.query(['BEGIN TRANSACTION;', ...ddl, 'COMMIT;'].join('\n'));
    }
    return [];
  } catch {
    // One could not be made: none was, and each is tried on its own below, for a message of its own.
    rollBack(user);
  }
  const problems: string[] = [];
  for (const access of tables) {
    try {
      user.query(stubDdl(access, checkedTypeName));
    } catch (e) {
      problems.push(`Table ${access.table} is not available: ${toEngineError(e).message}`);
    }
  }
  return problems;
}

function rollBack(user: DuckSession): void {
  try {
    user.query('ROLLBACK');
  } catch {
    // No transaction was open: the statements were never sent.
  }
}
