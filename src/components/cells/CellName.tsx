/**
 * A SQL cell's name, editable in place; a name that is not a valid, free identifier is refused with a reason.
 * After a rename, when other cells still read the old name, it offers to update them (as Hex does).
 */
import { useState } from 'react';
import { cellsReading } from '../../notebook/model/references';
import { useApp } from '../app-context';

interface Offer {
  from: string;
  to: string;
  readers: string[];
}

function RenameOffer({ offer, onDone }: { offer: Offer; onDone(): void }) {
  const { store } = useApp();
  const count = offer.readers.length;
  const which =
    count === 1 ? `Cell ${offer.readers[0]} reads` : `${count} cells (${offer.readers.join(', ')}) read`;
  return (
    <span className="rename-offer" role="group" aria-label={`Update references to ${offer.from}`}>
      <span>
        {which} {offer.from}. Update {count === 1 ? 'it' : 'them'} to read {offer.to}?
      </span>
      <button
        type="button"
        onClick={() => {
          const changed = store.getState().updateReferences(offer.from, offer.to);
          store
            .getState()
            .notify('info', `${changed} ${changed === 1 ? 'cell now reads' : 'cells now read'} ${offer.to}.`);
          onDone();
        }}
      >
        Update references
      </button>
      <button type="button" onClick={onDone}>
        Keep as is
      </button>
    </span>
  );
}

export function CellName({ cellId, name }: { cellId: string; name: string }) {
  const { store } = useApp();
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [offer, setOffer] = useState<Offer | undefined>(undefined);
  const errorId = `name-error-${cellId}`;

  const commit = () => {
    if (draft === undefined || draft === name) {
      setDraft(undefined);
      setProblem(undefined);
      return;
    }
    const to = draft.trim();
    const check = store.getState().renameCell(cellId, to);
    if (!check.ok) {
      setProblem(check.message);
      return;
    }
    setDraft(undefined);
    setProblem(undefined);
    const readers = cellsReading(store.getState().notebook.cells, name, cellId);
    setOffer(readers.length > 0 ? { from: name, to, readers: readers.map((r) => r.name) } : undefined);
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
      {offer && <RenameOffer offer={offer} onDone={() => setOffer(undefined)} />}
    </span>
  );
}
