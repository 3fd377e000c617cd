/** A SQL cell's name, editable in place; a name that is not a valid, free identifier is refused with a reason. */
import { useState } from 'react';
import { useApp } from '../app-context';

export function CellName({ cellId, name }: { cellId: string; name: string }) {
  const { store } = useApp();
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const errorId = `name-error-${cellId}`;

  const commit = () => {
    if (draft === undefined || draft === name) {
      setDraft(undefined);
      setProblem(undefined);
      return;
    }
    const check = store.getState().renameCell(cellId, draft.trim());
    if (check.ok) {
      setDraft(undefined);
      setProblem(undefined);
    } else setProblem(check.message);
  };

  return (
    <span className="cell-name">
      <input
        value={draft ?? name}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          } else if (e.key === 'Escape') {
            setDraft(undefined);
            setProblem(undefined);
          }
        }}
        aria-label="Cell name"
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? errorId : undefined}
        spellCheck={false}
        size={Math.max(8, (draft ?? name).length + 1)}
      />
      {problem && (
        <span id={errorId} className="name-error" role="alert">
          {problem}
        </span>
      )}
    </span>
  );
}
