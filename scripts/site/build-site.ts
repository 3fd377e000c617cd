/**
 * Builds the static site: `vite build`, then keeps only the lake tiers the site is allowed to ship.
 *
 *   npm run build                      every tier (for a host that protects tiers itself)
 *   npm run build -- --tiers PUBLIC    a public site: no PHI or PII file is copied at all
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseManifest, SENSITIVITY_TAGS, type SensitivityTag } from '../../src/lake/manifest.ts';

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

if (tiers) pruneTiers(path.join(outDir, 'sample-lake'), tiers);

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
  writeFileSync(path.join(lakeDir, 'site.json'), JSON.stringify({ tiers: keep }, null, 2) + '\n');
  console.log(`Site keeps tiers ${keep.join(', ')}: ${tables.length} of ${manifest.tables.length} tables.`);
}
