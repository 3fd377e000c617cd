/**
 * A profile of the notebook engine's query path, on Node with the very DuckDB-WASM build and `DuckSession`
 * the worker runs: the same statement through the bindings' one-shot `runQuery`, through `run` (a pending
 * query polled with a yield between polls, so a cancel can get in), and through `runBudgeted` with the
 * notebook's default row budget (a streamed result). What separates them is the price of cancellability and
 * of the row budget, with no browser, worker or UI involved.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TableEntry } from '../../src/lake/manifest.ts';
import { createNodeBindings } from '../../src/engine/worker/core/node-bindings.ts';
import { DuckSession } from '../../src/engine/worker/core/duck-session.ts';
import type { BenchQuery } from '../lake/queries.ts';
import { median, timeRuns } from '../report/stats.ts';

const require = createRequire(import.meta.url);
const NOTEBOOK_ROW_BUDGET = 2_000_000;

export interface EnginePathFigures {
  /** Median ms per query id and path. */
  oneShot: Record<string, number>;
  polled: Record<string, number>;
  budgeted: Record<string, number>;
}

type ParquetWasmNode = {
  readParquet(b: Uint8Array, o?: { rowGroups?: number[] }): { intoIPCStream(): Uint8Array };
};

export async function measureEnginePath(
  lakeDir: string,
  tables: TableEntry[],
  queries: readonly BenchQuery[],
  runs: number,
): Promise<EnginePathFigures> {
  const pw = require('parquet-wasm/node') as ParquetWasmNode;
  const bindings = await createNodeBindings();
  const session = new DuckSession(bindings);
  const conn = bindings.connect();
  try {
    for (const table of tables) {
      for (const file of table.files) {
        const bytes = new Uint8Array(readFileSync(path.join(lakeDir, file.path)));
        const groups = file.rowGroups?.length ?? 1;
        for (let first = 0; first < groups; first += 8) {
          const rowGroups = Array.from({ length: Math.min(8, groups - first) }, (_, i) => first + i);
          session.insertIpc(table.name, pw.readParquet(bytes, { rowGroups }).intoIPCStream(), first === 0);
        }
      }
    }
    const out: EnginePathFigures = { oneShot: {}, polled: {}, budgeted: {} };
    for (const q of queries) {
      const time = (fn: () => unknown) =>
        timeRuns(runs, 1, async () => {
          const t0 = performance.now();
          await fn();
          return performance.now() - t0;
        });
      out.oneShot[q.id] = median(await time(() => conn.query(q.sql)));
      out.polled[q.id] = median(await time(() => session.run(q.sql)));
      out.budgeted[q.id] = median(
        await time(() => session.runBudgeted(q.sql, { maxRows: NOTEBOOK_ROW_BUDGET })),
      );
    }
    return out;
  } finally {
    conn.close();
    bindings.reset();
  }
}
