/**
 * `npm run bench [-- --quick]`: Lakebook against a bare DuckDB-WASM page and native DuckDB, side by side in
 * one run. Builds the site and the bare page, generates the lakes, serves everything from 127.0.0.1, drives
 * headless Chromium and writes bench/RESULTS.md and bench/results.json. See bench/README.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeBenchLake, type BenchLake } from './lake/bench-lake.ts';
import { ADMISSIONS, COLD_START_QUERY, QUERIES } from './lake/queries.ts';
import { measureNative } from './native/native-duckdb.ts';
import { measureEnginePath } from './native/engine-path.ts';
import { StaticServer } from './server/static-server.ts';
import { launchBrowser } from './browser/launch.ts';
import { openBare, bareLoad, type BareSession } from './browser/bare-driver.ts';
import { openApp, type AppSession } from './browser/app-driver.ts';
import { measureColdStart } from './phases/cold-start.ts';
import { appQueries, bareQueries } from './phases/queries.ts';
import { measureLoad, type LoadSamples } from './phases/load.ts';
import { measureGrid } from './phases/grid.ts';
import { measureChart } from './phases/chart.ts';
import { measureFirstVisit, staticBundle } from './phases/bundle.ts';
import { measureRoleLakes } from './phases/role-lakes.ts';
import { machine, packageVersions } from './report/system-info.ts';
import type { BenchResults, ScaleFigures } from './report/results.ts';
import {
  BARE_DIR,
  bareBuild,
  benchSeconds,
  lastResults,
  log,
  previousResults,
  run,
  saveResults,
} from './bench-tools.ts';
import { chartOnly, firstAnswerOnly, firstAnswerPhase, SERVER_ROWS, serverOnly } from './section-runs.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    seed: { type: 'string', default: '20250301' },
    port: { type: 'string', default: '4304' },
    /** Only rewrite RESULTS.md from results.json (after a change to the report's layout). */
    render: { type: 'boolean', default: false },
    /** Only measure the site build's role folders, into the results of the last full run. */
    'role-lakes': { type: 'boolean', default: false },
    /** Only the server section (bench/phases/server.ts), into the results of the last full run. */
    server: { type: 'boolean', default: false },
    'server-rows': { type: 'string', default: String(SERVER_ROWS) },
    /** Only the chart phase (e), into the results of the last full run; its lake is kept in /tmp. */
    'chart-only': { type: 'boolean', default: false },
    'chart-rows': { type: 'string', default: '10000000' },
    /** Only the first-answer phase on the site as it ships, into the results of the last full run. */
    'first-answer': { type: 'boolean', default: false },
  },
});
const quick = values.quick ?? false;
const runs = Number(values.runs ?? (quick ? 3 : 5));
const seed = Number(values.seed);
const sections = { runs, runsGiven: values.runs !== undefined, seed, port: Number(values.port) };
const SCALES = quick ? [1_000_000] : [1_000_000, 10_000_000];
const SITE_DIR = '/tmp/bench-dist';

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0]!;
  const notes: string[] = [];
  const work = mkdtempSync(path.join(tmpdir(), 'lakebook-bench-'));
  log(`building the site and the bare page; generating lakes in ${work}`);
  const builds = Promise.all([
    run('npx', ['vite', 'build', '--outDir', SITE_DIR, '--emptyOutDir', '--logLevel', 'warn']),
    bareBuild(),
  ]);
  const lakes: BenchLake[] = [];
  for (const rows of SCALES) {
    lakes.push(await writeBenchLake(path.join(work, `lake-${rows}`), rows, seed));
    log(
      `lake of ${rows.toLocaleString('en-US')} admissions in ${lakes.at(-1)!.generateSeconds.toFixed(1)} s`,
    );
  }
  await builds;
  const bundle = staticBundle(SITE_DIR);
  log('role lake folders of the sample lake');
  const roleLakes = await measureRoleLakes(runs);
  // Served the way the README tells hosts to serve the app: cross-origin isolated, so it runs DuckDB's
  // threaded build; the bare page is the plain recipe, which picks a one-thread build all the same.
  const server = new StaticServer({
    port: Number(values.port),
    crossOriginIsolated: true,
    mounts: [
      { prefix: '/', dir: SITE_DIR },
      { prefix: '/bare/', dir: BARE_DIR },
      { prefix: '/sample-lake/', dir: lakes[0]!.dir },
    ],
  });
  await server.listen();
  const browser = await launchBrowser();
  const versions = { ...packageVersions(), chromium: browser.version() };
  await browser.close();

  const results: BenchResults = {
    date: new Date().toISOString(),
    command: `npm run bench${quick ? ' -- --quick' : ''}${values.runs ? ` -- --runs ${runs}` : ''}`,
    quick,
    runs,
    machine: machine(),
    versions,
    durationSeconds: 0,
    coldStart: { query: COLD_START_QUERY.sql },
    bundle,
    scales: [],
    roleLakes,
    // The server section is measured by `--server` alone (it takes its own quarter of an hour): a full
    // run keeps the last one rather than dropping it.
    server: previousResults()?.server,
    notes,
  };
  try {
    for (const lake of lakes) {
      results.scales.push(
        await measureScale(server, lake, lake === lakes[0], results, lake === lakes.at(-1)),
      );
    }
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
  try {
    results.firstAnswer = await firstAnswerPhase(sections, results.command);
  } catch (e) {
    notes.push(`First answer not measured: ${(e as Error).message.split('\n')[0]}`);
  }
  results.durationSeconds = benchSeconds();
  results.loadAverage = { start: loadAtStart, end: os.loadavg()[0]! };
  saveResults(results);
  log(`done in ${results.durationSeconds} s: bench/RESULTS.md, bench/results.json`);
}

async function measureScale(
  server: StaticServer,
  lake: BenchLake,
  first: boolean,
  results: BenchResults,
  largest: boolean,
): Promise<ScaleFigures> {
  const rows = lake.manifest.tables.find((t) => t.name === ADMISSIONS)?.rowCount ?? lake.rows;
  const scaleRuns = lake.rows >= 10_000_000 ? Math.min(runs, 3) : runs;
  const fig: ScaleFigures = {
    rows,
    lakeBytes: lake.manifest.tables.reduce((n, t) => n + t.bytes, 0),
    generateSeconds: lake.generateSeconds,
    queries: {},
    load: [],
    problems: [],
  };
  server.remount('/sample-lake/', lake.dir);
  log(`${rows.toLocaleString('en-US')} admissions: native DuckDB, 1 thread`);
  const native = await measureNative(lake.dir, lake.manifest, [COLD_START_QUERY, ...QUERIES], scaleRuns);
  fig.native = native;
  fig.nativeVersion = native.version;
  for (const q of QUERIES) {
    const r = native.queryRuns[q.id]!;
    fig.queries[q.id] = {
      label: q.label,
      rows: native.queryRows[q.id],
      native: { runs: r, median: native.queryMs[q.id]! },
    };
  }
  if (first) {
    log('cold start, alternating bare page and notebook');
    results.coldStart = await measureColdStart(
      server.origin,
      runs,
      native.firstValue[COLD_START_QUERY.id] ?? '',
      log,
    );
    try {
      if (results.bundle) await measureFirstVisit(server, results.bundle);
    } catch (e) {
      if (results.bundle) results.bundle.problem = (e as Error).message.split('\n')[0];
    }
  }
  // The bare page's loads in the query session count as load samples too (a fresh page), which saves a 10M load.
  const sessionLoads = new Map<string, LoadSamples>();
  const samplesOf = (table: string) => {
    const found = sessionLoads.get(table) ?? { bare: [], app: [] };
    sessionLoads.set(table, found);
    return found;
  };
  // Both pages stay open and take turns query by query (the order swapped each time), so a burst of load
  // on this shared machine falls on both sides of a ratio rather than on whichever side ran at the time.
  log('queries, the bare page and the notebook in turn');
  let bare: BareSession | undefined;
  let app: AppSession | undefined;
  try {
    await guarded(fig, 'bare page', async () => {
      bare = await openBare(server.origin);
      results.versions['DuckDB in the browser'] = bare.version;
      for (const t of lake.manifest.tables) samplesOf(t.name).bare.push(await bareLoad(bare, [t.name]));
    });
    await guarded(fig, 'notebook', async () => {
      app = await openApp(server.origin);
      results.versions['DuckDB in the notebook'] = app.engine;
    });
    for (const [i, q] of QUERIES.entries()) {
      const sides = [
        () => (bare ? bareQueries(bare, [q], scaleRuns, fig.queries) : undefined),
        // The notebook loads only the columns each query reads, so its loads here are partial, not samples.
        () => (app ? appQueries(app, [q], scaleRuns, fig.queries) : undefined),
      ];
      for (const side of i % 2 === 0 ? sides : sides.reverse()) await side();
    }
  } finally {
    await bare?.fresh.close();
    await app?.fresh.close();
  }
  for (const table of lake.manifest.tables) {
    if (!first && table.name !== ADMISSIONS) continue;
    log(`loading ${table.name}`);
    const loadRuns = quick || lake.rows >= 10_000_000 ? 1 : 2;
    const f = await measureLoad(server, lake.dir, table, loadRuns, samplesOf(table.name), log);
    f.nativeMs = native.loadMs[table.name];
    fig.load.push(f);
  }
  if (first && !quick) {
    log('engine query paths on Node (one-shot, polled, row budget)');
    await guarded(fig, 'engine path', async () => {
      fig.enginePath = await measureEnginePath(lake.dir, lake.manifest.tables, QUERIES, 3);
    });
  }
  if (first) {
    log('1M-row result in the grid');
    await guarded(fig, 'grid', async () => {
      fig.grid = await measureGrid(server.origin, quick ? 1 : 3, log);
    });
  }
  if (largest) {
    log('chart');
    await guarded(fig, 'chart', async () => {
      fig.chart = await measureChart(server.origin, rows, quick ? 1 : 3, log);
    });
  }
  return fig;
}

async function guarded(fig: ScaleFigures, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    fig.problems.push(`${what}: ${(e as Error).message.split('\n')[0]}`);
    log(`${what} failed: ${(e as Error).message.split('\n')[0]}`);
  }
}

if (values['chart-only']) {
  await chartOnly(sections, Number(values['chart-rows']));
} else if (values['first-answer']) {
  await firstAnswerOnly(sections);
} else if (values.server) {
  await serverOnly(sections, Number(values['server-rows']));
} else if (values.render || values['role-lakes']) {
  const saved = lastResults();
  if (values['role-lakes']) saved.roleLakes = await measureRoleLakes(runs);
  saveResults(saved);
} else {
  await main();
}
