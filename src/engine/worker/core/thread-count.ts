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
