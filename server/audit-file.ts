/**
 * The server's audit log: one JSON line per decision, hash-chained (src/gov/audit.ts), appended and synced
 * to disk before the answer leaves, so a decision the user saw is a decision the log holds. The head (last
 * sequence number and hash) is kept beside it, so entries cut from the end are found too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import {
  auditHeadSchema,
  sealEntry,
  verifyChain,
  type AuditEntry,
  type AuditHead,
  type AuditInput,
  type ChainReport,
} from '../src/gov/audit.ts';

export class AuditFile {
  private head: AuditHead | undefined;
  /** Appends run one after another: each links to the entry before it. */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    head: AuditHead | undefined,
  ) {
    this.head = head;
  }

  /** Opens the log, continuing its chain; a log that does not verify is refused rather than extended. */
  static async open(file: string): Promise<AuditFile> {
    const entries = readEntries(file);
    const head = readHead(file);
    const report = await verifyChain(entries, head);
    if (!report.ok) {
      const first = report.problems[0];
      throw new Error(
        `The audit log ${file} does not verify (entry ${first?.index}: ${first?.problem}); move it aside and investigate before serving.`,
      );
    }
    const last = entries.at(-1) as AuditEntry | undefined;
    return new AuditFile(file, last ? { seq: last.seq, hash: last.hash } : undefined);
  }

  append(input: AuditInput): Promise<AuditEntry> {
    const next = this.tail.then(async () => {
      const entry = await sealEntry(input, this.head);
      // Synced without blocking: other requests' streams go on while the disk confirms.
      await appendSynced(this.file, JSON.stringify(entry) + '\n');
      this.head = { seq: entry.seq, hash: entry.hash };
      await writeHead(this.file, this.head);
      return entry;
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Entries after `afterSeq` (all when undefined), in chain order. */
  entriesAfter(afterSeq: number | undefined): AuditEntry[] {
    const all = readEntries(this.file) as AuditEntry[];
    return afterSeq === undefined ? all : all.filter((e) => e.seq > afterSeq);
  }

  verify(): Promise<ChainReport & { entries: number }> {
    return verifyLog(this.file);
  }
}

export async function verifyLog(file: string): Promise<ChainReport & { entries: number }> {
  const entries = readEntries(file);
  const report = await verifyChain(entries, readHead(file));
  return { ...report, entries: entries.length };
}

function readEntries(file: string): unknown[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return { unreadable: line };
      }
    });
}

const headFile = (file: string) => `${file}.head`;

function readHead(file: string): AuditHead | undefined {
  if (!existsSync(headFile(file))) return undefined;
  const parsed = auditHeadSchema.safeParse(JSON.parse(readFileSync(headFile(file), 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

async function appendSynced(file: string, text: string, flags = 'a'): Promise<void> {
  const handle = await open(file, flags);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Written aside and renamed, so a crash leaves the old head or the new one, never half of one. */
async function writeHead(file: string, head: AuditHead): Promise<void> {
  const temp = `${headFile(file)}.tmp`;
  await appendSynced(temp, JSON.stringify(head) + '\n', 'w');
  await rename(temp, headFile(file));
}
