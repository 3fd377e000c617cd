import type { Cell } from '../../notebook/model/cells';

/**
 * Whether the SQL editors should load at once, not after the engine's first runs (see editor-loading.ts): a
 * notebook whose SQL cells are all empty has no first answer for them to hold back, and its reader's first
 * act is to type.
 */
export function editorsFirst(cells: readonly Cell[]): boolean {
  return cells.every((c) => c.kind !== 'sql' || c.sql.trim() === '');
}
