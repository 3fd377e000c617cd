/**
 * Turns an event file's text into records, one per event, without letting one bad line spoil the batch:
 * every record either parses or carries the reason it did not.
 */

export const EVENT_FORMATS = ['json', 'jsonl', 'csv'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

export interface ParsedRecord {
  /** 1-based line (JSONL, CSV) or element index + 1 (JSON array) of the event in its file. */
  line: number;
  record?: Record<string, unknown>;
  error?: string;
  /** The event as it arrived, for the dead-letter file. */
  text: string;
}

/** `events.jsonl.gz` → jsonl, gzip. Unknown extensions give undefined. */
export function eventFileFormat(fileName: string): { format: EventFormat; gzip: boolean } | undefined {
  const lower = fileName.toLowerCase();
  const gzip = lower.endsWith('.gz');
  const base = gzip ? lower.slice(0, -3) : lower;
  const ext = base.slice(base.lastIndexOf('.') + 1);
  if (ext === 'ndjson') return { format: 'jsonl', gzip };
  return (EVENT_FORMATS as readonly string[]).includes(ext)
    ? { format: ext as EventFormat, gzip }
    : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseEvents(text: string, format: EventFormat): ParsedRecord[] {
  if (format === 'jsonl') return parseJsonLines(text);
  if (format === 'json') return parseJsonArray(text);
  return parseCsv(text);
}

function parseJsonLines(text: string): ParsedRecord[] {
  const out: ParsedRecord[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    try {
      const value: unknown = JSON.parse(line);
      out.push(isRecord(value) ? { line: i + 1, record: value, text: line } : notObject(i + 1, line));
    } catch (e) {
      out.push({ line: i + 1, error: `malformed JSON: ${(e as Error).message}`, text: line });
    }
  });
  return out;
}

function parseJsonArray(text: string): ParsedRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return [{ line: 1, error: `malformed JSON: ${(e as Error).message}`, text }];
  }
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) =>
    isRecord(item)
      ? { line: i + 1, record: item, text: JSON.stringify(item) }
      : notObject(i + 1, JSON.stringify(item)),
  );
}

function notObject(line: number, text: string): ParsedRecord {
  return { line, error: 'an event must be a JSON object', text };
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): ParsedRecord[] {
  const rows = splitCsv(text);
  const header = rows.shift();
  if (!header) return [];
  const names = header.fields.map((h) => h.trim());
  return rows
    .filter((r) => !(r.fields.length === 1 && r.fields[0] === ''))
    .map((r) => {
      if (r.fields.length !== names.length) {
        return {
          line: r.line,
          error: `expected ${names.length} fields, found ${r.fields.length}`,
          text: r.text,
        };
      }
      return {
        line: r.line,
        record: Object.fromEntries(names.map((n, i) => [n, r.fields[i]])),
        text: r.text,
      };
    });
}

interface CsvRow {
  line: number;
  fields: string[];
  text: string;
}

function splitCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let rowStart = 0;
  const endRow = (end: number) => {
    fields.push(field);
    rows.push({ line: rowLine, fields, text: text.slice(rowStart, end).replace(/\r$/, '') });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n') {
      endRow(i);
      line++;
      rowLine = line;
      rowStart = i + 1;
    } else if (ch !== '\r') field += ch;
  }
  if (field !== '' || fields.length > 0) endRow(text.length);
  return rows;
}
