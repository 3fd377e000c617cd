import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import { DuckSession } from './duck-session';

/**
 * Everything a role's engine leaves in a user instance (its table stubs and loaded data, the cells' temp
 * views, the everyday macros), as DuckDB's own catalog lists it. Each row is one DROP statement.
 */
const LEFTOVERS = `
  SELECT 'DROP VIEW ' || q AS stmt, 1 AS step FROM (
    SELECT ${qualified('view_name')} AS q FROM duckdb_views() WHERE NOT internal)
  UNION ALL SELECT 'DROP TABLE ' || q, 2 FROM (SELECT ${qualified('table_name')} AS q FROM duckdb_tables())
  UNION ALL SELECT (CASE function_type WHEN 'table_macro' THEN 'DROP MACRO TABLE ' ELSE 'DROP MACRO ' END) || q, 3
    FROM (SELECT DISTINCT function_type, ${qualified('function_name')} AS q FROM duckdb_functions()
          WHERE NOT internal AND function_type IN ('macro', 'table_macro'))
  UNION ALL SELECT 'DROP SEQUENCE ' || q, 4 FROM (SELECT ${qualified('sequence_name')} AS q FROM duckdb_sequences())
  UNION ALL SELECT 'DROP TYPE ' || q, 5 FROM (
    SELECT ${qualified('type_name')} AS q FROM duckdb_types() WHERE NOT internal)
  ORDER BY step`;

/**
 * What must be absent for the instance to count as empty. Macros are not listed again: listing functions
 * costs tens of milliseconds, and every macro listed was dropped without error.
 */
const REMAINING = `
  SELECT (SELECT count(*) FROM duckdb_views() WHERE NOT internal)
       + (SELECT count(*) FROM duckdb_tables())
       + (SELECT count(*) FROM duckdb_sequences())
       + (SELECT count(*) FROM duckdb_types() WHERE NOT internal)
       + (SELECT count(*) FROM duckdb_schemas() WHERE NOT internal AND schema_name <> 'main')
       + (SELECT count(*) FROM duckdb_databases() WHERE NOT internal AND database_name <> current_database())
       AS n`;

function qualified(name: string): string {
  return `'"' || replace(database_name, '"', '""') || '"."' || replace(schema_name, '"', '""') || '"."' || replace(${name}, '"', '""') || '"'`;
}

/**
 * Empties a user instance so that the next role's engine can be built in it instead of in a new instance,
 * which costs seconds (instantiating DuckDB and starting its threads). Its settings stay locked and its
 * threads stay up. Dropping frees the previous role's data; the instance is reused only when DuckDB's own
 * catalog then lists nothing that a statement could name and no other database (variables and prepared
 * statements belong to connections, and the role's connection is closed first): otherwise
 * this answers false and the caller starts a new instance. Call it only when no statement is running.
 */
/**
 * Runs the listing `emptyUserInstance` runs, dropping nothing, so that the first role switch finds
 * DuckDB's catalog functions already compiled: cold, listing took 235 ms of a 410 ms emptying in Chromium,
 * warm 20–40 ms. Call it only when no statement is running.
 */
export function warmCatalogListing(bindings: DuckDBBindings): void {
  let session: DuckSession | undefined;
  try {
    session = new DuckSession(bindings);
    session.query(LEFTOVERS);
    session.query(REMAINING);
  } catch {
    // Only a head start: the switch lists the catalog itself and copes with a failure there.
  } finally {
    session?.close();
  }
}

export function emptyUserInstance(bindings: DuckDBBindings): boolean {
  let session: DuckSession | undefined;
  try {
    session = new DuckSession(bindings);
    const leftovers = session.query(LEFTOVERS).getChild('stmt');
    const drops = Array.from({ length: leftovers?.length ?? 0 }, (_, i) => `${String(leftovers?.get(i))};`);
    // One call for every drop: each statement on its own cost a prepare, a run and a result of its own.
    // The statements are DuckDB's own catalog names, quoted (see `qualified`).
    if (drops.length > 0) session.query(drops.join('\n'));
    return Number(session.query(REMAINING).getChild('n')?.get(0)) === 0;
  } catch {
    return false;
  } finally {
    session?.close();
  }
}
