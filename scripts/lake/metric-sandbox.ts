/**
 * Runs a metric definition where it can read its declared upstream tables and nothing else, so the lineage the
 * catalog records is the whole of what the metric read. The definition runs in a DuckDB database of its own in
 * which only the upstream tables exist (views over their Parquet files); file access is then limited to exactly
 * those files, switched off for everything else and locked. A definition that reads another file, attaches a
 * database or names a table it did not declare fails with a message that says what to do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Manifest } from '../../src/lake/manifest.ts';
import type { MetricDefinition } from '../../src/lake/metric-definition.ts';
import { sqlIdent, sqlString, type Duck } from './duck.ts';
import { parquetFiles, parquetViewSql } from './lake-views.ts';

const RESULT = 'metric_result';

/** Runs `def` in its sandbox and leaves its rows in the temp table `target` of `conn`. */
export async function runMetricSandboxed(
  conn: Duck,
  lakeDir: string,
  manifest: Manifest,
  file: string,
  def: MetricDefinition,
  target: string,
): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'lakebook-metric-'));
  const database = path.join(work, 'sandbox.duckdb');
  try {
    const instance = await DuckDBInstance.create(database, { threads: '1' });
    const sandbox = await instance.connect();
    try {
      const allowed: string[] = [];
      for (const name of def.upstream) {
        const files = parquetFiles(lakeDir, manifest, name);
        await sandbox.run(parquetViewSql(name, files, true));
        allowed.push(...files);
      }
      await sandbox.run(`SET allowed_paths = [${allowed.map(sqlString).join(', ')}]`);
      await sandbox.run('SET enable_external_access = false');
      await sandbox.run('SET lock_configuration = true');
      try {
        await sandbox.run(`CREATE TABLE ${RESULT} AS ${def.sql}`);
      } catch (e) {
        throw new Error(explain(file, def, (e as Error).message), { cause: e });
      }
    } finally {
      sandbox.closeSync();
      instance.closeSync();
    }
    const alias = sqlIdent(`metric_sandbox_${process.pid}`);
    await conn.run(`ATTACH ${sqlString(database)} AS ${alias} (READ_ONLY)`);
    try {
      await conn.run(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(target)} AS SELECT * FROM ${alias}.${RESULT}`);
    } finally {
      await conn.run(`DETACH ${alias}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function explain(file: string, def: MetricDefinition, message: string): string {
  const first = message.split('\n')[0] ?? message;
  const upstream = def.upstream.join(', ');
  if (/file system operations are disabled|external (access|extensions)/i.test(message))
    return (
      `${file}: the definition reaches outside its upstream tables (${first}). A metric may read only the ` +
      `tables named in its "-- upstream:" header (${upstream}), by name: add the table there and query it ` +
      'by name instead of reading its files.'
    );
  if (/Table with name .* does not exist/i.test(message))
    return (
      `${file}: ${first}. A metric sees only the tables named in its "-- upstream:" header (${upstream}); ` +
      'add the table there if the definition needs it.'
    );
  return `${file}: ${first}`;
}
