import { rowChecker, type TableContract, type TypedRow } from './contracts.ts';
import type { ParsedRecord } from './event-parse.ts';

/**
 * The validation step of ingest, shared by the lake CLI and the browser: each parsed event is checked
 * against the table's contract; bad ones are set aside with their line and reason (for a dead-letter file),
 * good ones are typed and kept once per key, the later event winning.
 */
export interface RejectedEvent {
  line: number;
  reason: string;
  event: string;
}

export interface ValidatedBatch {
  /** Typed rows, one per key, in first-seen key order. */
  rows: TypedRow[];
  /** Events that passed the contract (before keys repeated inside the batch were merged). */
  valid: number;
  rejected: RejectedEvent[];
  /** The UTC day of the newest event time: the raw partition a batch is filed under. */
  day: Date | undefined;
}

export function validateBatch(contract: TableContract, records: readonly ParsedRecord[]): ValidatedBatch {
  const checkRow = rowChecker(contract);
  const rejected: RejectedEvent[] = [];
  const byKey = new Map<string, TypedRow>();
  let valid = 0;
  for (const rec of records) {
    const check = rec.record ? checkRow(rec.record) : { ok: false as const, reason: rec.error ?? '' };
    if (!check.ok) rejected.push({ line: rec.line, reason: check.reason, event: rec.text });
    else {
      valid++;
      byKey.set(rowKey(contract, check.row), check.row);
    }
  }
  const rows = [...byKey.values()];
  return { rows, valid, rejected, day: batchDay(rows, contract.eventTime) };
}

/** A row's key as one string, for maps keyed by a contract's (possibly composite) key. */
export function rowKey(contract: TableContract, row: TypedRow): string {
  return JSON.stringify(contract.key.map((k) => row[k]));
}

function batchDay(rows: TypedRow[], column: string): Date | undefined {
  let newest: number | undefined;
  for (const row of rows) {
    const value = row[column];
    const t = typeof value === 'string' ? Date.parse(value.replace(' ', 'T') + 'Z') : NaN;
    if (!Number.isNaN(t) && (newest === undefined || t > newest)) newest = t;
  }
  return newest === undefined ? undefined : new Date(newest);
}
