/**
 * The benchmark's sections run on their own (`--server`, `--chart-only`, `--first-answer`), each into the
 * results of the last full run with the other sections kept as they are, and the first-answer phase, which
 * the full run also ends with.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { parseManifest } from '../src/lake/manifest.ts';
import { writeBenchLake, type BenchLake } from './lake/bench-lake.ts';
import { ADMISSIONS } from './lake/queries.ts';
import { StaticServer } from './server/static-server.ts';
import { measureChart } from './phases/chart.ts';
import { measureServer } from './phases/server.ts';
import { measureFirstAnswer } from './phases/first-answer.ts';
import type { FirstAnswerFigures } from './report/results.ts';
import { BARE_DIR, bareBuild, lastResults, log, run, saveResults } from './bench-tools.ts';

export interface SectionOptions {
  runs: number;
  /** Whether `--runs` was given, so the command recorded with the figures says so. */
  runsGiven: boolean;
  seed: number;
  port: number;
}

/** The site as it ships (`scripts/site/build-site.ts`: one lake folder per role), for the first answer. */
const SHIPPED_DIR = '/tmp/bench-dist-shipped';
/** Only for the benchmark's build: the masked values it produces are thrown away with the folder. */
const BENCH_MASK_SECRET = 'benchmark-only-masking-secret-0123456789';
export const SERVER_ROWS = 60_000_000;
const CHART_ROWS = 10_000_000;

const runsFlag = (o: SectionOptions) => (o.runsGiven ? ` --runs ${o.runs}` : '');

/** `--server`: the server section alone, over a lake of `rows` admissions. */
export async function serverOnly(o: SectionOptions, rows: number): Promise<void> {
  if (!Number.isInteger(rows) || rows < 1000)
    throw new Error(`--server-rows must be a whole number of at least 1000`);
  const saved = lastResults();
  const command =
    'npm run bench -- --server' + (rows !== SERVER_ROWS ? ` --server-rows ${rows}` : '') + runsFlag(o);
  saved.server = await measureServer({
    rows,
    seed: o.seed,
    runs: o.runs,
    command,
    users: 8,
    loadSeconds: 60,
    log,
  });
  saveResults(saved);
  log(`done in ${saved.server.durationSeconds} s: bench/RESULTS.md, bench/results.json`);
}

/**
 * `--chart-only`: phase (e) alone at `rows` admissions. The site is built into a folder of its own; the
 * lake is kept in /tmp between runs, as the same seed and size always generate the same lake.
 */
export async function chartOnly(o: SectionOptions, rows: number): Promise<void> {
  if (!Number.isInteger(rows) || rows < 1000)
    throw new Error('--chart-rows must be a whole number of at least 1000');
  const saved = lastResults();
  const site = mkdtempSync(path.join(tmpdir(), 'lakebook-bench-chart-site-'));
  log(`building the site into ${site}`);
  const built = run('npx', ['vite', 'build', '--outDir', site, '--emptyOutDir', '--logLevel', 'warn']);
  const lake = await cachedLake(path.join(tmpdir(), `lakebook-bench-lake-${rows}-${o.seed}`), rows, o.seed);
  await built;
  const server = new StaticServer({
    port: o.port,
    crossOriginIsolated: true,
    mounts: [
      { prefix: '/', dir: site },
      { prefix: '/sample-lake/', dir: lake.dir },
    ],
  });
  await server.listen();
  const tableRows = lake.manifest.tables.find((t) => t.name === ADMISSIONS)?.rowCount ?? rows;
  const command =
    'npm run bench -- --chart-only' + (rows !== CHART_ROWS ? ` --chart-rows ${rows}` : '') + runsFlag(o);
  try {
    const chart = await measureChart(server.origin, tableRows, o.runs, log);
    chart.measured = { command, date: new Date().toISOString(), loadAverage: os.loadavg()[0]! };
    const scale = saved.scales.find((s) => s.rows === tableRows);
    if (!scale) throw new Error(`the last run has no scale of ${tableRows} rows to put the chart into`);
    scale.chart = chart;
  } finally {
    await server.close();
    rmSync(site, { recursive: true, force: true });
  }
  saveResults(saved);
  log('done: bench/RESULTS.md, bench/results.json');
}

/** The lake in `dir` when a whole one is there (catalog and policy are written last), else a new one. */
async function cachedLake(dir: string, rows: number, seed: number): Promise<BenchLake> {
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

/**
 * The first-answer phase: builds the site as it ships (role folders of the sample lake) and serves it,
 * with the bare page (already built) beside it, cross-origin isolated as the rest of the benchmark is.
 */
export async function firstAnswerPhase(o: SectionOptions, command: string): Promise<FirstAnswerFigures> {
  log(`building the site as it ships into ${SHIPPED_DIR}`);
  await run('node', ['--import', 'tsx', 'scripts/site/build-site.ts', '--outDir', SHIPPED_DIR], {
    LAKEBOOK_MASK_SECRET: BENCH_MASK_SECRET,
  });
  const server = new StaticServer({
    port: o.port,
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
      runs: o.runs,
      command,
      log,
    });
  } finally {
    await server.close();
  }
}

/** `--first-answer`: that phase alone. */
export async function firstAnswerOnly(o: SectionOptions): Promise<void> {
  const saved = lastResults();
  await bareBuild();
  saved.firstAnswer = await firstAnswerPhase(o, `npm run bench -- --first-answer${runsFlag(o)}`);
  saveResults(saved);
  log(`done in ${saved.firstAnswer.durationSeconds} s: bench/RESULTS.md, bench/results.json`);
}
