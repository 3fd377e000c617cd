import { tierOf, type SensitivityTag, type Zone } from './manifest.ts';

/**
 * Where files live inside a lake folder. Data sits under a folder per sensitivity tier so that a site built
 * for the Public role can ship the `public/` folder alone and no PHI or PII byte leaves the build.
 */

export function tierFolder(tier: SensitivityTag): string {
  return tier.toLowerCase();
}

/** The most sensitive tier among a table's tags and its columns' own tags. */
export function tableTier(table: {
  tags: readonly string[];
  columns: readonly { tags?: readonly string[] }[];
}) {
  return tierOf([...table.tags, ...table.columns.flatMap((c) => c.tags ?? [])]);
}

/** Folder of a curated or metrics table, relative to the lake root. */
export function tableFolder(tier: SensitivityTag, zone: Exclude<Zone, 'raw'>, table: string): string {
  return `${tierFolder(tier)}/${zone}/${table}`;
}

/** The single data file of a curated table (tables are small enough for one file of several row groups). */
export function tableFile(tier: SensitivityTag, zone: Exclude<Zone, 'raw'>, table: string): string {
  return `${tableFolder(tier, zone, table)}/part-000.parquet`;
}

/** Raw files are partitioned by source and by the UTC day their batch closed. */
export function rawFolder(tier: SensitivityTag, source: string, day: Date): string {
  const yyyy = String(day.getUTCFullYear()).padStart(4, '0');
  const mm = String(day.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(day.getUTCDate()).padStart(2, '0');
  return `${tierFolder(tier)}/raw/${source}/${yyyy}/${mm}/${dd}`;
}

/** Reads the partition day back from a raw file path; undefined when the path is not a raw partition. */
export function rawFileDay(path: string): Date | undefined {
  const m = /^(?:phi|pii|public)\/raw\/[^/]+\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+$/.exec(path);
  if (!m) return undefined;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}
