import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { DuckSession } from '../../src/engine/worker/core/duck-session';
import { createNodeBindings } from '../../src/engine/worker/core/node-bindings';
import { createUserSession } from '../../src/engine/worker/core/user-instance';
import { parseManifest, type Manifest } from '../../src/lake/manifest';
import { parsePolicy } from '../../src/gov/policy-schema';
import { buildRoleView } from '../../src/gov/role-view';
import type { RoleView } from '../../src/gov/types';

/**
 * A lake of the TPC-H or TPC-DS schema with empty typed tables, readable by one role, for running the
 * benchmarks' public query texts through the guard: ordinary read-only SQL of every shape.
 */

export interface TpcLake {
  manifest: Manifest;
  view: RoleView;
  user: DuckSession;
}

/** Column names and types as DuckDB itself reads the schema's DDL, so the manifest spells them its way. */
async function schemaColumns(ddl: string[]): Promise<Map<string, { name: string; type: string }[]>> {
  const scratch = new DuckSession(await createNodeBindings());
  for (const sql of ddl) scratch.query(sql);
  const rows = tableFromIPC(
    await scratch.run(
      "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE NOT internal AND schema_name = 'main' ORDER BY table_name, column_index",
    ),
  ).toArray() as { table_name: string; column_name: string; data_type: string }[];
  scratch.close();
  const tables = new Map<string, { name: string; type: string }[]>();
  for (const r of rows) {
    const cols = tables.get(r.table_name) ?? [];
    cols.push({ name: r.column_name, type: r.data_type });
    tables.set(r.table_name, cols);
  }
  return tables;
}

function statementsOf(text: string): string[] {
  return text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The public TPC-H and TPC-DS query texts are not part of this repository: they are read from
 * `LAKEBOOK_TPC_DIR`, else `shared/tpc/` beside the project (`tpch/qNN.sql`, `tpcds/NN.sql`,
 * `tpcds/schema/*.sql`, as DuckDB's tpch and tpcds extensions ship them). The TPC-H schema is ours.
 */
export function tpcCorpusDir(): string | undefined {
  const dir = process.env.LAKEBOOK_TPC_DIR ?? path.resolve('../shared/tpc');
  return existsSync(path.join(dir, 'tpch')) && existsSync(path.join(dir, 'tpcds')) ? dir : undefined;
}

function sqlFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.sql'));
}

/** An empty lake of the benchmark's schema; `corpus` is needed for TPC-DS, whose schema comes with its queries. */
export async function tpcLake(benchmark: 'tpch' | 'tpcds', corpus?: string): Promise<TpcLake> {
  const dir =
    benchmark === 'tpch'
      ? fileURLToPath(new URL('./tpch/', import.meta.url))
      : path.join(corpus ?? '', 'tpcds', 'schema');
  const ddl = sqlFiles(dir).flatMap((f) => statementsOf(readFileSync(path.join(dir, f), 'utf8')));
  const tables = await schemaColumns(ddl.filter((s) => /^create table/i.test(s)));
  const manifest = parseManifest({
    format: 'lakebook-catalog',
    version: 1,
    name: `${benchmark} test lake`,
    generatedAt: '2026-01-01T00:00:00Z',
    tables: [...tables].map(([name, columns]) => ({
      name,
      zone: 'curated',
      tier: 'PUBLIC',
      description: `${name} (${benchmark})`,
      owner: 'test',
      source: benchmark,
      license: 'test',
      tags: ['PUBLIC', benchmark],
      columns,
      files: [],
      rowCount: 0,
      bytes: 0,
      updatedAt: '2026-01-01T00:00:00Z',
    })),
  });
  const policy = parsePolicy({
    format: 'lakebook-policy',
    version: 1,
    defaultRole: 'Public',
    // The policy names every role of the app; the one tested reads every table.
    roles: Object.fromEntries(
      ['Public', 'DataAnalyst', 'Clinician', 'Auditor', 'DataSteward', 'Admin'].map((r) => [
        r,
        { grants: [{ tags: ['PUBLIC'] }] },
      ]),
    ),
  });
  const view = buildRoleView(policy, manifest, { user: 'ana', role: 'DataAnalyst', attributes: {} });
  return { manifest, view, user: createUserSession(await createNodeBindings(), view) };
}

/** The benchmark's query texts, `qNN.sql` / `NN.sql`, in order. */
export function tpcQueries(corpus: string, benchmark: 'tpch' | 'tpcds'): { name: string; sql: string }[] {
  const dir = path.join(corpus, benchmark);
  return readdirSync(dir)
    .filter((f) => /^q?\d+\.sql$/.test(f))
    .sort()
    .map((f) => ({ name: `${benchmark} ${f}`, sql: readFileSync(path.join(dir, f), 'utf8').trim() }));
}
