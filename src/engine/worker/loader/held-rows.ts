import type { FileEntry } from '../../../lake/manifest';
import type { RowGroupStats } from './parquet-footer';
import { groupsNeeded, type RowNeed } from './scan-filters';

/**
 * Which rows of a table the role's instance holds, as row groups of its files in the order they were
 * inserted: columns added later are read in that same order, so that they line up row by row.
 */

/** A row group of one of a table's files; `WHOLE_FILE` for a file read in one piece. */
export interface GroupRef {
  path: string;
  group: number;
}

export const WHOLE_FILE = -1;

/** Consecutive references to the same file, read together. */
export function segments(refs: readonly GroupRef[]): { path: string; groups: number[] }[] {
  const out: { path: string; groups: number[] }[] = [];
  for (const ref of refs) {
    const last = out[out.length - 1];
    if (last && last.path === ref.path) last.groups.push(ref.group);
    else out.push({ path: ref.path, groups: [ref.group] });
  }
  return out;
}

/** Row-group counts of each file, from its statistics; undefined for a file without them. */
export type StatsOf = (path: string) => RowGroupStats[] | undefined;

/**
 * The row groups needs read (see `groupsNeeded`) that are not held, in file order. A file without
 * statistics was read whole when the table was first loaded, so it never has groups missing.
 */
export function missingGroups(
  files: readonly FileEntry[],
  statsOf: StatsOf,
  needs: readonly RowNeed[],
  held: readonly GroupRef[],
): GroupRef[] {
  const have = new Set(held.map(keyOf));
  const out: GroupRef[] = [];
  for (const f of files) {
    const stats = statsOf(f.path);
    if (!stats || have.has(keyOf({ path: f.path, group: WHOLE_FILE }))) continue;
    for (const group of groupsNeeded(needs, stats)) {
      const ref = { path: f.path, group };
      if (!have.has(keyOf(ref))) out.push(ref);
    }
  }
  return out;
}

/** True when the references hold every row of the files. */
export function holdsEverything(
  files: readonly FileEntry[],
  statsOf: StatsOf,
  refs: readonly GroupRef[],
): boolean {
  return missingGroups(files, statsOf, [], refs).length === 0;
}

/** Rows of the referenced row groups, for progress. */
export function rowsOf(refs: readonly GroupRef[], statsOf: StatsOf, files: readonly FileEntry[]): number {
  return refs.reduce((n, r) => {
    if (r.group !== WHOLE_FILE) return n + (statsOf(r.path)?.[r.group]?.rows ?? 0);
    return n + (files.find((f) => f.path === r.path)?.rows ?? 0);
  }, 0);
}

function keyOf(ref: GroupRef): string {
  return `${ref.group} ${ref.path}`;
}
