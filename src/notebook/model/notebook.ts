/**
 * The notebook document and the edits on it. Every function is pure: it returns a new notebook and leaves
 * its input untouched, so the store can keep earlier versions for undo and autosave can compare snapshots.
 */
import {
  type Cell,
  type CellKind,
  isSqlCell,
  makeChartCell,
  makeMarkdownCell,
  makeSqlCell,
  type SqlCell,
} from './cells';
import { newId } from './ids';
import type { NameCheck } from '../../contract/cell-names';
import { checkCellName, freeNameLike, nextCellName } from './names';

export type RunMode = 'auto' | 'lazy';

export interface Notebook {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  settings: { runMode: RunMode };
  cells: Cell[];
}

export function newNotebook(title = 'Untitled notebook', now = new Date()): Notebook {
  const stamp = now.toISOString();
  return {
    id: newId(),
    title,
    createdAt: stamp,
    updatedAt: stamp,
    settings: { runMode: 'auto' },
    cells: [makeSqlCell('cell_1')],
  };
}

function touched(nb: Notebook, cells: Cell[]): Notebook {
  return { ...nb, cells, updatedAt: new Date().toISOString() };
}

export function indexOfCell(nb: Notebook, id: string): number {
  return nb.cells.findIndex((c) => c.id === id);
}

/**
 * A new cell for `nb`. A chart placed next to `near` draws the nearest SQL cell above where it goes, as a
 * chart is most often added under the result it shows.
 */
export function createCell(
  nb: Notebook,
  kind: CellKind,
  catalogTables: readonly string[] = [],
  near?: { refId: string | undefined; where: 'above' | 'below' },
): Cell {
  if (kind === 'sql') return makeSqlCell(nextCellName(nb.cells, catalogTables));
  if (kind === 'markdown') return makeMarkdownCell();
  const source = near && sqlCellAbove(nb, near.refId, near.where);
  return makeChartCell(source ? { source: source.name } : {});
}

function sqlCellAbove(
  nb: Notebook,
  refId: string | undefined,
  where: 'above' | 'below',
): SqlCell | undefined {
  const ref = refId === undefined ? -1 : indexOfCell(nb, refId);
  const end = ref === -1 ? (where === 'above' ? 0 : nb.cells.length) : where === 'above' ? ref : ref + 1;
  return nb.cells.slice(0, end).findLast(isSqlCell);
}

/** Inserts `cell` at `index` (clamped to the notebook's bounds). */
export function insertCell(nb: Notebook, cell: Cell, index: number): Notebook {
  const at = Math.max(0, Math.min(index, nb.cells.length));
  const cells = [...nb.cells];
  cells.splice(at, 0, cell);
  return touched(nb, cells);
}

/** Inserts `cell` above or below the cell `refId`; at the end when `refId` is not found. */
export function insertNear(
  nb: Notebook,
  refId: string | undefined,
  where: 'above' | 'below',
  cell: Cell,
): Notebook {
  const ref = refId === undefined ? -1 : indexOfCell(nb, refId);
  if (ref === -1) return insertCell(nb, cell, where === 'above' ? 0 : nb.cells.length);
  return insertCell(nb, cell, where === 'above' ? ref : ref + 1);
}

/** Moves a cell `delta` places (negative is up); a move past either end stops there. */
export function moveCell(nb: Notebook, id: string, delta: number): Notebook {
  const from = indexOfCell(nb, id);
  if (from === -1) return nb;
  const to = Math.max(0, Math.min(from + delta, nb.cells.length - 1));
  if (to === from) return nb;
  const cells = [...nb.cells];
  const [cell] = cells.splice(from, 1);
  cells.splice(to, 0, cell!);
  return touched(nb, cells);
}

/** A copy of the cell right below it, with a new id and, for SQL cells, a free name. */
export function duplicateCell(
  nb: Notebook,
  id: string,
  catalogTables: readonly string[] = [],
): { notebook: Notebook; copy?: Cell } {
  const index = indexOfCell(nb, id);
  if (index === -1) return { notebook: nb };
  const original = nb.cells[index]!;
  const copy: Cell =
    original.kind === 'sql'
      ? { ...original, id: newId(), name: freeNameLike(`${original.name}_copy`, nb.cells, catalogTables) }
      : original.kind === 'chart'
        ? { ...original, id: newId(), config: structuredClone(original.config) }
        : { ...original, id: newId() };
  return { notebook: insertCell(nb, copy, index + 1), copy };
}

/** What a delete removed, enough to put it back. */
export interface DeletedCell {
  cell: Cell;
  index: number;
}

export function deleteCell(nb: Notebook, id: string): { notebook: Notebook; deleted?: DeletedCell } {
  const index = indexOfCell(nb, id);
  if (index === -1) return { notebook: nb };
  const cells = [...nb.cells];
  const [cell] = cells.splice(index, 1);
  return { notebook: touched(nb, cells), deleted: { cell: cell!, index } };
}

/** Puts a deleted cell back where it was; a SQL cell whose name was taken meanwhile gets a free one. */
export function undoDelete(
  nb: Notebook,
  deleted: DeletedCell,
  catalogTables: readonly string[] = [],
): Notebook {
  let cell = deleted.cell;
  if (cell.kind === 'sql' && !checkCellName(cell.name, nb.cells, cell.id, catalogTables).ok)
    cell = { ...cell, name: freeNameLike(cell.name, nb.cells, catalogTables) };
  if (nb.cells.some((c) => c.id === cell.id)) cell = { ...cell, id: newId() };
  return insertCell(nb, cell, deleted.index);
}

/** Replaces a cell's content (SQL, Markdown text or chart config); the id and kind stay. */
export function updateCell(nb: Notebook, id: string, patch: Partial<Omit<Cell, 'id' | 'kind'>>): Notebook {
  const index = indexOfCell(nb, id);
  if (index === -1) return nb;
  const cells = [...nb.cells];
  cells[index] = { ...cells[index]!, ...patch } as Cell;
  return touched(nb, cells);
}

/** Shows or hides a Markdown cell in the read-only view; charts carry the same choice in their config. */
export function publishMarkdown(nb: Notebook, id: string, published: boolean): Notebook {
  const cell = nb.cells.find((c) => c.id === id);
  if (cell?.kind !== 'markdown' || cell.published === published) return nb;
  return updateCell(nb, id, { published });
}

export function renameCell(
  nb: Notebook,
  id: string,
  name: string,
  catalogTables: readonly string[] = [],
): { notebook: Notebook; check: NameCheck } {
  const cell = nb.cells.find((c) => c.id === id);
  if (!cell || cell.kind !== 'sql')
    return { notebook: nb, check: { ok: false, message: 'Only SQL cells have names.' } };
  const check = checkCellName(name, nb.cells, id, catalogTables);
  if (!check.ok) return { notebook: nb, check };
  return { notebook: updateCell(nb, id, { name }), check };
}

export function retitle(nb: Notebook, title: string): Notebook {
  return { ...nb, title: title.trim() || 'Untitled notebook', updatedAt: new Date().toISOString() };
}

export function setRunMode(nb: Notebook, runMode: RunMode): Notebook {
  return { ...nb, settings: { ...nb.settings, runMode }, updatedAt: new Date().toISOString() };
}
