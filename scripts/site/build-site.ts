/**
 * Builds the static site: `vite build`, then replaces the lake the build copied with one folder per role
 * (scripts/site/role-lakes.ts): the browser of a role receives only what that role may see, already masked.
 *
 *   npm run build                         a folder for every role of the policy
 *   npm run build -- --tiers PUBLIC       only roles that read nothing but the public tier
 *   npm run build -- --users users.json   also a folder per attribute set of these users (docs/hosting.md)
 *
 * It writes `sample-lake/site.json` (tiers shipped, the folder of each role) and a metric pack per metric
 * view at `metrics/<name>.json`, computed from the full lake; packs carry aggregates only
 * (docs/metric-packs.md). The raw tiers and the masking secret never reach `dist/`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parsePolicy } from '../../src/gov/policy-schema.ts';
import { rolesForSite, type SiteConfig } from '../../src/gov/site.ts';
import { parseManifest, SENSITIVITY_TAGS, type SensitivityTag } from '../../src/lake/manifest.ts';
import { openDuck } from '../lake/duck.ts';
import { readMaskSecret } from './mask-secret.ts';
import { writeMetricPacks } from './metric-packs.ts';
import { writeRoleLakes } from './role-lakes.ts';
import { demoSessions, readUsersFile } from './users-file.ts';

const { values } = parseArgs({
  options: {
    tiers: { type: 'string' },
    users: { type: 'string' },
    outDir: { type: 'string', default: 'dist' },
  },
});

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tiers = parseTiers(values.tiers) ?? [...SENSITIVITY_TAGS];
const outDir = path.resolve(values.outDir);
const lakeDir = path.join(outDir, 'sample-lake');

const vite = spawnSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir'], { stdio: 'inherit' });
if (vite.status !== 0) process.exit(vite.status ?? 1);

try {
  await writePacks();
  await writeFolders();
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}

async function writePacks(): Promise<void> {
  const manifest = parseManifest(JSON.parse(readFileSync(path.join(lakeDir, 'catalog.json'), 'utf8')));
  const policy = parsePolicy(JSON.parse(readFileSync(path.join(lakeDir, 'policy.json'), 'utf8')));
  const packDir = path.join(outDir, 'metrics');
  const report = await writeMetricPacks(
    { conn: await openDuck(), lakeDir, projectDir, manifest, policy },
    packDir,
  );
  for (const m of report.messages)
    if (m.level === 'warning') console.warn(`Warning: ${m.text}`);
    else console.log(m.text);
  for (const r of report.refused) console.error(`No metric pack for ${r.metric}: ${r.reason}`);
  console.log(
    `Metric packs: ${report.index.metrics.length} written to ${path.relative(process.cwd(), packDir)}/.`,
  );
}

async function writeFolders(): Promise<void> {
  const manifest = parseManifest(JSON.parse(readFileSync(path.join(lakeDir, 'catalog.json'), 'utf8')));
  const policyText = readFileSync(path.join(lakeDir, 'policy.json'), 'utf8');
  const policy = parsePolicy(JSON.parse(policyText));
  const roles = rolesForSite(policy, { tiers });
  const users = values.users ? readUsersFile(path.resolve(values.users), policy) : demoSessions(policy);
  const { secret, source } = readMaskSecret(projectDir);
  const built = await writeRoleLakes(
    { conn: await openDuck(), lakeDir, manifest, policyText, policy, secret, roles, users },
    lakeDir,
  );
  // What no browser may receive: the full lake's files and catalog. Only the role folders stay.
  for (const tier of SENSITIVITY_TAGS)
    rmSync(path.join(lakeDir, tier.toLowerCase()), { recursive: true, force: true });
  rmSync(path.join(lakeDir, 'catalog.json'), { force: true });
  const site: SiteConfig = {
    tiers,
    folders: built.map(({ role, folder, attributes }) => ({
      role,
      folder,
      ...(attributes ? { attributes } : {}),
    })),
  };
  writeFileSync(path.join(lakeDir, 'site.json'), JSON.stringify(site, null, 2) + '\n');
  console.log(`Role folders (masking secret from ${source}):`);
  for (const b of built) {
    const kib = Math.round(b.bytes / 1024);
    console.log(
      `  ${b.folder.padEnd(34)} ${b.role.padEnd(12)} ${String(b.tables).padStart(3)} tables ${String(kib).padStart(7)} KiB ${Math.round(b.ms)} ms`,
    );
  }
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
