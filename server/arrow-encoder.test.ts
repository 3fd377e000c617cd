import {
  DuckDBInstance,
  HUGEINT,
  INTEGER,
  LIST,
  MAP,
  STRUCT,
  VARCHAR,
  type DuckDBConnection,
} from '@duckdb/node-api';
import { TimeUnit, tableFromIPC, type Field, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckSession } from '../src/engine/worker/core/duck-session.ts';
import { createNodeBindings } from '../src/engine/worker/core/node-bindings.ts';
import { resultColumns } from '../src/engine/result-columns.ts';
import { formatValue } from '../src/notebook/model/arrow-format.ts';
import { arrowTypeOf, encodeArrowStream, type EncodedEnd, type EncodeOptions } from './arrow-encoder.ts';

/** Column name, SQL, and the text the notebook shows for it. */
const EVERY_TYPE: [name: string, sql: string, shown: string][] = [
  ['i8', '-1::TINYINT', '-1'],
  ['i16', '2::SMALLINT', '2'],
  ['i32', '3::INTEGER', '3'],
  ['i64', '9007199254740993::BIGINT', '9007199254740993'],
  ['u8', '255::UTINYINT', '255'],
  ['u16', '65535::USMALLINT', '65535'],
  ['u32', '4294967295::UINTEGER', '4294967295'],
  ['u64', '18446744073709551615::UBIGINT', '18446744073709551615'],
  ['huge', '-170141183460469231731687303715884105727::HUGEINT', '-170141183460469231731687303715884105727'],
  ['f32', '1.5::FLOAT', '1.5'],
  ['f64', '-2.25::DOUBLE', '-2.25'],
  ['dec5', '12.30::DECIMAL(5,2)', '12.30'],
  ['dec18', '-0.05::DECIMAL(18,4)', '-0.0500'],
  ['dec38', '123456789012345678901234567890::DECIMAL(38,0)', '123456789012345678901234567890'],
  ['dec38s', '-1234567890123456789012345.6789::DECIMAL(38,10)', '-1234567890123456789012345.6789000000'],
  ['text', "'héllo ✓'", 'héllo ✓'],
  ['bool', 'true', 'true'],
  ['date', "DATE '2025-03-01'", '2025-03-01'],
  // The notebook shows milliseconds; the microseconds are checked in the data below.
  ['ts', "TIMESTAMP '2025-03-01 10:11:12.345678'", '2025-03-01 10:11:12.345'],
  ['tstz', "TIMESTAMPTZ '2025-03-01 10:11:12.345678+00'", '2025-03-01 10:11:12.345'],
  // Microseconds since midnight: the notebook shows a TIME from DuckDB-WASM the same way.
  ['time', "TIME '10:11:12.345678'", '36672345678'],
  ['interval', "INTERVAL '1 month 2 days 3 seconds'", '1 month 2 days 00:00:03'],
  ['blob', "'\\xAA\\x00'::BLOB", 'aa00'],
  ['uuid', "'01234567-89ab-cdef-0123-456789abcdef'::UUID", '01234567-89ab-cdef-0123-456789abcdef'],
  ['enum', "'b'::ENUM('a', 'b')", 'b'],
  ['list', '[1, NULL, 3]', '[1,null,3]'],
  ['struct', "{'a': 1, 'b': 'x'}", '{"a":1,"b":"x"}'],
  ['map', "MAP {'k': 1}", '{"k":1}'],
  ['arr', '[1, 2]::INTEGER[2]', '[1,2]'],
  ['nested', "[{'a': [1.5::DOUBLE]}]", '[{"a":[1.5]}]'],
];

/** A row of every type, then a row of NULLs, in that order. */
function everyTypeSql(types = EVERY_TYPE): string {
  const values = types.map(([name, sql]) => `${sql} AS ${name}`).join(', ');
  const nulls = types.map(() => 'NULL').join(', ');
  return `SELECT * EXCLUDE (n) FROM (SELECT 0 AS n, ${values} UNION ALL SELECT 1, ${nulls}) ORDER BY n`;
}

let instance: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

interface Encoded {
  messages: Uint8Array[];
  end: EncodedEnd;
  table: Table;
  /** How many chunks had been fetched when each message came out. */
  fetchedAt: number[];
  fetched: number;
}

async function encode(sql: string, options?: EncodeOptions): Promise<Encoded> {
  const result = await conn.stream(sql);
  let fetched = 0;
  const fetchChunk = result.fetchChunk.bind(result);
  result.fetchChunk = () => {
    fetched++;
    return fetchChunk();
  };
  const messages: Uint8Array[] = [];
  const fetchedAt: number[] = [];
  const stream = encodeArrowStream(result, options);
  for (;;) {
    const next = await stream.next();
    if (next.done) return { messages, end: next.value, table: tableFromIPC(messages), fetchedAt, fetched };
    messages.push(next.value);
    fetchedAt.push(fetched);
  }
}

/** A row as the notebook shows it. */
function shown(table: Table, row: number): Record<string, string | null> {
  return Object.fromEntries(
    table.schema.fields.map((field, i) => {
      const cell = formatValue(table.getChildAt(i)?.get(row), field);
      return [field.name, cell.kind === 'null' ? null : cell.text];
    }),
  );
}

/**
 * Everything of a field the browser's reader goes by. apache-arrow writes no name for an empty one (the
 * item of an ARRAY) and reads that back as null; DuckDB-WASM writes "".
 */
function describeField(field: Field): unknown {
  return {
    name: field.name ?? '',
    type: String(field.type),
    nullable: field.nullable,
    children: field.type.children?.map(describeField) ?? [],
  };
}

describe('encodeArrowStream', () => {
  it('encodes every type and NULLs so that the notebook shows them as DuckDB does', async () => {
    const { table, end } = await encode(everyTypeSql());
    expect(end).toEqual({ rowCount: 2, truncated: false });
    expect(shown(table, 0)).toEqual(Object.fromEntries(EVERY_TYPE.map(([name, , text]) => [name, text])));
    expect(shown(table, 1)).toEqual(Object.fromEntries(EVERY_TYPE.map(([name]) => [name, null])));

    expect(table.getChild('i64')?.get(0)).toBe(9007199254740993n);
    expect(table.getChild('ts')?.data[0].values[0]).toBe(1740823872345678n);
    expect(table.getChild('tstz')?.type).toMatchObject({ unit: TimeUnit.MICROSECOND, timezone: 'UTC' });
    expect(table.getChild('dec5')?.type).toMatchObject({ precision: 5, scale: 2, bitWidth: 128 });
  });

  it('gives the columns the DuckDB type names the UI derives from Arrow', async () => {
    // Where the Arrow type cannot carry DuckDB's name, the UI names the type it was sent as.
    const namedOtherwise: Record<string, string> = {
      huge: 'DECIMAL(38,0)',
      interval: 'VARCHAR',
      uuid: 'VARCHAR',
      enum: 'VARCHAR',
      arr: 'INTEGER[]',
    };
    const { messages } = await encode(everyTypeSql());
    const reader = await conn.runAndReadAll(
      `SELECT ${EVERY_TYPE.map(([, sql]) => `typeof(${sql})`).join(', ')}`,
    );
    const duckdbNames = reader.getRows()[0].map(String);
    expect(resultColumns(messages)).toEqual(
      EVERY_TYPE.map(([name], i) => ({ name, type: namedOtherwise[name] ?? duckdbNames[i] })),
    );
    expect(duckdbNames).toContain('STRUCT(a INTEGER, b VARCHAR)');
  });

  it('sends the Arrow DuckDB-WASM sends for the same query', async () => {
    const session = new DuckSession(await createNodeBindings());
    try {
      const sql = everyTypeSql();
      const wasmIpc = await session.run(sql);
      const wasm = tableFromIPC(wasmIpc);
      const { table, messages } = await encode(sql);
      // ENUM is a dictionary there, plain text here (the same type name in the notebook); DuckSession.run
      // passes on no dictionary batch, so the notebook shows its values as NULL. INTERVAL is MONTH_DAY_NANO
      // there, which apache-arrow 17 reads as two wrong numbers.
      const differ = new Set(['enum', 'interval']);
      const alike = (fields: Field[]) => fields.filter((f) => !differ.has(f.name)).map(describeField);
      expect(alike(table.schema.fields)).toEqual(alike(wasm.schema.fields));
      expect(alike(table.schema.fields)).toHaveLength(EVERY_TYPE.length - differ.size);

      const text = (t: Table, row: number) => ({ ...shown(t, row), enum: undefined, interval: undefined });
      expect(text(table, 0)).toEqual(text(wasm, 0));
      expect(text(table, 1)).toEqual(text(wasm, 1));
      const names = (ipc: Uint8Array | Uint8Array[]) =>
        resultColumns(ipc).filter((c) => c.name !== 'interval');
      expect(names(messages)).toEqual(names(wasmIpc));
    } finally {
      session.close();
    }
  });

  it('streams: the first batch goes out after the first chunk, later ones hold batchRows rows', async () => {
    const { messages, table, fetchedAt, fetched, end } = await encode('SELECT * FROM range(10_000) t(i)', {
      batchRows: 1000,
    });
    expect(end).toEqual({ rowCount: 10_000, truncated: false });
    expect(messages).toHaveLength(1 + 10 + 1);
    expect(table.batches.map((b) => b.numRows)).toEqual(Array(10).fill(1000));
    expect(fetchedAt[0]).toBe(0);
    expect(fetchedAt[1]).toBe(1);
    expect(fetched).toBeGreaterThan(fetchedAt[1]);
    expect(table.getChild('i')?.get(9_999)).toBe(9_999n);

    const whole = await encode('SELECT * FROM range(10_000) t(i)');
    const first = whole.table.batches[0].numRows;
    expect(first).toBeLessThan(10_000);
    expect(whole.table.batches.map((b) => b.numRows)).toEqual([first, 10_000 - first]);
    expect(whole.fetchedAt[1]).toBe(1);
  });

  it('keeps maxRows rows and says truncated only when there were more', async () => {
    const cut = await encode('SELECT * FROM range(10_000) t(i)', { maxRows: 2500 });
    expect(cut.end).toEqual({ rowCount: 2500, truncated: true });
    expect(cut.table.numRows).toBe(2500);
    expect(cut.table.getChild('i')?.get(2499)).toBe(2499n);
    expect(cut.fetched).toBe(2);

    expect((await encode('SELECT * FROM range(10) t(i)', { maxRows: 10 })).end).toEqual({
      rowCount: 10,
      truncated: false,
    });
    // The budget ends on a chunk boundary: only the next chunk can tell whether there was more.
    const chunk = (await encode('SELECT * FROM range(10_000) t(i)')).table.batches[0].numRows;
    expect((await encode(`SELECT * FROM range(${chunk}) t(i)`, { maxRows: chunk })).end.truncated).toBe(
      false,
    );
    expect((await encode(`SELECT * FROM range(${2 * chunk}) t(i)`, { maxRows: chunk })).end).toEqual({
      rowCount: chunk,
      truncated: true,
    });
  });

  it('sends the schema and the end of the stream for an empty result', async () => {
    const { messages, table, end } = await encode("SELECT 1::INTEGER AS a, 'x' AS b WHERE false");
    expect(end).toEqual({ rowCount: 0, truncated: false });
    expect(messages).toHaveLength(2);
    expect(messages[1]).toEqual(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ['a', 'Int32'],
      ['b', 'Utf8'],
    ]);
  });

  it('stops at an aborted signal', async () => {
    const controller = new AbortController();
    const stream = encodeArrowStream(await conn.stream('SELECT * FROM range(10_000)'), {
      signal: controller.signal,
    });
    expect((await stream.next()).done).toBe(false);
    controller.abort();
    await expect(stream.next()).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('arrowTypeOf', () => {
  it('nests as DuckDB-WASM does', () => {
    expect(String(arrowTypeOf(LIST(STRUCT({ a: INTEGER, m: MAP(VARCHAR, HUGEINT) }))))).toBe(
      'List<Struct<{a:Int32, m:Map<{key:Utf8, value:Decimal[38e0]}>}>>',
    );
  });
});
