/**
 * First answer, on the sample lake as the site ships it (one folder per role): a new visitor opens the
 * site's root and the shipped review notebook shows its first SQL cell's result; a reload in the same
 * browser shows it again; a role switch brings the engine back to "Engine ready". The bare DuckDB-WASM
 * page runs the same first query over the same role folder in the same run. Rounds alternate: the bare
 * page (visit, reload, new instances over the other role's folder and back), then the notebook (visit,
 * reload, switches to the other role and back), each in a new browser.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseManifest } from '../../src/lake/manifest.ts';
import { parseSite } from '../../src/gov/site.ts';
import { REVIEW_NOTEBOOK_PATH } from '../../src/notebook/notebook-url.ts';
import { readLakeNotebook } from '../../scripts/lake/check-notebooks.ts';
import { tablesAfterFrom } from '../lake/sql-tables.ts';
import { openAppSide, openBareSide, type AppVisit, type FirstQuery } from '../browser/first-answer-pages.ts';
import type { FirstAnswerFigures, Figure } from '../report/results.ts';
import { median } from '../report/stats.ts';

export interface FirstAnswerOptions {
  origin: string;
  /** The site build (`scripts/site/build-site.ts`), served at the origin's root. */
  siteDir: string;
  role: string;
  otherRole: string;
  runs: number;
  command: string;
  log: (message: string) => void;
}

function figure(runs: number[]): Figure | undefined {
  return runs.length > 0 ? { runs, median: median(runs) } : undefined;
}

/** The first SQL cell of the shipped review notebook and the tables of the role's folder it reads. */
export function firstQuery(siteDir: string, roleFolder: string): FirstQuery & { notebook: string } {
  const lake = path.join(siteDir, 'sample-lake');
  const notebook = readLakeNotebook(lake, REVIEW_NOTEBOOK_PATH);
  const cell = notebook.cells.find((c) => c.kind === 'sql');
  if (!cell || cell.kind !== 'sql') throw new Error(`${REVIEW_NOTEBOOK_PATH} has no SQL cell`);
  const manifest = parseManifest(
    JSON.parse(readFileSync(path.join(lake, roleFolder, 'catalog.json'), 'utf8')),
  );
  const tables = tablesAfterFrom(
    cell.sql,
    manifest.tables.map((t) => t.name),
  );
  return { notebook: REVIEW_NOTEBOOK_PATH, cell: cell.name, sql: cell.sql, tables };
}

function folderOf(siteDir: string, role: string): string {
  const site = parseSite(JSON.parse(readFileSync(path.join(siteDir, 'sample-lake', 'site.json'), 'utf8')));
  const folder = site.folders?.find((f) => f.role === role)?.folder;
  if (!folder) throw new Error(`the site build has no lake folder for ${role}`);
  return folder;
}

/** Where a visit's time went, from the page's marks and the probe's status changes and worker answers. */
function visitParts(v: AppVisit, cell: string) {
  const own = v.probe.statuses.filter((s) => s.cell === cell);
  const running = own.find((s) => s.status === 'Running' && !s.painted);
  const done = own.find((s) => s.status === 'Done' && !s.painted && (!running || s.at >= running.at));
  const answer = done ? v.probe.results.filter((r) => r.at <= done.at).at(-1) : undefined;
  const grid = v.marks.gridAt ?? Infinity;
  const loads = v.probe.progress.filter((p) => p.phase === 'table' && p.at <= grid);
  return {
    ready: v.marks.readyAt,
    engineStarted: v.probe.progress.find((p) => p.phase === 'catalog')?.at,
    tableLoads: loads.length > 0 ? loads.at(-1)!.at - loads[0]!.at : undefined,
    tablesBefore: [...new Set(loads.map((p) => p.name ?? '?'))],
    readyToRun:
      v.marks.runAllAt !== undefined && v.marks.readyAt !== undefined
        ? v.marks.runAllAt - v.marks.readyAt
        : undefined,
    cellRun: running && done ? done.at - running.at : undefined,
    worker: answer?.elapsedMs,
  };
}

const push = (list: number[], value: number | undefined) => value !== undefined && list.push(value);

export async function measureFirstAnswer(o: FirstAnswerOptions): Promise<FirstAnswerFigures> {
  const started = performance.now();
  const loadStart = os.loadavg()[0]!;
  const folders = { [o.role]: folderOf(o.siteDir, o.role), [o.otherRole]: folderOf(o.siteDir, o.otherRole) };
  const first = firstQuery(o.siteDir, folders[o.role]!);
  const lakeOf = (role: string) => `../sample-lake/${folders[role]}`;
  const s = {
    visit: [] as number[],
    ready: [] as number[],
    engineStarted: [] as number[],
    tableLoads: [] as number[],
    readyToRun: [] as number[],
    cellRun: [] as number[],
    worker: [] as number[],
    bareVisit: [] as number[],
    reload: [] as number[],
    reloadReady: [] as number[],
    bareReload: [] as number[],
    switches: [] as number[],
    switchToCatalog: [] as number[],
    bareSwitches: [] as number[],
  };
  let runAllClicks = 0;
  let tablesBefore: string[] | undefined;
  let ranOnOpen = true;
  const problems: string[] = [];
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      problems.push(`${what}: ${(e as Error).message.split('\n')[0]}`);
      o.log(`first answer, ${what} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  };
  for (let i = 0; i < o.runs; i++) {
    await attempt('bare page', async () => {
      const bare = await openBareSide(o.origin, lakeOf(o.role), first);
      try {
        s.bareVisit.push(await bare.visit());
        s.bareReload.push(await bare.reload());
        s.bareSwitches.push(await bare.reopen(lakeOf(o.otherRole)));
        s.bareSwitches.push(await bare.reopen(lakeOf(o.role)));
      } finally {
        await bare.fresh.close();
      }
    });
    await attempt('notebook', async () => {
      const app = await openAppSide(o.origin, o.role, first);
      try {
        const visit = await app.visit();
        if (visit.marks.runAllAt !== undefined) ranOnOpen = false;
        const parts = visitParts(visit, first.cell);
        push(s.visit, visit.marks.gridAt);
        push(s.ready, parts.ready);
        push(s.engineStarted, parts.engineStarted);
        push(s.tableLoads, parts.tableLoads);
        tablesBefore = parts.tablesBefore;
        push(s.readyToRun, parts.readyToRun);
        push(s.cellRun, parts.cellRun);
        push(s.worker, parts.worker);
        const reload = await app.reload();
        push(s.reload, reload.marks.gridAt);
        push(s.reloadReady, reload.marks.readyAt);
        if (reload.marks.runAllAt !== undefined) runAllClicks++;
        for (const role of [o.otherRole, o.role]) {
          const sw = await app.switchRole(role);
          s.switches.push(sw.ms);
          push(s.switchToCatalog, sw.toCatalogMs);
        }
      } finally {
        await app.fresh.close();
      }
    });
    o.log(
      `first answer ${i + 1}/${o.runs}: visit bare ${s.bareVisit.at(-1)?.toFixed(0)} / notebook ${s.visit.at(-1)?.toFixed(0)} ms, ` +
        `reload ${s.bareReload.at(-1)?.toFixed(0)} / ${s.reload.at(-1)?.toFixed(0)} ms, ` +
        `switch ${s.bareSwitches.at(-1)?.toFixed(0)} / ${s.switches.at(-1)?.toFixed(0)} ms`,
    );
  }
  return {
    date: new Date().toISOString(),
    command: o.command,
    runs: o.runs,
    role: o.role,
    otherRole: o.otherRole,
    folders,
    ...first,
    ranOnOpen: ranOnOpen && s.visit.length > 0,
    visit: {
      app: figure(s.visit),
      appEngineReady: figure(s.ready),
      appEngineStarted: figure(s.engineStarted),
      appTableLoads: figure(s.tableLoads),
      ...(tablesBefore ? { tablesBeforeAnswer: tablesBefore } : {}),
      appReadyToRun: figure(s.readyToRun),
      appCellRun: figure(s.cellRun),
      appWorker: figure(s.worker),
      bare: figure(s.bareVisit),
    },
    reload: {
      app: figure(s.reload),
      appEngineReady: figure(s.reloadReady),
      appRunAllClicks: runAllClicks,
      bare: figure(s.bareReload),
    },
    roleSwitch: {
      app: figure(s.switches),
      appToCatalog: figure(s.switchToCatalog),
      bare: figure(s.bareSwitches),
    },
    loadAverage: { start: loadStart, end: os.loadavg()[0]! },
    durationSeconds: Math.round((performance.now() - started) / 1000),
    problems: [...new Set(problems)],
  };
}
