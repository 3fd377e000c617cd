import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { DuckSession } from '../../src/engine/worker/core/duck-session';
import { createNodeBindings } from '../../src/engine/worker/core/node-bindings';
import { createUserSession, stubTableSql } from '../../src/engine/worker/core/user-instance';
import { guardCell, type GuardDecision } from '../../src/gov/guard';
import { roleSelectSql } from '../../src/gov/role-view';
import type { RoleView } from '../../src/gov/types';
import { testManifest } from '../../src/gov/fixtures/test-lake';

/**
 * Real DuckDB-WASM instances on Node for guard tests: a trusted staging instance holding the test lake's
 * full data (with planted secrets), user instances loaded the way the engine loads them (the role's SQL
 * evaluated in staging, Arrow into the locked instance), and a "leaky" instance holding everything, to test
 * the guard alone as if the second wall were missing.
 */

export const SECRET_SSNS = Array.from({ length: 30 }, (_, i) => `900-00-${String(i + 1).padStart(4, '0')}`);
export const SECRET_NAMES = Array.from({ length: 30 }, (_, i) => `Secretname${i + 1}`);
export const RAW_SUBJECT_IDS = Array.from({ length: 30 }, (_, i) => 10000001 + i);
export const RAW_HADM_IDS = Array.from({ length: 60 }, (_, i) => 20000001 + i);

const WARDS = ['MICU', 'SICU', 'CCU'];

/**
 * Secrets outside the tables: a variable on every instance and a setting on the leaky one, so an attack
 * that reads variables or settings (through text DuckDB folds while binding) returns a planted value.
 */
const PLANTED_VARIABLE = `SET VARIABLE planted = '${SECRET_SSNS[2]}'`;
const PLANTED_SETTING = `SET home_directory = '/${SECRET_NAMES[5]}'`;

function seedSql(): string[] {
  const patients = RAW_SUBJECT_IDS.map(
    (id, i) =>
      `(${id}, '${SECRET_NAMES[i]}', '${SECRET_SSNS[i]}', '${i % 2 ? 'F' : 'M'}', DATE '1950-01-01' + ${i * 400}, ${20 + i}, '${WARDS[i % 3]}')`,
  );
  const admissions = RAW_HADM_IDS.map(
    (h, i) =>
      `(${RAW_SUBJECT_IDS[i % 30]}, ${h}, TIMESTAMP '2150-01-01 08:00' + INTERVAL (${i * 9}) DAY, TIMESTAMP '2150-01-04 12:00' + INTERVAL (${i * 9}) DAY, '${i % 3 ? 'URGENT' : 'ELECTIVE'}', 'Medicare', '${SECRET_SSNS[i % 30]}')`,
  );
  const transfers = RAW_HADM_IDS.map(
    (h, i) =>
      `(${RAW_SUBJECT_IDS[i % 30]}, ${h}, '${WARDS[i % 3]}', TIMESTAMP '2150-01-01 09:00' + INTERVAL (${i * 9}) DAY)`,
  );
  const metric = Array.from({ length: 24 }, (_, i) => {
    const n = i % 4 === 0 ? 7 : 20 + i;
    return `(DATE '2025-01-01' + ${i}, '${WARDS[i % 3]}', 2025, ${n}, ${Math.floor(n / 5)}, ${(Math.floor(n / 5) / n).toFixed(4)})`;
  });
  return [
    `INSERT INTO patients VALUES ${patients.join(', ')}`,
    `INSERT INTO admissions VALUES ${admissions.join(', ')}`,
    `INSERT INTO transfers VALUES ${transfers.join(', ')}`,
    `INSERT INTO readmission_30d VALUES ${metric.join(', ')}`,
    `INSERT INTO cms_hrrp VALUES ('010001', 'READM-30-AMI-HRRP', 1.02), ('010005', 'READM-30-HF-HRRP', 0.97)`,
    `INSERT INTO audit_notes VALUES ('note about Secretname1')`,
  ];
}

function createLake(session: DuckSession): void {
  for (const t of testManifest.tables) session.query(stubTableSql(t.name, t.columns));
  for (const sql of seedSql()) session.query(sql);
}

export async function stagingSession(): Promise<DuckSession> {
  const s = new DuckSession(await createNodeBindings());
  createLake(s);
  return s;
}

/** What the engine does for a role: stubs, lock, then the role's rows and masked columns appended. */
export async function userSession(view: RoleView, staging: DuckSession, cells: Record<string, string> = {}) {
  const user = createUserSession(await createNodeBindings(), view);
  for (const t of view.tables) user.insertIpc(t.table, await staging.run(roleSelectSql(t)), false);
  for (const [name, sql] of Object.entries(cells)) user.query(`CREATE TEMP VIEW "${name}" AS ${sql}`);
  user.query(PLANTED_VARIABLE);
  return user;
}

/** Every table with full data, locked: only the guard stands between a statement and the secrets. */
export async function leakySession(): Promise<DuckSession> {
  const s = new DuckSession(await createNodeBindings());
  createLake(s);
  s.query(PLANTED_SETTING);
  s.lockDown();
  s.query(PLANTED_VARIABLE);
  return s;
}

/** Runs each allowed statement (2 s limit each) and returns every column name and value as text. */
export async function runAllowed(session: DuckSession, d: GuardDecision): Promise<string[]> {
  const values: string[] = [];
  for (const st of d.statements) {
    const timer = setTimeout(() => session.cancel(), 2000);
    try {
      const table = tableFromIPC(await session.run(st.sql));
      for (const field of table.schema.fields) values.push(field.name);
      for (const field of table.schema.fields) {
        const column = table.getChild(field.name);
        for (let i = 0; i < table.numRows; i++) values.push(JSON.stringify(column?.get(i), jsonSafe));
      }
    } catch {
      // A runtime error returns no data.
    } finally {
      clearTimeout(timer);
    }
  }
  return values;
}

function jsonSafe(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? String(v) : v;
}

/** The first planted secret in the results: text anywhere inside a value, numbers as a whole value. */
export function findSecret(values: string[], secrets: (string | number)[]): string | undefined {
  const text = values.join('\n');
  const whole = new Set(values.flatMap((v) => v.replaceAll('"', '').split(/[^0-9]+/)));
  return secrets
    .map((s) =>
      typeof s === 'number'
        ? whole.has(String(s))
          ? String(s)
          : undefined
        : text.includes(s)
          ? s
          : undefined,
    )
    .find((s) => s !== undefined);
}

export function guardOn(session: DuckSession, view: RoleView, cells: string[] = []) {
  return (sql: string) => guardCell(sql, { view, manifest: testManifest, cells, probe: session });
}

/** Cells of a corpus file: each `-- technique:` line starts one, the lines after it form its SQL. */
export function readCorpus(url: URL): { technique: string; sql: string }[] {
  const out: { technique: string; sql: string }[] = [];
  for (const line of readFileSync(url, 'utf8').split('\n')) {
    const m = /^-- technique: (.*)$/.exec(line);
    if (m) out.push({ technique: m[1], sql: '' });
    else if (out.length > 0 && line.trim())
      out[out.length - 1].sql += (out[out.length - 1].sql ? '\n' : '') + line;
  }
  return out;
}
