/**
 * One role folder served by native DuckDB: an in-memory instance whose catalog holds only the role's tables,
 * as views over the folder's Parquet (read in place, never loaded whole), then locked: no file outside the
 * folder, no extension, no setting can be changed. User SQL reaches this instance only through the guard,
 * and even past the guard there is nothing here the role may not see: the folder was prepared for it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { AUDIT_COLUMNS } from '../src/gov/audit-table.ts';
import type { Policy } from '../src/gov/policy-schema.ts';
import { buildRoleView } from '../src/gov/role-view.ts';
import { checkedTypeName, quoteIdent } from '../src/gov/sql-text.ts';
import { AUDIT_TABLE, type RoleView, type Session, type TableAccess } from '../src/gov/types.ts';
import { EVERYDAY_MACROS } from '../src/engine/worker/core/everyday-functions.ts';
import { stubTableSql } from '../src/engine/worker/core/user-instance.ts';
import { parseManifest, type Manifest, type TableEntry } from '../src/lake/manifest.ts';

export interface InstanceLimits {
  threads: number;
  /** DuckDB's `memory_limit` for this instance, e.g. `2GB`. */
  memoryLimit: string;
}

/**
 * Two instances per folder. The data instance holds the role's tables as views over its Parquet; in
 * DuckDB's plan a view's scan shows only `READ_PARQUET`, not which table it reads, so the guard decides on
 * the plan twin instead: the same names, columns and types as empty tables, as the browser's user instance
 * holds them before its data arrives. A statement runs on the data instance only once the twin's plan of
 * it passed the guard.
 */
export class NativeLake {
  private constructor(
    readonly folder: string,
    readonly manifest: Manifest,
    readonly view: RoleView,
    readonly instance: DuckDBInstance,
    readonly twin: DuckDBInstance,
    readonly threads: number,
  ) {}

  /** Opens a folder written by the role-lake build (catalog.json prepared for `session`). */
  static async open(
    folder: string,
    policy: Policy,
    session: Session,
    limits: InstanceLimits,
  ): Promise<NativeLake> {
    const manifest = parseManifest(JSON.parse(readFileSync(path.join(folder, 'catalog.json'), 'utf8')));
    const view = buildRoleView(policy, manifest, session);
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(limits.threads),
      memory_limit: limits.memoryLimit,
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const conn = await instance.connect();
    try {
      for (const access of view.tables) {
        const entry = manifest.tables.find((t) => t.name === access.table);
        if (entry) await conn.run(viewSql(folder, entry, access));
      }
      if (view.can.readAudit) await conn.run(auditTableSql());
      for (const macro of EVERYDAY_MACROS) await conn.run(macro);
      await lockDown(conn, folder);
    } finally {
      conn.closeSync();
    }
    const twin = await planTwin(view);
    return new NativeLake(folder, manifest, view, instance, twin, limits.threads);
  }

  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  connectTwin(): Promise<DuckDBConnection> {
    return this.twin.connect();
  }

  close(): void {
    this.instance.closeSync();
    this.twin.closeSync();
  }
}

async function planTwin(view: RoleView): Promise<DuckDBInstance> {
  const twin = await DuckDBInstance.create(':memory:', {
    threads: '1',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await twin.connect();
  try {
    for (const access of view.tables) await conn.run(stubTableSql(access.table, access.columns));
    if (view.can.readAudit) await conn.run(auditTableSql());
    for (const macro of EVERYDAY_MACROS) await conn.run(macro);
    await conn.run('SET enable_external_access = false');
    await conn.run('SET lock_configuration = true');
  } finally {
    conn.closeSync();
  }
  return twin;
}

/**
 * The role's table as a view of its Parquet files. The folder's files already hold the role's columns,
 * masks and rows; the view's own expressions are the engine's second wall (the same the browser applies).
 */
function viewSql(folder: string, entry: TableEntry, access: TableAccess): string {
  const files = entry.files.every((f) => f.format === 'parquet')
    ? entry.files.map((f) => path.join(folder, f.path))
    : [convertedRawFile(folder, entry.name)];
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) throw new Error(`The role folder lacks ${missing.join(', ')}; rebuild it.`);
  const cols = access.columns.map((c) => `${c.expr} AS ${quoteIdent(c.name)}`).join(', ');
  const where = access.rowFilter ? ` WHERE ${access.rowFilter}` : '';
  const source =
    files.length === 0
      ? `(SELECT ${entry.columns.map((c) => `CAST(NULL AS ${checkedTypeName(c.type)}) AS ${quoteIdent(c.name)}`).join(', ')} WHERE FALSE)`
      : `read_parquet([${files.map(sqlString).join(', ')}], hive_partitioning = false)`;
  return `CREATE VIEW ${quoteIdent(access.table)} AS SELECT ${cols} FROM ${source}${where}`;
}

/** Where the server keeps a raw table's event files converted to Parquet (`prepareRawTables`). */
export function convertedRawFile(folder: string, table: string): string {
  return path.join(folder, '_server', `${table}.parquet`);
}

function auditTableSql(): string {
  const cols = AUDIT_COLUMNS.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
  return `CREATE TABLE ${quoteIdent(AUDIT_TABLE)} (${cols})`;
}

/** `lock_configuration` comes last: once set, none of the others can be changed back. */
async function lockDown(conn: DuckDBConnection, folder: string): Promise<void> {
  await conn.run(`SET allowed_directories = [${sqlString(path.resolve(folder) + path.sep)}]`);
  await conn.run('SET enable_external_access = false');
  await conn.run('SET lock_configuration = true');
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
