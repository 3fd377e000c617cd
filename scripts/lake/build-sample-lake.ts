/**
 * Builds the sample lake (`public/sample-lake` by default) from the public sources committed under `data/`:
 *
 *   npm run lake:build [-- --out DIR]
 *
 * Every run rewrites the same files byte for byte when the sources did not change, and keeps the catalog's
 * timestamps for tables whose content is unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { tableFile, tableTier } from '../../src/lake/layout.ts';
import { openDuck, sqlString } from './duck.ts';
import { LAKE_CONTRACTS } from '../../src/lake/lake-contracts.ts';
import { rescanCatalog } from './catalog.ts';
import { DEFAULT_SCALE, DEFAULT_SEED, generateEvergreen } from './generate-evergreen.ts';
import { ingestFile } from './ingest.ts';
import { copyPolicy, writeLicenses } from './lake-extras.ts';
import { rebuildMetrics } from './metrics.ts';
import { emptyManifest, readManifest, upsertTable, writeManifest } from './manifest-store.ts';
import { describeParquet, writeParquet } from './parquet-file.ts';
import { SAMPLE_TABLES } from './sample-tables.ts';
import { tableEntry } from './table-entry.ts';
import { verifyLake } from './verify.ts';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = path.join(projectDir, 'data');

const { values } = parseArgs({ options: { out: { type: 'string', default: 'public/sample-lake' } } });
const lakeDir = path.resolve(projectDir, values.out);
const now = new Date().toISOString();

const conn = await openDuck();
let manifest = readManifest(lakeDir) ?? emptyManifest('Lakebook sample lake', now);
const sourceFile = (rel: string) => sqlString(path.join(dataDir, rel));

for (const spec of SAMPLE_TABLES) {
  const meta = { ...spec, zone: 'curated' as const };
  const tier = tableTier({
    tags: spec.tags,
    columns: Object.values(spec.columnTags ?? {}).map((tags) => ({ tags })),
  });
  const rel = tableFile(tier, 'curated', spec.name);
  await writeParquet(conn, spec.select(sourceFile), path.join(lakeDir, rel));
  const facts = await describeParquet(conn, lakeDir, rel);
  manifest = upsertTable(manifest, tableEntry(meta, tier, [facts], now));
  console.log(`${spec.name.padEnd(20)} ${tier.padEnd(6)} ${String(facts.file.rows).padStart(7)} rows`);
}

writeLicenses(dataDir, lakeDir);
if (!copyPolicy(projectDir, lakeDir)) {
  console.warn(
    'governance/policy.json does not exist yet: the lake has no policy.json. Re-run once it exists.',
  );
}
writeManifest(lakeDir, manifest);

// The Evergreen streams arrive the way any feed does: as raw files through the lake's own ingest.
const inbox = mkdtempSync(path.join(tmpdir(), 'evergreen-'));
const written: string[] = [];
try {
  const files = await generateEvergreen(conn, {
    seed: DEFAULT_SEED,
    scale: DEFAULT_SCALE,
    outDir: inbox,
    format: 'events',
  });
  const totals = { ingested: 0, duplicate: 0, rejected: 0 };
  for (const file of files) {
    const r = await ingestFile(conn, lakeDir, file, LAKE_CONTRACTS, new Date(now));
    written.push(r.raw);
    totals.ingested += r.ingested;
    totals.duplicate += r.duplicate;
    totals.rejected += r.rejected;
  }
  console.log(
    `Evergreen: ${files.length} files, ${totals.ingested} ingested, ${totals.duplicate} duplicate, ${totals.rejected} rejected`,
  );
} finally {
  rmSync(inbox, { recursive: true, force: true });
}
const scan = await rescanCatalog(conn, lakeDir, LAKE_CONTRACTS, now, { written });
for (const v of scan.vanished) console.warn(`vanished: ${v.table} ${v.missing.join(', ')}`);
for (const r of scan.refused) console.warn(`refused (not in the catalog): ${r.files.join(', ')}`);

// A metric gets a new snapshot only when its values changed, so rebuilding an unchanged lake changes no file.
for (const r of await rebuildMetrics(
  conn,
  lakeDir,
  path.join(projectDir, 'metrics'),
  'metrics/',
  new Date(now),
  {
    ifChanged: true,
  },
)) {
  console.log(
    `metric ${r.metric.padEnd(22)} ${String(r.rows).padStart(5)} rows ${r.unchanged ? '(unchanged)' : r.snapshot}`,
  );
}
console.log(`Catalog: ${path.relative(projectDir, lakeDir)}/catalog.json`);

// The lake that ships must pass the same check as any lake, untagged identifiers included.
const problems = await verifyLake(conn, lakeDir, { projectDir });
for (const p of problems) console.error(`${p.table}${p.file ? ` ${p.file}` : ''}: ${p.problem}`);
if (problems.length > 0) {
  console.error(`verify: ${problems.length} problem(s); the sample lake is not fit to ship`);
  process.exit(1);
}
console.log('verify: the catalog matches the files');
