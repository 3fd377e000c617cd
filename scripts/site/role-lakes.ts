/**
 * Per-role lake folders, built ahead by the site build: for each role (and each set of user attributes
 * its row filters read), a folder holding exactly what that role may see of the lake, masks applied with
 * keys derived from a secret that stays with the build, row filters and small-cell suppression applied,
 * columns and tables it may not read absent. The browser then receives only its role's folder; the
 * engine's own masks and guard stay a second wall over data that is already safe to hand over.
 */
import { copyFileSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { tableToIPC } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm/node';
import { attributesKey } from '../../src/gov/attributes.ts';
import type { Policy, RowFilter } from '../../src/gov/policy-schema.ts';
import { buildRoleView, pseudonymScope, roleSelectSql } from '../../src/gov/role-view.ts';
import type { RoleFolder } from '../../src/gov/site.ts';
import { quoteIdent } from '../../src/gov/sql-text.ts';
import type { Session, TableAccess } from '../../src/gov/types.ts';
import { eventColumns } from '../../src/engine/worker/loader/raw-columns.ts';
import type { Manifest, TableEntry } from '../../src/lake/manifest.ts';
import { sha256Of } from '../lake/atomic-file.ts';
import { sqlIdent, sqlString, type Duck } from '../lake/duck.ts';
import { describeParquet, writeParquet } from '../lake/parquet-file.ts';
import { deriveMaskKeys } from './mask-secret.ts';

export interface RoleLakeInput {
  conn: Duck;
  /** The full lake, as the lake CLI wrote it. */
  lakeDir: string;
  manifest: Manifest;
  /** The policy as published (no secret in it). */
  policyText: string;
  policy: Policy;
  secret: string;
  /** The roles to build folders for. */
  roles: string[];
  /** The users the site serves; a role whose rows depend on attributes gets a folder per distinct set. */
  users: Session[];
  /**
   * Files a role sees unchanged are hard-linked, not copied (the server's folders, on the lake's disk): the
   * same bytes are read in place. A site ships copies, since its folders leave the machine.
   */
  link?: boolean;
}

export interface BuiltFolder extends RoleFolder {
  tables: number;
  bytes: number;
  ms: number;
}

/** Writes `roles/<folder>/` under `outDir` for every role and attribute set, and says what it wrote. */
export async function writeRoleLakes(input: RoleLakeInput, outDir: string): Promise<BuiltFolder[]> {
  const scratch = path.join(os.tmpdir(), `lakebook-raw-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  try {
    await registerLake(input, scratch);
    const built: BuiltFolder[] = [];
    for (const session of sessionsToBuild(input)) {
      const started = performance.now();
      const folder = folderOf(session, attributeDependent(input.policy, session.role));
      const dir = path.join(outDir, folder.folder);
      rmSync(dir, { recursive: true, force: true });
      const manifest = await writeRoleLake(input, session, folder, dir);
      const visible = manifest.tables.filter((t) => !t.withheld);
      built.push({
        ...folder,
        tables: visible.length,
        bytes: visible.reduce((n, t) => n + t.bytes, 0),
        ms: performance.now() - started,
      });
    }
    return built;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One session per role; per distinct attribute set of the site's users where the role's rows depend on them. */
function sessionsToBuild({ policy, roles, users }: RoleLakeInput): Session[] {
  const sessions: Session[] = [];
  for (const role of roles) {
    const ofRole = users.filter((u) => u.role === role);
    if (!attributeDependent(policy, role)) {
      sessions.push(ofRole[0] ?? { user: role.toLowerCase(), role, attributes: {} });
      continue;
    }
    const seen = new Set<string>();
    for (const u of ofRole) {
      const key = attributesKey(u.attributes);
      if (!seen.has(key)) sessions.push(u);
      seen.add(key);
    }
  }
  return sessions;
}

/** Whether any row filter of the role reads a user attribute. */
export function attributeDependent(policy: Policy, role: string): boolean {
  const reads = (f: RowFilter): boolean => {
    if ('anyOf' in f) return f.anyOf.some(reads);
    if ('allOf' in f) return f.allOf.some(reads);
    if ('in' in f) return 'attribute' in f.in;
    return f.inTable.where ? reads(f.inTable.where) : false;
  };
  return (policy.roles[role]?.rowFilters ?? []).some((r) => reads(r.where));
}

function folderOf(session: Session, byAttributes: boolean): RoleFolder {
  const slug = session.role.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  if (!byAttributes) return { role: session.role, folder: `roles/${slug}/` };
  const tag = sha256Of(new TextEncoder().encode(attributesKey(session.attributes))).slice(0, 10);
  return { role: session.role, folder: `roles/${slug}-${tag}/`, attributes: session.attributes };
}

async function writeRoleLake(
  input: RoleLakeInput,
  session: Session,
  folder: RoleFolder,
  dir: string,
): Promise<Manifest> {
  const { conn, policy, manifest, lakeDir } = input;
  const keys = deriveMaskKeys(input.secret, pseudonymScope(policy, session.role));
  const view = buildRoleView(policy, manifest, session, { maskKeys: keys });
  const tables: TableEntry[] = [];
  for (const table of manifest.tables) {
    const access = view.tables.find((t) => t.table === table.name);
    if (!access) {
      tables.push({ ...table, files: [], rowCount: 0, bytes: 0, withheld: true });
      continue;
    }
    if (passThrough(table, access)) {
      for (const f of table.files) {
        mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
        handOver(path.join(lakeDir, f.path), path.join(dir, f.path), input.link === true);
      }
      tables.push({ ...table, appliedRules: [] });
      continue;
    }
    const rel = `${table.tier.toLowerCase()}/${table.zone}/${table.name}/part-000.parquet`;
    await writeParquet(conn, roleSelectSql(access), path.join(dir, rel));
    const facts = await describeParquet(conn, dir, rel);
    tables.push(preparedEntry(table, access, facts.file));
  }
  const prepared: Manifest = {
    ...manifest,
    generatedAt: new Date().toISOString(),
    preparedFor: folder.attributes
      ? { role: session.role, attributes: folder.attributes }
      : { role: session.role },
    tables,
  };
  writeFileSync(path.join(dir, 'catalog.json'), JSON.stringify(prepared, null, 2) + '\n');
  writeFileSync(path.join(dir, 'policy.json'), input.policyText);
  return prepared;
}

function handOver(from: string, to: string, link: boolean): void {
  if (link) {
    try {
      linkSync(from, to);
      return;
    } catch {
      // Another disk, or a file system without hard links: a copy serves the same.
    }
  }
  copyFileSync(from, to);
}

/** The role sees the stored table as it is: its files can be handed over unchanged. */
function passThrough(table: TableEntry, access: TableAccess): boolean {
  return (
    access.rowFilter === undefined &&
    access.aggregateOnly === undefined &&
    access.columns.length === table.columns.length &&
    access.columns.every((c, i) => c.mask === undefined && c.expr === quoteIdent(table.columns[i].name))
  );
}

/** The table as the role's catalog lists it: the columns it sees with their masked types, the others withheld. */
function preparedEntry(
  table: TableEntry,
  access: TableAccess,
  file: TableEntry['files'][number],
): TableEntry {
  const columns = table.columns.map((c) => {
    const seen = access.columns.find((a) => a.name === c.name);
    if (!seen) return { ...c, withheld: true as const };
    return { ...c, type: seen.type, ...(seen.mask ? { masked: seen.mask } : {}) };
  });
  for (const extra of access.columns.filter((a) => !table.columns.some((c) => c.name === a.name))) {
    columns.push({
      name: extra.name,
      type: extra.type,
      description: 'True where the group has too few patients to publish: its measures are withheld.',
    });
  }
  return {
    ...table,
    columns,
    files: [file],
    rowCount: file.rows,
    bytes: file.bytes,
    appliedRules: access.rules,
  };
}

/**
 * Every catalog table as a view of the same name. Raw event files are read with the parser the engine
 * uses in the browser (every column text), through a scratch Parquet file native DuckDB can scan.
 */
async function registerLake({ conn, lakeDir, manifest }: RoleLakeInput, scratch: string): Promise<void> {
  for (const table of manifest.tables) {
    const parquet = table.files.filter((f) => f.format === 'parquet');
    let files: string[];
    if (parquet.length === table.files.length) {
      files = parquet.map((f) => path.join(lakeDir, f.path));
    } else {
      const scratchFile = path.join(scratch, `${table.name}.parquet`);
      writeFileSync(scratchFile, rawAsParquet(lakeDir, table));
      files = [scratchFile];
    }
    const columns = table.columns.map((c) => sqlIdent(c.name)).join(', ');
    const source =
      files.length === 0
        ? `SELECT ${table.columns.map((c) => `CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`).join(', ')} WHERE FALSE`
        : `SELECT ${columns} FROM read_parquet([${files.map(sqlString).join(', ')}])`;
    await conn.run(`CREATE OR REPLACE VIEW ${sqlIdent(table.name)} AS ${source}`);
  }
}

/** Raw event files as one Parquet file, every column text, as the browser's engine reads them. */
export function rawAsParquet(lakeDir: string, table: TableEntry): Uint8Array {
  const names = table.columns.map((c) => c.name);
  const parts = table.files.map((f) => {
    if (f.format === 'parquet') throw new Error(`Raw table ${table.name} mixes Parquet and event files.`);
    const bytes = readFileSync(path.join(lakeDir, f.path));
    const text = new TextDecoder().decode(f.compression === 'gzip' ? gunzipSync(bytes) : bytes);
    return eventColumns(text, f.format, names).table;
  });
  const [first, ...rest] = parts;
  const whole = first ? first.concat(...rest) : undefined;
  if (!whole) throw new Error(`Raw table ${table.name} has no file.`);
  return parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(whole, 'stream')));
}
