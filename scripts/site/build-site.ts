/**
 * Builds the static site: `vite build`, then keeps only the lake tiers the site is allowed to ship.
 *
 *   npm run build                      every tier (for a host that protects tiers itself)
 *   npm run build -- --tiers PUBLIC    a public site: no PHI or PII file is copied at all
 *
 * Either way it writes `sample-lake/site.json` (the tiers shipped) and a metric pack per metric view at
 * `metrics/<name>.json` (index: `metrics/index.json`), computed from the full lake before pruning; packs
 * carry aggregates only (docs/metric-packs.md).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseManifest, SENSITIVITY_TAGS, type SensitivityTag } from '../../src/lake/manifest.ts';
import { openDuck } from '../lake/duck.ts';
import { writeMetricPacks } from './metric-packs.ts';

const { values } = parseArgs({
  options: {
    tiers: { type: 'string' },
    outDir: { type: 'string', default: 'dist' },
  },
});

const tiers = parseTiers(values.tiers);
const outDir = path.resolve(values.outDir);

const vite = spawnSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir'], { stdio: 'inherit' });
if (vite.status !== 0) process.exit(vite.status ?? 1);

await writePacks(path.join(outDir, 'sample-lake'), path.join(outDir, 'metrics'));
if (tiers) pruneTiers(path.join(outDir, 'sample-lake'), tiers);
// Written for every tier too: the app asks for it on each visit, and an absent one shows as a failed request.
else writeSite(path.join(outDir, 'sample-lake'), [...SENSITIVITY_TAGS]);

async function writePacks(lakeDir: string, packDir: string): Promise<void> {
  const manifest = parseManifest(JSON.parse(readFileSync(path.join(lakeDir, 'catalog.json'), 'utf8')));
  const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const report = await writeMetricPacks({ conn: await openDuck(), lakeDir, projectDir, manifest }, packDir);
  for (const r of report.refused) console.error(`No metric pack for ${r.metric}: ${r.reason}`);
  console.log(
    `Metric packs: ${report.index.metrics.length} written to ${path.relative(process.cwd(), packDir)}/.`,
  );
}

function parseTiers(text: string | undefined): SensitivityTag[] | undefined {
  if (!text) return undefined;
  const list = text.split(',').map((t) => t.trim().toUpperCase());
  for (const t of list) {
    if (!(SENSITIVITY_TAGS as readonly string[]).includes(t)) {
      console.error(`Unknown tier "${t}". Use a comma-separated list of ${SENSITIVITY_TAGS.join(', ')}.`);
      process.exit(2);
    }
  }
  return list as SensitivityTag[];
}

/** Deletes the folders of the tiers left out and drops their tables from the shipped catalog. */
function pruneTiers(lakeDir: string, keep: SensitivityTag[]): void {
  const catalogPath = path.join(lakeDir, 'catalog.json');
  const manifest = parseManifest(JSON.parse(readFileSync(catalogPath, 'utf8')));
  for (const tier of SENSITIVITY_TAGS) {
    const dir = path.join(lakeDir, tier.toLowerCase());
    if (!keep.includes(tier) && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
  const tables = manifest.tables.filter((t) => keep.includes(t.tier));
  writeFileSync(catalogPath, JSON.stringify({ ...manifest, tables }, null, 2) + '\n');
  writeSite(lakeDir, keep);
  console.log(`Site keeps tiers ${keep.join(', ')}: ${tables.length} of ${manifest.tables.length} tables.`);
}

function writeSite(lakeDir: string, keep: SensitivityTag[]): void {
  writeFileSync(path.join(lakeDir, 'site.json'), JSON.stringify({ tiers: keep }, null, 2) + '\n');
}
