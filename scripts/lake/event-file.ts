import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  eventFileFormat,
  parseEvents,
  type EventFormat,
  type ParsedRecord,
} from '../../src/lake/event-parse.ts';

export interface EventFile {
  bytes: Uint8Array;
  format: EventFormat;
  gzip: boolean;
  records: ParsedRecord[];
}

/** Reads an event file as it arrived (bytes kept for the raw zone) and its records. */
export function readEventFile(file: string): EventFile {
  const kind = eventFileFormat(path.basename(file));
  if (!kind)
    throw new Error(`${file}: not an event file (use .json, .jsonl, .ndjson or .csv, optionally .gz)`);
  const bytes = readFileSync(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(kind.gzip ? gunzipSync(bytes) : bytes);
  } catch (e) {
    return {
      bytes,
      ...kind,
      records: [{ line: 1, error: `unreadable file: ${(e as Error).message}`, text: '' }],
    };
  }
  return { bytes, ...kind, records: parseEvents(text, kind.format) };
}
