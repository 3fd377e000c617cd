import { Suspense, useMemo } from 'react';
import { columnFormats, withColumnFormat, type ColumnFormat } from '../../charts/column-formats';
import { runCommand } from '../../notebook/commands';
import type { SqlCell } from '../../notebook/model/cells';
import { IDLE_RUN } from '../../notebook/run-state';
import { useApp, useNotebook } from '../app-context';
import { SqlEditor, wantEditors } from '../editor/editor-loading';
import { ResultPanel } from '../grid/ResultPanel';
import { CellFrame } from './CellFrame';
import { CellName } from './CellName';

export function SqlCellView({ cell }: { cell: SqlCell }) {
  const ctx = useApp();
  const run = useNotebook((s) => s.runs[cell.id]) ?? IDLE_RUN;
  const busy = run.status === 'running' || run.status === 'queued';
  const formats = useMemo(() => columnFormats(cell.sql), [cell.sql]);
  const handlers = useMemo(() => {
    const state = ctx.store.getState;
    return {
      onChange: (sql: string) => state().updateSql(cell.id, sql),
      onRun: () => void runCommand('run.cell', ctx, cell.id),
      onRunAndAdvance: () => void runCommand('run.advance', ctx, cell.id),
      onEscape: () => ctx.ui.focusCell(cell.id, 'command'),
      onFocus: () => state().setActiveCell(cell.id),
      onFormat: (column: string, format: ColumnFormat | undefined) => {
        const current = state().notebook.cells.find((c) => c.id === cell.id);
        if (current?.kind === 'sql')
          state().updateSql(cell.id, withColumnFormat(current.sql, column, format));
      },
    };
  }, [ctx, cell.id]);
  return (
    <CellFrame
      cellId={cell.id}
      label={`Cell ${cell.name}`}
      kind="sql"
      canRun
      running={busy}
      header={
        <>
          <span className="cell-kind">SQL</span>
          <CellName cellId={cell.id} name={cell.name} />
        </>
      }
    >
      <Suspense
        fallback={
          // Until the editors are loaded, going to edit a cell loads them at once.
          <pre className="sql-fallback" tabIndex={0} onFocus={wantEditors} onPointerDown={wantEditors}>
            {cell.sql || ' '}
          </pre>
        }
      >
        <SqlEditor
          cellId={cell.id}
          name={cell.name}
          value={cell.sql}
          error={run.error}
          onChange={handlers.onChange}
          onRun={handlers.onRun}
          onRunAndAdvance={handlers.onRunAndAdvance}
          onEscape={handlers.onEscape}
          onFocus={handlers.onFocus}
        />
      </Suspense>
      {/* A cell with SQL says it has not run (e.g. after a reload), so no one waits for a result. */}
      {run.status !== 'idle' || run.error || cell.sql.trim() !== '' ? (
        <ResultPanel
          cellId={cell.id}
          name={cell.name}
          run={run}
          formats={formats}
          onFormat={handlers.onFormat}
        />
      ) : null}
    </CellFrame>
  );
}
