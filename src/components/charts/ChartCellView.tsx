/**
 * A notebook's chart cell: the settings form (open while the chart is incomplete, or on demand) and the
 * chart. The chart runs again when its source cell produces a new result or the role changes.
 */
import { useCallback, useMemo, useState } from 'react';
import { columnsOfIpc, type SourceColumn } from '../../charts/columns';
import { ChartConfigError, missingChoices, parseChartConfig, type ChartConfig } from '../../charts/config';
import { chartSources, sourceNames } from '../../charts/sources';
import type { ChartCell } from '../../notebook/model/cells';
import { useApp, useNotebook } from '../app-context';
import { CellFrame } from '../cells/CellFrame';
import { UNTRUSTED_CHART } from '../TrustPrompt';
import { viewRouteHash } from '../view/ViewRoute';
import { ChartEditor } from './ChartEditor';
import { ChartPanel } from './ChartPanel';
import type { ChartRunState } from './use-chart-run';

function readConfig(raw: Record<string, unknown>): ChartConfig | ChartConfigError {
  try {
    return parseChartConfig(raw);
  } catch (e) {
    if (e instanceof ChartConfigError) return e;
    throw e;
  }
}

export function ChartCellView({ cell, index }: { cell: ChartCell; index: number }) {
  const { store } = useApp();
  const cells = useNotebook((s) => s.notebook.cells);
  const engineReady = useNotebook((s) => s.engine.status === 'ready');
  const trusted = useNotebook((s) => s.trusted);
  const session = useNotebook((s) => s.session);
  const notebookId = useNotebook((s) => s.notebook.id);
  const parsed = useMemo(() => readConfig(cell.config), [cell.config]);
  const config = parsed instanceof ChartConfigError ? undefined : parsed;
  const sourceName = config?.source ?? '';
  const sourceId = cells.find((c) => c.kind === 'sql' && c.name === sourceName)?.id;
  const sourceResult = useNotebook((s) => (sourceId ? s.runs[sourceId]?.result : undefined));
  const sourceStale = useNotebook((s) => (sourceId ? s.runs[sourceId]?.stale === true : false));
  // The source's result as it stands, which spares the chart asking the engine for its columns and rows.
  const known = useMemo(
    () =>
      sourceResult && !sourceStale
        ? {
            columns: columnsOfIpc(sourceResult.ipc),
            rows: sourceResult.truncated ? undefined : sourceResult.rowCount,
          }
        : undefined,
    [sourceResult, sourceStale],
  );
  const sources = useMemo(() => (sourceName ? chartSources(cells, sourceName) : ''), [cells, sourceName]);
  const refresh = useMemo(() => ({ sourceResult, session }), [sourceResult, session]);
  const [editing, setEditing] = useState(() => !config || missingChoices(config).length > 0);
  const [columns, setColumns] = useState<SourceColumn[] | undefined>(undefined);
  const onState = useCallback((s: ChartRunState) => s.columns && setColumns(s.columns), []);
  const label = `Chart cell ${index + 1}`;

  const save = (next: ChartConfig) =>
    store.getState().updateChart(cell.id, JSON.parse(JSON.stringify(next)) as Record<string, unknown>);

  const header = (
    <>
      <span className="cell-kind">Chart</span>
      {config && (
        <>
          <button type="button" aria-pressed={editing} onClick={() => setEditing(!editing)}>
            {editing ? 'Close settings' : 'Chart settings'}
          </button>
          <label className="chart-publish">
            <input
              type="checkbox"
              checked={config.published}
              onChange={(e) => save({ ...config, published: e.target.checked })}
            />
            Publish in read-only view
          </label>
          {config.published && <a href={viewRouteHash(notebookId)}>Open read-only view</a>}
        </>
      )}
    </>
  );

  return (
    <CellFrame cellId={cell.id} label={label} kind="chart" header={header}>
      {parsed instanceof ChartConfigError ? (
        <div className="chart-error" role="alert">
          {parsed.message}
          <button type="button" onClick={() => save(parseChartConfig({}))}>
            Reset chart settings
          </button>
        </div>
      ) : (
        <>
          {editing && (
            <ChartEditor config={parsed} columns={columns} sources={sourceNames(cells)} onChange={save} />
          )}
          <ChartPanel
            config={parsed}
            sources={sources}
            refresh={refresh}
            waiting={!trusted ? UNTRUSTED_CHART : engineReady ? undefined : 'Waiting for the engine…'}
            onState={onState}
            reader={session}
            known={known}
          />
        </>
      )}
    </CellFrame>
  );
}
