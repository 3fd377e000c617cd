import type { GuardDecision } from '../../../gov/guard';
import { redactValues } from '../../../gov/redact-values';
import type { CellSource } from '../../../contract/results';
import { toEngineError } from '../../errors';
import type { QueryOutcome } from './engine-hooks';

/**
 * The statement as the audit log keeps it: with the SQL of every cell it reads, as comment lines above it.
 * `SELECT * FROM "cohort"` alone would not say what a reader of the log needs, which data was read.
 */
export function auditStatement(sql: string, cells: readonly CellSource[]): string {
  const sources = cells.map((c) => `-- cell ${c.name}:\n${c.sql.trimEnd().replace(/^/gm, '--   ')}\n`);
  return sources.join('') + sql;
}

/**
 * What the audit log keeps of a statement. Its reasons are read by other roles (an Auditor), so engine
 * errors are kept without the data values DuckDB quotes in them; the user who ran the statement gets the
 * full message in the cell.
 */
export function outcomeOf(
  statement: string,
  cells: readonly CellSource[],
  decision: GuardDecision | undefined,
  error: unknown,
  durationMs: number,
): QueryOutcome {
  const failure = error === undefined ? undefined : toEngineError(error);
  const sql = auditStatement(statement, cells);
  if (!decision) {
    const reason = `The guard could not decide: ${failure ? redactValues(failure.message) : 'no decision'}`;
    return { sql, decision: 'deny', reason, objects: [], tags: [], rules: [], rows: null, durationMs };
  }
  const { objects, tags, rules } = decision;
  if (decision.decision === 'deny')
    return { sql, decision: 'deny', reason: decision.reason, objects, tags, rules, rows: null, durationMs };
  const reason = failure ? `allowed, then ${failure.code}: ${redactValues(failure.message)}` : undefined;
  return { sql, decision: 'allow', reason, objects, tags, rules, rows: null, durationMs };
}
