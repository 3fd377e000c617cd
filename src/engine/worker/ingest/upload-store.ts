import { openDB, type IDBPDatabase } from 'idb';
import { z } from 'zod';

/** A file as the user dropped it: its name, when it first arrived, and its bytes unchanged. */
export interface KeptUpload {
  name: string;
  at: string;
  bytes: Uint8Array;
}

/** Where this browser keeps the files of its own lake zones, in arrival order, until the user erases them. */
export interface UploadStore {
  list(): Promise<KeptUpload[]>;
  add(upload: KeptUpload): Promise<void>;
  clear(): Promise<void>;
}

const STORE = 'uploads';

const keptSchema = z.object({
  name: z.string().min(1),
  at: z.iso.datetime({ offset: true }),
  bytes: z.instanceof(Uint8Array),
});

export async function openUploadStore(name = 'lakebook-local-lake'): Promise<UploadStore> {
  const db: IDBPDatabase = await openDB(name, 1, {
    upgrade(d) {
      d.createObjectStore(STORE, { autoIncrement: true });
    },
  });
  return {
    async list() {
      const stored: unknown[] = await db.getAll(STORE);
      // A damaged record is skipped, not half replayed; the other files still rebuild their tables.
      return stored.flatMap((s) => {
        const parsed = keptSchema.safeParse(s);
        return parsed.success ? [parsed.data] : [];
      });
    },
    async add(upload) {
      await db.add(STORE, upload);
    },
    async clear() {
      await db.clear(STORE);
    },
  };
}

export function memoryUploadStore(): UploadStore {
  let kept: KeptUpload[] = [];
  return {
    list: async () => [...kept],
    add: async (upload) => void kept.push(upload),
    clear: async () => {
      kept = [];
    },
  };
}
