import { Table, tableToIPC } from 'apache-arrow';
import type { EventFormat } from '../../../lake/event-parse';
import type { FileEntry } from '../../../lake/manifest';
import { ParquetReadError, type ParquetSource } from './parquet-decoder';
import { eventColumns } from './raw-columns';

/**
 * Reading raw-zone files (CSV, JSON array or JSON lines, optionally gzip-compressed) as the catalog lists
 * them: every column text (VARCHAR), in the catalog's column order. A raw file is small and read whole, as
 * one chunk; the result has the same shape as a Parquet source, so the loader's masked path is shared.
 */
export interface RawFile extends Pick<FileEntry, 'path' | 'format' | 'compression'> {
  url: string;
}

export interface RawDecoder {
  /**
   * All raw files of one table as one source; `columns` are the table's stored columns from the catalog,
   * which is what every file is read as.
   */
  open(files: readonly RawFile[], columns: string[]): Promise<ParquetSource>;
}

/** A raw file that cannot be fetched or read; names the file among the table's many. */
export class RawFileError extends ParquetReadError {
  override name = 'RawFileError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export interface RawDecoderOptions {
  fetch?: typeof fetch;
  /** Inflates gzip bytes; the platform's DecompressionStream by default. */
  gunzip?: (bytes: Uint8Array) => Promise<Uint8Array>;
  /** Files fetched at the same time. */
  parallel?: number;
}

export function rawEventDecoder(options: RawDecoderOptions = {}): RawDecoder {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const gunzip = options.gunzip ?? gunzipStream;
  const parallel = options.parallel ?? 6;
  const readOne = async (file: RawFile, columns: string[]): Promise<ParsedFile> => {
    if (file.format === 'parquet') throw new ParquetReadError('it is a Parquet file, not raw events');
    let bytes = await fetchBytes(doFetch, file.url);
    // A host that labels `.gz` files with Content-Encoding has the browser inflate them already.
    if (file.compression === 'gzip' && isGzip(bytes)) {
      bytes = await gunzip(bytes).catch((e: unknown) => {
        throw new ParquetReadError(`it could not be decompressed (${messageOf(e)})`);
      });
    }
    return eventColumns(decodeText(bytes), file.format, columns);
  };
  return {
    async open(files, columns) {
      const tables: ParsedFile[] = new Array(files.length);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < files.length; i = next++) {
          tables[i] = await readOne(files[i], columns).catch((e: unknown) => {
            throw new RawFileError(files[i].path, messageOf(e).replace(/^Error: /, ''));
          });
        }
      };
      await Promise.all(Array.from({ length: Math.min(parallel, files.length) }, worker));
      return tableSource(tables, columns);
    },
  };
}

/** Events of one file as Utf8 columns; events that do not parse are left out (ingest dead-lettered them). */
export function eventSource(text: string, format: EventFormat, columns: string[]): ParquetSource {
  return tableSource([eventColumns(text, format, columns)], columns);
}

type ParsedFile = ReturnType<typeof eventColumns>;

function tableSource(parsed: ParsedFile[], columns: string[]): ParquetSource {
  const tables = parsed.map((p) => p.table);
  const all =
    tables.length === 1 ? tables[0] : new Table(columns.length > 0 ? tables.flatMap((t) => t.batches) : []);
  return {
    rowGroups: undefined,
    rowsLeftOut: parsed.reduce((n, p) => n + p.leftOut, 0),
    columnIndex: (name) => columns.indexOf(name),
    async read(_groups, wanted) {
      return tableToIPC(all.select(columns.filter((c) => wanted.includes(c))), 'stream');
    },
    close: () => undefined,
  };
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
