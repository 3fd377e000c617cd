/**
 * Generates the Evergreen Veterans Hospital streams (what is simulated and planted: `evergreen/simulate.ts`).
 *
 *   npm run lake:generate -- --seed N --scale N --out DIR [--format events|parquet]
 *
 * `--scale` is the number of admissions (about; default 50000, at most 10000000). `events` (the default) writes
 * raw event files for `lake ingest`; `parquet` writes one curated-shape Parquet file per stream, for benchmarks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openDuck, type Duck } from './duck.ts';
import { simulationSql } from './evergreen/simulate.ts';
import { writeEventFiles, writeParquetFiles } from './evergreen/write-streams.ts';

export const DEFAULT_SEED = 20250301;
export const DEFAULT_SCALE = 50_000;

export async function generateEvergreen(
  conn: Duck,
  options: { seed: number; scale: number; outDir: string; format: 'events' | 'parquet' },
): Promise<string[]> {
  for (const sql of simulationSql(options.seed, options.scale)) await conn.run(sql);
  return options.format === 'parquet'
    ? writeParquetFiles(conn, options.outDir)
    : writeEventFiles(conn, options.outDir);
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      scale: { type: 'string', default: String(DEFAULT_SCALE) },
      out: { type: 'string' },
      format: { type: 'string', default: 'events' },
    },
  });
  if (!values.out || (values.format !== 'events' && values.format !== 'parquet')) {
    console.error(
      'usage: npm run lake:generate -- --out DIR [--seed N] [--scale N] [--format events|parquet]',
    );
    process.exit(2);
  }
  const outDir = path.resolve(values.out);
  const work = mkdtempSync(path.join(tmpdir(), 'evergreen-db-'));
  try {
    const conn = await openDuck(path.join(work, 'generate.duckdb'));
    const files = await generateEvergreen(conn, {
      seed: Number(values.seed),
      scale: Number(values.scale),
      outDir,
      format: values.format,
    });
    conn.closeSync();
    console.log(`${files.length} files in ${values.out}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
