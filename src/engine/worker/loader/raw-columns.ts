import { Table, Utf8, makeData, makeVector, type Vector } from 'apache-arrow';
import type { EventFormat } from '../../../lake/event-parse';

/**
 * Raw event text to Arrow text columns, on the load path (tens of thousands of events per file). It reads
 * what `src/lake/event-parse` reads, but straight into columns: no per-event copy of the source text, and
 * Utf8 vectors built from one encoded buffer instead of a value-by-value builder. Events that do not parse
 * are left out; ingest has put them in the dead-letter file already.
 */
export function eventColumns(
  text: string,
  format: EventFormat,
  columns: readonly string[],
): { table: Table; leftOut: number } {
  const { values, leftOut } =
    format === 'csv' ? csvColumns(text, columns) : jsonColumns(text, format, columns);
  const table = new Table(Object.fromEntries(columns.map((c, i) => [c, utf8Vector(values[i])])));
  return { table, leftOut };
}

type Column = (string | null)[];

/** The columns read, and how many events were left out (counted as the catalog counts events). */
interface Parsed {
  values: Column[];
  leftOut: number;
}

function jsonColumns(text: string, format: 'json' | 'jsonl', columns: readonly string[]): Parsed {
  const out: Column[] = columns.map(() => []);
  let leftOut = 0;
  const add = (event: unknown) => {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      leftOut++;
      return;
    }
    const record = event as Record<string, unknown>;
    columns.forEach((c, i) => out[i].push(asText(record[c])));
  };
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { values: out, leftOut: 1 };
    }
    if (Array.isArray(parsed)) parsed.forEach(add);
    else add(parsed);
    return { values: out, leftOut };
  }
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      add(JSON.parse(line));
    } catch {
      // A malformed line: left out, like every event that does not parse.
      leftOut++;
    }
  }
  return { values: out, leftOut };
}

/** Numbers and booleans as JavaScript spells them, nested values as JSON text. */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * RFC 4180 CSV with a header row: quoted fields may hold commas, quotes ("") and line breaks. A row with the
 * wrong number of fields is left out; a blank field is NULL (CSV cannot tell a blank from a missing value).
 */
function csvColumns(text: string, columns: readonly string[]): Parsed {
  const out: Column[] = columns.map(() => []);
  let leftOut = 0;
  let header: number[] | undefined;
  let width = 0;
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  const endRow = () => {
    if (!header) {
      const names = row.map((h) => h.trim());
      header = columns.map((c) => names.indexOf(c));
      width = names.length;
    } else if (row.length === 1 && row[0] === '') {
      // A blank line is no event.
    } else if (row.length !== width) {
      leftOut++;
    } else {
      header.forEach((at, c) => {
        const v = at < 0 ? '' : row[at];
        out[c].push(v === '' ? null : v);
      });
    }
    row = [];
  };
  while (i < n) {
    let field: string;
    if (text.charCodeAt(i) === QUOTE) {
      let end = i + 1;
      let escaped = false;
      for (;;) {
        end = text.indexOf('"', end);
        if (end < 0) {
          end = n;
          break;
        }
        if (text.charCodeAt(end + 1) !== QUOTE) break;
        escaped = true;
        end += 2;
      }
      field = text.slice(i + 1, end);
      if (escaped) field = field.replaceAll('""', '"');
      i = end + 1;
      // Anything between the closing quote and the separator is kept, as a lenient reader would.
      while (i < n && !isSeparator(text.charCodeAt(i))) field += text[i++];
    } else {
      let end = i;
      while (end < n && !isSeparator(text.charCodeAt(end))) end++;
      field = text.slice(i, end);
      i = end;
    }
    row.push(field);
    const sep = i < n ? text.charCodeAt(i) : LF;
    if (sep === COMMA) {
      i++;
      if (i === n) row.push('');
      continue;
    }
    if (sep === CR && text.charCodeAt(i + 1) === LF) i++;
    i++;
    endRow();
  }
  if (row.length > 0) endRow();
  return { values: out, leftOut };
}

function isSeparator(code: number): boolean {
  return code === COMMA || code === LF || code === CR;
}

const encoder = new TextEncoder();

/** One Arrow Utf8 vector: the values encoded at once, offsets from the text lengths when it is ASCII. */
export function utf8Vector(values: Column): Vector<Utf8> {
  const length = values.length;
  const offsets = new Int32Array(length + 1);
  const validity = new Uint8Array(Math.ceil(length / 8));
  let nullCount = 0;
  const joined = values.map((v) => v ?? '').join('');
  let data = encoder.encode(joined);
  const ascii = data.byteLength === joined.length;
  if (!ascii) data = new Uint8Array(data.byteLength);
  let at = 0;
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v === null) nullCount++;
    else {
      validity[i >> 3] |= 1 << (i & 7);
      at += ascii ? v.length : encoder.encodeInto(v, data.subarray(at)).written;
    }
    offsets[i + 1] = at;
  }
  return makeVector(
    makeData({
      type: new Utf8(),
      length,
      nullCount,
      nullBitmap: nullCount > 0 ? validity : null,
      valueOffsets: offsets,
      data,
    }),
  );
}
