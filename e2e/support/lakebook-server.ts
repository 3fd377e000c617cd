/**
 * The Lakebook server (server/cli.ts) for end-to-end tests: started by the test on a free port over the
 * sample lake with the demo users, serving the site the test run built; stopped with the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

export interface RunningServer {
  base: string;
  /** Demo user name → token, as the server printed them. */
  tokens: Map<string, string>;
  stop(): Promise<void>;
}

export async function startLakebookServer(): Promise<RunningServer> {
  const port = await freePort();
  const state = mkdtempSync(path.join(tmpdir(), 'lakebook-server-e2e-'));
  const site = process.env.E2E_OUT_DIR ?? 'dist';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...['--import', 'tsx', 'server/cli.ts', '--lake', 'public/sample-lake', '--demo'],
      ...['--site', site, '--port', String(port), '--state', state],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const tokens = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`The server exited (${code}):\n${out}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const m of out.matchAll(/^token (\S+) (\S+) (\S+)$/gm)) tokens.set(m[1]!, m[3]!);
      if (/^Open http/m.test(out)) resolve();
    });
  });
  return {
    base: `http://127.0.0.1:${port}/`,
    tokens,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(state, { recursive: true, force: true });
    },
  };
}
