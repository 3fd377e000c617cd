/** A cell's run before it has run, and any failure as the error a cell shows. */
import { isEngineError } from '../contract/results';
import type { CellError, CellRun } from './store-types';

export const IDLE_RUN: CellRun = { status: 'idle', stale: false };

export function toCellError(e: unknown): CellError {
  if (isEngineError(e)) return { ...e };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
