/**
 * The frame every cell shares: its region (focusable for Jupyter's command mode), its toolbar and the
 * command-mode keys (A, B, M, D D, Z, J/K, Enter, Shift+Enter, Ctrl/Cmd+Enter).
 */
import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { COMMAND_MODE_CHORDS, COMMAND_MODE_KEYS, runCommand } from '../../notebook/commands';
import { useApp, useNotebook } from '../app-context';
import { cellElementId } from '../browser-ui';

/** The buttons every cell carries, each a command of the registry. */
const CELL_ACTIONS = [
  { command: 'cell.moveUp', label: 'Move cell up', title: 'Move cell up', text: '↑' },
  { command: 'cell.moveDown', label: 'Move cell down', title: 'Move cell down', text: '↓' },
  { command: 'cell.duplicate', label: 'Duplicate cell', title: 'Duplicate cell', text: 'Duplicate' },
  { command: 'cell.delete', label: 'Delete cell', title: 'Delete cell (D, D)', text: '✕' },
] as const;

export interface CellFrameProps {
  cellId: string;
  label: string;
  kind: string;
  header?: ReactNode;
  running?: boolean;
  canRun?: boolean;
  children: ReactNode;
}

function keyName(e: KeyboardEvent): string {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) return 'Mod+Enter';
  if (e.key === 'Enter' && e.shiftKey) return 'Shift+Enter';
  return e.key.length === 1 ? e.key.toLowerCase() : e.key;
}

export function CellFrame({ cellId, label, kind, header, running, canRun, children }: CellFrameProps) {
  const ctx = useApp();
  const active = useNotebook((s) => s.activeCellId === cellId);
  const lastKey = useRef<{ key: string; at: number } | undefined>(undefined);
  const run = (id: string) => void runCommand(id, ctx, cellId);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.target !== e.currentTarget || e.altKey) return;
    const key = keyName(e);
    const chord = COMMAND_MODE_CHORDS[key];
    if (chord) {
      e.preventDefault();
      const previous = lastKey.current;
      if (previous?.key === key && performance.now() - previous.at < 800) {
        lastKey.current = undefined;
        run(chord);
      } else lastKey.current = { key, at: performance.now() };
      return;
    }
    const command = COMMAND_MODE_KEYS[key];
    if (!command || ((e.ctrlKey || e.metaKey) && key !== 'Mod+Enter')) return;
    e.preventDefault();
    run(command);
  };

  return (
    <section
      id={cellElementId(cellId)}
      className={`cell cell-${kind} ${active ? 'active' : ''}`}
      aria-label={label}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={() => ctx.store.getState().setActiveCell(cellId)}
    >
      <div className="cell-toolbar">
        {header}
        <span className="spacer" />
        {canRun && (
          <>
            <button
              type="button"
              onClick={() => run('run.cell')}
              aria-label="Run cell"
              title="Run cell (Ctrl/Cmd+Enter)"
            >
              ▶ Run
            </button>
            {running && (
              <button
                type="button"
                onClick={() => run('run.cancel')}
                aria-label="Cancel query"
                title="Cancel the running query"
              >
                ■ Cancel
              </button>
            )}
          </>
        )}
        {CELL_ACTIONS.map((a) => (
          <button
            key={a.command}
            type="button"
            onClick={() => run(a.command)}
            aria-label={a.label}
            title={a.title}
          >
            {a.text}
          </button>
        ))}
      </div>
      {children}
    </section>
  );
}
