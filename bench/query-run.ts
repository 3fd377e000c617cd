/**
 * `node --import tsx bench/query-run.ts [--rows N] [--rounds R] [--runs N] [--queries id,id] [--port P]
 * [--dist DIR] [--lake DIR] [--no-build] [--baseline DIR]`: only the notebook's column of (b), the analytic
 * queries typed into a cell and run, for working on the engine without a whole `npm run bench`. Each round
 * opens a fresh notebook session per build; with --baseline (another build of the site, e.g. of an earlier
 * commit) the two builds take turns, the order swapped every round, so their ratio holds on a busy machine.
 * Figures are medians over the rounds of each session's median. A lake folder given with --lake is generated
 * once and reused. Prints the figures; writes nothing to bench/RESULTS.md or bench/results.json.
 */
import { parseArgs } from 'node:util';
import { openApp } from './browser/app-driver.ts';
import { QUERIES } from './lake/queries.ts';
import { appQueries } from './phases/queries.ts';
import type { QueryFigures } from './report/results.ts';
import { median } from './report/stats.ts';
import { serveSideBySide } from './server/side-by-side.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    runs: { type: 'string', default: '3' },
    queries: { type: 'string' },
    port: { type: 'string', default: '4306' },
    dist: { type: 'string', default: '/tmp/bench-query-dist' },
    lake: { type: 'string' },
    baseline: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});

const log = (s: string) => console.log(`[queries] ${s}`);
const wanted = values.queries?.split(',');
const queries = wanted ? QUERIES.filter((q) => wanted.includes(q.id)) : QUERIES;
if (queries.length === 0) throw new Error(`no such query; known: ${QUERIES.map((q) => q.id).join(', ')}`);

const served = await serveSideBySide({
  dist: values.dist!,
  baseline: values.baseline,
  build: !values['no-build'],
  lake: values.lake,
  rows: Number(values.rows),
  port: Number(values.port),
  log,
});
const sites = served.builds;
/** Per build and query: each session's median click to screen, in the worker and of a fresh guard decision. */
const sessions = new Map(
  sites.map((s) => [s.name, new Map<string, { ui: number[]; worker: number[]; guard: number[] }>()]),
);
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const site of round % 2 === 0 ? sites : [...sites].reverse()) {
      const app = await openApp(site.origin);
      const figures: Record<string, QueryFigures> = {};
      try {
        await appQueries(app, queries, Number(values.runs), figures);
      } finally {
        await app.fresh.close();
      }
      for (const q of queries) {
        const f = figures[q.id];
        if (f?.problem) log(`${site.name}, ${q.id}: ${f.problem}`);
        const kept = sessions.get(site.name)!;
        const entry = kept.get(q.id) ?? { ui: [], worker: [], guard: [] };
        kept.set(q.id, entry);
        if (f?.app) entry.ui.push(f.app.median);
        if (f?.appEngine) entry.worker.push(f.appEngine.median);
        if (f?.appGuard) entry.guard.push(f.appGuard.median);
      }
      log(`round ${round + 1}, ${site.name} (DuckDB ${app.engine}) done`);
    }
  }
} finally {
  await served.close();
}

const ms = (v: number[]) => (v.length > 0 ? median(v) : undefined);
for (const q of queries) {
  const cols = sites.map((s) => sessions.get(s.name)!.get(q.id));
  const ui = cols.map((c) => ms(c?.ui ?? []));
  const ratio = ui.length === 2 && ui[0] !== undefined && ui[1] ? ` (${(ui[0] / ui[1]).toFixed(2)}×)` : '';
  const text = sites.map((s, i) => {
    const worker = ms(cols[i]?.worker ?? []);
    const guard = ms(cols[i]?.guard ?? []);
    return `${s.name} ${ui[i]?.toFixed(1) ?? '–'} ms (in worker ${worker?.toFixed(1) ?? '–'}, a fresh guard decision ${guard?.toFixed(1) ?? '–'})`;
  });
  log(`${q.id.padEnd(15)} ${text.join(', ')}${ratio}`);
}
