/**
 * For the scripts that run one phase of the benchmark (grid-run.ts, query-run.ts): builds the site unless
 * told not to, generates the lake unless the folder already holds one, and serves the build (and another,
 * the baseline, when given) on consecutive ports, each with the lake at `/sample-lake/`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeBenchLake } from '../lake/bench-lake.ts';
import { StaticServer } from './static-server.ts';

export interface SideBySideOptions {
  /** Where this build goes (or already is, with `build: false`). */
  dist: string;
  /** Another build of the site, served beside this one. */
  baseline?: string;
  build: boolean;
  /** A lake folder to reuse; without one, a temporary lake is generated and removed by `close`. */
  lake?: string;
  rows: number;
  port: number;
  log: (message: string) => void;
}

export interface ServedBuild {
  name: 'this build' | 'baseline';
  origin: string;
}

export interface SideBySide {
  builds: ServedBuild[];
  close(): Promise<void>;
}

export async function serveSideBySide(options: SideBySideOptions): Promise<SideBySide> {
  if (options.build) {
    const args = ['vite', 'build', '--outDir', options.dist, '--emptyOutDir', '--logLevel', 'error'];
    if (spawnSync('npx', args, { stdio: 'inherit' }).status !== 0) throw new Error('the site did not build');
  }
  const lakeDir = options.lake ?? mkdtempSync(path.join(tmpdir(), 'lakebook-phase-'));
  if (!existsSync(path.join(lakeDir, 'catalog.json'))) {
    options.log(`generating a lake of ${options.rows.toLocaleString('en-US')} admissions in ${lakeDir}`);
    await writeBenchLake(lakeDir, options.rows, 20250301);
  }
  const dirs: [ServedBuild['name'], string][] = [['this build', options.dist]];
  if (options.baseline) dirs.push(['baseline', options.baseline]);
  const servers = dirs.map(
    ([, dir], i) =>
      new StaticServer({
        port: options.port + i,
        // As in `npm run bench`: isolated, so the notebook runs DuckDB's threaded build.
        crossOriginIsolated: true,
        mounts: [
          { prefix: '/', dir },
          { prefix: '/sample-lake/', dir: lakeDir },
        ],
      }),
  );
  const close = async () => {
    for (const server of servers) await server.close();
    if (!options.lake) rmSync(lakeDir, { recursive: true, force: true });
  };
  try {
    for (const server of servers) await server.listen();
  } catch (e) {
    await close();
    throw e;
  }
  return { builds: dirs.map(([name], i) => ({ name, origin: servers[i]!.origin })), close };
}
