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

/** A stored document and its revision, which every save increments. */
export interface StoredNotebook {
  doc: unknown;
  revision: number;
  /**
   * Written in this browser, or confirmed by its reader: its cells and charts may query in the reader's
   * name. A notebook from a link or a file is stored untrusted until the reader confirms it.
   */
  trusted: boolean;
}

/** A save refused because another tab saved the notebook since this one read it. */
export class SaveConflict extends Error {
  override name = 'SaveConflict';
  constructor(readonly stored: StoredNotebook) {
    super('This notebook was changed in another tab.');
  }
}

export interface NotebookStorage {
  list(): Promise<NotebookSummary[]>;
  /** The stored document, unvalidated: callers pass it to `restoreNotebookJson`. */
  load(id: string): Promise<unknown>;
  /** The stored document with its revision, read together; undefined when nothing is stored. */
  read(id: string): Promise<StoredNotebook | undefined>;
  /**
   * Saves and resolves to the new revision. With `base`, the save happens only when nothing is stored or
   * the stored revision is still `base`; otherwise it rejects with a SaveConflict holding what is stored.
   */
  save(nb: Notebook, base?: number, trusted?: boolean): Promise<number>;
  /** Marks a stored notebook trusted without a new revision (other tabs see no change of content). */
  trust(id: string): Promise<void>;
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
  private readonly revisions = new Map<string, number>();
  private readonly untrusted = new Set<string>();
  private last: string | undefined;

  async list(): Promise<NotebookSummary[]> {
    return [...this.docs.values()].flatMap((d) => summaryOf(d) ?? []).sort(newestFirst);
  }
  async load(id: string): Promise<unknown> {
    return structuredClone(this.docs.get(id));
  }
  async read(id: string): Promise<StoredNotebook | undefined> {
    if (!this.docs.has(id)) return undefined;
    return {
      doc: structuredClone(this.docs.get(id)),
      revision: this.revisions.get(id) ?? 0,
      trusted: !this.untrusted.has(id),
    };
  }
  async save(nb: Notebook, base?: number, trusted = true): Promise<number> {
    const stored = await this.read(nb.id);
    if (stored && base !== undefined && stored.revision !== base) throw new SaveConflict(stored);
    const revision = (stored?.revision ?? 0) + 1;
    this.docs.set(nb.id, toDocument(nb));
    this.revisions.set(nb.id, revision);
    if (trusted) this.untrusted.delete(nb.id);
    else this.untrusted.add(nb.id);
    return revision;
  }
  async trust(id: string): Promise<void> {
    this.untrusted.delete(id);
  }
  async remove(id: string): Promise<void> {
    this.docs.delete(id);
    this.revisions.delete(id);
    this.untrusted.delete(id);
  }
  async lastOpened(): Promise<string | undefined> {
    return this.last;
  }
  async setLastOpened(id: string): Promise<void> {
    this.last = id;
  }
}

const DB_NAME = 'lakebook-notebooks';
/** Revisions live in the meta store, so documents stay exactly the file format. */
const revisionKey = (id: string) => `revision:${id}`;
/**
 * Only untrusted notebooks carry a mark: notebooks stored before trust was kept were all saved by this
 * browser's own pages, and stay trusted.
 */
const untrustedKey = (id: string) => `untrusted:${id}`;

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
  async read(id: string): Promise<StoredNotebook | undefined> {
    const tx = this.db.transaction(['notebooks', 'meta'], 'readonly');
    const [doc, revision, untrusted] = await Promise.all([
      tx.objectStore('notebooks').get(id),
      tx.objectStore('meta').get(revisionKey(id)),
      tx.objectStore('meta').get(untrustedKey(id)),
    ]);
    if (doc === undefined) return undefined;
    return { doc, revision: typeof revision === 'number' ? revision : 0, trusted: untrusted !== true };
  }
  /** One read-write transaction: tabs' saves of one notebook are serialised, so the check cannot race. */
  async save(nb: Notebook, base?: number, trusted = true): Promise<number> {
    const tx = this.db.transaction(['notebooks', 'meta'], 'readwrite');
    const notebooks = tx.objectStore('notebooks');
    const meta = tx.objectStore('meta');
    const [doc, stored, untrusted] = await Promise.all([
      notebooks.get(nb.id),
      meta.get(revisionKey(nb.id)),
      meta.get(untrustedKey(nb.id)),
    ]);
    const current = typeof stored === 'number' ? stored : 0;
    if (doc !== undefined && base !== undefined && current !== base)
      throw new SaveConflict({ doc, revision: current, trusted: untrusted !== true });
    await Promise.all([
      notebooks.put(toDocument(nb)),
      meta.put(current + 1, revisionKey(nb.id)),
      trusted ? meta.delete(untrustedKey(nb.id)) : meta.put(true, untrustedKey(nb.id)),
      tx.done,
    ]);
    return current + 1;
  }
  async trust(id: string): Promise<void> {
    await this.db.delete('meta', untrustedKey(id));
  }
  async remove(id: string): Promise<void> {
    const tx = this.db.transaction(['notebooks', 'meta'], 'readwrite');
    await Promise.all([
      tx.objectStore('notebooks').delete(id),
      tx.objectStore('meta').delete(revisionKey(id)),
      tx.objectStore('meta').delete(untrustedKey(id)),
      tx.done,
    ]);
  }
  async lastOpened(): Promise<string | undefined> {
    const id: unknown = await this.db.get('meta', 'lastOpened');
    return typeof id === 'string' ? id : undefined;
  }
  async setLastOpened(id: string): Promise<void> {
    await this.db.put('meta', id, 'lastOpened');
  }
}
