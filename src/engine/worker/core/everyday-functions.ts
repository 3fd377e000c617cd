import type { DuckSession } from './duck-session';

/**
 * The browser build of DuckDB has no ICU extension, so the clock functions answer TIMESTAMP WITH TIME ZONE
 * that nothing can cast or truncate, and `current_date`, `today()` are missing. These macros give them
 * back as plain TIMESTAMP and DATE in UTC. They only read the clock: no setting, variable or file, so a cell
 * calling them can read nothing the guard would refuse. Created before `lockDown`, on the trusted path.
 * `current_timestamp` is DuckDB's `get_current_timestamp()`, `localtimestamp` its `current_localtimestamp()`.
 */
export const EVERYDAY_MACROS = [
  'CREATE MACRO now() AS CAST(system.main.get_current_timestamp() AS TIMESTAMP)',
  'CREATE MACRO get_current_timestamp() AS CAST(system.main.get_current_timestamp() AS TIMESTAMP)',
  'CREATE MACRO current_localtimestamp() AS CAST(system.main.get_current_timestamp() AS TIMESTAMP)',
  'CREATE MACRO current_date() AS CAST(CAST(system.main.get_current_timestamp() AS TIMESTAMP) AS DATE)',
  'CREATE MACRO today() AS CAST(CAST(system.main.get_current_timestamp() AS TIMESTAMP) AS DATE)',
];

export function createEverydayFunctions(session: DuckSession): void {
  for (const sql of EVERYDAY_MACROS) session.query(sql);
}
