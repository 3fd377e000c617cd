import { Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { parseEvents, type EventFormat } from '../../lake/event-parse';
import type { FileEntry } from '../../lake/manifest';
import { ParquetReadError, type ParquetSource } from './parquet-decoder';

/**
 * Reading raw-zone files (CSV, JSON array or JSON lines, optionally gzip-compressed) as the catalog lists
 * them: every column text (VARCHAR), in the catalog's column order. A raw file is small and read whole, as
 * one chunk; the result has the same shape as a Parquet source, so the loader's masked path is shared.
 */
export interface RawDecoder {
  /** `columns` are the table's stored columns from the catalog, which are what the file is read as. */
  open(
    url: string,
    file: Pick<FileEntry, 'format' | 'compression'>,
    columns: string[],
  ): Promise<ParquetSource>;
}

export interface RawDecoderOptions {
  fetch?: typeof fetch;
  /** Inflates gzip bytes; the platform's DecompressionStream by default. */
  gunzip?: (bytes: Uint8Array) => Promise<Uint8Array>;
}

export function rawEventDecoder(options: RawDecoderOptions = {}): RawDecoder {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const gunzip = options.gunzip ?? gunzipStream;
  return {
    async open(url, file, columns) {
      if (file.format === 'parquet') throw new ParquetReadError('it is a Parquet file, not raw events');
      let bytes = await fetchBytes(doFetch, url);
      // A host that labels `.gz` files with Content-Encoding has the browser inflate them already.
      if (file.compression === 'gzip' && isGzip(bytes)) {
        bytes = await gunzip(bytes).catch((e: unknown) => {
          throw new ParquetReadError(`it could not be decompressed (${messageOf(e)})`);
        });
      }
      return eventSource(decodeText(bytes), file.format, columns);
    },
  };
}

/** Events of one file as Utf8 columns; events that do not parse are left out (ingest dead-lettered them). */
export function eventSource(text: string, format: EventFormat, columns: string[]): ParquetSource {
  const records = parseEvents(text, format).flatMap((r) => (r.record ? [r.record] : []));
  const blankIsNull = format === 'csv';
  return {
    rowGroups: undefined,
    columnIndex: (name) => columns.indexOf(name),
    async read(_groups, wanted) {
      const picked = columns.filter((c) => wanted.includes(c));
      const vectors = Object.fromEntries(
        picked.map((c) => [
          c,
          vectorFromArray(
            records.map((r) => asText(r[c], blankIsNull)),
            new Utf8(),
          ),
        ]),
      );
      return tableToIPC(new Table(vectors), 'stream');
    },
    close: () => undefined,
  };
}

/** Numbers and booleans as JavaScript spells them, nested values as JSON text; a CSV blank is NULL. */
function asText(value: unknown, blankIsNull: boolean): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return blankIsNull && value === '' ? null : value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

async function fetchBytes(doFetch: typeof fetch, url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await doFetch(url);
  } catch (e) {
    throw new ParquetReadError(`it could not be fetched (${messageOf(e)})`);
  }
  if (!response.ok) throw new ParquetReadError(`the server answered HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ParquetReadError('it is not UTF-8 text');
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function gunzipStream(bytes: Uint8Array): Promise<Uint8Array> {
  const inflated = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
