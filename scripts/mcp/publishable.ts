/**
 * What a pack may carry before the server hands it to anyone. The site build only writes packs that pass
 * these rules, but `--packs DIR` can point at any folder (an old build, a hand-edited file), so the server
 * checks again instead of trusting the folder.
 */
import { forbiddenColumns, isNumeric, type MetricPack } from '../../src/lake/metric-pack.ts';

/** Every reason the pack may not be served; empty when it may. */
export function unpublishableReasons(pack: MetricPack): string[] {
  const reasons: string[] = [];
  const forbidden = forbiddenColumns(pack.columns);
  if (forbidden.length > 0) reasons.push(`columns ${forbidden.join(', ')} are tagged PHI or PII`);

  const listed = new Set(pack.columns.map((c) => c.name));
  const measures = pack.columns.filter((c) => isNumeric(c.type)).map((c) => c.name);
  const { countColumn, minGroupSize } = pack.smallCells;
  if (!listed.has(countColumn)) reasons.push(`the count column ${countColumn} is not among its columns`);

  const unlisted = new Set<string>();
  let leaking = 0;
  let small = 0;
  for (const row of pack.latest.rows) {
    for (const key of Object.keys(row.values)) if (!listed.has(key)) unlisted.add(key);
    if (row.suppressed) {
      if (measures.some((m) => row.values[m] !== null && row.values[m] !== undefined)) leaking++;
    } else {
      const n = row.values[countColumn];
      if (typeof n !== 'number' || n < minGroupSize) small++;
    }
  }
  if (unlisted.size > 0) reasons.push(`rows carry columns it does not list: ${[...unlisted].join(', ')}`);
  if (leaking > 0) reasons.push(`${leaking} suppressed rows still carry numbers`);
  if (small > 0)
    reasons.push(`${small} rows are not suppressed but have no ${countColumn} of at least ${minGroupSize}`);

  // A comparison pooled from a breakdown groups by the columns the breakdown adds, as `related` names them.
  const unknownGroups = new Set<string>();
  const unlinked = new Set<string>();
  for (const c of pack.beforeAfter?.comparisons ?? []) {
    const breakdown = c.source
      ? pack.related?.find((r) => r.relation === 'breakdown' && r.metric === c.source!.metric)
      : undefined;
    if (c.source && !breakdown) unlinked.add(c.source.metric);
    const allowed = new Set(breakdown?.by ?? listed);
    for (const key of Object.keys(c.group)) if (!allowed.has(key)) unknownGroups.add(key);
  }
  if (unknownGroups.size > 0)
    reasons.push(`comparisons group by columns it does not list: ${[...unknownGroups].join(', ')}`);
  if (unlinked.size > 0)
    reasons.push(`comparisons pool ${[...unlinked].join(', ')}, which it does not list as a breakdown`);
  return reasons;
}
