/**
 * (f) Loading lake tables into the engine, on fresh pages: the bare page reads whole files; the notebook
 * loads lazily what a query reads. For the notebook a query naming every column forces a full load; its load
 * time is taken from the engine's load-progress messages when it sends them per table, otherwise as the
 * first run minus the median warm run. The server's counters give the bytes each load fetched.
 */
import path from 'node:path';
import type { TableEntry } from '../../src/lake/manifest.ts';
import { columnChunkBytes, filteredChunkBytes } from '../native/native-duckdb.ts';
import { openBare, bareLoad } from '../browser/bare-driver.ts';
import { FIRST_CELL, openApp, runCell, runSql } from '../browser/app-driver.ts';
import { readProbe, type WorkerProgress } from '../browser/app-instrument.ts';
import type { StaticServer } from '../server/static-server.ts';
import type { LoadFigures } from '../report/results.ts';
import { median } from '../report/stats.ts';

function parquetBytes(server: StaticServer): number {
  return server.log.filter((r) => r.path.endsWith('.parquet')).reduce((n, r) => n + r.bytes, 0);
}

function everyColumnSql(table: TableEntry): string {
  return `SELECT ${table.columns.map((c) => `count("${c.name}")`).join(', ')} FROM ${table.name}`;
}

/** Span of the progress messages about one table, when the engine sends them. */
export function progressSpan(progress: WorkerProgress[], table: string): number | undefined {
  const mine = progress.filter((p) => p.phase === 'table' && p.name === table);
  if (mine.length < 2) return undefined;
  return mine[mine.length - 1]!.at - mine[0]!.at;
}

/** Load times taken elsewhere on fresh pages (the query sessions), added to this phase's own runs. */
export interface LoadSamples {
  bare: number[];
  app: number[];
}

const SPAN = 'span of the engine load-progress messages for the table';

export async function measureLoad(
  server: StaticServer,
  lakeDir: string,
  table: TableEntry,
  runs: number,
  earlier: LoadSamples,
  log: (s: string) => void,
): Promise<LoadFigures> {
  const out: LoadFigures = { table: table.name, rows: table.rowCount, fileBytes: table.bytes };
  const problems: string[] = [];
  const bare: number[] = [...earlier.bare];
  const app: number[] = [...earlier.app];
  const methods = new Set<string>(earlier.app.length > 0 ? [SPAN] : []);
  for (let i = 0; i < runs; i++) {
    try {
      const session = await openBare(server.origin);
      try {
        server.resetLog();
        bare.push(await bareLoad(session, [table.name]));
        out.bareBytesFetched = parquetBytes(server);
      } finally {
        await session.fresh.close();
      }
    } catch (e) {
      problems.push(`bare page: ${(e as Error).message.split('\n')[0]}`);
    }
    try {
      const session = await openApp(server.origin);
      try {
        server.resetLog();
        const first = await runSql(session.page, FIRST_CELL, everyColumnSql(table));
        if (first.status !== 'Done') throw new Error(`the cell ended as ${first.status}`);
        out.appBytesFetched = parquetBytes(server);
        const span = progressSpan((await readProbe(session.page)).progress, table.name);
        if (span !== undefined) {
          app.push(span);
          methods.add(SPAN);
        } else {
          const warm: number[] = [];
          for (let w = 0; w < 3; w++) warm.push((await runCell(session.page, FIRST_CELL)).uiMs);
          app.push(first.uiMs - median(warm));
          methods.add('first run of a query naming every column, minus its median warm run');
        }
      } finally {
        await session.fresh.close();
      }
    } catch (e) {
      problems.push(`notebook: ${(e as Error).message.split('\n')[0]}`);
    }
    log(
      `load ${table.name} ${i + 1}/${runs}: bare ${bare.at(-1)?.toFixed(0)} ms, notebook ${app.at(-1)?.toFixed(0)} ms`,
    );
  }
  try {
    const session = await openApp(server.origin);
    try {
      server.resetLog();
      const column = table.columns.find((c) => c.type === 'DOUBLE') ?? table.columns[0]!;
      const r = await runSql(session.page, FIRST_CELL, `SELECT count("${column.name}") FROM ${table.name}`);
      if (r.status === 'Done') out.oneColumnBytesFetched = parquetBytes(server);
      out.oneColumn = column.name;
      out.oneColumnChunkBytes = await columnChunkBytes(path.join(lakeDir, table.files[0]!.path), column.name);
    } finally {
      await session.fresh.close();
    }
  } catch (e) {
    problems.push(`one-column read: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    const filtered = await measureFilteredRead(server, lakeDir, table);
    if (filtered) out.filtered = filtered;
  } catch (e) {
    problems.push(`filtered read: ${(e as Error).message.split('\n')[0]}`);
  }
  if (bare.length > 0) {
    out.bareMs = median(bare);
    out.bareRuns = bare;
  }
  if (app.length > 0) out.appMs = { runs: app, median: median(app) };
  if (methods.size > 0) out.appMethod = [...methods].join('; ');
  if (problems.length > 0) out.problem = [...new Set(problems)].join('; ');
  return out;
}

/**
 * A one-column query with a filter on a timestamp column, on a fresh page: the engine should fetch only the
 * row groups whose statistics can meet the filter. The cutoff leaves about half the groups out (see
 * `filteredChunkBytes`); the row count is checked against native DuckDB's.
 */
async function measureFilteredRead(
  server: StaticServer,
  lakeDir: string,
  table: TableEntry,
): Promise<LoadFigures['filtered']> {
  const column = table.columns.find((c) => c.type === 'TIMESTAMP');
  if (!column || table.files.length !== 1) return undefined;
  const ideal = await filteredChunkBytes(path.join(lakeDir, table.files[0]!.path), column.name);
  const sql = `SELECT "${column.name}" FROM ${table.name} WHERE "${column.name}" > TIMESTAMP '${ideal.cutoff}'`;
  const session = await openApp(server.origin);
  try {
    server.resetLog();
    const r = await runSql(session.page, FIRST_CELL, sql);
    if (r.status !== 'Done') throw new Error(`the cell ended as ${r.status}`);
    if (r.worker?.rowCount !== undefined && r.worker.rowCount !== ideal.rows)
      throw new Error(`it returned ${r.worker.rowCount} rows, native DuckDB ${ideal.rows}`);
    return { ...ideal, column: column.name, sql, bytesFetched: parquetBytes(server) };
  } finally {
    await session.fresh.close();
  }
}
