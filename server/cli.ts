/**
 * `npm run serve -- --lake DIR (--users FILE | --demo) [--port N] …`: the Lakebook server, one process
 * serving the built site and the lake through native DuckDB under the lake's policy.
 * `npm run serve -- verify-audit --state DIR`: checks the server's audit log chain.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { version as duckdbVersion } from '@duckdb/node-api';
import { createNodeBindings } from '../src/engine/worker/core/node-bindings.ts';
import { AuditFile, verifyLog } from './audit-file.ts';
import { createLakebookServer } from './http-server.ts';
import { demoUsers, readServerUsers, type ServerUser } from './identity.ts';
import { readLake, RoleLakes } from './role-lakes.ts';

export const USAGE = `Usage: npm run serve -- --lake DIR (--users FILE | --demo) [options]
  --lake DIR             the lake (catalog.json, policy.json and its zones), read in place
  --users FILE           users and their hashed tokens (docs/server.md)
  --demo                 one token per demo user of the policy, printed at start as: token <user> <role> <token>
  --port N               default 8080
  --host ADDR            default 127.0.0.1 (put a TLS proxy in front for other machines)
  --site DIR             the built site to serve (default dist/, made by npm run build); --no-site: API only
  --state DIR            the server's own files: role folders, masking secret, audit log (default .lakebook-server)
  --trusted-proxy ADDR   an authenticating proxy's address (repeatable); only it may set --proxy-header
  --proxy-header NAME    the header carrying the signed-in user's name (default x-forwarded-user)
  --timeout S            per-query time limit in seconds (default 120)
  --max-rows N           most rows in one result (default 1000000)
  --memory-limit SIZE    DuckDB memory limit per role instance (default 2GB)
  --threads N            DuckDB threads per role instance (default 2)
  --per-user N           queries one user may run at once (default 2)
  --concurrent N         queries the server runs at once (default 8); more wait in a queue
  --queue N              queries that may wait at once before the server answers busy (default 64)

       npm run serve -- verify-audit [--state DIR]`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    lake: { type: 'string' },
    users: { type: 'string' },
    demo: { type: 'boolean', default: false },
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    site: { type: 'string', default: 'dist' },
    'no-site': { type: 'boolean', default: false },
    state: { type: 'string', default: '.lakebook-server' },
    'trusted-proxy': { type: 'string', multiple: true, default: [] },
    'proxy-header': { type: 'string', default: 'x-forwarded-user' },
    timeout: { type: 'string', default: '120' },
    'max-rows': { type: 'string', default: '1000000' },
    'memory-limit': { type: 'string', default: '2GB' },
    threads: { type: 'string', default: '2' },
    'per-user': { type: 'string', default: '2' },
    concurrent: { type: 'string', default: '8' },
    queue: { type: 'string', default: '64' },
    help: { type: 'boolean', default: false },
  },
});

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) exit(`--${name} must be a positive whole number, not ${text}.`);
  return n;
}

function exit(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const stateDir = path.resolve(values.state);
const auditPath = path.join(stateDir, 'audit.jsonl');

if (values.help) {
  console.log(USAGE);
} else if (positionals[0] === 'verify-audit') {
  const report = await verifyLog(auditPath);
  console.log(
    report.ok
      ? `The audit log holds ${report.entries} entries and verifies.`
      : 'The audit log does NOT verify:',
  );
  for (const p of report.problems) console.log(`  entry ${p.index}: ${p.problem}`);
  process.exit(report.ok ? 0 : 1);
} else {
  await serve();
}

async function serve(): Promise<void> {
  if (!values.lake) exit('Give the lake with --lake DIR.');
  if (!values.users === !values.demo) exit('Give either --users FILE or --demo.');
  const lakeDir = path.resolve(values.lake);
  if (!existsSync(path.join(lakeDir, 'catalog.json'))) exit(`${lakeDir} has no catalog.json; is it a lake?`);
  const siteDir = values['no-site'] ? undefined : path.resolve(values.site);
  if (siteDir && !existsSync(path.join(siteDir, 'index.html'))) {
    exit(`${siteDir} holds no built site: run npm run build first, or pass --no-site.`);
  }
  const source = readLake(lakeDir);
  let users: ServerUser[];
  let tokens = new Map<string, string>();
  if (values.demo) ({ users, tokens } = demoUsers(source.policy));
  else users = readServerUsers(path.resolve(values.users!), source.policy);

  const started = performance.now();
  const lakes = await RoleLakes.open(source, users, stateDir, {
    threads: positive('threads', values.threads),
    memoryLimit: values['memory-limit'],
  });
  const audit = await AuditFile.open(auditPath);
  const bindings = await createNodeBindings();
  const server = createLakebookServer({
    lakes,
    audit,
    tokenize: (sql) => bindings.tokenize(sql),
    identity: {
      users,
      trustedProxies: values['trusted-proxy'],
      proxyHeader: values['proxy-header'].toLowerCase(),
    },
    limits: {
      timeoutMs: positive('timeout', values.timeout) * 1000,
      maxRows: positive('max-rows', values['max-rows']),
      perUser: positive('per-user', values['per-user']),
      total: positive('concurrent', values.concurrent),
      queue: positive('queue', values.queue),
    },
    siteDir,
    version: duckdbVersion(),
  });
  const port = positive('port', values.port);
  server.listen(port, values.host, () => {
    const base = `http://${values.host}:${port}/`;
    console.log(
      `Lakebook server on ${base} (lake ${lakeDir}, ${lakes.all.length} role instances ready in ${Math.round(performance.now() - started)} ms; masking secret from ${lakes.secretSource})`,
    );
    for (const u of users) {
      const token = tokens.get(u.user);
      if (token) console.log(`token ${u.user} ${u.role} ${token}`);
    }
    if (tokens.size > 0) console.log(`Open ${base}?token=<token> to sign in as that user.`);
  });
  const stop = () => {
    server.close();
    lakes.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
