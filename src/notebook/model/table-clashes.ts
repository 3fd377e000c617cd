/**
 * Cells named like lake tables, in a notebook that came from outside (a file, a link) or that predates a
 * table. Editing refuses such a name (`checkCellName`); a notebook from outside gets the same rule by renaming
 * the cell to a free name, so its numbers never appear under the real table's name, badges or load. The
 * cells and charts that read it are rewritten to read the new name, so the notebook computes what it did
 * before.
 */
import type { Cell } from './cells';
import { freeNameLike } from './names';
import type { Notebook } from './notebook';
import { cellsReading, renameReferences } from './references';

export interface CellRenaming {
  from: string;
  to: string;
}

export function renameCellsHidingTables(
  nb: Notebook,
  catalogTables: readonly string[],
): { notebook: Notebook; renamed: CellRenaming[] } {
  const tables = new Set(catalogTables.map((t) => t.toLowerCase()));
  let cells = nb.cells;
  const renamed: CellRenaming[] = [];
  for (const clash of nb.cells) {
    if (clash.kind !== 'sql' || !tables.has(clash.name.toLowerCase())) continue;
    const to = freeNameLike(`${clash.name}_cell`, cells, catalogTables);
    const readers = new Set(cellsReading(cells, clash.name, clash.id).map((c) => c.id));
    const from = clash.name.toLowerCase();
    cells = cells.map((c): Cell => {
      if (c.kind === 'sql' && c.id === clash.id) return { ...c, name: to };
      if (c.kind === 'sql' && readers.has(c.id))
        return { ...c, sql: renameReferences(c.sql, clash.name, to) };
      if (c.kind === 'chart' && typeof c.config.source === 'string' && c.config.source.toLowerCase() === from)
        return { ...c, config: { ...c.config, source: to } };
      return c;
    });
    renamed.push({ from: clash.name, to });
  }
  if (renamed.length === 0) return { notebook: nb, renamed };
  return { notebook: { ...nb, cells, updatedAt: new Date().toISOString() }, renamed };
}

/** What the reader is told: which cells now have which names, why, and what they may do. */
export function renamingMessage(renamed: readonly CellRenaming[]): string {
  const list = renamed.map((r) => `"${r.from}" is now "${r.to}"`).join(', ');
  const one = renamed.length === 1;
  return (
    `${one ? 'A cell had' : `${renamed.length} cells had`} the name of a table in the lake and ` +
    `${one ? 'was' : 'were'} renamed so the table's data is not confused with ${one ? 'its' : 'their'} ` +
    `results: ${list}. The cells and charts that read ${one ? 'it' : 'them'} use the new ${one ? 'name' : 'names'}; ` +
    'rename them again to any name that is not a table.'
  );
}
