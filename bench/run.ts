/**
 * `npm run bench [-- --quick]`: Lakebook against a bare DuckDB-WASM page and native DuckDB, side by side in
 * one run. Builds the site and the bare page, generates the lakes, serves everything from 127.0.0.1, drives
 * headless Chromium and writes bench/RESULTS.md and bench/results.json. See bench/README.md.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeBenchLake, type BenchLake } from './lake/bench-lake.ts';
import { ADMISSIONS, COLD_START_QUERY, QUERIES } from './lake/queries.ts';
import { parseManifest } from '../src/lake/manifest.ts';
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
import { measureServer } from './phases/server.ts';
import { measureFirstAnswer } from './phases/first-answer.ts';
import { machine, packageVersions } from './report/system-info.ts';
import { renderMarkdown } from './report/markdown.ts';
import type { BenchResults, FirstAnswerFigures, ScaleFigures } from './report/results.ts';

const SERVER_ROWS = 60_000_000;
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
const SCALES = quick ? [1_000_000] : [1_000_000, 10_000_000];
const SITE_DIR = '/tmp/bench-dist';
const BARE_DIR = '/tmp/bench-dist-bare';
/** The site as it ships (`scripts/site/build-site.ts`: one lake folder per role), for the first answer. */
const SHIPPED_DIR = '/tmp/bench-dist-shipped';
/** Only for the benchmark's build: the masked values it produces are thrown away with the folder. */
const BENCH_MASK_SECRET = 'benchmark-only-masking-secret-0123456789';
const started = performance.now();

function log(message: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  console.log(`[bench ${s}s] ${message}`);
}

/** Runs a build quietly; its output is shown only when it fails. */
function run(command: string, args: string[], env?: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    const output: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => output.push(d));
    child.stderr.on('data', (d: Buffer) => output.push(d));
    child.on('exit', (code) => {
      if (code === 0) return resolve();
      process.stderr.write(Buffer.concat(output));
      reject(new Error(`${command} ${args.join(' ')}: exit ${code}`));
    });
  });
}

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
    results.firstAnswer = await firstAnswerPhase(results.command);
  } catch (e) {
    notes.push(`First answer not measured: ${(e as Error).message.split('\n')[0]}`);
  }
  results.durationSeconds = Math.round((performance.now() - started) / 1000);
  results.loadAverage = { start: loadAtStart, end: os.loadavg()[0]! };
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync('bench/RESULTS.md', renderMarkdown(results));
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

/** The results of the last run, when there are any. */
function previousResults(): BenchResults | undefined {
  try {
    return JSON.parse(readFileSync('bench/results.json', 'utf8')) as BenchResults;
  } catch {
    return undefined;
  }
}

/** `--server`: the server section alone, into the last run's results (the other sections kept as they are). */
async function serverOnly(): Promise<void> {
  const rows = Number(values['server-rows']);
  if (!Number.isInteger(rows) || rows < 1000)
    throw new Error(`--server-rows must be a whole number of at least 1000`);
  const saved = previousResults();
  if (!saved) throw new Error('bench/results.json is missing: run npm run bench first');
  const command =
    'npm run bench -- --server' +
    (rows !== SERVER_ROWS ? ` --server-rows ${rows}` : '') +
    (values.runs ? ` --runs ${runs}` : '');
  saved.server = await measureServer({
    rows,
    seed,
    runs,
    command,
    users: 8,
    loadSeconds: 60,
    log,
  });
  writeFileSync('bench/results.json', `${JSON.stringify(saved, null, 2)}\n`);
  writeFileSync('bench/RESULTS.md', renderMarkdown(saved));
  log(`done in ${saved.server.durationSeconds} s: bench/RESULTS.md, bench/results.json`);
}

/**
 * `--chart-only`: phase (e) alone at `--chart-rows` admissions, into the last run's results (the other
 * sections kept as they are). The site is built into a folder of its own; the lake is kept in /tmp between
 * runs, as the same seed and size always generate the same lake.
 */
async function chartOnly(): Promise<void> {
  const rows = Number(values['chart-rows']);
  if (!Number.isInteger(rows) || rows < 1000)
    throw new Error('--chart-rows must be a whole number of at least 1000');
  const saved = previousResults();
  if (!saved) throw new Error('bench/results.json is missing: run npm run bench first');
  const site = mkdtempSync(path.join(tmpdir(), 'lakebook-bench-chart-site-'));
  log(`building the site into ${site}`);
  const built = run('npx', ['vite', 'build', '--outDir', site, '--emptyOutDir', '--logLevel', 'warn']);
  const lake = await cachedLake(path.join(tmpdir(), `lakebook-bench-lake-${rows}-${seed}`), rows);
  await built;
  const server = new StaticServer({
    port: Number(values.port),
    crossOriginIsolated: true,
    mounts: [
      { prefix: '/', dir: site },
      { prefix: '/sample-lake/', dir: lake.dir },
    ],
  });
  await server.listen();
  const tableRows = lake.manifest.tables.find((t) => t.name === ADMISSIONS)?.rowCount ?? rows;
  const command =
    'npm run bench -- --chart-only' +
    (rows !== 10_000_000 ? ` --chart-rows ${rows}` : '') +
    (values.runs ? ` --runs ${runs}` : '');
  try {
    const chart = await measureChart(server.origin, tableRows, runs, log);
    chart.measured = { command, date: new Date().toISOString(), loadAverage: os.loadavg()[0]! };
    const scale = saved.scales.find((s) => s.rows === tableRows);
    if (!scale) throw new Error(`the last run has no scale of ${tableRows} rows to put the chart into`);
    scale.chart = chart;
  } finally {
    await server.close();
    rmSync(site, { recursive: true, force: true });
  }
  writeFileSync('bench/results.json', `${JSON.stringify(saved, null, 2)}\n`);
  writeFileSync('bench/RESULTS.md', renderMarkdown(saved));
  log('done: bench/RESULTS.md, bench/results.json');
}

/** The lake in `dir` when a whole one is there (catalog and policy are written last), else a new one. */
async function cachedLake(dir: string, rows: number): Promise<BenchLake> {
  try {
    const manifest = parseManifest(JSON.parse(readFileSync(path.join(dir, 'catalog.json'), 'utf8')));
    readFileSync(path.join(dir, 'policy.json'));
    log(`lake of ${rows.toLocaleString('en-US')} admissions from ${dir}`);
    return { dir, rows, seed, manifest, generateSeconds: 0 };
  } catch {
    rmSync(dir, { recursive: true, force: true });
    const lake = await writeBenchLake(dir, rows, seed);
    log(`lake of ${rows.toLocaleString('en-US')} admissions in ${lake.generateSeconds.toFixed(1)} s: ${dir}`);
    return lake;
  }
}

const bareBuild = () =>
  run('npx', [
    'vite',
    'build',
    '--config',
    'bench/bare/vite.config.ts',
    '--outDir',
    BARE_DIR,
    '--logLevel',
    'warn',
  ]);

/**
 * The first-answer phase: builds the site as it ships (role folders of the sample lake) and serves it,
 * with the bare page beside it, cross-origin isolated as the rest of the benchmark is.
 */
async function firstAnswerPhase(command: string): Promise<FirstAnswerFigures> {
  log(`building the site as it ships into ${SHIPPED_DIR}`);
  await run('node', ['--import', 'tsx', 'scripts/site/build-site.ts', '--outDir', SHIPPED_DIR], {
    LAKEBOOK_MASK_SECRET: BENCH_MASK_SECRET,
  });
  const server = new StaticServer({
    port: Number(values.port),
    crossOriginIsolated: true,
    mounts: [
      { prefix: '/', dir: SHIPPED_DIR },
      { prefix: '/bare/', dir: BARE_DIR },
    ],
  });
  await server.listen();
  try {
    log('first answer: visit, reload and role switch, the bare page and the notebook in turn');
    return await measureFirstAnswer({
      origin: server.origin,
      siteDir: SHIPPED_DIR,
      role: 'DataAnalyst',
      otherRole: 'Clinician',
      runs,
      command,
      log,
    });
  } finally {
    await server.close();
  }
}

/** `--first-answer`: that phase alone, into the last run's results (the other sections kept as they are). */
async function firstAnswerOnly(): Promise<void> {
  const saved = previousResults();
  if (!saved) throw new Error('bench/results.json is missing: run npm run bench first');
  await bareBuild();
  saved.firstAnswer = await firstAnswerPhase(
    `npm run bench -- --first-answer${values.runs ? ` --runs ${runs}` : ''}`,
  );
  writeFileSync('bench/results.json', `${JSON.stringify(saved, null, 2)}\n`);
  writeFileSync('bench/RESULTS.md', renderMarkdown(saved));
  log(`done in ${saved.firstAnswer.durationSeconds} s: bench/RESULTS.md, bench/results.json`);
}

if (values['chart-only']) {
  await chartOnly();
} else if (values['first-answer']) {
  await firstAnswerOnly();
} else if (values.server) {
  await serverOnly();
} else if (values.render || values['role-lakes']) {
  const saved = JSON.parse(readFileSync('bench/results.json', 'utf8')) as BenchResults;
  if (values['role-lakes']) {
    saved.roleLakes = await measureRoleLakes(runs);
    writeFileSync('bench/results.json', `${JSON.stringify(saved, null, 2)}\n`);
  }
  writeFileSync('bench/RESULTS.md', renderMarkdown(saved));
} else {
  await main();
}
