/**
 * For each missed target, what the same run's figures say limits it: which part of the time is DuckDB-WASM
 * itself (the bare page), which is the notebook (worker protocol, guard, hand-off, grid), which is the load.
 */
import type { BenchResults } from './results.ts';
import { formatBytes, formatMs, formatRatio, ratio } from './stats.ts';

export function limitNotes(r: BenchResults): string[] {
  const notes: string[] = [];
  const engine = r.versions['DuckDB in the notebook'] ?? 'DuckDB-WASM';
  const c = r.coldStart;
  const cold = ratio(c.app?.median, c.bare?.median);
  if (cold !== undefined && cold > 1.2 && c.appEngineReady && c.appTyping) {
    notes.push(
      `(a) The notebook's engine is ready at ${formatMs(c.appEngineReady.median)} (two DuckDB instances, catalog, policy, role view); ` +
        `${formatMs(c.appTyping.median)} go to showing the editor and typing; the rest is the lazy table load and the query.`,
    );
  }
  const guards = r.scales.flatMap((s) => Object.values(s.queries).flatMap((q) => q.appGuard?.runs ?? []));
  const sortedGuards = [...guards].sort((a, b) => a - b);
  const guardMedian = sortedGuards[Math.floor(sortedGuards.length / 2)];
  if (guardMedian !== undefined && guardMedian > 5) {
    notes.push(
      `(c) Guard median ${formatMs(guardMedian)} over ${guards.length} runs (max ${formatMs(sortedGuards.at(-1))}): ` +
        'the guard tokenizes and plans each statement (EXPLAIN (FORMAT JSON)) on the user instance before it runs, which costs the same CPU the machine is short of.',
    );
  }
  const chart = r.scales.at(-1)?.chart;
  if (chart?.queryAndRender && chart.queryAndRender.median > 300) {
    notes.push(
      `(e) Chart redraw at a new width ${formatMs(chart.queryAndRender.median)} over ${chart.rows.toLocaleString('en-US')} rows ` +
        `with ${chart.redrawQueries ?? '?'} engine queries: ${chart.marks ?? '?'} marks are drawn from the kept M4 grid, so the time is React and the SVG.`,
    );
  }
  const grid = chart?.newGrid;
  if (chart && grid && grid.total.median > 300) {
    notes.push(
      `(e) Chart query over ${chart.rows.toLocaleString('en-US')} rows ${formatMs(grid.total.median)}: ` +
        `${formatMs(grid.engine.median)} in the engine (one M4 pass over every row, DuckDB ${engine}, guard included), ` +
        `${formatMs(grid.settle?.median)} waiting for the size to settle, ${formatMs(grid.render?.median)} from the answer to the frame. ` +
        'See bench/README.md for what a GROUP BY over every row costs at best.',
    );
  }
  for (const s of r.scales) {
    for (const [id, q] of Object.entries(s.queries)) {
      const vsBare = ratio(q.app?.median, q.bare?.median);
      const vsNative = ratio(q.app?.median, q.native?.median);
      const bareVsNative = ratio(q.bare?.median, q.native?.median);
      const at = `${id} at ${s.rows.toLocaleString('en-US')} rows`;
      if (vsNative !== undefined && vsNative > 1.5) {
        notes.push(
          `(b) ${at}: ${formatRatio(vsNative)} native. The bare page alone is ${formatRatio(bareVsNative)} native, ` +
            `so ${bareVsNative !== undefined && bareVsNative > 1.5 ? `most of the gap is DuckDB-WASM itself (engine ${r.versions['DuckDB in the browser'] ?? '?'} on the bare page, ${engine} in the notebook, vs native 1.5 on one thread)` : 'the notebook adds the gap on top of DuckDB-WASM'}.`,
        );
      }
      if (vsBare !== undefined && vsBare > 1.1 && q.app && q.appEngine) {
        const outside = q.app.median - q.appEngine.median;
        notes.push(
          `(b) ${at}: ${formatRatio(vsBare)} the bare page. Inside the worker ${formatMs(q.appEngine.median)} ` +
            `(a fresh guard decision takes ${formatMs(q.appGuard?.median)}; re-runs reuse it), outside it ${formatMs(outside)} (message, Arrow decode, React, grid, frame).`,
        );
      }
    }
    const g = s.grid;
    if (g?.firstPaint && g.firstPaint.median > 500) {
      notes.push(
        `(d) First paint of ${g.rows?.toLocaleString('en-US')} rows: ${formatMs(g.engine?.median)} inside the engine worker ` +
          `(running the query and writing the Arrow IPC), ${formatMs(g.firstPaint.median - (g.engine?.median ?? 0))} on the page (transfer, Arrow decode, grid).`,
      );
    }
    if (g?.worstFrame && g.worstFrame.median > 50) {
      notes.push(
        `(d) Worst frame ${formatMs(g.worstFrame.median)}: steady scroll ${formatMs(g.worstSteadyFrame?.median)}, ` +
          `jumps across the result ${formatMs(g.worstJumpFrame?.median)}; the 95th percentile is ${formatMs(g.p95Frame?.median)}, so the misses are isolated long frames.`,
      );
    }
    for (const l of s.load) {
      const loadRatio = ratio(l.appMs?.median, l.nativeMs);
      if (loadRatio !== undefined && loadRatio > 2) {
        notes.push(
          `(f) ${l.table} at ${l.rows.toLocaleString('en-US')} rows: notebook ${formatMs(l.appMs?.median)}, bare page ${formatMs(l.bareMs)}, ` +
            `native ${formatMs(l.nativeMs)}. Both browser paths decode Parquet with parquet-wasm and insert Arrow IPC into DuckDB-WASM; native reads Parquet inside DuckDB.`,
        );
      }
      if (l.oneColumnBytesFetched !== undefined && l.oneColumnChunkBytes !== undefined) {
        const share = ratio(l.oneColumnBytesFetched, l.fileBytes);
        if (l.oneColumnBytesFetched > l.oneColumnChunkBytes * 1.25 + 256 * 1024) {
          notes.push(
            `(f) A query reading only ${l.oneColumn} of ${l.table} fetched ${formatBytes(l.oneColumnBytesFetched)} ` +
              `(${((share ?? 0) * 100).toFixed(0)} % of the file) where its column chunks weigh ${formatBytes(l.oneColumnChunkBytes)}: ` +
              'more than the column the statement reads (docs/engine.md lists the tables and files the engine loads whole).',
          );
        }
      }
      const f = l.filtered;
      if (f?.bytesFetched !== undefined && f.bytesFetched > f.chunkBytes * 1.25 + 256 * 1024) {
        notes.push(
          `(f) \`${f.sql}\` fetched ${formatBytes(f.bytesFetched)} where ${f.column} weighs ${formatBytes(f.chunkBytes)} ` +
            `in the ${f.groupsRead} of ${f.groups} row groups whose range can meet the filter: ` +
            'the engine skips a row group only when the statement plan and the file footer prove it holds no match.',
        );
      }
    }
  }
  return notes;
}
