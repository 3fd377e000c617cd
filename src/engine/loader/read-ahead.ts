type Read = (groups: number[] | undefined, columns: string[]) => Promise<Uint8Array>;

/**
 * Asks for the chunk after the one being read at the same time, so that the decode worker fetches it while
 * it decodes the current one (one chunk ahead of the loader's own one, which overlaps decoding and
 * inserting). The next chunk is a guess: the loader reads runs of consecutive row groups of at most some
 * target of rows (load-plan's chunkRowGroups) with the same columns, and each run seen bounds that target
 * from above (its rows plus the next group's went over it). A wrong guess costs one decode, never a result:
 * only a read asked for exactly is answered from a read ahead.
 */
export function readingAhead(read: Read, rowGroups: readonly number[] | undefined): Read {
  let ahead: { groups: number[]; columns: string[]; pending: Promise<Uint8Array> } | undefined;
  let bound = Infinity;
  return (groups, columns) => {
    const hit = ahead && groups && same(ahead.groups, groups) && same(ahead.columns, columns);
    const pending = hit && ahead ? ahead.pending : read(groups, columns);
    ahead = undefined;
    if (!groups || !rowGroups || groups.length === 0) return pending;
    const after = Math.max(...groups) + 1;
    if (after >= rowGroups.length) return pending;
    bound = Math.min(bound, rowsOf(groups, rowGroups) + rowGroups[after] - 1);
    const next = [after];
    let rows = rowGroups[after];
    for (let g = after + 1; g < rowGroups.length && rows + rowGroups[g] <= bound; g++) {
      next.push(g);
      rows += rowGroups[g];
    }
    const early = read(next, columns);
    // Nobody may ever ask for it (a stopped load, a wrong guess): its failure is then no one's concern.
    early.catch(() => undefined);
    ahead = { groups: next, columns: [...columns], pending: early };
    return pending;
  };
}

function rowsOf(groups: readonly number[], rowGroups: readonly number[]): number {
  return groups.reduce((n, g) => n + (rowGroups[g] ?? 0), 0);
}

function same<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
