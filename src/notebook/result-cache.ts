/**
 * The last result of each SQL cell, kept in this browser's IndexedDB so a reload shows it at once, before
 * the engine is ready. Results can be large: one above `maxEntryBytes` is not kept, and the oldest are
 * dropped once all of them pass `maxTotalBytes`. The cache is a convenience: when the browser refuses or
 * fails a read or a write (no IndexedDB, quota), it turns itself off and the notebook goes on without it.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { z } from 'zod';
import { ipcByteLength, joinIpc } from '../contract/ipc-bytes';
import type { QueryResult } from '../contract/results';

export interface CachedResult {
  notebook: string;
  cell: string;
  /** `sessionKey` of the session that ran it. */
  session: string;
  /** `resultFingerprint` of what it was computed from. */
  fingerprint: string;
  /** `lakeVersion` of the lake it was computed on. */
  lake: string;
  /** When it was computed (milliseconds since the epoch). */
  savedAt: number;
  result: QueryResult;
  /** The order the result was sorted in (the grid's sort, see `SortOrder` in store-types). */
  sort?: { column: string; descending: boolean };
}

export interface ResultCache {
  /** The kept results of a notebook's cells for one session; none when the cache is off. */
  read(notebook: string, session: string): Promise<CachedResult[]>;
  write(entry: CachedResult): Promise<void>;
  forget(notebook: string, session: string, cell: string): Promise<void>;
  /** Every kept result of a notebook, under any session. */
  forgetNotebook(notebook: string): Promise<void>;
  /** The lake version the engine last reported for a session, to check kept results before it is ready. */
  lastLake(session: string): Promise<string | undefined>;
  setLastLake(session: string, lake: string): Promise<void>;
}

export interface ResultCacheLimits {
  maxEntryBytes: number;
  maxTotalBytes: number;
  maxEntries: number;
}

export const DEFAULT_LIMITS: ResultCacheLimits = {
  maxEntryBytes: 4 * 1024 * 1024,
  maxTotalBytes: 48 * 1024 * 1024,
  maxEntries: 500,
};

const DB_NAME = 'lakebook-results';

/** What is stored beside the bytes: everything of the entry but the Arrow IPC stream. */
const metaSchema = z.object({
  notebook: z.string(),
  cell: z.string(),
  session: z.string(),
  fingerprint: z.string(),
  lake: z.string(),
  savedAt: z.number(),
  bytes: z.number(),
  sort: z.object({ column: z.string(), descending: z.boolean() }).optional(),
  result: z.object({
    columns: z.array(z.object({ name: z.string(), type: z.string() })),
    rowCount: z.number(),
    truncated: z.boolean(),
    truncatedBy: z.enum(['rows', 'bytes']).optional(),
    elapsedMs: z.number(),
    guardMs: z.number().optional(),
    guardReused: z.boolean().optional(),
    tags: z.array(z.string()),
    objects: z.array(z.string()),
    rules: z.array(z.string()),
  }),
});
type StoredMeta = z.infer<typeof metaSchema> & { key: IDBValidKey };

const keyOf = (notebook: string, session: string, cell: string) => [notebook, session, cell];
/** Every key that starts with `prefix` (arrays sort after strings, so `[...prefix, []]` is past them all). */
const startingWith = (...prefix: string[]) => IDBKeyRange.bound(prefix, [...prefix, []]);

export class IdbResultCache implements ResultCache {
  private off = false;

  private constructor(
    private readonly db: IDBPDatabase,
    private readonly limits: ResultCacheLimits,
  ) {}

  /** Rejects when the browser offers no IndexedDB: the notebook then runs without a cache. */
  static async open(limits: ResultCacheLimits = DEFAULT_LIMITS): Promise<IdbResultCache> {
    const db = await openDB(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore('entries', { keyPath: 'key' }).createIndex('savedAt', 'savedAt');
        db.createObjectStore('ipc');
        db.createObjectStore('meta');
      },
    });
    return new IdbResultCache(db, limits);
  }

  /** Runs `op` unless the cache is off; the first failure turns it off for the rest of the page's life. */
  private async guarded<T>(fallback: T, op: () => Promise<T>): Promise<T> {
    if (this.off) return fallback;
    try {
      return await op();
    } catch {
      this.off = true;
      return fallback;
    }
  }

  read(notebook: string, session: string): Promise<CachedResult[]> {
    return this.guarded([], async () => {
      const tx = this.db.transaction(['entries', 'ipc'], 'readonly');
      const range = startingWith(notebook, session);
      const [metas, streams] = await Promise.all([
        tx.objectStore('entries').getAll(range),
        tx.objectStore('ipc').getAll(range),
        tx.done,
      ]);
      return metas.flatMap((raw, i) => {
        const meta = metaSchema.safeParse(raw);
        const ipc: unknown = streams[i];
        if (!meta.success || !(ipc instanceof Uint8Array)) return [];
        const { bytes: _bytes, result, ...entry } = meta.data;
        return [{ ...entry, result: { ...result, ipc } }];
      });
    });
  }

  write(entry: CachedResult): Promise<void> {
    return this.guarded(undefined, async () => {
      const bytes = ipcByteLength(entry.result.ipc);
      if (bytes > this.limits.maxEntryBytes) {
        await this.forget(entry.notebook, entry.session, entry.cell);
        return;
      }
      const key = keyOf(entry.notebook, entry.session, entry.cell);
      const { ipc, ...result } = entry.result;
      // A copy of exactly the stream's bytes: a view would store its whole underlying buffer.
      const stream = joinIpc(ipc).slice();
      const tx = this.db.transaction(['entries', 'ipc'], 'readwrite');
      // Awaited at the end; handled now, since a failed request rejects it before then.
      const done = tx.done;
      done.catch(() => undefined);
      const entries = tx.objectStore('entries');
      const meta: StoredMeta = { ...entry, result, bytes, key };
      await Promise.all([entries.put(meta), tx.objectStore('ipc').put(stream, key)]);
      const kept = (await entries.index('savedAt').getAll()) as StoredMeta[];
      let total = kept.reduce((n, m) => n + m.bytes, 0);
      let count = kept.length;
      for (const oldest of kept) {
        if (total <= this.limits.maxTotalBytes && count <= this.limits.maxEntries) break;
        await Promise.all([entries.delete(oldest.key), tx.objectStore('ipc').delete(oldest.key)]);
        total -= oldest.bytes;
        count--;
      }
      await done;
    });
  }

  forget(notebook: string, session: string, cell: string): Promise<void> {
    return this.remove(IDBKeyRange.only(keyOf(notebook, session, cell)));
  }

  forgetNotebook(notebook: string): Promise<void> {
    return this.remove(startingWith(notebook));
  }

  private remove(range: IDBKeyRange): Promise<void> {
    return this.guarded(undefined, async () => {
      const tx = this.db.transaction(['entries', 'ipc'], 'readwrite');
      await Promise.all([
        tx.objectStore('entries').delete(range),
        tx.objectStore('ipc').delete(range),
        tx.done,
      ]);
    });
  }

  lastLake(session: string): Promise<string | undefined> {
    return this.guarded(undefined, async () => {
      const lake: unknown = await this.db.get('meta', `lake:${session}`);
      return typeof lake === 'string' ? lake : undefined;
    });
  }

  setLastLake(session: string, lake: string): Promise<void> {
    return this.guarded(undefined, async () => {
      await this.db.put('meta', lake, `lake:${session}`);
    });
  }
}
