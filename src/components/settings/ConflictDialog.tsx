/**
 * Shown when another tab saved the open notebook since this tab read it: the user keeps one of the two
 * versions; nothing is overwritten before that, and leaving the page asks first.
 */
import { useEffect } from 'react';
import { runCommand } from '../../notebook/commands';
import type { Notebook } from '../../notebook/model/notebook';
import { useApp, useNotebook } from '../app-context';
import { Dialog } from './Dialog';

function describe(nb: Notebook): string {
  const cells = `${nb.cells.length} ${nb.cells.length === 1 ? 'cell' : 'cells'}`;
  const when = new Date(nb.updatedAt).toLocaleString();
  return `“${nb.title}”, ${cells}, last changed ${when}`;
}

export function ConflictDialog() {
  const ctx = useApp();
  const conflict = useNotebook((s) => s.conflict);
  const mine = useNotebook((s) => s.notebook);

  useEffect(() => {
    if (!conflict) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener('beforeunload', warn);
    return () => removeEventListener('beforeunload', warn);
  }, [conflict]);

  if (!conflict) return null;
  const keep = (which: 'mine' | 'theirs') => void ctx.store.getState().resolveConflict(which);
  return (
    <Dialog label="Notebook changed in another tab" onClose={() => undefined}>
      <h2>This notebook was changed in another tab</h2>
      <p className="dialog-help">
        Both versions are kept until you choose. Your changes here are not saved yet; export this tab’s
        version first to keep both.
      </p>
      <p>
        <strong>This tab:</strong> {describe(mine)}
      </p>
      <p>
        <strong>Other tab:</strong>{' '}
        {conflict.theirs
          ? describe(conflict.theirs)
          : 'cannot be read, so only this tab’s version can be kept'}
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={() => void runCommand('notebook.export', ctx)}>
          Export this tab’s version
        </button>
        <button type="button" onClick={() => keep('theirs')} disabled={!conflict.theirs}>
          Keep the other tab’s version
        </button>
        <button type="button" onClick={() => keep('mine')}>
          Keep this tab’s version
        </button>
      </div>
    </Dialog>
  );
}
