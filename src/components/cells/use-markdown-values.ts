/**
 * Markdown text with its `{{ cell.column }}` placeholders filled from the latest results in the notebook
 * store (see notebook/markdown-values.ts). Only the first row of a result is decoded.
 */
import { useMemo } from 'react';
import type { Cell } from '../../notebook/model/cells';
import { fillPlaceholders, type ValueState } from '../../notebook/markdown-values';
import type { CellRun } from '../../notebook/store-types';
import { useNotebook } from '../app-context';
import { resultRows } from '../grid/result-rows';

const DATE_TYPE = /^(DATE|TIMESTAMP)/;

function valueOf(
  cells: readonly Cell[],
  runs: Record<string, CellRun>,
  name: string,
  column: string,
): ValueState {
  const cell = cells.find((c) => c.kind === 'sql' && c.name.toLowerCase() === name.toLowerCase());
  if (!cell) return { kind: 'no-cell' };
  const run = runs[cell.id];
  switch (run?.status ?? 'idle') {
    case 'denied':
      return { kind: 'withheld' };
    case 'error':
    case 'skipped':
      return { kind: 'failed' };
    case 'queued':
    case 'running':
      return { kind: 'running' };
    case 'idle':
      return { kind: 'not-run' };
    case 'done':
    case 'restored':
      break;
  }
  const result = run!.result;
  if (!result) return { kind: 'not-run' };
  const index = result.columns.findIndex((c) => c.name === column);
  if (index === -1) return { kind: 'no-column' };
  const rows = resultRows(result.ipc);
  if (rows.numRows === 0) return { kind: 'no-rows' };
  const value = rows.value(0, index);
  const type = result.columns[index]!.type;
  return {
    kind: 'value',
    value: typeof value === 'number' && DATE_TYPE.test(type) ? new Date(value) : value,
  };
}

export function useMarkdownValues(text: string): string {
  const cells = useNotebook((s) => s.notebook.cells);
  const runs = useNotebook((s) => s.runs);
  return useMemo(
    () => (text.includes('{{') ? fillPlaceholders(text, (c, col) => valueOf(cells, runs, c, col)) : text),
    [text, cells, runs],
  );
}
