/**
 * `node --import tsx bench/grid-run.ts [--runs N] [--port P] [--dist DIR] [--lake DIR] [--no-build]
 * [--baseline DIR]`: only phase (d) of the benchmark (1M-row result in the grid), for working on the grid
 * without the other minutes of `npm run bench -- --quick`. A lake folder given with --lake is generated once
 * and reused. With --baseline (another build of the site, e.g. of an earlier commit), the two builds are
 * measured in alternation in the same run, so their ratio holds on a busy machine. Prints the figures; writes
 * nothing to bench/RESULTS.md or bench/results.json.
 */
import { parseArgs } from 'node:util';
import { measureGrid } from './phases/grid.ts';
import type { GridFigures } from './report/results.ts';
import { median } from './report/stats.ts';
import { serveSideBySide } from './server/side-by-side.ts';

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

const served = await serveSideBySide({
  dist: values.dist!,
  baseline: values.baseline,
  build: !values['no-build'],
  lake: values.lake,
  rows: 1_000_000,
  port: Number(values.port),
  log,
});
const sites = served.builds;
const runs = new Map<string, GridFigures[]>(sites.map((s) => [s.name, []]));
try {
  for (let i = 0; i < Number(values.runs); i++) {
    for (const site of sites) {
      runs.get(site.name)!.push(await measureGrid(site.origin, 1, (m) => log(`${site.name}: ${m}`)));
    }
  }
} finally {
  await served.close();
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
