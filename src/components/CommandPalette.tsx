/** Ctrl/Cmd+K: every command of the registry, filtered as you type, run with Enter. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { COMMANDS, runCommand } from '../notebook/commands';
import { useApp } from './app-context';

export function CommandPalette({ onClose }: { onClose(): void }) {
  const ctx = useApp();
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const cellId = useMemo(() => ctx.store.getState().activeCellId, [ctx.store]);
  const matches = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return COMMANDS.filter((c) => c.id !== 'view.palette' && (!c.needsCell || cellId)).filter((c) =>
      words.every((w) => `${c.section} ${c.title}`.toLowerCase().includes(w)),
    );
  }, [query, cellId]);

  useEffect(() => inputRef.current?.focus(), []);

  const choose = (i: number) => {
    const command = matches[i];
    if (!command) return;
    onClose();
    void runCommand(command.id, ctx, cellId);
  };

  const current = Math.min(index, Math.max(0, matches.length - 1));
  return (
    <div className="palette-backdrop" onMouseDown={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        className="palette"
        onMouseDown={(e) => e.stopPropagation()}
      >
        <input
          ref={inputRef}
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={matches[current] ? `palette-${matches[current]!.id}` : undefined}
          aria-label="Type a command"
          placeholder="Type a command"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setIndex(Math.min(current + 1, matches.length - 1));
            else if (e.key === 'ArrowUp') setIndex(Math.max(current - 1, 0));
            else if (e.key === 'Enter') choose(current);
            else if (e.key === 'Escape') onClose();
            else return;
            e.preventDefault();
          }}
        />
        <ul id="palette-list" role="listbox" aria-label="Commands">
          {matches.map((c, i) => (
            <li
              key={c.id}
              id={`palette-${c.id}`}
              role="option"
              aria-selected={i === current}
              onMouseDown={() => choose(i)}
            >
              <span className="palette-section">{c.section}</span> {c.title}
              {c.keys && <kbd>{c.keys}</kbd>}
            </li>
          ))}
        </ul>
        {matches.length === 0 && <p className="muted">No command matches.</p>}
      </div>
    </div>
  );
}
