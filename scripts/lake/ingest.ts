import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { contractForFile, type TableContract, type TypedRow } from '../../src/lake/contracts.ts';
import { validateBatch } from '../../src/lake/ingest-batch.ts';
import { rawFolder, tableFile, tableTier } from '../../src/lake/layout.ts';
import { copyFileAtomic, sha256Of, sha256OfFile, writeFileAtomic } from './atomic-file.ts';
import { queryNumber, sqlIdent, sqlString, type Duck } from './duck.ts';
import { readEventFile } from './event-file.ts';
import { writeParquet } from './parquet-file.ts';

export interface FileReport {
  file: string;
  table: string;
  /** Path of the kept raw file, relative to the lake. */
  raw: string;
  rawAlreadyKept: boolean;
  ingested: number;
  duplicate: number;
  rejected: number;
  deadLetter?: string;
}

export function contractTier(contract: TableContract) {
  return tableTier({ tags: contract.tags, columns: contract.columns });
}

/**
 * Ingests one event file: keeps it unchanged in the raw zone, sends bad events to a dead-letter file, and
 * upserts the good ones into the curated table by key. Running it twice on the same file changes nothing.
 */
export async function ingestFile(
  conn: Duck,
  lakeDir: string,
  file: string,
  contracts: readonly TableContract[],
  now: Date,
  sourceName?: string,
): Promise<FileReport> {
  const name = path.basename(file);
  const contract = sourceName
    ? contracts.find((c) => c.source === sourceName || c.table === sourceName)
    : contractForFile(contracts, name);
  if (!contract) {
    const known = contracts.map((c) => c.source).join(', ');
    throw new Error(
      `${name}: no table contract for this file. Name it after a source (${known}) or pass --source.`,
    );
  }
  const tier = contractTier(contract);
  const events = readEventFile(file);
  const { rows, valid, rejected, day: newest } = validateBatch(contract, events.records);
  const day = newest ?? now;
  const folder = rawFolder(tier, contract.source, day);

  const raw = keepRaw(lakeDir, folder, name, events.bytes, file);
  const report: FileReport = {
    file,
    table: contract.table,
    raw: raw.path,
    rawAlreadyKept: raw.alreadyKept,
    ingested: 0,
    // A key repeated inside one file counts once; its later events win.
    duplicate: valid - rows.length,
    rejected: rejected.length,
  };
  if (rejected.length > 0) {
    const deadLetter = `${folder.replace('/raw/', '/dead-letter/')}/${path.basename(raw.path)}.rejected.jsonl`;
    const lines = rejected.map((r) => JSON.stringify({ file: raw.path, ...r }));
    writeFileAtomic(path.join(lakeDir, deadLetter), lines.join('\n') + '\n');
    report.deadLetter = deadLetter;
  }
  if (rows.length > 0) {
    const result = await upsert(conn, lakeDir, contract, rows);
    report.ingested = result.ingested;
    report.duplicate += result.duplicate;
  }
  return report;
}

/** Keeps the file byte for byte; a different file of the same name gets its checksum in the name. */
function keepRaw(lakeDir: string, folder: string, name: string, bytes: Uint8Array, source: string) {
  const sha = sha256Of(bytes);
  let rel = `${folder}/${name}`;
  const abs = () => path.join(lakeDir, rel);
  if (existsSync(abs()) && sha256OfFile(abs()) !== sha) {
    const dot = name.indexOf('.');
    rel = `${folder}/${name.slice(0, dot)}.${sha.slice(0, 12)}${name.slice(dot)}`;
  }
  const alreadyKept = existsSync(abs()) && sha256OfFile(abs()) === sha;
  if (!alreadyKept) copyFileAtomic(source, abs());
  return { path: rel, alreadyKept };
}

async function upsert(conn: Duck, lakeDir: string, contract: TableContract, rows: TypedRow[]) {
  const target = path.join(lakeDir, tableFile(contractTier(contract), 'curated', contract.table));
  const work = mkdtempSync(path.join(tmpdir(), 'lake-ingest-'));
  try {
    const batch = path.join(work, 'batch.jsonl');
    writeFileAtomic(batch, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const columns = contract.columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ');
    const list = contract.columns.map((c) => sqlIdent(c.name)).join(', ');
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE incoming AS SELECT ${list}
       FROM read_json(${sqlString(batch)}, format = 'newline_delimited', columns = {${columns}})`,
    );
    await conn.run(
      existsSync(target)
        ? `CREATE OR REPLACE TEMP TABLE existing AS SELECT ${list} FROM read_parquet(${sqlString(target)})`
        : 'CREATE OR REPLACE TEMP TABLE existing AS SELECT * FROM incoming LIMIT 0',
    );
    const duplicate = await queryNumber(
      conn,
      'SELECT count(*) FROM (SELECT * FROM incoming INTERSECT SELECT * FROM existing)',
    );
    const ingested = rows.length - duplicate;
    if (ingested > 0) {
      const keys = contract.key.map(sqlIdent).join(', ');
      await writeParquet(
        conn,
        `SELECT * FROM (SELECT * FROM existing ANTI JOIN incoming USING (${keys})
                        UNION ALL SELECT * FROM incoming) ORDER BY ${keys}`,
        target,
      );
    }
    return { ingested, duplicate };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await conn.run('DROP TABLE IF EXISTS incoming; DROP TABLE IF EXISTS existing');
  }
}
