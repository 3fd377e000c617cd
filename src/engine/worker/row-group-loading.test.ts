import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as parquetWasm from 'parquet-wasm/node';
import { DuckDBInstance } from '@duckdb/node-api';
import { resultRowsText, rowsText } from '../testing/rows-text';
import type { RoleView, TableAccess } from '../../gov/types';
import type { Manifest } from '../../lake/manifest';
import { createNodeBindings } from './core/node-bindings';
import { DuckSession } from './core/duck-session';
import { parquetWasmDecoder, type ParquetDecoder } from './loader/parquet-decoder';
import type { CellSource } from '../../contract/results';
import { RoleEngine } from './role-engine';
import { EngineFailure } from '../errors';
import {
  describeParquet,
  manifestOf,
  serveFolder,
  tableEntry,
  writeParquet,
  type ServedFolder,
} from '../testing/lake-fixture';

/** Two files of five row groups each (2,048 rows), sorted by `id` and `at`; `ward` and `note` are not. */
const FILES = ['part-000.parquet', 'part-001.parquet'];
const ROWS_PER_FILE = 10_240;
const eventsOf = (first: number) => `SELECT (${first} + i)::INTEGER AS id,
    TIMESTAMP '2024-01-01' + INTERVAL (${first} + i) MINUTE AS seen_at,
    ['ICU', 'MED', 'SURG'][1 + (i * 7) % 3] AS ward, ((i * 37) % 1000) / 10 AS amount, 'note ' || (i % 97) AS note,
    CASE WHEN i % 5 = 0 THEN NULL ELSE i % 11 END::INTEGER AS score
  FROM range(${ROWS_PER_FILE}) t(i)`;

let dir: string;
let lake: ServedFolder;
let manifest: Manifest;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakebook-row-groups-'));
  const files = [];
  for (const [i, name] of FILES.entries()) {
    const file = path.join(dir, 'events', name);
    await writeParquet(file, eventsOf(i * ROWS_PER_FILE), 2048);
    const rel = `events/${name}`;
    files.push({
      path: rel,
      rows: ROWS_PER_FILE,
      bytes: fs.statSync(file).size,
      rowGroups: (await describeParquet(file)).rowGroups,
    });
  }
  const columns: [string, string][] = [
    ['id', 'INTEGER'],
    ['seen_at', 'TIMESTAMP'],
    ['ward', 'VARCHAR'],
    ['amount', 'DOUBLE'],
    ['note', 'VARCHAR'],
    ['score', 'INTEGER'],
  ];
  manifest = manifestOf([tableEntry('events', columns, files)]);
  lake = await serveFolder(dir);
});

afterAll(async () => {
  await lake?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const plain = (name: string, type: string) => ({ name, type, tags: [], expr: `"${name}"` });
const COLUMNS = [
  plain('id', 'INTEGER'),
  plain('seen_at', 'TIMESTAMP'),
  plain('ward', 'VARCHAR'),
  plain('amount', 'DOUBLE'),
  plain('note', 'VARCHAR'),
  plain('score', 'INTEGER'),
];

/** As the role sees it; `native` is the same view over the files for the ground truth. */
const ROLES: Record<string, { access: TableAccess; native: string }> = {
  plain: {
    access: { table: 'events', tags: [], columns: COLUMNS, rules: [] },
    native: 'SELECT * FROM files',
  },
  masked: {
    access: {
      table: 'events',
      tags: [],
      columns: COLUMNS.map((c) => (c.name === 'note' ? { ...c, expr: 'md5("note")' } : c)),
      rowFilter: `"ward" <> 'ICU'`,
      rules: ['test'],
    },
    native: `SELECT * REPLACE (md5(note) AS note) FROM files WHERE ward <> 'ICU'`,
  },
};

async function native(view: string, sql: string): Promise<string> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const list = FILES.map((f) => `'${path.join(dir, 'events', f)}'`).join(', ');
  await con.run(`CREATE VIEW files AS SELECT * FROM read_parquet([${list}])`);
  await con.run(`CREATE TABLE events AS ${view}`);
  const rows = (await con.runAndReadAll(sql)).getRows();
  con.closeSync();
  return rowsText(rows);
}

/** The row groups each read asked for, as `file:group`. */
function recording(decoder: ParquetDecoder, reads: string[]): ParquetDecoder {
  return {
    async open(url, bytes, rowGroups) {
      const source = await decoder.open(url, bytes, rowGroups);
      const file = url.slice(url.lastIndexOf('/') + 1, url.indexOf('.parquet'));
      return {
        ...source,
        columnIndex: (name) => source.columnIndex(name),
        read: (groups, columns) => {
          reads.push(...(groups ?? (source.rowGroups ?? [0]).map((_, i) => i)).map((g) => `${file}:${g}`));
          return source.read(groups, columns);
        },
        close: () => source.close(),
      };
    },
  };
}

async function engineFor(role: keyof typeof ROLES) {
  const view: RoleView = {
    session: { user: 'ana', role: 'DataAnalyst', attributes: {} },
    tables: [ROLES[role].access],
    can: { changeTags: false, readAudit: false, exportPhi: false },
  };
  const reads: string[] = [];
  // Ranged reads, as for the lake's large files: only the footer and the chunks asked for are fetched.
  const decoder = recording(parquetWasmDecoder(parquetWasm, { wholeFileBelow: 0 }), reads);
  let staging: Promise<DuckSession> | undefined;
  const engine = new RoleEngine(await createNodeBindings(), view, manifest, lake.url, decoder, () => {
    staging ??= createNodeBindings().then((b) => new DuckSession(b));
    return staging;
  });
  const held = () => Number(engine.user.query('SELECT count(*) FROM events').getChildAt(0)?.get(0));
  /** Runs `sql` (with `cells`), checks it against native DuckDB (`nativeSql`, the cells inlined). */
  const ask = async (sql: string, cells: CellSource[] = [], nativeSql = sql) => {
    reads.length = 0;
    const result = await engine.query(sql, cells, { report: () => undefined, shouldStop: () => undefined });
    expect(resultRowsText(result), sql).toBe(await native(ROLES[role].native, nativeSql));
    return [...reads];
  };
  return { ask, held, engine };
}

const ALL_GROUPS = FILES.flatMap((_, f) => [0, 1, 2, 3, 4].map((g) => `part-00${f}:${g}`));

describe.each(Object.keys(ROLES))('row groups loaded as statements need them (%s role)', (role) => {
  it('reads only the row groups a range needs, adds the others when a later statement needs them, and answers as a full load', async () => {
    const { ask, held } = await engineFor(role as keyof typeof ROLES);
    expect(
      await ask('SELECT count(*), sum(id)::BIGINT FROM events WHERE id BETWEEN 15000 AND 15100'),
    ).toEqual(['part-001:2']);
    const firstRows = held();
    expect(firstRows).toBeLessThanOrEqual(2048);

    // Minutes 1440–2159 are ids 1440–2159: the first two row groups of the first file are appended, then
    // `score` is read for every row held, in the order the rows were added (not the files' order).
    const day = await ask(
      `SELECT count(*), sum(score)::BIGINT, min(seen_at)::VARCHAR, max(seen_at)::VARCHAR FROM events
       WHERE seen_at >= TIMESTAMP '2024-01-02 00:00:00' AND seen_at < TIMESTAMP '2024-01-02 12:00:00'`,
    );
    expect(day).toEqual(['part-000:0', 'part-000:1', 'part-001:2', 'part-000:0', 'part-000:1']);
    expect(held()).toBeGreaterThan(firstRows);

    // Columns added now line up with the rows, whatever order they came in; no row group is missing.
    const added = await ask(
      'SELECT id, ward, amount, note, score FROM events WHERE id IN (100, 2100, 15050) ORDER BY id',
    );
    expect(added).toEqual(['part-001:2', 'part-000:0', 'part-000:1']);
    await ask(
      'SELECT ward, count(*), sum(amount)::DOUBLE, count(note) FROM events WHERE id < 4096 OR id > 17000 GROUP BY ward ORDER BY ward',
    );
    expect(held()).toBe(
      Number(JSON.parse(await native(ROLES[role].native, 'SELECT count(*) FROM events'))[0][0]),
    );
  });

  it('narrows by the comparisons it understands when text filters come with them', async () => {
    const { ask } = await engineFor(role as keyof typeof ROLES);
    expect(
      await ask(
        `SELECT ward, count(*), sum(amount)::DOUBLE FROM events WHERE ward IN ('MED', 'SURG')
         AND seen_at >= TIMESTAMP '2024-01-02 00:00:00' AND seen_at < TIMESTAMP '2024-01-02 12:00:00' GROUP BY ward ORDER BY ward`,
      ),
    ).toEqual(['part-000:0', 'part-000:1']);
    expect(
      await ask(
        "SELECT count(*), max(note) FROM events WHERE note <> 'note 3' AND id >= 20000 AND ward = 'MED'",
      ),
    ).toEqual(['part-001:4', 'part-000:0', 'part-000:1', 'part-001:4']);
    // Through a cell (a view): planned on the stub the same way.
    const cells = [{ name: 'early', sql: 'FROM events WHERE id < 6000' }];
    expect(
      await ask(
        "SELECT count(*), count(DISTINCT note) FROM early WHERE ward = 'SURG'",
        cells,
        "SELECT count(*), count(DISTINCT note) FROM (FROM events WHERE id < 6000) WHERE ward = 'SURG'",
      ),
    ).toEqual(['part-000:2', 'part-000:0', 'part-000:1', 'part-001:4', 'part-000:2']);
  });

  it('leaves the table as it was when appending row groups stops', async () => {
    const { ask, held, engine } = await engineFor(role as keyof typeof ROLES);
    await ask('SELECT count(*), max(ward) FROM events WHERE id BETWEEN 15000 AND 15100');
    const before = held();
    let asked = 0;
    const stop = new EngineFailure({ code: 'CANCELLED', message: 'stopped' });
    const stopped = engine.query('SELECT count(*), max(ward) FROM events WHERE id < 12000', [], {
      report: () => undefined,
      shouldStop: () => (++asked >= 2 ? stop : undefined),
    });
    await expect(stopped).rejects.toBe(stop);
    // It stopped in the second file, after the first file's row groups were read.
    expect(asked).toBe(2);
    expect(held()).toBe(before);
    await ask('SELECT count(*), max(ward) FROM events WHERE id < 12000');
    await ask('SELECT count(*), max(ward) FROM events WHERE id BETWEEN 15000 AND 15100');
  });

  it('never trusts a plan that pruned a scan on the rows loaded so far', async () => {
    const { ask } = await engineFor(role as keyof typeof ROLES);
    expect(await ask('SELECT count(*) FROM events WHERE id < 2048')).toEqual(['part-000:0']);
    // On the rows held (ids below 2048) DuckDB proves `id > 19000` empty and drops that branch.
    const reads = await ask(
      'SELECT count(*), sum(id)::BIGINT FROM (SELECT id FROM events WHERE id > 19000 UNION ALL SELECT id FROM events WHERE id BETWEEN 100 AND 200)',
    );
    expect(reads.length).toBeGreaterThan(0);
  });

  it('reads every row group for filters it cannot prove safe', async () => {
    for (const sql of [
      'SELECT count(*) FROM events WHERE id = 5 OR id = 19000',
      "SELECT count(*) FROM events WHERE ward = 'MED' AND note LIKE 'note 1%'",
      'SELECT count(*) FROM events e JOIN events f ON e.id = f.id + 1 WHERE e.id < 10',
      'SELECT count(*) FROM events WHERE score IS NULL OR id < 3000',
      "SELECT count(*) FROM events WHERE CAST(seen_at AS DATE) = DATE '2024-01-05' OR amount > 99.5",
    ]) {
      const { ask } = await engineFor(role as keyof typeof ROLES);
      expect((await ask(sql)).sort(), sql).toEqual(ALL_GROUPS);
    }
  });
});
