import type { ColumnEntry, TableEntry, Zone } from '../../src/lake/manifest.ts';
import type { ParquetFacts } from './parquet-file.ts';

export interface TableMeta {
  name: string;
  zone: Zone;
  description: string;
  owner: string;
  source: string;
  license: string;
  tags: string[];
  columnTags?: Record<string, string[]>;
  columnDescriptions?: Record<string, string>;
  key?: string[];
  lineage?: TableEntry['lineage'];
  asOf?: string;
}

/** Joins what the code declares about a table with what its files say; a tag on a missing column is an error. */
export function tableEntry(
  meta: TableMeta,
  tier: TableEntry['tier'],
  facts: ParquetFacts[],
  updatedAt: string,
): TableEntry {
  const first = facts[0];
  if (!first) throw new Error(`Table ${meta.name} has no file.`);
  const names = new Set(first.columns.map((c) => c.name));
  for (const col of [...Object.keys(meta.columnTags ?? {}), ...Object.keys(meta.columnDescriptions ?? {})]) {
    if (!names.has(col)) throw new Error(`Table ${meta.name} has no column "${col}" to tag or describe.`);
  }
  const columns: ColumnEntry[] = first.columns.map((c) => ({
    name: c.name,
    type: c.type,
    ...(meta.columnTags?.[c.name] ? { tags: meta.columnTags[c.name] } : {}),
    ...(meta.columnDescriptions?.[c.name] ? { description: meta.columnDescriptions[c.name] } : {}),
  }));
  const files = facts.map((f) => f.file);
  return {
    name: meta.name,
    zone: meta.zone,
    tier,
    description: meta.description,
    owner: meta.owner,
    source: meta.source,
    license: meta.license,
    tags: meta.tags,
    columns,
    files,
    rowCount: files.reduce((n, f) => n + f.rows, 0),
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    ...(meta.key ? { key: meta.key } : {}),
    ...(meta.lineage ? { lineage: meta.lineage } : {}),
    updatedAt,
    ...(meta.asOf ? { asOf: meta.asOf } : {}),
  };
}
