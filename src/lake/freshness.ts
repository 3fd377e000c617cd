import type { Manifest, TableEntry } from './manifest.ts';

/**
 * How current a table is. A curated or raw table is as of its last update. A metric view is as of its newest
 * snapshot, and it is stale when one of its upstream tables changed after that snapshot was computed: its
 * numbers no longer describe the data they claim to summarise.
 */
export interface Freshness {
  /** ISO time the table's content describes. */
  asOf: string;
  status: 'fresh' | 'stale' | 'unknown';
  /** Upstream tables updated after the metric's `asOf` (metrics only). */
  newerSources: { name: string; updatedAt: string }[];
  /** Upstream tables this catalog does not list (e.g. left out of a public site), so staleness is unknown. */
  unlistedSources: string[];
}

export function tableFreshness(
  manifest: Pick<Manifest, 'tables'>,
  table: Pick<TableEntry, 'zone' | 'updatedAt' | 'asOf' | 'lineage'>,
): Freshness {
  if (table.zone !== 'metrics')
    return { asOf: table.updatedAt, status: 'fresh', newerSources: [], unlistedSources: [] };
  const asOf = table.asOf ?? table.updatedAt;
  const asOfMs = Date.parse(asOf);
  const newerSources: Freshness['newerSources'] = [];
  const unlistedSources: string[] = [];
  for (const name of table.lineage?.upstream ?? []) {
    const source = manifest.tables.find((t) => t.name === name);
    if (!source) unlistedSources.push(name);
    else if (Date.parse(source.updatedAt) > asOfMs) newerSources.push({ name, updatedAt: source.updatedAt });
  }
  const status = newerSources.length > 0 ? 'stale' : unlistedSources.length > 0 ? 'unknown' : 'fresh';
  return { asOf, status, newerSources, unlistedSources };
}
