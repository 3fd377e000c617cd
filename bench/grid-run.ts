/**
 * `node --import tsx bench/grid-run.ts [--runs N] [--port P] [--dist DIR] [--lake DIR] [--no-build]`: only
 * phase (d) of the benchmark (1M-row result in the grid), for working on the grid without the two other
 * minutes of `npm run bench -- --quick`. A lake folder given with --lake is generated once and reused.
 * Prints the figures; writes nothing to bench/RESULTS.md or bench/results.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeBenchLake } from './lake/bench-lake.ts';
import { measureGrid } from './phases/grid.ts';
import { StaticServer } from './server/static-server.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    port: { type: 'string', default: '4305' },
    dist: { type: 'string', default: '/tmp/bench-grid-dist' },
    lake: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});

const log = (s: string) => console.log(`[grid] ${s}`);

if (!values['no-build']) {
  const build = spawnSync(
    'npx',
    ['vite', 'build', '--outDir', values.dist!, '--emptyOutDir', '--logLevel', 'warn'],
    {
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) throw new Error('the site did not build');
}
const lakeDir = values.lake ?? mkdtempSync(path.join(tmpdir(), 'lakebook-grid-'));
if (!existsSync(path.join(lakeDir, 'catalog.json'))) {
  log(`generating the 1M lake in ${lakeDir}`);
  await writeBenchLake(lakeDir, 1_000_000, 20250301);
}
const server = new StaticServer({
  port: Number(values.port),
  mounts: [
    { prefix: '/', dir: values.dist! },
    { prefix: '/sample-lake/', dir: lakeDir },
  ],
});
await server.listen();
try {
  const grid = await measureGrid(server.origin, Number(values.runs), log);
  const show = (f?: { runs: number[]; median: number }) =>
    f ? `${f.median.toFixed(1)} (${f.runs.map((r) => r.toFixed(1)).join(', ')})` : '–';
  log(`rows ${grid.rows}, frames ${grid.frames}`);
  log(`first paint ms ${show(grid.firstPaint)}; in worker ${show(grid.engine)}`);
  log(
    `worst frame ms ${show(grid.worstFrame)}; steady ${show(grid.worstSteadyFrame)}; jumps ${show(grid.worstJumpFrame)}`,
  );
  log(`p95 frame ms ${show(grid.p95Frame)}`);
  if (grid.heapAfterBytes) log(`heap after MiB ${(grid.heapAfterBytes.median / 2 ** 20).toFixed(1)}`);
} finally {
  await server.close();
  if (!values.lake) rmSync(lakeDir, { recursive: true, force: true });
}
