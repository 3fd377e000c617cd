import { sealEntry, toJsonl, verifyChain, type AuditEntry } from '../../../gov/audit';
import type { AuditStore } from '../../../gov/audit-store';

/**
 * The same hash chain kept in memory, for a browser that refuses IndexedDB: the log then lasts as long as
 * the engine and the app says so. Appends are serialized like the IndexedDB store's.
 */
export function memoryAuditStore(): AuditStore {
  const kept: AuditEntry[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  const head = () => {
    const last = kept[kept.length - 1];
    return last ? { seq: last.seq, hash: last.hash } : undefined;
  };
  return {
    append(input) {
      const next = queue.then(async () => {
        const entry = await sealEntry(input, head());
        kept.push(entry);
        return entry;
      });
      queue = next.catch(() => undefined);
      return next;
    },
    entries: async () => [...kept],
    head: async () => head(),
    verify: async () => verifyChain([...kept], head()),
    exportJsonl: async () => toJsonl(kept),
    close: () => undefined,
  };
}
