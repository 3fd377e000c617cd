import { z } from 'zod';

/**
 * The audit log as a hash chain: each entry carries the SHA-256 of the entry before it and its own, over a
 * fixed serialization of every field. `verifyChain` detects an edited, reordered, inserted or dropped entry;
 * a separate head record (the last sequence number and hash) catches entries dropped at the end.
 * Hashing uses WebCrypto (`crypto.subtle`), present in browsers and in Node 20.
 */

export const GENESIS_HASH = '0'.repeat(64);

export const AUDIT_ACTIONS = [
  'query',
  'tag-change',
  'export',
  'role-change',
  'ingest',
  'erase-local',
] as const;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const auditInputSchema = z.strictObject({
  action: z.enum(AUDIT_ACTIONS),
  user: z.string(),
  role: z.string(),
  /** ISO 8601 time of the decision. */
  time: z.iso.datetime({ offset: true }),
  /** The statement text (for a tag change: what changed, e.g. `patients.dod: PHI -> PHI,date`). */
  statement: z.string(),
  decision: z.enum(['allow', 'deny']),
  reason: z.string().optional(),
  objects: z.array(z.string()),
  /** Masks, row filters and suppression applied. */
  rules: z.array(z.string()),
  tags: z.array(z.string()).default([]),
  /** Rows returned; null when nothing ran. */
  rows: z.number().int().nonnegative().nullable(),
  durationMs: z.number().nonnegative(),
});

export const auditEntrySchema = auditInputSchema.extend({
  seq: z.number().int().nonnegative(),
  statementHash: hex64,
  prevHash: hex64,
  hash: hex64,
});

export const auditHeadSchema = z.strictObject({ seq: z.number().int().nonnegative(), hash: hex64 });

export type AuditInput = z.input<typeof auditInputSchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditHead = z.infer<typeof auditHeadSchema>;

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Fixed field order, so the hash does not depend on how an object was built. */
function canonical(e: Omit<AuditEntry, 'hash'>): string {
  return JSON.stringify([
    e.seq,
    e.action,
    e.user,
    e.role,
    e.time,
    e.statement,
    e.statementHash,
    e.decision,
    e.reason ?? null,
    e.objects,
    e.rules,
    e.tags,
    e.rows,
    e.durationMs,
    e.prevHash,
  ]);
}

/** Chains a new entry after `head` (undefined for the first entry). */
export async function sealEntry(input: AuditInput, head: AuditHead | undefined): Promise<AuditEntry> {
  const data = auditInputSchema.parse(input);
  const body = {
    ...data,
    seq: head ? head.seq + 1 : 0,
    statementHash: await sha256Hex(data.statement),
    prevHash: head ? head.hash : GENESIS_HASH,
  };
  return { ...body, hash: await sha256Hex(canonical(body)) };
}

export interface ChainProblem {
  /** Position in the list given to `verifyChain`. */
  index: number;
  problem: string;
}

export interface ChainReport {
  ok: boolean;
  problems: ChainProblem[];
}

/**
 * Checks every entry's hash, its link to the one before and its place in the sequence; with `head`, also
 * that nothing is missing after the last entry. Accepts untrusted data (e.g. an imported JSONL file).
 */
export async function verifyChain(entries: unknown[], head?: AuditHead): Promise<ChainReport> {
  const problems: ChainProblem[] = [];
  let prevHash = GENESIS_HASH;
  for (let index = 0; index < entries.length; index++) {
    const parsed = auditEntrySchema.safeParse(entries[index]);
    if (!parsed.success) {
      problems.push({ index, problem: 'malformed entry' });
      prevHash = '';
      continue;
    }
    const e = parsed.data;
    if (e.seq !== index) problems.push({ index, problem: `sequence ${e.seq} where ${index} was expected` });
    if (e.prevHash !== prevHash) problems.push({ index, problem: 'does not link to the entry before it' });
    if (e.statementHash !== (await sha256Hex(e.statement))) {
      problems.push({ index, problem: 'statement text does not match its hash' });
    }
    const { hash, ...body } = e;
    if (hash !== (await sha256Hex(canonical(body)))) problems.push({ index, problem: 'entry was changed' });
    prevHash = e.hash;
  }
  if (head) {
    const last = entries.length > 0 ? auditEntrySchema.safeParse(entries[entries.length - 1]) : undefined;
    if (!last?.success || last.data.seq !== head.seq || last.data.hash !== head.hash) {
      problems.push({
        index: entries.length,
        problem: `entries after the last one given are missing (head is ${head.seq})`,
      });
    }
  }
  return { ok: problems.length === 0, problems };
}

/** One JSON object per line, in chain order; `verifyChain` accepts the parsed lines back. */
export function toJsonl(entries: AuditEntry[]): string {
  return entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length > 0 ? '\n' : '');
}
