/**
 * Two tabs on one notebook. Every save names the stored revision it builds on; when another tab saved in
 * between, storage refuses, nothing is overwritten, and the store holds both versions until the user picks
 * one. Until then this tab's edits stay in memory and autosave waits.
 */
import { restoreNotebookJson } from './model/file-format';
import type { Notebook } from './model/notebook';
import { SaveConflict } from './storage';
import type { GetState, SaveConflictState, SetState } from './store-types';

export const CONFLICT_MESSAGE =
  'Not saved: this notebook was changed in another tab. Choose which version to keep.';

export function conflictOf(e: unknown): SaveConflictState | undefined {
  if (!(e instanceof SaveConflict)) return undefined;
  const restored = restoreNotebookJson(e.stored.doc);
  return { theirs: restored.ok ? restored.notebook : undefined, revision: e.stored.revision };
}

/**
 * What this tab knows about storage: the revision each notebook it read or saved is at, and which notebook
 * objects are stored exactly as they are (saving those again would only bump the revision, and make
 * another tab that merely opened the notebook look like a rival).
 */
export class StoredRevisions {
  private readonly revisions = new Map<string, number>();
  private readonly unchanged = new WeakSet<Notebook>();

  of(id: string): number | undefined {
    return this.revisions.get(id);
  }
  /** `nb` is stored, as it is, at `revision`. */
  record(nb: Notebook, revision: number): void {
    this.revisions.set(nb.id, revision);
    this.unchanged.add(nb);
  }
  /** The next save of notebook `id` builds on `revision`. */
  base(id: string, revision: number): void {
    this.revisions.set(id, revision);
  }
  isStored(nb: Notebook): boolean {
    return this.unchanged.has(nb);
  }
}

export function createConflictActions(
  set: SetState,
  get: GetState,
  revisions: StoredRevisions,
  saveNow: () => Promise<void>,
) {
  return {
    /** Keeps this tab's version (saved over the other) or the other tab's (shown here, nothing saved). */
    async resolveConflict(keep: 'mine' | 'theirs'): Promise<void> {
      const { conflict, notebook } = get();
      if (!conflict) return;
      if (keep === 'theirs' && conflict.theirs) {
        get().cancelAll();
        const theirs = conflict.theirs;
        revisions.record(theirs, conflict.revision);
        set({
          conflict: undefined,
          notebook: theirs,
          runs: {},
          deleted: [],
          activeCellId: theirs.cells[0]?.id,
        });
        return;
      }
      revisions.base(notebook.id, conflict.revision);
      set({ conflict: undefined });
      await saveNow();
    },
  };
}
