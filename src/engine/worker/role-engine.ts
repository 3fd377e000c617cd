import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import { tableFromIPC } from 'apache-arrow';
import { guardCell, type GuardDecision } from '../../gov/guard';
import {
  distinctValuesSql,
  MAX_PIVOT_VALUES,
  pivotColumnsWithoutIn,
  withInLists,
} from '../../gov/pivot-in-list';
import { withheldTable } from '../../gov/denials';
import { quoteIdent } from '../../gov/sql-text';
import type { RoleView } from '../../gov/types';
import type { Manifest } from '../../lake/manifest';
import { DuckSession, macrotask } from './core/duck-session';
import { createEverydayFunctions } from './core/everyday-functions';
import { stubTableSql } from './core/user-instance';
import { DecisionCache } from './decision-cache';
import { blameCell, EngineFailure, positionInCell, toEngineError } from '../errors';
import type { RoleEngineHooks } from './governance/engine-hooks';
import { outcomeOf } from './governance/query-outcome';
import { resultColumns } from '../result-columns';
import type { ParquetDecoder } from './loader/parquet-decoder';
import { TableLoader, type TableNeed } from './loader/table-loader';
import { needsInPlans, rowNeedsInPlans } from './loader/plan-needs';
import { RowNeedMemo } from './loader/row-need-memo';
import type { RowNeed } from './loader/scan-filters';
import { tablesToLoad } from './loader/tables-to-load';
import { joinIpc } from '../../contract/ipc-bytes';
import type { CellSource, EngineError, IpcBytes, LoadProgress, QueryResult } from '../../contract/results';

export interface QueryControl {
  /** Answer the columns only: no rows, and no data loaded (the stubs have every column's type). */
  columnsOnly?: boolean;
  maxRows?: number;
  maxBytes?: number;
  report: (p: LoadProgress) => void;
  /** Asked between load chunks; a failure returned here stops the statement (cancel, time limit). */
  shouldStop: () => EngineFailure | undefined;
}

/**
 * One role's engine: the locked-down user instance holding only the role's view, its loader, and the query
 * path (cell views, guard, lazy loads, run). A role switch builds a new one; the trusted staging instance
 * is shared and never sees user SQL.
 */
export class RoleEngine {
  readonly user: DuckSession;
  readonly loader: TableLoader;
  /** Tables whose stubs could not be created; they are absent, as if denied. */
  readonly problems: string[];
  /** DuckDB's threads for this role's queries. */
  readonly threads: number;
  private readonly cellSql = new Map<string, string>();
  /** Why a cell's view could not be created, so a statement that reads it can say so. */
  private readonly cellErrors = new Map<string, string>();
  private readonly decisions = new DecisionCache();
  private readonly rowNeeds = new RowNeedMemo();

  constructor(
    userBindings: DuckDBBindings,
    readonly view: RoleView,
    readonly manifest: Manifest,
    lakeUrl: string,
    decoder: ParquetDecoder,
    staging: () => Promise<DuckSession>,
    private readonly hooks: RoleEngineHooks = {},
  ) {
    this.user = new DuckSession(userBindings);
    this.loader = new TableLoader({ lakeUrl, manifest, view, user: this.user, staging, decoder });
    this.problems = this.loader.createStubs();
    for (const t of hooks.extraTables ?? []) this.user.query(stubTableSql(t.name, t.columns));
    this.threads = Number(
      this.user.query(`SELECT current_setting('threads') AS t`).getChild('t')?.get(0) ?? 1,
    );
    createEverydayFunctions(this.user);
    this.user.lockDown();
  }

  /** Guards and runs a cell; every decision, allowed or denied, is recorded before the answer returns. */
  async query(sql: string, cells: CellSource[], control: QueryControl): Promise<QueryResult> {
    const started = now();
    const seen: { decision?: GuardDecision } = {};
    let result: QueryResult;
    let ran = sql;
    try {
      ran = await this.withPivotValues(sql, cells, control, seen);
      result = await this.guardAndRun(ran, cells, control, seen);
    } catch (e) {
      await this.hooks.record?.(outcomeOf(ran, cells, seen.decision, e, now() - started));
      throw e;
    }
    await this.hooks.record?.({
      ...outcomeOf(ran, cells, seen.decision, undefined, now() - started),
      rows: result.rowCount,
    });
    return result;
  }

  /**
   * A PIVOT without an `IN` list gets the distinct values of each `ON` expression written in, as DuckDB
   * would list them itself: each list comes from a query guarded and run like any other (tables loaded,
   * the role's view), so the cell that runs names every value and is checked as one statement.
   */
  private async withPivotValues(
    sql: string,
    cells: CellSource[],
    control: QueryControl,
    seen: { decision?: GuardDecision },
  ): Promise<string> {
    const columns = pivotColumnsWithoutIn(sql, this.user.tokenize(sql));
    if (columns.length === 0) return sql;
    const values: string[][] = [];
    for (const column of columns) {
      // The values become the columns: they are read from the data even when only columns are asked for.
      const distinct = { ...control, columnsOnly: false };
      const result = await this.guardAndRun(distinctValuesSql(column), cells, distinct, seen);
      const listed = pivotValues(result.ipc);
      const hint = `List the values you want as columns: PIVOT … ON ${column.expr} IN ('…', '…') USING ….`;
      if (result.truncated || listed.length > MAX_PIVOT_VALUES) {
        const message = `PIVOT ON ${column.expr} has more than ${MAX_PIVOT_VALUES} distinct values, too many columns to show.`;
        throw new EngineFailure({ code: 'TOO_LARGE', message, hint });
      }
      if (listed.length === 0) {
        const message = `PIVOT ON ${column.expr} finds no value in the rows your role can read, so it has no column to make.`;
        throw new EngineFailure({ code: 'RUNTIME', message, hint });
      }
      values.push(listed);
    }
    return withInLists(sql, columns, values);
  }

  private async guardAndRun(
    sql: string,
    cells: CellSource[],
    control: QueryControl,
    seen: { decision?: GuardDecision },
  ): Promise<QueryResult> {
    const started = now();
    this.syncCellViews(cells);
    await this.checkpoint(control);
    const guardStarted = now();
    const kept = this.decisions.get(DecisionCache.key(sql, cells, this.loader.generation));
    let decision = kept ?? (await this.decide(sql, cells));
    let guardMs = now() - guardStarted;
    if (!kept) await this.checkpoint(control);
    seen.decision = decision;
    if (decision.decision === 'deny')
      throw new EngineFailure(this.blameCell(this.denialError(sql, decision)));

    const named = tablesToLoad(decision.objects, sql, cells, this.view, (s) => this.user.tokenize(s));
    const rowNeeds = new Map<string, RowNeed[]>();
    // Only columns asked for: no data is loaded, so which rows the plans read does not matter.
    let needs = control.columnsOnly ? [] : this.withRows(named, decision, cells, rowNeeds);
    while (!control.columnsOnly) {
      await this.checkpoint(control);
      const pending = needs.filter((n) => this.loader.missing(n).length > 0 || this.loader.missingRows(n));
      if (pending.length === 0) break;
      await this.loader.ensureLoaded(pending, control.report, control.shouldStop);
      // Decided again on the loaded data: a scan the optimizer pruned on an empty stub is in the plan now,
      // so the objects and tags recorded and returned are complete.
      const again = now();
      decision = await this.decide(sql, cells);
      guardMs += now() - again;
      seen.decision = decision;
      if (decision.decision === 'deny')
        throw new EngineFailure(this.blameCell(this.denialError(sql, decision)));
      const scanned = needsInPlans(
        decision.statements.map((s) => s.sql),
        this.view,
        this.user,
      );
      needs = this.withRows(
        [...scanned, ...named.map((n) => ({ table: n.table, columns: [] }))],
        decision,
        cells,
        rowNeeds,
      );
    }
    this.decisions.keep(DecisionCache.key(sql, cells, this.loader.generation), decision);
    await this.hooks.beforeRun?.(decision.objects, this.user);

    const statements = decision.statements;
    for (const [i, statement] of statements.entries()) {
      const stop = control.shouldStop();
      if (stop) throw stop;
      const last = i === statements.length - 1;
      try {
        if (!last) {
          await this.user.run(statement.sql);
          continue;
        }
        const result = await this.user.runBudgeted(statement.sql, {
          maxRows: control.columnsOnly ? 0 : control.maxRows,
          maxBytes: control.maxBytes,
        });
        return {
          ipc: result.ipc,
          columns: resultColumns(result.ipc),
          rowCount: result.rowCount,
          truncated: result.truncated,
          truncatedBy: result.truncatedBy,
          elapsedMs: now() - started,
          guardMs,
          guardReused: kept !== undefined && kept === decision,
          tags: decision.tags,
          objects: decision.objects,
          rules: decision.rules,
        };
      } catch (e) {
        const stop = control.shouldStop();
        throw stop ?? new EngineFailure(this.blameCell(positionInCell(sql, statement.sql, e)));
      }
    }
    throw new EngineFailure({ code: 'SYNTAX', message: 'The cell holds no SQL statement.' });
  }

  /**
   * The needs with the rows the statements read of their tables, from their plans on the data loaded now,
   * added to `seen`: what the plans made on earlier loads of this run said. Each plan's scan filters hold
   * every row read (on more data, DuckDB may drop a filter it proves true of the rows loaded, never add
   * one), so a row group is needed only when every plan so far needs it. Planned only when a table of the
   * needs holds none or some of its rows, and once per statement and cells (`RowNeedMemo`).
   */
  private withRows(
    needs: TableNeed[],
    decision: GuardDecision,
    cells: readonly CellSource[],
    seen: Map<string, RowNeed[]>,
  ): TableNeed[] {
    const tables = [...new Set(needs.map((n) => n.table))];
    if (!tables.some((t) => this.loader.rowsMatter(t))) return needs;
    const statements = decision.statements.map((s) => s.sql);
    const key = RowNeedMemo.key(statements, cells);
    let found = this.rowNeeds.get(key, tables);
    if (!found) {
      const stubs = tables
        .filter((t) => this.loader.rowsMatter(t))
        .map((table) => ({ table, holdsRows: this.loader.holdsSomeRows(table) }));
      found = rowNeedsInPlans(statements, tables, this.view, this.user, stubs);
      this.rowNeeds.keep(key, found);
    }
    for (const [table, rows] of found) seen.set(table, [...(seen.get(table) ?? []), rows]);
    return needs.map((n) => ({ ...n, rows: seen.get(n.table) }));
  }

  /**
   * Lets in what was asked meanwhile and stops here if that stopped this run: the steps before a statement
   * runs (views, the guard's plans) hold the thread for up to a few hundred milliseconds each, and a role
   * switch or a cancel should not wait for all of them.
   */
  private async checkpoint(control: QueryControl): Promise<void> {
    await macrotask();
    const stop = control.shouldStop();
    if (stop) throw stop;
  }

  private decide(sql: string, cells: CellSource[]): Promise<GuardDecision> {
    return guardCell(sql, {
      view: this.view,
      manifest: this.manifest,
      cells: cells.map((c) => c.name),
      probe: this.user,
    });
  }

  /**
   * Cells are visible to each other as temporary views. A view is rebuilt only when its cell's SQL changed;
   * it goes through a prepared statement, so a cell can never smuggle a second statement onto this path.
   * Cells that read other cells are created once those exist, whatever their order in the notebook.
   */
  private syncCellViews(cells: CellSource[]): void {
    const wanted = new Map(cells.map((c) => [c.name, c.sql.trim().replace(/;+\s*$/, '')]));
    for (const name of [...this.cellSql.keys()]) {
      if (wanted.get(name) !== this.cellSql.get(name)) {
        this.user.execOne(`DROP VIEW IF EXISTS ${quoteIdent(name)}`);
        this.cellSql.delete(name);
      }
    }
    this.cellErrors.clear();
    let pending = [...wanted].filter(([name, body]) => body.length > 0 && !this.cellSql.has(name));
    for (let progress = true; progress && pending.length > 0;) {
      progress = false;
      pending = pending.filter(([name, body]) => {
        try {
          this.user.execOne(`CREATE OR REPLACE TEMP VIEW ${quoteIdent(name)} AS ${body}`);
          this.cellSql.set(name, body);
          progress = true;
          return false;
        } catch (e) {
          this.cellErrors.set(name, toEngineError(e).message);
          return true;
        }
      });
    }
    for (const [name] of pending) this.user.execOne(`DROP VIEW IF EXISTS ${quoteIdent(name)}`);
  }

  /** A statement that fails because a cell it reads has an error gets that cell's error instead. */
  private blameCell(error: EngineError): EngineError {
    return blameCell(error, this.cellErrors, withheldTable(this.view, this.manifest));
  }

  private denialError(sql: string, decision: GuardDecision): EngineError {
    const code = decision.code ?? 'DENIED';
    const error: EngineError = { code, message: decision.reason ?? 'The statement was refused.' };
    if (code === 'DENIED') return decision.rule ? { ...error, rule: decision.rule } : error;
    // For syntax and binder errors, ask DuckDB where in the cell the problem is.
    const statement = decision.statements.find((s) => s.decision === 'deny');
    if (!statement) return error;
    try {
      this.user.explain(statement.sql);
    } catch (e) {
      const at = positionInCell(sql, statement.sql, e, 'EXPLAIN (FORMAT JSON) ');
      if (at.line !== undefined) Object.assign(error, { line: at.line, column: at.column });
    }
    return error;
  }
}

/** The text values of a one-column result (`distinctValuesSql`). */
function pivotValues(ipc: IpcBytes): string[] {
  const table = tableFromIPC(joinIpc(ipc));
  const column = table.getChild('v');
  return Array.from({ length: table.numRows }, (_, i) => String(column?.get(i)));
}

function now(): number {
  return performance.now();
}
