/**
 * The frame every cell shares: its region (focusable for Jupyter's command mode), its toolbar and the
 * command-mode keys (A, B, M, D D, Z, J/K, Enter, Shift+Enter, Ctrl/Cmd+Enter).
 */
import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { COMMAND_MODE_CHORDS, COMMAND_MODE_KEYS, runCommand } from '../../notebook/commands';
import { useApp, useNotebook } from '../app-context';
import { cellElementId } from '../browser-ui';

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
        <button
          type="button"
          onClick={() => run('cell.moveUp')}
          aria-label="Move cell up"
          title="Move cell up"
        >
          ↑
        </button>
        <button
          type="button"
          onClick={() => run('cell.moveDown')}
          aria-label="Move cell down"
          title="Move cell down"
        >
          ↓
        </button>
        <button
          type="button"
          onClick={() => run('cell.duplicate')}
          aria-label="Duplicate cell"
          title="Duplicate cell"
        >
          Duplicate
        </button>
        <button
          type="button"
          onClick={() => run('cell.delete')}
          aria-label="Delete cell"
          title="Delete cell (D, D)"
        >
          ✕
        </button>
      </div>
      {children}
    </section>
  );
}
