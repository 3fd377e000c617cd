/**
 * Cell names. A SQL cell's name becomes a view other cells query, so it must be a plain SQL identifier that
 * clashes with nothing: not another cell (DuckDB compares identifiers case-insensitively), not a catalog
 * table, not a keyword.
 */
import type { Cell } from './cells';

export const MAX_NAME_LENGTH = 63;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reserved words DuckDB refuses as bare table names, plus words that would read confusingly as one. */
const RESERVED = new Set(
  `all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create
  default deferrable desc describe distinct do else end except false fetch for foreign from grant group having
  in initially intersect into lateral leading limit offset on only or order pivot placing primary qualify
  references returning select show summarize symmetric table then to trailing true union unique unpivot using
  variadic when where window with`
    .split(/\s+/)
    .filter(Boolean),
);

export type NameCheck = { ok: true } | { ok: false; message: string };

export function checkCellName(
  name: string,
  cells: readonly Cell[],
  selfId: string | undefined,
  catalogTables: readonly string[],
): NameCheck {
  if (name.length === 0) return { ok: false, message: 'A cell name cannot be empty.' };
  if (name.length > MAX_NAME_LENGTH)
    return { ok: false, message: `A cell name has at most ${MAX_NAME_LENGTH} characters.` };
  if (!IDENTIFIER.test(name))
    return {
      ok: false,
      message:
        'Use letters, digits and underscores, starting with a letter or underscore (e.g. readmits_30d).',
    };
  const lower = name.toLowerCase();
  if (RESERVED.has(lower)) return { ok: false, message: `"${name}" is a SQL keyword; pick another name.` };
  if (catalogTables.some((t) => t.toLowerCase() === lower))
    return { ok: false, message: `"${name}" is a table in the lake; a cell may not hide it.` };
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
