/**
 * Downloading a cell's result. CSV is written from the result on screen; Parquet is written by the engine,
 * which runs the cell again under the guard and the role's view. A result tagged PHI is a file only for a
 * role that may export PHI: the store refuses first, and the engine refuses again on its side.
 */
import { tableFromIPC } from 'apache-arrow';
import type { SqlCell } from './model/cells';
import { toCsvChunks } from './model/csv';
import { queryOptions } from './query-limits';
import { sortedSql } from './sorted-sql';
import { toCellError } from './run-state';
import { sourcesOf } from './store-run';
import type { GetState, NotebookState, ResultFile, ResultFormat, StoreDeps } from './store-types';

type ExportActions = Pick<NotebookState, 'exportResult'>;

const MIME: Record<ResultFormat, string> = {
  csv: 'text/csv',
  parquet: 'application/vnd.apache.parquet',
};

/** Whether the current role may take this result out of the browser as a file. */
export function mayExport(state: Pick<NotebookState, 'engine'>, tags: readonly string[]): boolean {
  return !tags.includes('PHI') || state.engine.info?.view.can.exportPhi === true;
}

export function createExportActions(get: GetState, deps: StoreDeps): ExportActions {
  const refuse = (message: string): ResultFile => ({ ok: false, message });

  return {
    async exportResult(id, format) {
      const state = get();
      const cell = state.notebook.cells.find((c): c is SqlCell => c.id === id && c.kind === 'sql');
      const run = state.runs[id];
      if (!cell || !run?.result) return refuse('Run the cell first; there is no result to download.');
      const result = run.result;
      if (!mayExport(state, result.tags))
        return refuse(
          `This result holds PHI, and ${state.session.role} may not export PHI. Leave out the PHI columns or aggregate them away.`,
        );
      const fileName = `${cell.name}.${format}`;
      const cut = (rows: number) =>
        `The file holds the first ${rows.toLocaleString('en-US')} rows only: the result was cut at the result limit.`;

      if (format === 'csv')
        return {
          ok: true,
          fileName,
          parts: toCsvChunks(tableFromIPC(result.ipc)),
          type: MIME.csv,
          note: result.truncated ? cut(result.rowCount) : undefined,
        };

      const exporter = deps.connector.exporter;
      if (!exporter) return refuse('This engine cannot write Parquet files.');
      const sources = sourcesOf(state.notebook, id);
      if (!Array.isArray(sources)) return refuse(sources.message);
      const sql = run.sort ? sortedSql(cell.sql, run.sort) : cell.sql;
      try {
        const file = await exporter.exportParquet(sql, sources, queryOptions(state.limits));
        return {
          ok: true,
          fileName,
          parts: [file.bytes as Uint8Array<ArrayBuffer>],
          type: MIME.parquet,
          note: file.truncated ? cut(file.rowCount) : undefined,
        };
      } catch (e) {
        const error = toCellError(e);
        return refuse(
          `The Parquet file could not be made: ${error.message}${error.hint ? ` ${error.hint}` : ''}`,
        );
      }
    },
  };
}
