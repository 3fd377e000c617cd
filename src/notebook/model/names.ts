/**
 * Cell names. A SQL cell's name becomes a view other cells query, so it must be a plain SQL identifier that
 * clashes with nothing: not another cell (DuckDB compares identifiers case-insensitively), not a catalog
 * table, not a keyword.
 */
import type { Cell } from './cells';
import { checkSourceName, MAX_NAME_LENGTH, type NameCheck } from '../../contract/cell-names';

export function checkCellName(
  name: string,
  cells: readonly Cell[],
  selfId: string | undefined,
  catalogTables: readonly string[],
): NameCheck {
  const own = checkSourceName(name, catalogTables);
  if (!own.ok) return own;
  const lower = name.toLowerCase();
  const clash = cells.find((c) => c.kind === 'sql' && c.id !== selfId && c.name.toLowerCase() === lower);
  if (clash)
    return {
      ok: false,
      message: `Another cell is already named "${clash.kind === 'sql' ? clash.name : name}".`,
    };
  return { ok: true };
}

/** The first `cell_N` not taken, counting from the number of cells so names grow with the notebook. */
export function nextCellName(cells: readonly Cell[], catalogTables: readonly string[] = []): string {
  const taken = new Set(cells.flatMap((c) => (c.kind === 'sql' ? [c.name.toLowerCase()] : [])));
  for (const t of catalogTables) taken.add(t.toLowerCase());
  let n = 1;
  while (taken.has(`cell_${n}`)) n++;
  return `cell_${n}`;
}

/** A free name derived from `base` (used when duplicating or restoring a cell). */
export function freeNameLike(
  base: string,
  cells: readonly Cell[],
  catalogTables: readonly string[] = [],
): string {
  const taken = new Set(cells.flatMap((c) => (c.kind === 'sql' ? [c.name.toLowerCase()] : [])));
  for (const t of catalogTables) taken.add(t.toLowerCase());
  const stem = base.replace(/_\d+$/, '').slice(0, MAX_NAME_LENGTH - 4) || 'cell';
  if (!taken.has(base.toLowerCase())) return base;
  let n = 2;
  while (taken.has(`${stem}_${n}`.toLowerCase())) n++;
  return `${stem}_${n}`;
}
