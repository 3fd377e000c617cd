import { openDB, type IDBPDatabase } from 'idb';
import { tagOverlaySchema, type TagOverlay } from './tag-overlay';

/** Where this browser keeps its tag overlay, one per lake (keyed by the lake's URL). */
export interface TagStore {
  read(lakeUrl: string): Promise<TagOverlay>;
  write(lakeUrl: string, overlay: TagOverlay): Promise<void>;
}

const STORE = 'overlays';

export async function openTagStore(name = 'lakebook-tags'): Promise<TagStore> {
  const db: IDBPDatabase = await openDB(name, 1, {
    upgrade(d) {
      d.createObjectStore(STORE);
    },
  });
  return {
    async read(lakeUrl) {
      const stored: unknown = await db.get(STORE, lakeUrl);
      if (stored === undefined) return [];
      // A damaged overlay is ignored as a whole rather than half applied; the catalog's tags then hold.
      const parsed = tagOverlaySchema.safeParse(stored);
      return parsed.success ? parsed.data : [];
    },
    async write(lakeUrl, overlay) {
      await db.put(STORE, overlay, lakeUrl);
    },
  };
}

export function memoryTagStore(): TagStore {
  const kept = new Map<string, TagOverlay>();
  return {
    read: async (lakeUrl) => kept.get(lakeUrl) ?? [],
    write: async (lakeUrl, overlay) => void kept.set(lakeUrl, overlay),
  };
}
