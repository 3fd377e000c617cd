import type { IngestFileReport } from '../../contract/ingest';

/** One line per dropped file: where it went and what happened to its events. */
export function reportSummary(r: IngestFileReport): string {
  if (r.error) return `${r.file}: not added. ${r.error}`;
  const counts = `${r.ingested} ingested, ${r.duplicate} duplicate, ${r.rejected} rejected`;
  return `${r.file} → ${r.tables.join(', ')}: ${counts}.`;
}

/** Only files the lake can read are offered in the file picker. */
export const ACCEPTED_FILES = '.json,.jsonl,.ndjson,.csv,.gz,.parquet';
