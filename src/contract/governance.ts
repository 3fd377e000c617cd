/**
 * Governance requests and answers that cross from the UI to any engine: tag changes made in the catalog
 * panel (validated with `tagChangeSchema` where they enter an engine) and the audit log's state.
 */
import { z } from 'zod';
import type { ChainProblem } from '../gov/audit';

const tag = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a tag is a word (letters, digits, - or _)');

export const tagChangeSchema = z.strictObject({
  table: z.string().min(1),
  /** Absent for the table's own tags. */
  column: z.string().min(1).optional(),
  /** A table needs at least one tag; a column given no tag inherits its table's again. */
  tags: z.array(tag).max(20),
});

export type TagChange = z.infer<typeof tagChangeSchema>;

/** Whether the audit log survives a reload, and why not when it does not. */
export interface AuditStatus {
  persistent: boolean;
  problem?: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  problems: ChainProblem[];
}

export interface AuditExport {
  jsonl: string;
  entries: number;
}
