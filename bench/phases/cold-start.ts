/**
 * (a) Cold start: a new browser with an empty profile opens the page and shows the first result. The bare
 * page runs the query by itself from its URL; in the notebook the harness types it into the first cell and
 * clicks "Run cell" as soon as the engine says it is ready, as a user would. Runs alternate between the two
 * pages so that a noisy neighbour hurts both alike.
 */
import { COLD_START_QUERY } from '../lake/queries.ts';
import { bareColdStart } from '../browser/bare-driver.ts';
import { FIRST_CELL, openApp, runSql } from '../browser/app-driver.ts';
import { readProbe } from '../browser/app-instrument.ts';
import type { ColdStartFigures, Figure } from '../report/results.ts';
import { median } from '../report/stats.ts';

function figure(runs: number[]): Figure | undefined {
  return runs.length > 0 ? { runs, median: median(runs) } : undefined;
}

/** `marker`: text of the result's first cell (from native DuckDB), which tells that the result is on screen. */
export async function measureColdStart(
  origin: string,
  runs: number,
  marker: string,
  log: (s: string) => void,
): Promise<ColdStartFigures> {
  const app: number[] = [];
  const typing: number[] = [];
  const ready: number[] = [];
  const bare: number[] = [];
  const problems: string[] = [];
  for (let i = 0; i < runs; i++) {
    try {
      bare.push(await bareColdStart(origin, COLD_START_QUERY, marker));
    } catch (e) {
      problems.push(`bare: ${(e as Error).message.split('\n')[0]}`);
    }
    try {
      const session = await openApp(origin);
      try {
        const run = await runSql(session.page, FIRST_CELL, COLD_START_QUERY.sql);
        if (run.status !== 'Done') throw new Error(`the cell ended as ${run.status}`);
        const probe = await readProbe(session.page);
        const painted = probe.statuses.filter((s) => s.painted && s.cell === FIRST_CELL).at(-1);
        const click = probe.clicks.at(-1);
        if (!painted || click === undefined) throw new Error('no painted result seen');
        app.push(painted.at);
        typing.push(click - session.readyAt);
        ready.push(session.readyAt);
      } finally {
        await session.fresh.close();
      }
    } catch (e) {
      problems.push(`notebook: ${(e as Error).message.split('\n')[0]}`);
    }
    log(
      `cold start ${i + 1}/${runs}: bare ${bare.at(-1)?.toFixed(0)} ms, notebook ${app.at(-1)?.toFixed(0)} ms`,
    );
  }
  return {
    query: COLD_START_QUERY.sql,
    ...optional('app', figure(app)),
    ...optional('appTyping', figure(typing)),
    ...optional('appEngineReady', figure(ready)),
    ...optional('bare', figure(bare)),
    ...(problems.length > 0 ? { problem: [...new Set(problems)].join('; ') } : {}),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
