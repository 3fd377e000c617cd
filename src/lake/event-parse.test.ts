import { describe, expect, it } from 'vitest';
import { eventFileFormat, parseEvents } from './event-parse.ts';

describe('event files', () => {
  it('recognises formats by extension, gzip included', () => {
    expect(eventFileFormat('a.jsonl.gz')).toEqual({ format: 'jsonl', gzip: true });
    expect(eventFileFormat('b.NDJSON')).toEqual({ format: 'jsonl', gzip: false });
    expect(eventFileFormat('c.csv')).toEqual({ format: 'csv', gzip: false });
    expect(eventFileFormat('d.parquet')).toBeUndefined();
  });

  it('reads quoted CSV fields with commas, quotes and line breaks, and flags ragged rows', () => {
    const parsed = parseEvents('id,note\r\n1,"a, ""b"""\n2,"two\nlines"\n3,x,extra\n', 'csv');
    expect(parsed.map((p) => p.record)).toEqual([
      { id: '1', note: 'a, "b"' },
      { id: '2', note: 'two\nlines' },
      undefined,
    ]);
    expect(parsed.map((p) => p.line)).toEqual([2, 3, 5]);
    expect(parsed[2]?.error).toBe('expected 2 fields, found 3');
  });

  it('keeps good JSON lines when one is malformed or not an object', () => {
    const parsed = parseEvents('{"a":1}\n\n{oops\n[1]\n{"a":2}\n', 'jsonl');
    expect(parsed.map((p) => [p.line, p.record ?? p.error])).toEqual([
      [1, { a: 1 }],
      [3, expect.stringMatching(/^malformed JSON/)],
      [4, 'an event must be a JSON object'],
      [5, { a: 2 }],
    ]);
  });

  it('rejects a malformed JSON array as one event and reads a valid one element by element', () => {
    expect(parseEvents('[{"a":1},', 'json')[0]?.error).toMatch(/^malformed JSON/);
    expect(parseEvents('[{"a":1},{"a":2}]', 'json').map((p) => p.record)).toEqual([{ a: 1 }, { a: 2 }]);
  });
});
