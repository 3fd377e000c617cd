import { z } from 'zod';
import { tagChangeSchema, type TagChange } from '../../../contract/governance';
import type { Manifest, TableEntry } from '../../../lake/manifest';

/**
 * Tag changes made from the catalog panel: a local overlay on the lake's manifest, kept in this browser and
 * applied before every role view is built, so a column newly tagged PHI leaves a role's view on the next
 * query. The lake's own `catalog.json` is never changed from the browser.
 */

export const tagOverlaySchema = z.array(tagChangeSchema);

export type TagOverlay = TagChange[];

export class TagChangeError extends Error {
  override name = 'TagChangeError';
}

const sameTarget = (a: TagChange, b: TagChange) => a.table === b.table && a.column === b.column;

/** Where the change points in the manifest; throws when the table or column does not exist. */
function target(manifest: Manifest, change: TagChange): { table: TableEntry; columnIndex?: number } {
  const table = manifest.tables.find((t) => t.name === change.table);
  if (!table) throw new TagChangeError(`The catalog has no table ${change.table}.`);
  if (change.column === undefined) return { table };
  const columnIndex = table.columns.findIndex((c) => c.name === change.column);
  if (columnIndex < 0) throw new TagChangeError(`Table ${change.table} has no column ${change.column}.`);
  return { table, columnIndex };
}

/** Checks a change from the UI against the manifest and returns it cleaned (duplicates dropped). */
export function validateTagChange(manifest: Manifest, input: unknown): TagChange {
  const parsed = tagChangeSchema.safeParse(input);
  if (!parsed.success) {
    throw new TagChangeError(
      `The tag change is not valid: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  const change = { ...parsed.data, tags: [...new Set(parsed.data.tags)] };
  target(manifest, change);
  if (change.column === undefined && change.tags.length === 0)
    throw new TagChangeError(`Table ${change.table} needs at least one tag.`);
  return change;
}

/** The overlay with `change` replacing any earlier change of the same table or column. */
export function withChange(overlay: TagOverlay, change: TagChange): TagOverlay {
  return [...overlay.filter((c) => !sameTarget(c, change)), change];
}

/** The manifest with the overlay's tags in place; changes naming what no longer exists are skipped. */
export function applyTagOverlay(manifest: Manifest, overlay: TagOverlay): Manifest {
  let tables = manifest.tables;
  for (const change of overlay) {
    let at: ReturnType<typeof target>;
    try {
      at = target({ ...manifest, tables }, change);
    } catch {
      continue;
    }
    const { table, columnIndex } = at;
    let next: TableEntry;
    if (columnIndex === undefined) {
      if (change.tags.length === 0) continue;
      next = { ...table, tags: change.tags };
    } else {
      const columns = table.columns.map((c, i) =>
        i !== columnIndex ? c : { ...c, tags: change.tags.length > 0 ? change.tags : undefined },
      );
      next = { ...table, columns };
    }
    tables = tables.map((t) => (t === table ? next : t));
  }
  return { ...manifest, tables };
}

/** The current tags of the change's target, as the audit log records them. */
export function tagsBefore(manifest: Manifest, change: TagChange): string[] | undefined {
  const { table, columnIndex } = target(manifest, change);
  return columnIndex === undefined ? table.tags : table.columns[columnIndex].tags;
}

/** E.g. `patients.dod: PHI,date -> PHI,date,sensitive` (`inherited` when a column has no tags of its own). */
export function describeTagChange(before: string[] | undefined, change: TagChange): string {
  const name = change.column === undefined ? change.table : `${change.table}.${change.column}`;
  const show = (tags: string[] | undefined) => (tags && tags.length > 0 ? tags.join(',') : 'inherited');
  return `${name}: ${show(before)} -> ${show(change.tags)}`;
}
