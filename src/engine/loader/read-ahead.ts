type Read = (groups: number[] | undefined, columns: string[]) => Promise<Uint8Array>;

/**
 * Asks for the chunk after the one being read at the same time, so that the decode worker fetches it while
 * it decodes the current one (one chunk ahead of the loader's own one, which overlaps decoding and
 * inserting). The loader reads runs of consecutive row groups of at most some target of rows, greedily
 * (load-plan's chunkRowGroups), with the same columns. Each run it asks for bounds that target: less than
 * its rows plus the next group's, and at least its rows when it holds several groups. The next run is read ahead only when every target within
 * the bounds gives the same run, so a read ahead is never wasted on a wrong guess.
 */
export function readingAhead(read: Read, rowGroups: readonly number[] | undefined): Read {
  let ahead: { groups: number[]; columns: string[]; pending: Promise<Uint8Array> } | undefined;
  let least = 0;
  let most = Infinity;
  return (groups, columns) => {
    const hit = ahead && groups && same(ahead.groups, groups) && same(ahead.columns, columns);
    const pending = hit && ahead ? ahead.pending : read(groups, columns);
    ahead = undefined;
    if (!groups || !rowGroups || groups.length === 0) return pending;
    const after = Math.max(...groups) + 1;
    if (after >= rowGroups.length) return pending;
    const rows = groups.reduce((n, g) => n + (rowGroups[g] ?? 0), 0);
    // A group larger than the target is a chunk of its own: only a run of several groups bounds it below.
    if (groups.length > 1) least = Math.max(least, rows);
    most = Math.min(most, rows + rowGroups[after]);
    const next = runFrom(after, least, rowGroups);
    if (!same(next, runFrom(after, most - 1, rowGroups))) return pending;
    const early = read(next, columns);
    // Nobody may ever ask for it (a stopped load): its failure is then no one's concern.
    early.catch(() => undefined);
    ahead = { groups: next, columns: [...columns], pending: early };
    return pending;
  };
}

/** The run the loader's greedy chunking makes from `start` with a target of `target` rows. */
function runFrom(start: number, target: number, rowGroups: readonly number[]): number[] {
  const run = [start];
  let rows = rowGroups[start];
  for (let g = start + 1; g < rowGroups.length && rows + rowGroups[g] <= target; g++) {
    run.push(g);
    rows += rowGroups[g];
  }
  return run;
}

function same<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
