import type { FilteredRead } from '../native/native-duckdb.ts';
/** The shape of `bench/results.json`: every raw run is kept next to its median so a reader can check it. */
import type { EnginePathFigures } from '../native/engine-path.ts';
import type { NativeFigures } from '../native/native-duckdb.ts';

export interface Figure {
  runs: number[];
  median: number;
}

export interface QueryFigures {
  label: string;
  rows?: number;
  native?: Figure;
  bare?: Figure;
  /** Click on "Run cell" to the frame showing the result, guard included. */
  app?: Figure;
  /** The same runs as timed inside the engine worker (QueryResult.elapsedMs). */
  appEngine?: Figure;
  appGuard?: Figure;
  /** First run in the notebook, which also loads the columns the query reads. */
  appFirstRunMs?: number;
  problem?: string;
}

export interface LoadFigures {
  table: string;
  rows: number;
  fileBytes: number;
  nativeMs?: number;
  bareMs?: number;
  bareRuns?: number[];
  bareBytesFetched?: number;
  /** Notebook: first run of a query naming every column, minus its warm median. */
  appMs?: Figure;
  appMethod?: string;
  appBytesFetched?: number;
  /** A one-column query on a fresh page: bytes fetched, and that column's compressed chunks in the file. */
  oneColumn?: string;
  oneColumnBytesFetched?: number;
  oneColumnChunkBytes?: number;
  /**
   * A one-column query filtered on a timestamp column on a fresh page: bytes fetched, against the column's
   * chunks in the row groups whose statistics can meet the filter.
   */
  filtered?: FilteredRead & { column: string; sql: string; bytesFetched?: number };
  problem?: string;
}

export interface GridFigures {
  rows?: number;
  truncated?: boolean;
  firstPaint?: Figure;
  worstFrame?: Figure;
  p95Frame?: Figure;
  /** Worst frame of the steady scroll, and of the jumps across the result (scrollbar drag). */
  worstSteadyFrame?: Figure;
  worstJumpFrame?: Figure;
  /** Time inside the engine worker for the same runs (the rest is hand-off, decode and rendering). */
  engine?: Figure;
  frames?: number;
  heapAfterBytes?: Figure;
  problem?: string;
}

export interface ChartFigures {
  rows: number;
  /** Redraws after narrowing the window: resize to the frame after "done". */
  queryAndRender?: Figure;
  /** Engine queries those redraws needed (the kept M4 grid draws narrower widths). */
  redrawQueries?: number;
  /** A width the kept grid cannot draw: the chart queries every row again. */
  newGrid?: {
    total: Figure;
    /** The chart query in the engine worker (`elapsedMs`, guard included). */
    engine: Figure;
    /** Resize to the query's start: the chart waits for the size to settle. */
    settle?: Figure;
    /** The query's answer to the frame showing it: message, Arrow decode, reduction, React, SVG. */
    render?: Figure;
    /** Resize to the frame showing the kept coarser grid, drawn while the new one is queried. */
    coarse?: Figure;
    plotWidth: number;
  };
  /**
   * The chart drawn afresh (its source ran again, nothing kept): from its start to the frame showing the
   * coarse drawing (M4 over a sample) and to the frame showing the exact chart.
   */
  fresh?: {
    coarse?: Figure;
    exact: Figure;
    /** Most points the coarse drawing had over the runs. */
    coarseMarks?: number;
    plotWidth: number;
    /** Engine queries per fresh drawing (columns, row count, coarse, exact). */
    queries: number;
  };
  /**
   * "Zoom in" clicked on the chart drawn afresh: from the click to the frame showing the window drawn from
   * the whole line's grid, and to the frame showing the window's own exact chart.
   */
  zoom?: { preview?: Figure; exact: Figure; previewMarks?: number; plotWidth: number };
  marks?: number;
  pixelColumns?: number;
  problem?: string;
  /** Set when the chart phase ran alone (`--chart-only`), after the run the other sections come from. */
  measured?: { command: string; date: string; loadAverage: number };
}

export interface ScaleFigures {
  rows: number;
  lakeBytes: number;
  generateSeconds: number;
  nativeVersion?: string;
  queries: Record<string, QueryFigures>;
  load: LoadFigures[];
  grid?: GridFigures;
  chart?: ChartFigures;
  native?: NativeFigures;
  /** The engine's query paths on Node (full runs, first lake only). */
  enginePath?: EnginePathFigures;
  problems: string[];
}

export interface ColdStartFigures {
  query: string;
  app?: Figure;
  /** Of the notebook's cold start: time from "Engine ready" to the click (editor shown, SQL typed by the harness). */
  appTyping?: Figure;
  appEngineReady?: Figure;
  bare?: Figure;
  problem?: string;
}

export interface BundleFigures {
  /** JS the page's HTML loads before anything else (entry + modulepreload), gzip -6 as served. */
  initialJsGzip: number;
  initialJsRaw: number;
  initialFiles: string[];
  /** True when no Monaco chunk is among the initial files. */
  monacoDeferred: boolean;
  duckdbWasmBytes: Record<string, number>;
  /** Everything the server sent during a first visit until the engine was ready (gzip where compressible). */
  firstVisitBytes?: number;
  firstVisitRequests?: number;
  firstVisitWasmBytes?: number;
  firstVisitLakeBytes?: number;
  foreignRequests?: string[];
  problem?: string;
}

/** The site build's per-role lake folders for the sample lake (bench/phases/role-lakes.ts). */
export interface RoleLakeFigures {
  date: string;
  runs: number;
  lake: string;
  fullLakeBytes: number;
  /** Median time of a whole build of every folder, reading the lake included. */
  totalMs: number;
  roles: { role: string; folder: string; tables: number; bytes: number; ms: number }[];
}

/** One query of the server section: the server's answers and native DuckDB's, interleaved in one run. */
export interface ServerQueryFigures {
  label: string;
  sql: string;
  rows?: number;
  /** Request start to the last byte of the Arrow stream, through HTTP on 127.0.0.1. */
  server?: Figure;
  /** The server's guard time for the same runs (its `Lakebook-Result` header). */
  serverGuard?: Figure;
  /** `runAndReadAll` on native DuckDB, views over the same files, same threads and memory limit. */
  native?: Figure;
  problem?: string;
}

/**
 * The server section (`npm run bench -- --server`): the Lakebook server against native DuckDB on a
 * hive-partitioned lake at server scale, a 1M-row result, its memory and eight users at once.
 */
export interface ServerFigures {
  date: string;
  command: string;
  rows: number;
  lakeBytes: number;
  files: number;
  /** Seconds it took to write the lake (in this run, or when the cached lake was written). */
  lakeSeconds: number;
  lakeCached: boolean;
  threads: number;
  memoryLimit: string;
  runs: number;
  /** Spawn to the server's "Lakebook server on" line (role folders prepared, instances opened). */
  startMs?: number;
  nativeVersion?: string;
  queries: Record<string, ServerQueryFigures>;
  /** A one-row statement: the server's cost per request beyond the query (token, slot, guard, audit, HTTP). */
  fixedCost?: { sql: string; server?: Figure; serverGuard?: Figure; native?: Figure };
  firstBatch?: {
    sql: string;
    rows?: number;
    bytes?: number;
    /** Request start to the bytes completing the schema and the first record batch. */
    firstBatch?: Figure;
    /** Request start to the last byte of the million rows. */
    total?: Figure;
    /** Native: `stream` to the first chunk fetched, and `runAndReadAll` of the whole result. */
    nativeFirstChunk?: Figure;
    nativeTotal?: Figure;
    problem?: string;
  };
  memory?: {
    /** VmHWM of the server process at the end: the kernel's own high-water mark of its RSS. */
    hwmBytes?: number;
    /** Highest VmRSS of the 100 ms samples, over the whole run and per phase. */
    peakSampledBytes?: number;
    afterStartBytes?: number;
    peakQueriesBytes?: number;
    peakFirstBatchBytes?: number;
    peakLoadBytes?: number;
    samples: number;
  };
  load?: {
    users: number;
    seconds: number;
    elapsedMs: number;
    queries: string[];
    done: number;
    errors: number;
    errorMessages: Record<string, number>;
    cut: number;
    p50Ms?: number;
    p95Ms?: number;
    /** Per query id: answers and their median latency under load. */
    perQuery: Record<string, { done: number; p50Ms?: number }>;
    problem?: string;
  };
  loadAverage?: { start: number; end: number };
  durationSeconds: number;
  problems: string[];
}

/**
 * The first-answer phase (bench/phases/first-answer.ts): the sample lake as the site ships it, a new visitor
 * opening the shipped review notebook, a reload, and role switches, each beside a bare DuckDB-WASM page.
 */
export interface FirstAnswerFigures {
  date: string;
  command: string;
  runs: number;
  role: string;
  otherRole: string;
  /** The role folders the two roles read, relative to the lake root. */
  folders: Record<string, string>;
  notebook: string;
  /** The first SQL cell of the notebook, whose result grid is the first answer. */
  cell: string;
  sql: string;
  tables: string[];
  /** False when the notebook did not run on open and the harness clicked "Run all" when the engine was ready. */
  ranOnOpen: boolean;
  visit: {
    /** Navigation start to the frame showing the first cell's result grid. */
    app?: Figure;
    appEngineReady?: Figure;
    /** Navigation start to the engine's first "catalog" progress message: its DuckDB instances started. */
    appEngineStarted?: Figure;
    /** First to last table-load progress message before the first grid. */
    appTableLoads?: Figure;
    /** The tables the engine loaded before the first grid (the last round's, in order). */
    tablesBeforeAnswer?: string[];
    /** "Engine ready" to the harness's click on "Run all" (none when the notebook ran by itself). */
    appReadyToRun?: Figure;
    /** The cell's status from Running to Done: table load, guard and query. */
    appCellRun?: Figure;
    /** The cell's query in the engine worker (`elapsedMs`, guard included). */
    appWorker?: Figure;
    bare?: Figure;
  };
  reload: {
    app?: Figure;
    appEngineReady?: Figure;
    /** Reloads after which the harness had to click "Run all" (no result was on screen when the engine was ready). */
    appRunAllClicks: number;
    bare?: Figure;
  };
  roleSwitch: {
    /** The Role combobox's change to the frame in which the header says "Engine ready" again. */
    app?: Figure;
    /** The change to the engine's first "catalog" progress message (the new role's instance started). */
    appToCatalog?: Figure;
    /** A new AsyncDuckDB (worker, instantiate, connect) loading the new role's tables: the reference. */
    bare?: Figure;
  };
  loadAverage: { start: number; end: number };
  durationSeconds: number;
  problems: string[];
}

export interface BenchResults {
  date: string;
  command: string;
  quick: boolean;
  runs: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; os: string };
  versions: Record<string, string>;
  durationSeconds: number;
  /** 1-minute load average at the start and at the end: how busy the shared machine was. */
  loadAverage?: { start: number; end: number };
  coldStart: ColdStartFigures;
  bundle?: BundleFigures;
  scales: ScaleFigures[];
  roleLakes?: RoleLakeFigures;
  /** Measured only by `npm run bench -- --server`; a full run keeps the last one. */
  server?: ServerFigures;
  /** Measured in a full run or alone by `npm run bench -- --first-answer`. */
  firstAnswer?: FirstAnswerFigures;
  notes: string[];
}
