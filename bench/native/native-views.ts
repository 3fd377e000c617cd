/**
 * The server section's baseline: the same SQL in native DuckDB directly. Same `@duckdb/node-api`, the
 * server's threads and memory limit, each table a view over the same Parquet files read in place
 * (`read_parquet([...], hive_partitioning = false)`, as server/native-lake.ts declares them), nothing loaded
 * into tables. A run is `runAndReadAll`: the query executed and every result row read into the client, so
 * what the server adds on top is its guard, the HTTP round trip and the Arrow encoding.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import path from 'node:path';
import type { Manifest } from '../../src/lake/manifest.ts';

export interface NativeRun {
  ms: number;
  rows: number;
}

export class NativeViews {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    readonly version: string,
  ) {}

  static async open(
    lakeDir: string,
    manifest: Manifest,
    limits: { threads: number; memoryLimit: string },
  ): Promise<NativeViews> {
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(limits.threads),
      memory_limit: limits.memoryLimit,
    });
    const conn = await instance.connect();
    const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
    for (const table of manifest.tables) {
      const files = table.files.map((f) => lit(path.join(lakeDir, f.path)));
      await conn.run(
        `CREATE VIEW "${table.name}" AS SELECT * FROM read_parquet([${files.join(', ')}], hive_partitioning = false)`,
      );
    }
    const reader = await conn.runAndReadAll('SELECT version() AS v');
    return new NativeViews(instance, conn, String(reader.getRowObjectsJson()[0]?.v ?? 'unknown'));
  }

  async run(sql: string): Promise<NativeRun> {
    const t0 = performance.now();
    const reader = await this.conn.runAndReadAll(sql);
    return { ms: performance.now() - t0, rows: reader.currentRowCount };
  }

  /** `stream` to the first chunk fetched: when a streaming client could start sending. */
  async firstChunk(sql: string): Promise<number> {
    const t0 = performance.now();
    const result = await this.conn.stream(sql);
    await result.fetchChunk();
    return performance.now() - t0;
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
