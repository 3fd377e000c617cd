/**
 * The baseline the notebook is measured against: the plain DuckDB-WASM recipe (async API, its own worker,
 * bundles from our origin, `selectBundle` choosing among all three builds: the multi-threaded one on a
 * cross-origin-isolated page, as the notebook does) with the lake's Parquet decoded by parquet-wasm and inserted as Arrow IPC, a few
 * row groups at a time. No guard, no notebook, no grid. The harness drives it through `window.bareBench`;
 * with `?sql=...&tables=...` it runs one query on its own and shows the result, for the cold-start race.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import coiWasm from '@duckdb/duckdb-wasm/dist/duckdb-coi.wasm?url';
import coiWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js?url';
import coiPthreadWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.pthread.worker.js?url';
import initParquet, { readParquet } from 'parquet-wasm/esm';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';

interface CatalogTable {
  name: string;
  files: { path: string; rowGroups?: number[] }[];
}

/** About a million rows per insert: big enough to amortise a call, small enough to keep memory flat. */
const ROW_GROUPS_PER_CHUNK = 8;
/** `?lake=` names another lake folder (e.g. a role's folder of the shipped site), relative to this page. */
let LAKE = new URL(new URLSearchParams(location.search).get('lake') ?? '../sample-lake/', location.href);

let db: duckdb.AsyncDuckDB | undefined;
let conn: duckdb.AsyncDuckDBConnection | undefined;
let catalog: CatalogTable[] | undefined;
const loaded = new Set<string>();

async function init(): Promise<number> {
  const t0 = performance.now();
  await db?.terminate();
  const bundle = await duckdb.selectBundle({
    mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
    eh: { mainModule: ehWasm, mainWorker: ehWorker },
    coi: { mainModule: coiWasm, mainWorker: coiWorker, pthreadWorker: coiPthreadWorker },
  });
  const worker = new Worker(bundle.mainWorker!);
  db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  conn = await db.connect();
  await conn.query('SET autoload_known_extensions=false');
  await initParquet(parquetWasm);
  const response = await fetch(new URL('catalog.json', LAKE));
  catalog = ((await response.json()) as { tables: CatalogTable[] }).tables;
  return performance.now() - t0;
}

async function loadTable(name: string): Promise<void> {
  if (!db || !conn || !catalog) throw new Error('init first');
  const table = catalog.find((t) => t.name === name);
  if (!table) throw new Error(`no table ${name} in the catalog`);
  let create = true;
  for (const file of table.files) {
    const bytes = new Uint8Array(await (await fetch(new URL(file.path, LAKE))).arrayBuffer());
    const groups = file.rowGroups?.length ?? 1;
    for (let first = 0; first < groups; first += ROW_GROUPS_PER_CHUNK) {
      const rowGroups = Array.from(
        { length: Math.min(ROW_GROUPS_PER_CHUNK, groups - first) },
        (_, i) => first + i,
      );
      const ipc = readParquet(bytes, { rowGroups }).intoIPCStream();
      await conn.insertArrowFromIPCStream(ipc, { name, create });
      create = false;
    }
  }
  loaded.add(name);
}

async function load(tables: string[]): Promise<number> {
  const t0 = performance.now();
  for (const t of tables) if (!loaded.has(t)) await loadTable(t);
  return performance.now() - t0;
}

/**
 * Runs a query and puts its result on screen, timed to the frame that shows it, as the notebook's runs
 * are: both sides pay for drawing what they answer.
 */
async function query(sql: string): Promise<{ ms: number; rows: number }> {
  if (!conn) throw new Error('init first');
  const t0 = performance.now();
  const result = await conn.query(sql);
  show(result);
  await new Promise((resolve) => requestAnimationFrame(resolve));
  return { ms: performance.now() - t0, rows: result.numRows };
}

/**
 * What a plain page pays to serve another lake folder (as a role switch does): a new database instance
 * (worker, instantiate, connect) reading that folder's catalog, and the tables loaded again.
 */
async function reopen(lake: string, tables: string[]): Promise<number> {
  const t0 = performance.now();
  LAKE = new URL(lake, location.href);
  loaded.clear();
  await init();
  await load(tables);
  return performance.now() - t0;
}

async function version(): Promise<string> {
  if (!conn) throw new Error('init first');
  const r = await conn.query(`SELECT version() AS v, current_setting('threads') AS t`);
  const threads = Number(r.getChild('t')?.get(0));
  return `${String(r.getChild('v')?.get(0))}, ${threads} thread${threads === 1 ? '' : 's'}`;
}

function show(table: Awaited<ReturnType<duckdb.AsyncDuckDBConnection['query']>>): void {
  const el = document.createElement('table');
  const names = table.schema.fields.map((f) => f.name);
  el.insertRow().append(...names.map((n) => Object.assign(document.createElement('th'), { textContent: n })));
  for (let i = 0; i < Math.min(table.numRows, 100); i++) {
    const row = el.insertRow();
    for (const n of names) row.insertCell().textContent = String(table.getChild(n)?.get(i));
  }
  document.getElementById('result')?.replaceChildren(el);
}

async function runFromUrl(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const sql = params.get('sql');
  if (!sql) return;
  await init();
  await load((params.get('tables') ?? '').split(',').filter(Boolean));
  if (!conn) return;
  show(await conn.query(sql));
}

const status = document.getElementById('status');
declare global {
  interface Window {
    bareBench: {
      init: typeof init;
      load: typeof load;
      query: typeof query;
      version: typeof version;
      reopen: typeof reopen;
    };
  }
}
window.bareBench = { init, load, query, version, reopen };
runFromUrl().then(
  () => status && (status.textContent = 'ready'),
  (e: unknown) => status && (status.textContent = `error: ${String(e)}`),
);
