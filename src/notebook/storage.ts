/**
 * Where notebooks are kept between visits: IndexedDB in the browser, memory in tests and when the browser
 * refuses IndexedDB. Stored documents are the file format itself, so everything read back goes through the
 * same validation as an imported file.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { serializeNotebook } from './model/file-format';
import type { Notebook } from './model/notebook';

export interface NotebookSummary {
  id: string;
  title: string;
  updatedAt: string;
}

export interface NotebookStorage {
  list(): Promise<NotebookSummary[]>;
  /** The stored document, unvalidated: callers pass it to `restoreNotebookJson`. */
  load(id: string): Promise<unknown>;
  save(nb: Notebook): Promise<void>;
  remove(id: string): Promise<void>;
  lastOpened(): Promise<string | undefined>;
  setLastOpened(id: string): Promise<void>;
}

const toDocument = (nb: Notebook): unknown => JSON.parse(serializeNotebook(nb));

function summaryOf(doc: unknown): NotebookSummary | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const d = doc as Record<string, unknown>;
  if (typeof d.id !== 'string') return undefined;
  return {
    id: d.id,
    title: typeof d.title === 'string' ? d.title : 'Untitled notebook',
    updatedAt: typeof d.updatedAt === 'string' ? d.updatedAt : '',
  };
}

const newestFirst = (a: NotebookSummary, b: NotebookSummary) => b.updatedAt.localeCompare(a.updatedAt);

export class MemoryStorage implements NotebookStorage {
  private readonly docs = new Map<string, unknown>();
  private last: string | undefined;

  async list(): Promise<NotebookSummary[]> {
    return [...this.docs.values()].flatMap((d) => summaryOf(d) ?? []).sort(newestFirst);
  }
  async load(id: string): Promise<unknown> {
    return structuredClone(this.docs.get(id));
  }
  async save(nb: Notebook): Promise<void> {
    this.docs.set(nb.id, toDocument(nb));
  }
  async remove(id: string): Promise<void> {
    this.docs.delete(id);
  }
  async lastOpened(): Promise<string | undefined> {
    return this.last;
  }
  async setLastOpened(id: string): Promise<void> {
    this.last = id;
  }
}

const DB_NAME = 'lakebook-notebooks';

export class IdbStorage implements NotebookStorage {
  private constructor(private readonly db: IDBPDatabase) {}

  /** Rejects when the browser offers no IndexedDB (some private modes, locked-down profiles). */
  static async open(): Promise<IdbStorage> {
    const db = await openDB(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore('notebooks', { keyPath: 'id' });
        db.createObjectStore('meta');
      },
    });
    return new IdbStorage(db);
  }

  async list(): Promise<NotebookSummary[]> {
    const docs = await this.db.getAll('notebooks');
    return docs.flatMap((d) => summaryOf(d) ?? []).sort(newestFirst);
  }
  async load(id: string): Promise<unknown> {
    return this.db.get('notebooks', id);
  }
  async save(nb: Notebook): Promise<void> {
    await this.db.put('notebooks', toDocument(nb));
  }
  async remove(id: string): Promise<void> {
    await this.db.delete('notebooks', id);
  }
  async lastOpened(): Promise<string | undefined> {
    const id: unknown = await this.db.get('meta', 'lastOpened');
    return typeof id === 'string' ? id : undefined;
  }
  async setLastOpened(id: string): Promise<void> {
    await this.db.put('meta', id, 'lastOpened');
  }
}
