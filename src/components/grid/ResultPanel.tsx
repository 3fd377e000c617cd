/** Everything under a SQL cell: its state, timing, row count, tags, the error or the result grid. */
import { useCallback, useEffect, useState } from 'react';
import { runCommand } from '../../notebook/commands';
import { mayExport } from '../../notebook/store-export';
import type { CellRun, SortOrder } from '../../notebook/store-types';
import { useApp, useNotebook } from '../app-context';
import { TagBadges } from '../TagBadges';
import { BudgetNote } from './BudgetNote';
import { ResultGrid } from './ResultGrid';
import type { ColumnFormat } from '../../charts/column-formats';

const STATUS_TEXT: Record<CellRun['status'], string> = {
  idle: 'Not run yet',
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  error: 'Error',
  denied: 'Denied',
  skipped: 'Skipped',
  restored: 'Restored',
};

// Made once: `toLocaleTimeString` builds a formatter on every call, a few milliseconds each, which adds
// up when a role switch brings back every cell's result at once.
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const DAY = new Intl.DateTimeFormat();

/** When a restored result was computed: the time alone on the same day, else the date too. */
function restoredNote(at: number): string {
  const when = new Date(at);
  const day = when.toDateString() === new Date().toDateString() ? '' : `${DAY.format(when)} `;
  return `From the last run, ${day}${TIME.format(when)} · Run to refresh`;
}

function Elapsed({ run }: { run: CellRun }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (run.status !== 'running') return;
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, [run.status]);
  const ms = run.status === 'running' && run.startedAt !== undefined ? now - run.startedAt : run.elapsedMs;
  if (ms === undefined) return null;
  return (
    <span className="elapsed">{ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`}</span>
  );
}

export interface ResultPanelProps {
  cellId: string;
  name: string;
  run: CellRun;
  /** The cell's column formats (its `-- format:` lines). */
  formats?: ReadonlyMap<string, ColumnFormat>;
  /** Sets a column's format in the cell; without it the grid offers no format choice. */
  onFormat?(column: string, format: ColumnFormat | undefined): void;
}

export function ResultPanel({ cellId, name, run, formats, onFormat }: ResultPanelProps) {
  const ctx = useApp();
  const { result, error } = run;
  const exportable = useNotebook((s) => !result || mayExport(s, result.tags));
  const phiBlocked = !!result && !exportable;
  const [exporting, setExporting] = useState(false);
  const onSort = useCallback(
    (sort: SortOrder | undefined) => void ctx.store.getState().sortResult(cellId, sort),
    [ctx, cellId],
  );

  const download = async (command: string) => {
    setExporting(true);
    try {
      await runCommand(command, ctx, cellId);
    } finally {
      setExporting(false);
    }
  };
  const blockedTitle = phiBlocked ? 'This result holds PHI and your role may not export PHI.' : undefined;

  return (
    <div className="result">
      <div className="result-status">
        <span
          className={`status status-${run.status}`}
          role="status"
          aria-label={`Cell ${name}: ${STATUS_TEXT[run.status]}`}
        >
          {STATUS_TEXT[run.status]}
        </span>
        <Elapsed run={run} />
        {result && (
          <span className="row-count">
            {result.rowCount.toLocaleString('en-US')} {result.rowCount === 1 ? 'row' : 'rows'}
            {result.truncated ? ' (first rows only)' : ''}
          </span>
        )}
        {result && <TagBadges tags={result.tags} />}
        {run.status === 'restored' && run.restoredFrom !== undefined && (
          <span className="restored">{restoredNote(run.restoredFrom)}</span>
        )}
        {run.stale && <span className="stale">Out of date: run again</span>}
        {result && (
          <>
            <button
              type="button"
              onClick={() => void download('result.downloadCsv')}
              disabled={phiBlocked || exporting}
              aria-label={`Download result of ${name} as CSV`}
              title={blockedTitle}
            >
              CSV
            </button>
            <button
              type="button"
              onClick={() => void download('result.downloadParquet')}
              disabled={phiBlocked || exporting}
              aria-label={`Download result of ${name} as Parquet`}
              title={blockedTitle}
            >
              {exporting ? 'Preparing…' : 'Parquet'}
            </button>
          </>
        )}
        {phiBlocked && <span className="hint">PHI: export not allowed for your role</span>}
      </div>
      {result && <BudgetNote result={result} />}
      {run.status === 'skipped' && run.skipped && (
        <p className="skip-note">
          Skipped: it reads <code>{run.skipped.cell}</code>, which was{' '}
          {run.skipped.status === 'denied' ? 'denied' : 'stopped by an error'}. Fix or change that cell, then
          run again.
        </p>
      )}
      {error && (
        <div className={`cell-error ${run.status === 'denied' ? 'denied' : ''}`} role="alert">
          <p className="error-message">
            {error.line !== undefined && (
              <span className="error-pos">
                Line {error.line}
                {error.column !== undefined ? `, column ${error.column}` : ''}:{' '}
              </span>
            )}
            {error.message}
          </p>
          {error.rule && <p className="error-rule">Rule: {error.rule}</p>}
          {error.hint && <p className="error-hint">{error.hint}</p>}
        </div>
      )}
      {result && (
        <ResultGrid
          result={result}
          formats={formats}
          onFormat={onFormat}
          label={`Result of ${name}`}
          sort={run.sort}
          onSort={onSort}
        />
      )}
    </div>
  );
}
