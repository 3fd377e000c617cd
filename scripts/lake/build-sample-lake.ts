/**
 * Builds the sample lake (`public/sample-lake` by default) from the public sources committed under `data/`:
 *
 *   npm run lake:build [-- --out DIR]
 *
 * Every run rewrites the same files byte for byte when the sources did not change, and keeps the catalog's
 * timestamps for tables whose content is unchanged.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { tableFile, tableTier } from '../../src/lake/layout.ts';
import { openDuck, sqlString } from './duck.ts';
import { copyPolicy, writeLicenses } from './lake-extras.ts';
import { emptyManifest, readManifest, upsertTable, writeManifest } from './manifest-store.ts';
import { describeParquet, writeParquet } from './parquet-file.ts';
import { SAMPLE_TABLES } from './sample-tables.ts';
import { tableEntry } from './table-entry.ts';

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
console.log(`Catalog: ${path.relative(projectDir, lakeDir)}/catalog.json, ${manifest.tables.length} tables.`);
