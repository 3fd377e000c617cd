/**
 * One query on the server, as the browser's engine runs it: the notebook's cells become temporary views of
 * this request's connection, the guard decides every statement from DuckDB's own plan, and only then does
 * the last statement run, streamed out as Arrow IPC. Every decision is recorded before the answer ends.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { guardCell, type GuardDecision, type GuardProbe } from '../src/gov/guard.ts';
import { quoteIdent } from '../src/gov/sql-text.ts';
import type { TokenList } from '../src/gov/statements.ts';
import { AUDIT_TABLE } from '../src/gov/types.ts';
import { blameCell, EngineFailure, positionInCell, toEngineError } from '../src/engine/errors.ts';
import { withheldTable } from '../src/gov/denials.ts';
import { outcomeOf } from '../src/engine/worker/governance/query-outcome.ts';
import type { QueryOutcome } from '../src/engine/worker/governance/engine-hooks.ts';
import { checkSourceName } from '../src/contract/cell-names.ts';
import type { CellSource, EngineError } from '../src/contract/results.ts';
import { encodeArrowStream, type EncodedEnd } from './arrow-encoder.ts';
import type { NativeLake } from './native-lake.ts';

export type Tokenize = (sql: string) => TokenList;

export interface QueryRun {
  sql: string;
  cells: CellSource[];
  /** Rows the page keeps; the server sends one more when there are more, so the page knows it was cut. */
  maxRows: number;
}

export interface ResultMeta {
  tags: string[];
  objects: string[];
  rules: string[];
  guardMs: number;
}

export interface StartedResult {
  meta: ResultMeta;
  /** The Arrow IPC stream's messages: schema and first batch are ready; the end-of-stream message is last. */
  messages: AsyncGenerator<Uint8Array, EncodedEnd>;
  first: Uint8Array[];
}

export interface QueryHooks {
  record(outcome: QueryOutcome): Promise<void>;
  /** Fills `audit_log` for a role that reads it, before a statement that reads it runs. */
  refreshAudit(): Promise<void>;
}

export class NativeQuery {
  private readonly cellErrors = new Map<string, string>();
  private readonly started = performance.now();
  private decision?: GuardDecision;

  constructor(
    private readonly lake: NativeLake,
    private readonly conn: DuckDBConnection,
    /** A connection to the lake's plan twin, where the guard's EXPLAIN runs (see NativeLake). */
    private readonly twin: DuckDBConnection,
    private readonly tokenize: Tokenize,
    private readonly hooks: QueryHooks,
  ) {}

  /**
   * Guards and starts the statement. Resolves once the schema and the first batch are ready, so errors of
   * binding, planning and the first rows still get their own status; rejects with an EngineFailure.
   */
  async start(run: QueryRun): Promise<StartedResult> {
    try {
      checkCells(run.cells, this.lake);
      await this.createCellViews(run.cells);
      const guardStarted = performance.now();
      const decision = await guardCell(run.sql, {
        view: this.lake.view,
        manifest: this.lake.manifest,
        cells: run.cells.map((c) => c.name),
        probe: this.probe(),
      });
      const guardMs = performance.now() - guardStarted;
      this.decision = decision;
      if (decision.decision === 'deny')
        throw new EngineFailure(this.blameCell(await this.denialError(run.sql, decision)));
      if (decision.objects.includes(AUDIT_TABLE)) await this.hooks.refreshAudit();
      const statements = decision.statements;
      for (const statement of statements.slice(0, -1)) await this.runOne(run.sql, statement.sql);
      const last = statements.at(-1);
      if (!last) throw new EngineFailure({ code: 'SYNTAX', message: 'The cell holds no SQL statement.' });
      const result = await this.conn.stream(last.sql).catch((e: unknown) => {
        throw new EngineFailure(this.blameCell(positionInCell(run.sql, last.sql, e)));
      });
      const messages = encodeArrowStream(result, { maxRows: run.maxRows + 1 });
      const first: Uint8Array[] = [];
      try {
        for (let i = 0; i < 2; i++) {
          const next = await messages.next();
          if (next.done) break;
          first.push(next.value);
        }
      } catch (e) {
        throw new EngineFailure(this.blameCell(positionInCell(run.sql, last.sql, e)));
      }
      return {
        meta: { tags: decision.tags, objects: decision.objects, rules: decision.rules, guardMs },
        messages,
        first,
      };
    } catch (e) {
      await this.hooks.record(outcomeOf(run.sql, run.cells, this.decision, e, this.elapsed()));
      throw e instanceof EngineFailure ? e : new EngineFailure(toEngineError(e));
    }
  }

  /** Records the finished (or broken-off) statement; awaited before the stream's last message is sent. */
  finish(run: QueryRun, rows: number | null, error?: unknown): Promise<void> {
    const outcome = outcomeOf(run.sql, run.cells, this.decision, error, this.elapsed());
    return this.hooks.record({ ...outcome, rows });
  }

  private elapsed(): number {
    return performance.now() - this.started;
  }

  private probe(): GuardProbe {
    return {
      tokenize: this.tokenize,
      tableNames: (sql) => [...this.twin.getTableNames(sql, false)],
      explain: async (sql) => {
        const prepared = await this.twin.prepare(`EXPLAIN (FORMAT JSON) ${sql}`);
        const reader = await prepared.runAndReadAll();
        const rows = reader.getRows();
        return rows.length > 0 ? String(rows[0][1]) : '[]';
      },
    };
  }

  private async runOne(cell: string, statement: string): Promise<void> {
    try {
      await this.conn.run(statement);
    } catch (e) {
      throw new EngineFailure(this.blameCell(positionInCell(cell, statement, e)));
    }
  }

  /**
   * Cells become temporary views of this connection only, each through a prepared statement so a cell's
   * body can never carry a second statement. Cells that read other cells are created once those exist.
   */
  private async createCellViews(cells: CellSource[]): Promise<void> {
    let pending = cells
      .map((c) => ({ name: c.name, body: c.sql.trim().replace(/;+\s*$/, '') }))
      .filter((c) => c.body.length > 0);
    for (let progress = true; progress && pending.length > 0;) {
      progress = false;
      const left: typeof pending = [];
      for (const cell of pending) {
        try {
          const sql = `CREATE OR REPLACE TEMP VIEW ${quoteIdent(cell.name)} AS ${cell.body}`;
          for (const conn of [this.twin, this.conn]) await (await conn.prepare(sql)).run();
          progress = true;
        } catch (e) {
          this.cellErrors.set(cell.name, toEngineError(e).message);
          left.push(cell);
        }
      }
      pending = left;
    }
  }

  /** For a syntax or binder error, DuckDB says where in the cell the problem is. */
  private async denialError(cell: string, decision: GuardDecision): Promise<EngineError> {
    const code = decision.code ?? 'DENIED';
    const error: EngineError = { code, message: decision.reason ?? 'The statement was refused.' };
    if (code === 'DENIED') return decision.rule ? { ...error, rule: decision.rule } : error;
    const statement = decision.statements.find((s) => s.decision === 'deny');
    if (!statement) return error;
    const prefix = 'EXPLAIN (FORMAT JSON) ';
    try {
      await this.twin.prepare(prefix + statement.sql);
    } catch (e) {
      const at = positionInCell(cell, statement.sql, e, prefix);
      if (at.line !== undefined) return { ...error, line: at.line, column: at.column };
    }
    return error;
  }

  private blameCell(error: EngineError): EngineError {
    return blameCell(error, this.cellErrors, withheldTable(this.lake.view, this.lake.manifest));
  }
}

/** A cell may not take the name of a catalog table or another cell: it would hide what it names. */
function checkCells(cells: CellSource[], lake: NativeLake): void {
  const tables = [...lake.manifest.tables.map((t) => t.name), AUDIT_TABLE];
  const seen = new Set<string>();
  for (const cell of cells) {
    const check = checkSourceName(cell.name, tables);
    const lower = cell.name.toLowerCase();
    const message = !check.ok
      ? check.message
      : seen.has(lower)
        ? `Two cells are named "${cell.name}".`
        : undefined;
    if (message) {
      throw new EngineFailure({
        code: 'DENIED',
        rule: 'cell-name',
        message: `Cell "${cell.name}": ${message}`,
      });
    }
    seen.add(lower);
  }
}
