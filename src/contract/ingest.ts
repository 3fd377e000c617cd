/** What the engine answers for each file dropped into the browser's own lake zones. */
export interface IngestFileReport {
  file: string;
  /** The local tables the file went into (raw zone first), empty when it was refused as a whole. */
  tables: string[];
  ingested: number;
  duplicate: number;
  rejected: number;
  /** The first rejected events: line in the file and the reason. */
  rejects: { line: number; reason: string }[];
  /** Something the user should know, e.g. a Parquet file with no contract was loaded as PHI. */
  note?: string;
  /** Why the whole file was refused (unknown format, no contract, unreadable). */
  error?: string;
}

/** A dropped file as it crosses into the worker. */
export interface IngestFile {
  name: string;
  bytes: Uint8Array;
}
