import { gzipSync } from 'fflate';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ParquetReadError } from './parquet-decoder';
import { eventSource, rawEventDecoder } from './raw-decoder';

const COLUMNS = ['id', 'ward', 'flag', 'score'];

async function rows(source: ReturnType<typeof eventSource>, wanted = COLUMNS) {
  const table = tableFromIPC(await source.read(undefined, wanted));
  return {
    names: table.schema.fields.map((f) => f.name),
    types: table.schema.fields.map((f) => String(f.type)),
    rows: table.toArray().map((r) => ({ ...(r as object) })),
  };
}

describe('raw event files as text columns', () => {
  it('reads JSON lines in the catalog order, scalars as text, missing fields and bad lines left out', async () => {
    const text = [
      '{"ward":"ICU","id":"A1","flag":true,"score":12.5,"extra":1}',
      'not json',
      '{"id":"A2","flag":false,"score":null,"ward":{"floor":2}}',
      '',
    ].join('\n');
    const source = eventSource(text, 'jsonl', COLUMNS);
    // The catalog counts every event of a raw file; the loader checks rows + left out against it.
    expect(source.rowsLeftOut).toBe(1);
    const got = await rows(source);
    expect(got.names).toEqual(COLUMNS);
    expect(got.types).toEqual(['Utf8', 'Utf8', 'Utf8', 'Utf8']);
    expect(got.rows).toEqual([
      { id: 'A1', ward: 'ICU', flag: 'true', score: '12.5' },
      { id: 'A2', ward: '{"floor":2}', flag: 'false', score: null },
    ]);
  });

  it('reads a JSON array and CSV with quotes, commas and line breaks; a CSV blank is NULL', async () => {
    const json = '[{"id":"B1","ward":"","flag":true},{"id":"B2","score":3}]';
    expect((await rows(eventSource(json, 'json', COLUMNS))).rows).toEqual([
      { id: 'B1', ward: '', flag: 'true', score: null },
      { id: 'B2', ward: null, flag: null, score: '3' },
    ]);
    const csv = 'id,ward,flag,score\r\nC1,"Ward ""A"", east",,7\r\nC2,"two\nlines",yes,\r\n\r\nbad,row\r\n';
    expect(eventSource(csv, 'csv', COLUMNS).rowsLeftOut).toBe(1);
    expect((await rows(eventSource(csv, 'csv', COLUMNS))).rows).toEqual([
      { id: 'C1', ward: 'Ward "A", east', flag: null, score: '7' },
      { id: 'C2', ward: 'two\nlines', flag: 'yes', score: null },
    ]);
  });

  it('projects the columns asked for, in the catalog order, and knows their positions', async () => {
    const source = eventSource('{"id":"A","ward":"W","flag":1}', 'jsonl', COLUMNS);
    expect(source.columnIndex('flag')).toBe(2);
    expect(source.columnIndex('nope')).toBe(-1);
    expect((await rows(source, ['flag', 'id'])).rows).toEqual([{ id: 'A', flag: '1' }]);
  });

  it('fetches and inflates gzip, also when the host already inflated it', async () => {
    const plain = new TextEncoder().encode('{"id":"G1","ward":"ICU"}\n{"id":"G2"}\n');
    const served = new Map([
      ['http://lake/a.jsonl.gz', gzipSync(plain)],
      ['http://lake/b.jsonl.gz', plain],
    ]);
    const requested: string[] = [];
    const decoder = rawEventDecoder({
      fetch: async (input) => {
        const url = String(input);
        requested.push(url);
        const body = served.get(url);
        return body ? new Response(body as BodyInit) : new Response('missing', { status: 404 });
      },
    });
    const file = (url: string) =>
      ({ url, path: url.slice(12), format: 'jsonl', compression: 'gzip' }) as const;
    const both = await decoder.open([...served.keys()].map(file), ['id', 'ward']);
    const event = [
      { id: 'G1', ward: 'ICU' },
      { id: 'G2', ward: null },
    ];
    expect((await rows(both, ['id', 'ward'])).rows).toEqual([...event, ...event]);
    expect(requested.sort()).toEqual([...served.keys()].sort());
    const missing = decoder.open([file('http://lake/a.jsonl.gz'), file('http://lake/c.jsonl.gz')], ['id']);
    await expect(missing).rejects.toMatchObject({
      path: 'c.jsonl.gz',
      message: expect.stringMatching(/HTTP 404/),
    });
  });

  it('names a broken gzip stream and a file that is not text', async () => {
    const decoder = rawEventDecoder({
      fetch: async (input) =>
        new Response(
          (String(input).endsWith('.gz')
            ? new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3])
            : new Uint8Array([0xff, 0xfe, 0xfd])) as BodyInit,
        ),
    });
    const gz = { url: 'http://lake/x.csv.gz', path: 'x.csv.gz', format: 'csv', compression: 'gzip' } as const;
    await expect(decoder.open([gz], ['a'])).rejects.toThrow(/could not be decompressed/);
    const binary = decoder.open([{ url: 'http://lake/x.csv', path: 'x.csv', format: 'csv' }], ['a']);
    await expect(binary).rejects.toBeInstanceOf(ParquetReadError);
  });
});
