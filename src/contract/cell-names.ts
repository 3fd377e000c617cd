/**
 * What a cell's name may be. A cell becomes a view other cells query by its name, in whatever engine runs
 * it, so the page and every engine hold names to the same rule: a plain SQL identifier that is no keyword
 * and hides no catalog table.
 */

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

/** The rule for one name on its own; clashes between the notebook's cells are the notebook's to check. */
export function checkSourceName(name: string, catalogTables: readonly string[]): NameCheck {
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
  return { ok: true };
}
