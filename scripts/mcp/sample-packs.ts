/**
 * The packs of the sample lake, for a server started without `--packs`: written with the site build's own
 * writer (so the same view of the policy's default role and the same suppression), into a temporary folder
 * that is read back through the same validation as any other folder and then removed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePolicy } from '../../src/gov/policy-schema.ts';
import { parseManifest } from '../../src/lake/manifest.ts';
import { openDuck } from '../lake/duck.ts';
import { CATALOG_FILE } from '../lake/manifest-store.ts';
import { writeMetricPacks } from '../site/metric-packs.ts';
import { loadPackFolder, type PackSet } from './pack-folder.ts';

export interface SamplePacks {
  packs: PackSet;
  /** Metrics the writer refused, with why (they get no pack). */
  refused: { metric: string; reason: string }[];
}

export async function buildSamplePacks(projectDir: string): Promise<SamplePacks> {
  const lakeDir = path.join(projectDir, 'public/sample-lake');
  const manifest = parseManifest(JSON.parse(readFileSync(path.join(lakeDir, CATALOG_FILE), 'utf8')));
  const policy = parsePolicy(JSON.parse(readFileSync(path.join(lakeDir, 'policy.json'), 'utf8')));
  const outDir = mkdtempSync(path.join(tmpdir(), 'lakebook-mcp-packs-'));
  const conn = await openDuck();
  try {
    const report = await writeMetricPacks({ conn, lakeDir, projectDir, manifest, policy }, outDir);
    return { packs: loadPackFolder(outDir), refused: report.refused };
  } finally {
    conn.closeSync();
    rmSync(outDir, { recursive: true, force: true });
  }
}
