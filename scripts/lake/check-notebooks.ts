/**
 * Holds the notebooks a lake ships (`notebooks/*.lakebook.json`) to the lake: each file must read with the
 * notebook file parser, its cell names must hide no lake table, its cells must form no cycle, every SQL cell
 * must run top to bottom against the lake's tables (natively, each cell a TEMP VIEW named after it, as the
 * engine does), and every chart must draw columns its source cell returns. Run by `npm run lake -- verify`.
 *
 *   node --import tsx scripts/lake/check-notebooks.ts [--lake DIR]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ChartConfigError, missingChoices, parseChartConfig } from '../../src/charts/config.ts';
import type { Manifest } from '../../src/lake/manifest.ts';
import { buildGraph } from '../../src/notebook/model/deps.ts';
import { restoreNotebook } from '../../src/notebook/model/file-format.ts';
import type { Notebook } from '../../src/notebook/model/notebook.ts';
import { checkCellName } from '../../src/notebook/model/names.ts';
import { referencedNames } from '../../src/notebook/model/sql-tokens.ts';
import { openDuck, queryJson, sqlIdent, type Duck } from './duck.ts';
import { registerTables } from './lake-views.ts';
import { readManifest } from './manifest-store.ts';

export const NOTEBOOKS_DIR = 'notebooks';
export const NOTEBOOK_SUFFIX = '.lakebook.json';

export interface NotebookProblem {
  /** The notebook file, relative to the lake. */
  file: string;
  /** The SQL cell's name or the cell's id, when the problem is one cell's. */
  cell?: string;
  problem: string;
}

export type CellResults = Map<string, Record<string, unknown>[]>;

/** The notebook files of a lake, relative to it, in name order. */
export function lakeNotebookFiles(lakeDir: string): string[] {
  const dir = path.join(lakeDir, NOTEBOOKS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(NOTEBOOK_SUFFIX))
    .sort()
    .map((f) => `${NOTEBOOKS_DIR}/${f}`);
}

/** A notebook file of the lake, read by the same parser as an imported file; throws its message. */
export function readLakeNotebook(lakeDir: string, file: string): Notebook {
  const restored = restoreNotebook(readFileSync(path.join(lakeDir, file), 'utf8'));
  if (!restored.ok) throw new Error(restored.message);
  return restored.notebook;
}

/** What can be checked without running anything: names, cycles and chart settings. */
export function staticProblems(
  notebook: Notebook,
  tables: readonly string[],
): Omit<NotebookProblem, 'file'>[] {
  const problems: Omit<NotebookProblem, 'file'>[] = [];
  for (const c of notebook.cells) {
    if (c.kind !== 'sql') continue;
    const check = checkCellName(c.name, notebook.cells, c.id, tables);
    if (!check.ok) problems.push({ cell: c.name, problem: check.message });
  }
  for (const cycle of buildGraph(notebook.cells).cycles)
    problems.push({ problem: `cells ${cycle.join(', ')} read each other in a cycle` });
  for (const [i, c] of notebook.cells.entries()) {
    if (c.kind !== 'chart') continue;
    try {
      const config = parseChartConfig(c.config);
      for (const missing of missingChoices(config)) problems.push({ cell: c.id, problem: missing });
      const source = notebook.cells.findIndex((s) => s.kind === 'sql' && s.name === config.source);
      if (source < 0 || source > i)
        problems.push({ cell: c.id, problem: `draws "${config.source}", which is no SQL cell above it` });
    } catch (e) {
      if (!(e instanceof ChartConfigError)) throw e;
      problems.push({ cell: c.id, problem: e.message });
    }
  }
  return problems;
}

/**
 * Runs a notebook's SQL cells in order on a connection that already has the tables they read, and checks
 * that each chart's columns are in its source's result. Results are kept for callers that check numbers.
 */
export async function runNotebookCells(
  conn: Duck,
  notebook: Notebook,
): Promise<{ results: CellResults; problems: Omit<NotebookProblem, 'file'>[] }> {
  const results: CellResults = new Map();
  const problems: Omit<NotebookProblem, 'file'>[] = [];
  for (const c of notebook.cells) {
    if (c.kind !== 'sql') continue;
    try {
      await conn.run(`CREATE OR REPLACE TEMP VIEW ${sqlIdent(c.name)} AS ${c.sql}`);
      results.set(c.name, await queryJson(conn, `SELECT * FROM ${sqlIdent(c.name)}`));
    } catch (e) {
      problems.push({ cell: c.name, problem: (e as Error).message.split('\n')[0]! });
    }
  }
  for (const c of notebook.cells) {
    if (c.kind !== 'chart') continue;
    const config = parseChartConfig(c.config);
    const rows = results.get(config.source);
    if (!rows?.[0]) continue;
    const columns = Object.keys(rows[0]);
    for (const col of [config.x, config.y, config.series])
      if (col && !columns.includes(col))
        problems.push({
          cell: c.id,
          problem: `draws column "${col}", which "${config.source}" does not return`,
        });
  }
  return { results, problems };
}

/** The lake tables a notebook's SQL reads. */
export function tablesRead(notebook: Notebook, manifest: Manifest): string[] {
  const names = new Set(manifest.tables.map((t) => t.name));
  const read = new Set<string>();
  for (const c of notebook.cells)
    if (c.kind === 'sql') for (const n of referencedNames(c.sql, names)) read.add(n);
  return [...read].sort();
}

/** Every notebook of the lake, checked and run against the lake's own tables. */
export async function checkLakeNotebooks(lakeDir: string): Promise<NotebookProblem[]> {
  const manifest = readManifest(lakeDir);
  if (!manifest) return [{ file: '(lake)', problem: `no catalog.json in ${lakeDir}` }];
  const tables = manifest.tables.map((t) => t.name);
  const problems: NotebookProblem[] = [];
  for (const file of lakeNotebookFiles(lakeDir)) {
    let notebook: Notebook;
    try {
      notebook = readLakeNotebook(lakeDir, file);
    } catch (e) {
      problems.push({ file, problem: (e as Error).message });
      continue;
    }
    const found = staticProblems(notebook, tables);
    if (found.length === 0) {
      const conn = await openDuck();
      await registerTables(conn, lakeDir, manifest, tablesRead(notebook, manifest));
      found.push(...(await runNotebookCells(conn, notebook)).problems);
      conn.closeSync();
    }
    problems.push(...found.map((p) => ({ file, ...p })));
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const { values } = parseArgs({ options: { lake: { type: 'string', default: 'public/sample-lake' } } });
  const lakeDir = path.resolve(projectDir, values.lake);
  const problems = await checkLakeNotebooks(lakeDir);
  for (const p of problems) console.log(`${p.file}${p.cell ? ` ${p.cell}` : ''}: ${p.problem}`);
  console.log(
    problems.length === 0
      ? `notebooks: ${lakeNotebookFiles(lakeDir).length} checked, every cell runs`
      : `notebooks: ${problems.length} problem(s)`,
  );
  process.exitCode = problems.length === 0 ? 0 : 1;
}
