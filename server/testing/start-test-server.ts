/**
 * A real Lakebook server for tests, in this process, on a free port of 127.0.0.1: the sample lake, the
 * policy's demo users with fresh tokens, its own state folder (role lakes, secret, audit log).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createNodeBindings } from '../../src/engine/worker/core/node-bindings.ts';
import { AuditFile } from '../audit-file.ts';
import { createLakebookServer, type QueryLimits } from '../http-server.ts';
import { demoUsers } from '../identity.ts';
import { readLake, RoleLakes } from '../role-lakes.ts';

export const SAMPLE_LAKE = path.resolve(import.meta.dirname, '../../public/sample-lake');

export interface TestServer {
  base: string;
  /** Demo user name → token. */
  tokens: Map<string, string>;
  /** Role → demo user name. */
  userOf: Record<string, string>;
  audit: AuditFile;
  stateDir: string;
  close(): Promise<void>;
}

export async function startTestServer(
  limits: Partial<QueryLimits> = {},
  trustedProxies: string[] = [],
): Promise<TestServer> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lakebook-server-test-'));
  const source = readLake(SAMPLE_LAKE);
  const { users, tokens } = demoUsers(source.policy);
  const lakes = await RoleLakes.open(source, users, stateDir, { threads: 1, memoryLimit: '1GB' });
  const audit = await AuditFile.open(path.join(stateDir, 'audit.jsonl'));
  const bindings = await createNodeBindings();
  const server = createLakebookServer({
    lakes,
    audit,
    tokenize: (sql) => bindings.tokenize(sql),
    identity: { users, trustedProxies, proxyHeader: 'x-forwarded-user' },
    limits: { timeoutMs: 30_000, maxRows: 100_000, perUser: 2, total: 4, queue: 16, ...limits },
    version: 'test',
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/`,
    tokens,
    userOf: Object.fromEntries(users.map((u) => [u.role, u.user])),
    audit,
    stateDir,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      lakes.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
