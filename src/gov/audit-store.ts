import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import {
  auditEntrySchema,
  auditHeadSchema,
  sealEntry,
  toJsonl,
  verifyChain,
  type AuditEntry,
  type AuditHead,
  type AuditInput,
  type ChainReport,
} from './audit';

/**
 * The audit log in IndexedDB. The API appends and reads; there is no update or delete. Entries are added
 * with `add` (never `put`), so an existing sequence number cannot be overwritten, and the head record moves
 * in the same transaction. Another tab appending at the same time makes the transaction fail; the append
 * then re-reads the head and chains again.
 */

interface AuditDb extends DBSchema {
  entries: { key: number; value: AuditEntry };
  head: { key: string; value: AuditHead };
}

const HEAD_KEY = 'head';
const MAX_ATTEMPTS = 5;

export interface AuditStore {
  append(input: AuditInput): Promise<AuditEntry>;
  entries(): Promise<AuditEntry[]>;
  head(): Promise<AuditHead | undefined>;
  verify(): Promise<ChainReport>;
  exportJsonl(): Promise<string>;
  close(): void;
}

export async function openAuditStore(name = 'lakebook-audit'): Promise<AuditStore> {
  const db: IDBPDatabase<AuditDb> = await openDB<AuditDb>(name, 1, {
    upgrade(d) {
      d.createObjectStore('entries', { keyPath: 'seq' });
      d.createObjectStore('head');
    },
  });

  const readHead = async () => {
    const h = await db.get('head', HEAD_KEY);
    return h === undefined ? undefined : auditHeadSchema.parse(h);
  };

  const tryAppend = async (input: AuditInput): Promise<AuditEntry | undefined> => {
    const before = await readHead();
    // Hashing is asynchronous and would let an IndexedDB transaction close, so it happens before one opens.
    const entry = await sealEntry(input, before);
    const tx = db.transaction(['entries', 'head'], 'readwrite');
    // An aborted transaction rejects `done`; the outcome is read from the awaited requests below.
    tx.done.catch(() => undefined);
    try {
      const now = await tx.objectStore('head').get(HEAD_KEY);
      if (now?.seq !== before?.seq || now?.hash !== before?.hash) {
        tx.abort();
        return undefined;
      }
      await tx.objectStore('entries').add(entry);
      await tx.objectStore('head').put({ seq: entry.seq, hash: entry.hash }, HEAD_KEY);
      await tx.done;
      return entry;
    } catch (e) {
      if (e instanceof DOMException && (e.name === 'ConstraintError' || e.name === 'AbortError'))
        return undefined;
      throw e;
    }
  };

  let queue: Promise<unknown> = Promise.resolve();
  const append = (input: AuditInput): Promise<AuditEntry> => {
    const run = async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const entry = await tryAppend(input);
        if (entry) return entry;
      }
      throw new Error('The audit log is busy in another tab; the entry could not be written.');
    };
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };

  const entries = async () => (await db.getAll('entries')).map((e) => auditEntrySchema.parse(e));

  return {
    append,
    entries,
    head: readHead,
    verify: async () => verifyChain(await db.getAll('entries'), await readHead()),
    exportJsonl: async () => toJsonl(await entries()),
    close: () => db.close(),
  };
}
