import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FileEntry, Manifest, TableEntry } from '../../lake/manifest';

/** Writes a Parquet file with native DuckDB from a SELECT, with small row groups to exercise chunking. */
export async function writeParquet(file: string, select: string, rowGroupSize = 1000): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const target = file.replaceAll("'", "''");
  await con.run(`COPY (${select}) TO '${target}' (FORMAT parquet, ROW_GROUP_SIZE ${rowGroupSize})`);
  con.closeSync();
  db.closeSync();
}

/** What native DuckDB says about a Parquet file: its row groups and its columns (empty when unreadable). */
export async function describeParquet(
  file: string,
): Promise<{ rowGroups: number[]; columns: [string, string][] }> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const target = file.replaceAll("'", "''");
  try {
    const groups = await con.runAndReadAll(
      `SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata('${target}') ORDER BY 1`,
    );
    const cols = await con.runAndReadAll(`DESCRIBE SELECT * FROM '${target}'`);
    return {
      rowGroups: groups.getRows().map((r) => Number(r[1])),
      columns: cols.getRows().map((r) => [String(r[0]), String(r[1])]),
    };
  } catch {
    return { rowGroups: [], columns: [] };
  } finally {
    con.closeSync();
    db.closeSync();
  }
}

export interface ServedFolder {
  url: string;
  /** One line per request: method, path and Range header. */
  requests: string[];
  bytesServed(): number;
  close(): Promise<void>;
}

/** A static server with Range support, like the hosts the lake is published on. */
export async function serveFolder(root: string): Promise<ServedFolder> {
  const requests: string[] = [];
  let bytes = 0;
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const file = path.join(root, rel);
    requests.push(`${req.method} ${rel} ${req.headers.range ?? ''}`.trim());
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    const body = fs.readFileSync(file);
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      const start = range[1] === '' ? body.length - Number(range[2]) : Number(range[1]);
      const end = range[1] !== '' && range[2] !== '' ? Number(range[2]) : body.length - 1;
      res.statusCode = 206;
      res.setHeader('Content-Range', `bytes ${start}-${end}/${body.length}`);
      res.setHeader('Content-Length', end - start + 1);
      bytes += end - start + 1;
      res.end(body.subarray(start, end + 1));
      return;
    }
    res.setHeader('Content-Length', body.length);
    bytes += body.length;
    res.end(body);
  });
  // Tests and server share one event loop, which a long synchronous decode blocks; a server that closed
  // idle connections could close one at the very moment Node's fetch reuses it ("fetch failed").
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    requests,
    bytesServed: () => bytes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A catalog entry for a test table; only what the loader reads needs to be true. */
export function tableEntry(
  name: string,
  columns: [string, string][],
  files: Pick<FileEntry, 'path' | 'rows' | 'bytes' | 'rowGroups'>[],
): TableEntry {
  return {
    name,
    zone: 'curated',
    tier: 'PHI',
    description: name,
    owner: 'test',
    source: 'test',
    license: 'test',
    tags: ['PHI'],
    columns: columns.map(([n, type]) => ({ name: n, type })),
    files: files.map((f) => ({ ...f, format: 'parquet', sha256: '0'.repeat(64) })),
    rowCount: files.reduce((n, f) => n + f.rows, 0),
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

export function manifestOf(tables: TableEntry[]): Manifest {
  return {
    format: 'lakebook-catalog',
    version: 1,
    name: 'test lake',
    generatedAt: '2026-01-01T00:00:00Z',
    tables,
  };
}
