/**
 * DuckDB's threads for an instance of its threaded build: one per core, and at least three. With two or
 * fewer, DuckDB's hash aggregates grow one table per thread instead of partitioning their groups (its
 * `GROW_STRATEGY_THREAD_THRESHOLD`). On two cores, three threads took a distinct count over 10M rows from
 * 1.46 s to 0.87 s and the other benchmark queries within ±2% (bench/README.md, "threads").
 */
export function duckdbThreads(cores: number): number {
  return Math.max(MIN_THREADS, Math.floor(cores) || 1);
}

const MIN_THREADS = 3;

/**
 * Whether a role whose tables hold `rows` in all gets DuckDB's threaded build. Below a million rows its
 * queries take milliseconds on one thread, while the threaded build costs a second 32 MB module to compile
 * and four thread workers to start (seconds on a first visit), and any statement stopped on it costs a
 * whole new instance (`HostPlatform.replaceAfterStop`).
 */
export function wantsThreads(rows: number): boolean {
  return rows >= THREADED_FROM_ROWS;
}

const THREADED_FROM_ROWS = 1_000_000;
