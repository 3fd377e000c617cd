/**
 * `node --import tsx bench/grid-run.ts [--runs N] [--port P] [--dist DIR] [--lake DIR] [--no-build]
 * [--baseline DIR]`: only phase (d) of the benchmark (1M-row result in the grid), for working on the grid
 * without the other minutes of `npm run bench -- --quick`. A lake folder given with --lake is generated once
 * and reused. With --baseline (another build of the site, e.g. of an earlier commit), the two builds are
 * measured in alternation in the same run, so their ratio holds on a busy machine. Prints the figures; writes
 * nothing to bench/RESULTS.md or bench/results.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeBenchLake } from './lake/bench-lake.ts';
import { measureGrid } from './phases/grid.ts';
import type { GridFigures } from './report/results.ts';
import { median } from './report/stats.ts';
import { StaticServer } from './server/static-server.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    port: { type: 'string', default: '4305' },
    dist: { type: 'string', default: '/tmp/bench-grid-dist' },
    lake: { type: 'string' },
    baseline: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});

const log = (s: string) => console.log(`[grid] ${s}`);

if (!values['no-build']) {
  const args = ['vite', 'build', '--outDir', values.dist!, '--emptyOutDir', '--logLevel', 'warn'];
  if (spawnSync('npx', args, { stdio: 'inherit' }).status !== 0) throw new Error('the site did not build');
}
const lakeDir = values.lake ?? mkdtempSync(path.join(tmpdir(), 'lakebook-grid-'));
if (!existsSync(path.join(lakeDir, 'catalog.json'))) {
  log(`generating the 1M lake in ${lakeDir}`);
  await writeBenchLake(lakeDir, 1_000_000, 20250301);
}

const sites = [{ name: 'this build', dir: values.dist! }];
if (values.baseline) sites.push({ name: 'baseline', dir: values.baseline });
const servers = sites.map(
  (site, i) =>
    new StaticServer({
      port: Number(values.port) + i,
      mounts: [
        { prefix: '/', dir: site.dir },
        { prefix: '/sample-lake/', dir: lakeDir },
      ],
    }),
);
const runs = new Map<string, GridFigures[]>(sites.map((s) => [s.name, []]));
try {
  for (const server of servers) await server.listen();
  for (let i = 0; i < Number(values.runs); i++) {
    for (const [s, site] of sites.entries()) {
      runs.get(site.name)!.push(await measureGrid(servers[s]!.origin, 1, (m) => log(`${site.name}: ${m}`)));
    }
  }
} finally {
  for (const server of servers) await server.close();
  if (!values.lake) rmSync(lakeDir, { recursive: true, force: true });
}

type Figure = {
  [K in keyof GridFigures]-?: NonNullable<GridFigures[K]> extends { runs: number[] } ? K : never;
}[keyof GridFigures];
const FIGURES: [Figure, string][] = [
  ['firstPaint', 'first paint ms'],
  ['engine', 'in worker ms'],
  ['worstFrame', 'worst frame ms'],
  ['worstSteadyFrame', 'worst steady ms'],
  ['worstJumpFrame', 'worst jump ms'],
  ['p95Frame', 'p95 frame ms'],
  ['heapAfterBytes', 'heap after MiB'],
];
const medianOf = (site: string, f: Figure) => {
  const v = runs.get(site)!.flatMap((r) => r[f]?.runs ?? []);
  return v.length > 0 ? median(f === 'heapAfterBytes' ? v.map((b) => b / 2 ** 20) : v) : undefined;
};
for (const [f, label] of FIGURES) {
  const cols = sites.map((s) => medianOf(s.name, f));
  const ratio =
    cols.length === 2 && cols[0] !== undefined && cols[1] ? ` (${(cols[0] / cols[1]).toFixed(2)}×)` : '';
  log(
    `${label.padEnd(16)} ${cols.map((c, i) => `${sites[i]!.name} ${c?.toFixed(1) ?? '–'}`).join(', ')}${ratio}`,
  );
}
