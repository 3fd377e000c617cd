import {
  Bool,
  Field,
  Float64,
  Int32,
  List,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import type { AuditEntry } from './audit';

/**
 * The audit log as the `audit_log` table that roles with `readAudit` query like any other table. The
 * engine appends these Arrow bytes to the stub created from `AUDIT_COLUMNS` in the user instance.
 */

export const AUDIT_COLUMNS = [
  { name: 'seq', type: 'INTEGER' },
  { name: 'time', type: 'VARCHAR' },
  { name: 'action', type: 'VARCHAR' },
  { name: 'user', type: 'VARCHAR' },
  { name: 'role', type: 'VARCHAR' },
  { name: 'decision', type: 'VARCHAR' },
  { name: 'reason', type: 'VARCHAR' },
  { name: 'statement', type: 'VARCHAR' },
  { name: 'statement_hash', type: 'VARCHAR' },
  { name: 'objects', type: 'VARCHAR[]' },
  { name: 'rules', type: 'VARCHAR[]' },
  { name: 'tags', type: 'VARCHAR[]' },
  { name: 'rows', type: 'INTEGER' },
  { name: 'duration_ms', type: 'DOUBLE' },
  { name: 'prev_hash', type: 'VARCHAR' },
  { name: 'hash', type: 'VARCHAR' },
  { name: 'denied', type: 'BOOLEAN' },
] as const;

const strings = () => new List(new Field('item', new Utf8(), true));

export function auditTableIpc(entries: AuditEntry[]): Uint8Array {
  const col = <T>(type: DataType, pick: (e: AuditEntry) => T) => vectorFromArray(entries.map(pick), type);
  const table = new Table({
    seq: col(new Int32(), (e) => e.seq),
    time: col(new Utf8(), (e) => e.time),
    action: col(new Utf8(), (e) => e.action),
    user: col(new Utf8(), (e) => e.user),
    role: col(new Utf8(), (e) => e.role),
    decision: col(new Utf8(), (e) => e.decision),
    reason: col(new Utf8(), (e) => e.reason ?? null),
    statement: col(new Utf8(), (e) => e.statement),
    statement_hash: col(new Utf8(), (e) => e.statementHash),
    objects: col(strings(), (e) => e.objects),
    rules: col(strings(), (e) => e.rules),
    tags: col(strings(), (e) => e.tags),
    rows: col(new Int32(), (e) => e.rows),
    duration_ms: col(new Float64(), (e) => e.durationMs),
    prev_hash: col(new Utf8(), (e) => e.prevHash),
    hash: col(new Utf8(), (e) => e.hash),
    denied: col(new Bool(), (e) => e.decision === 'deny'),
  });
  return tableToIPC(table, 'stream');
}
