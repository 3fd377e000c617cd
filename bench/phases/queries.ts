/**
 * (b)/(c) The analytic queries on the bare page and through the notebook (typed into a cell, "Run cell",
 * result on screen), one warm-up run each, then `runs` measured runs. The notebook's warm-up also loads the
 * columns the query reads, and is reported apart as its first run. The notebook keeps the guard's decision
 * for a statement it runs again on the same data, so the guard's own cost (c) is taken from further runs
 * of each query made new by a comment.
 */
import type { BenchQuery } from '../lake/queries.ts';
import { bareQueryRuns, type BareSession } from '../browser/bare-driver.ts';
import { cellError, FIRST_CELL, runCell, setSql, type AppSession } from '../browser/app-driver.ts';
import type { Figure, QueryFigures } from '../report/results.ts';
import { median } from '../report/stats.ts';

function figure(runs: number[]): Figure | undefined {
  return runs.length > 0 ? { runs, median: median(runs) } : undefined;
}

export async function bareQueries(
  session: BareSession,
  queries: readonly BenchQuery[],
  runs: number,
  into: Record<string, QueryFigures>,
): Promise<void> {
  for (const q of queries) {
    const entry = (into[q.id] ??= { label: q.label });
    try {
      const r = await bareQueryRuns(session, q, runs);
      if (entry.rows !== undefined && r.rows !== entry.rows) {
        throw new Error(`returned ${r.rows} rows, native DuckDB ${entry.rows}`);
      }
      entry.bare = figure(r.runs);
    } catch (e) {
      entry.problem = `bare page: ${(e as Error).message.split('\n')[0]}`;
    }
  }
}

export async function appQueries(
  session: AppSession,
  queries: readonly BenchQuery[],
  runs: number,
  into: Record<string, QueryFigures>,
): Promise<void> {
  const page = session.page;
  for (const q of queries) {
    const entry = (into[q.id] ??= { label: q.label });
    try {
      await setSql(page, FIRST_CELL, q.sql);
      const first = await runCell(page, FIRST_CELL);
      if (first.status !== 'Done') throw new Error(`${first.status}: ${await cellError(page, FIRST_CELL)}`);
      entry.appFirstRunMs = first.uiMs;
      const ui: number[] = [];
      const engine: number[] = [];
      const guard: number[] = [];
      for (let i = 0; i < runs; i++) {
        const run = await runCell(page, FIRST_CELL);
        if (run.status !== 'Done') throw new Error(`${run.status}: ${await cellError(page, FIRST_CELL)}`);
        ui.push(run.uiMs);
        if (run.worker?.elapsedMs !== undefined) engine.push(run.worker.elapsedMs);
        if (
          run.worker?.rowCount !== undefined &&
          entry.rows !== undefined &&
          run.worker.rowCount !== entry.rows
        ) {
          throw new Error(`returned ${run.worker.rowCount} rows, native DuckDB ${entry.rows}`);
        }
      }
      for (let i = 0; i < runs; i++) {
        await setSql(page, FIRST_CELL, `${q.sql} -- guard ${i}`);
        const run = await runCell(page, FIRST_CELL);
        if (run.worker?.guardReused === false && run.worker.guardMs !== undefined)
          guard.push(run.worker.guardMs);
      }
      entry.app = figure(ui);
      entry.appEngine = figure(engine);
      entry.appGuard = figure(guard);
    } catch (e) {
      entry.problem = `${entry.problem ? `${entry.problem}; ` : ''}notebook: ${(e as Error).message.split('\n')[0]}`;
    }
  }
}
