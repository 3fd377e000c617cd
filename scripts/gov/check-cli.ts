import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createNodeBindings } from '../../src/engine/worker/core/node-bindings';
import { createUserSession } from '../../src/engine/worker/core/user-instance';
import { AUDIT_COLUMNS } from '../../src/gov/audit-table';
import { guardCell, type GuardDecision } from '../../src/gov/guard';
import { parsePolicy } from '../../src/gov/policy-schema';
import { buildRoleView } from '../../src/gov/role-view';
import { AUDIT_TABLE, type Session } from '../../src/gov/types';
import { parseManifest } from '../../src/lake/manifest';

/**
 * `gov check`: runs the guard on Node with the browser's code and engine (DuckDB-WASM): builds the role's
 * user instance from the lake's catalog and policy, then decides each cell and prints one JSON line per cell.
 * Exit status 0 whatever the decisions; 2 for bad input.
 */

export const USAGE = `Usage: npm run -s gov -- check --role ROLE --lake DIR (--sql "SQL" ... | --file cells.sql)
  --role ROLE        a role of the lake's policy.json (e.g. DataAnalyst, Clinician, Public)
  --lake DIR         a lake folder with catalog.json and policy.json
  --sql "SQL"        one cell; repeat for more cells
  --file FILE        one cell per line; lines starting with -- are comments
  --user NAME        the user name (default: the policy's demo user for the role)
  --attr KEY=V1,V2   a user attribute for row filters, e.g. --attr wards=MICU,SICU (repeatable)`;

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

class InputError extends Error {}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`Cannot read ${file}.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`${file} is not valid JSON.`);
  }
}

function cellsFrom(values: { sql?: string[]; file?: string }): string[] {
  if (values.sql && values.file) throw new InputError('Give --sql or --file, not both.');
  if (values.sql) return values.sql;
  if (!values.file) throw new InputError('Give the cells with --sql or --file.');
  let text: string;
  try {
    text = readFileSync(values.file, 'utf8');
  } catch {
    throw new InputError(`Cannot read ${values.file}.`);
  }
  return text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('--'));
}

function attributesFrom(pairs: string[]): Session['attributes'] {
  const out: Session['attributes'] = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new InputError(`--attr needs KEY=VALUE, got "${p}".`);
    const values = p.slice(eq + 1).split(',');
    out[p.slice(0, eq)] = values.length === 1 ? values[0] : values;
  }
  return out;
}

function line(d: GuardDecision): string {
  return JSON.stringify({
    sql: d.sql,
    decision: d.decision,
    reason: d.reason ?? null,
    rule: d.rule ?? null,
    objects: d.objects,
    tags: d.tags,
    rules: d.rules,
    statements: d.statements.map((s) => ({
      sql: s.sql,
      decision: s.decision,
      reason: s.reason ?? null,
      rule: s.rule ?? null,
      objects: s.objects,
    })),
  });
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        role: { type: 'string' },
        lake: { type: 'string' },
        sql: { type: 'string', multiple: true },
        file: { type: 'string' },
        user: { type: 'string' },
        attr: { type: 'string', multiple: true },
        help: { type: 'boolean' },
      },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (positionals[0] !== 'check' || positionals.length !== 1)
      throw new InputError('The command is "check".');
    if (!values.role || !values.lake) throw new InputError('--role and --lake are required.');
    const cells = cellsFrom(values);
    const manifest = parseManifest(readJson(path.join(values.lake, 'catalog.json')));
    const policy = parsePolicy(readJson(path.join(values.lake, 'policy.json')));
    const demo = policy.demoUsers[values.role];
    const session: Session = {
      user: values.user ?? demo?.user ?? 'cli',
      role: values.role,
      attributes: { ...(demo?.attributes ?? {}), ...attributesFrom(values.attr ?? []) },
    };
    // The guard decides on names and types, never on values: any keys give the masked columns their types.
    const maskKeys = { inner: randomBytes(32).toString('hex'), outer: randomBytes(32).toString('hex') };
    const view = buildRoleView(policy, manifest, session, { maskKeys });
    const extra = view.can.readAudit ? [{ name: AUDIT_TABLE, columns: [...AUDIT_COLUMNS] }] : [];
    const probe = createUserSession(await createNodeBindings(), view, extra);
    for (const sql of cells) io.out(line(await guardCell(sql, { view, manifest, cells: [], probe })));
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.err(message);
    if (e instanceof InputError || (e instanceof TypeError && 'code' in e)) io.err(USAGE);
    return 2;
  }
}
