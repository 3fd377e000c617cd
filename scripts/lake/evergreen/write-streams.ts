import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { EVERGREEN_CONTRACTS } from '../../../src/lake/evergreen-contracts.ts';
import type { TableContract } from '../../../src/lake/contracts.ts';
import { queryJson, sqlIdent, sqlString, type Duck } from '../duck.ts';
import { ROW_GROUP_SIZE } from '../parquet-file.ts';

/** Which simulated table feeds which stream, the file format it arrives in, and the time that files it by month. */
const STREAMS: { table: string; sim: string; format: 'csv' | 'json' | 'jsonl'; fileTime: string }[] = [
  { table: 'evergreen_admissions', sim: 'adt', format: 'csv', fileTime: 'discharge_time' },
  { table: 'evergreen_discharge_forms', sim: 'forms', format: 'json', fileTime: 'submitted_at' },
  { table: 'evergreen_bed_alarms', sim: 'alarms', format: 'jsonl', fileTime: 'file_time' },
  { table: 'evergreen_audit_events', sim: 'audit', format: 'jsonl', fileTime: 'event_time' },
];

function contractOf(table: string): TableContract {
  const contract = EVERGREEN_CONTRACTS.find((c) => c.table === table);
  if (!contract) throw new Error(`No contract for ${table}`);
  return contract;
}

/** Event payload columns, timestamps in ISO 8601 UTC as the hospital systems send them. */
function payload(contract: TableContract, iso: boolean): string {
  return contract.columns
    .map((c) =>
      c.type === 'TIMESTAMP' && iso
        ? `strftime(${sqlIdent(c.name)}, '%Y-%m-%dT%H:%M:%SZ') AS ${sqlIdent(c.name)}`
        : sqlIdent(c.name),
    )
    .join(', ');
}

/** One gzip file per stream and calendar month, named `<source>-<yyyy>-<mm>.<ext>.gz`. */
export async function writeEventFiles(conn: Duck, outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const stream of STREAMS) {
    const contract = contractOf(stream.table);
    const months = await queryJson(
      conn,
      `SELECT DISTINCT strftime(${stream.fileTime}, '%Y-%m') AS m FROM ${stream.sim} ORDER BY m`,
    );
    for (const { m } of months) {
      const file = path.join(outDir, `${contract.source}-${String(m)}.${stream.format}.gz`);
      const options =
        stream.format === 'csv'
          ? 'FORMAT csv, HEADER true'
          : `FORMAT json${stream.format === 'json' ? ', ARRAY true' : ''}`;
      await conn.run(
        `COPY (SELECT ${payload(contract, true)} FROM ${stream.sim}
               WHERE strftime(${stream.fileTime}, '%Y-%m') = ${sqlString(String(m))}
               ORDER BY ${stream.fileTime}, ${contract.key.map(sqlIdent).join(', ')})
         TO ${sqlString(file)} (${options}, COMPRESSION gzip)`,
      );
      written.push(file);
    }
  }
  return written;
}

/**
 * For benchmark scales: each stream as one curated-shape Parquet file, typed like the lake's tables, in generation
 * order (a single-threaded session keeps it deterministic without a sort of millions of rows).
 */
export async function writeParquetFiles(conn: Duck, outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const stream of STREAMS) {
    const contract = contractOf(stream.table);
    const file = path.join(outDir, `${contract.table}.parquet`);
    // Sensor retries and glitches are feed noise that ingest removes; the curated shape leaves them out.
    const valid = stream.sim === 'alarms' ? "WHERE copy_kind = 'alarm'" : '';
    await conn.run(
      `COPY (SELECT ${payload(contract, false)} FROM ${stream.sim} ${valid})
       TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`,
    );
    written.push(file);
  }
  return written;
}
