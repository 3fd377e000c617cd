/**
 * The server section: the Lakebook server (`server/cli.ts`, a child process) against native DuckDB on the
 * same hive-partitioned lake at server scale. In order: the bench queries, server and native in turn (which
 * goes first swaps every round, so a burst of load on this shared machine falls on both sides of a ratio);
 * a 1M-row result, its first Arrow batch and its whole transfer; then eight users at once for a fixed time.
 * The server's resident memory is sampled all along. The browser's phases are not run here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_ROLE } from '../lake/bench-lake.ts';
import { partitionedLake } from '../lake/partitioned-lake.ts';
import type { BenchQuery } from '../lake/queries.ts';
import {
  FIRST_BATCH_QUERY,
  FIXED_COST_QUERY,
  HEAVY_QUERIES,
  HEAVY_UP_TO_ROWS,
  MILLION_ROWS,
  SERVER_QUERIES,
} from '../lake/server-queries.ts';
import { NativeViews } from '../native/native-views.ts';
import type { Figure, ServerFigures, ServerQueryFigures } from '../report/results.ts';
import { median } from '../report/stats.ts';
import { postQuery } from '../serve/api-client.ts';
import { percentile, runLoad } from '../serve/load-test.ts';
import { ServerProcess } from '../serve/server-process.ts';

export interface ServerBenchOptions {
  rows: number;
  seed: number;
  runs: number;
  command: string;
  /** Simulated users and how long they run. */
  users: number;
  loadSeconds: number;
  log: (message: string) => void;
}

/** The server as the brief of this section starts it; the native baseline gets the same threads and memory. */
const THREADS = 2;
const MEMORY_LIMIT = '2GB';
const MAX_ROWS = 2_000_000;

/**
 * What the users run under load: the interactive queries. The distinct count (and the readmission window,
 * left out of the section) take seconds to tens of seconds each at 60M rows on two threads, so a minute of
 * them would be a handful of answers, most cut off at the end.
 */
const LOAD_QUERIES = ['group_by', 'top_k', 'filter_count', 'monthly_rate', 'join_wards'];

const figure = (runs: number[]): Figure | undefined =>
  runs.length > 0 ? { runs, median: median(runs) } : undefined;

export async function measureServer(options: ServerBenchOptions): Promise<ServerFigures> {
  const { log } = options;
  const started = performance.now();
  const loadAtStart = os.loadavg()[0]!;
  const lake = await partitionedLake(options.rows, options.seed, log);
  const admissions = lake.manifest.tables.find((t) => t.name === 'evergreen_admissions')!;
  const fig: ServerFigures = {
    date: new Date().toISOString(),
    command: options.command,
    rows: admissions.rowCount,
    lakeBytes: lake.manifest.tables.reduce((n, t) => n + t.bytes, 0),
    files: lake.manifest.tables.reduce((n, t) => n + t.files.length, 0),
    lakeSeconds: lake.generateSeconds ?? lake.writtenSeconds,
    lakeCached: lake.generateSeconds === undefined,
    threads: THREADS,
    memoryLimit: MEMORY_LIMIT,
    runs: options.runs,
    queries: {},
    durationSeconds: 0,
    problems: [],
  };
  // On the lake's file system, so the server's role folder hard-links the files rather than copying them.
  const stateDir = mkdtempSync(path.join(tmpdir(), 'lakebook-bench-server-state-'));
  log('starting the Lakebook server');
  const server = await ServerProcess.start({
    lakeDir: lake.dir,
    stateDir,
    threads: THREADS,
    maxRows: MAX_ROWS,
    perUser: options.users,
    concurrent: options.users,
    memoryLimit: MEMORY_LIMIT,
  });
  fig.startMs = server.startMs;
  const afterStart = server.samples.at(-1)?.rss;
  log(`${server.banner.split(' (')[0]} (pid ${server.pid}), started in ${Math.round(server.startMs)} ms`);
  const token = server.tokenOf(BENCH_ROLE);
  let native: NativeViews | undefined;
  const phase = { queries: [0, 0], firstBatch: [0, 0], load: [0, 0] };
  try {
    native = await NativeViews.open(lake.dir, lake.manifest, { threads: THREADS, memoryLimit: MEMORY_LIMIT });
    fig.nativeVersion = native.version;
    phase.queries[0] = server.now();
    fig.fixedCost = await fixedCost(server.base, token, native, options.runs);
    for (const [i, q] of SERVER_QUERIES.entries()) {
      if (HEAVY_QUERIES.includes(q.id) && fig.rows > HEAVY_UP_TO_ROWS) {
        fig.queries[q.id] = {
          label: q.label,
          sql: q.sql,
          problem: `not run above ${HEAVY_UP_TO_ROWS.toLocaleString('en-US')} rows (seconds to tens of seconds a run on ${THREADS} threads)`,
        };
        continue;
      }
      log(`${q.id}: server and native in turn, ${options.runs} runs each after a warm-up`);
      fig.queries[q.id] = await compareQuery(server.base, token, native, q, options.runs, i);
    }
    phase.queries[1] = server.now();

    log(`first Arrow batch of a ${MILLION_ROWS.toLocaleString('en-US')}-row result`);
    phase.firstBatch[0] = server.now();
    // Three runs: the cost of a 1M-row result does not grow with the lake (the LIMIT stops the scan).
    fig.firstBatch = await firstBatch(server.base, token, native, Math.min(options.runs, 3));
    phase.firstBatch[1] = server.now();
    native.close();
    native = undefined;

    const queries = SERVER_QUERIES.filter((q) => LOAD_QUERIES.includes(q.id));
    log(
      `${options.users} users at once for ${options.loadSeconds} s: ${queries.map((q) => q.id).join(', ')}`,
    );
    phase.load[0] = server.now();
    const outcome = await runLoad({
      base: server.base,
      tokens: Array.from({ length: options.users }, () => token),
      queries,
      seconds: options.loadSeconds,
    });
    phase.load[1] = server.now();
    fig.load = {
      users: outcome.users,
      seconds: outcome.seconds,
      elapsedMs: outcome.elapsedMs,
      queries: queries.map((q) => q.id),
      done: outcome.done,
      errors: outcome.errors,
      errorMessages: outcome.errorMessages,
      cut: outcome.cut,
      p50Ms: percentile(outcome.latencyMs, 0.5),
      p95Ms: percentile(outcome.latencyMs, 0.95),
      perQuery: Object.fromEntries(
        Object.entries(outcome.perQuery).map(([id, ms]) => [
          id,
          { done: ms.length, p50Ms: percentile(ms, 0.5) },
        ]),
      ),
    };
    log(
      `load: ${outcome.done} answers, ${outcome.errors} errors, ${outcome.cut} cut at the end; ` +
        `p50 ${fig.load.p50Ms?.toFixed(0)} ms, p95 ${fig.load.p95Ms?.toFixed(0)} ms`,
    );
  } catch (e) {
    fig.problems.push((e as Error).message.split('\n')[0]!);
    log(`server section failed: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    native?.close();
    const { hwm, peakSampled } = await server.stop();
    fig.memory = {
      hwmBytes: hwm,
      peakSampledBytes: peakSampled,
      afterStartBytes: afterStart,
      peakQueriesBytes: server.peakBetween(phase.queries[0]!, phase.queries[1]!),
      peakFirstBatchBytes: server.peakBetween(phase.firstBatch[0]!, phase.firstBatch[1]!),
      peakLoadBytes: server.peakBetween(phase.load[0]!, phase.load[1]!),
      samples: server.samples.length,
    };
    rmSync(stateDir, { recursive: true, force: true });
  }
  fig.loadAverage = { start: loadAtStart, end: os.loadavg()[0]! };
  fig.durationSeconds = Math.round((performance.now() - started) / 1000);
  return fig;
}

/** One query: a warm-up on each side, then `runs` rounds of one server and one native run. */
async function compareQuery(
  base: string,
  token: string,
  native: NativeViews,
  q: BenchQuery,
  runs: number,
  index: number,
): Promise<ServerQueryFigures> {
  const out: ServerQueryFigures = { label: q.label, sql: q.sql };
  const serverRuns: number[] = [];
  const guardRuns: number[] = [];
  const nativeRuns: number[] = [];
  let serverRows: number | undefined;
  try {
    for (let round = 0; round <= runs; round++) {
      const sides = [
        async () => {
          const answer = await postQuery({ base, token, sql: q.sql });
          if (!answer.ok) throw new Error(`server: ${answer.error}`);
          serverRows = answer.rows;
          if (round > 0) {
            serverRuns.push(answer.ms);
            if (answer.guardMs !== undefined) guardRuns.push(answer.guardMs);
          }
        },
        async () => {
          const r = await native.run(q.sql);
          out.rows = r.rows;
          if (round > 0) nativeRuns.push(r.ms);
        },
      ];
      for (const side of (index + round) % 2 === 0 ? sides : sides.reverse()) await side();
    }
    if (serverRows !== out.rows) out.problem = `the server answered ${serverRows} rows, native ${out.rows}`;
  } catch (e) {
    out.problem = (e as Error).message.split('\n')[0];
  }
  out.server = figure(serverRuns);
  out.serverGuard = figure(guardRuns);
  out.native = figure(nativeRuns);
  return out;
}

/** A one-row statement on each side, in turn: the server's cost per request beyond the query. */
async function fixedCost(
  base: string,
  token: string,
  native: NativeViews,
  runs: number,
): Promise<ServerFigures['fixedCost']> {
  const server: number[] = [];
  const guard: number[] = [];
  const nat: number[] = [];
  for (let round = 0; round <= runs; round++) {
    const answer = await postQuery({ base, token, sql: FIXED_COST_QUERY });
    if (!answer.ok) throw new Error(`server: ${answer.error}`);
    const r = await native.run(FIXED_COST_QUERY);
    if (round === 0) continue;
    server.push(answer.ms);
    if (answer.guardMs !== undefined) guard.push(answer.guardMs);
    nat.push(r.ms);
  }
  return { sql: FIXED_COST_QUERY, server: figure(server), serverGuard: figure(guard), native: figure(nat) };
}

/** The 1M-row result: server first batch and total, native first chunk and total, in turn. */
async function firstBatch(
  base: string,
  token: string,
  native: NativeViews,
  runs: number,
): Promise<NonNullable<ServerFigures['firstBatch']>> {
  const out: NonNullable<ServerFigures['firstBatch']> = { sql: FIRST_BATCH_QUERY };
  const first: number[] = [];
  const total: number[] = [];
  const nativeFirst: number[] = [];
  const nativeTotal: number[] = [];
  try {
    for (let round = 0; round <= runs; round++) {
      const sides = [
        async () => {
          const answer = await postQuery({
            base,
            token,
            sql: FIRST_BATCH_QUERY,
            maxRows: MILLION_ROWS,
            firstBatch: true,
          });
          if (!answer.ok) throw new Error(`server: ${answer.error}`);
          if (answer.rows !== MILLION_ROWS) out.problem = `the server answered ${answer.rows} rows`;
          out.rows = answer.rows;
          out.bytes = answer.bytes;
          if (round === 0) return;
          first.push(answer.firstBatchMs ?? NaN);
          total.push(answer.ms);
        },
        async () => {
          const chunkMs = await native.firstChunk(FIRST_BATCH_QUERY);
          const whole = await native.run(FIRST_BATCH_QUERY);
          if (round === 0) return;
          nativeFirst.push(chunkMs);
          nativeTotal.push(whole.ms);
        },
      ];
      for (const side of round % 2 === 0 ? sides : sides.reverse()) await side();
    }
  } catch (e) {
    out.problem = (e as Error).message.split('\n')[0];
  }
  out.firstBatch = figure(first);
  out.total = figure(total);
  out.nativeFirstChunk = figure(nativeFirst);
  out.nativeTotal = figure(nativeTotal);
  return out;
}
