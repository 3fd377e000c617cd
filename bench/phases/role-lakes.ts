/**
 * What the site build's per-role lake folders cost: for the sample lake, each folder's size beside the full
 * lake's, and the time to write it (median of several builds into a scratch folder, after a warm-up).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePolicy } from '../../src/gov/policy-schema.ts';
import { parseManifest } from '../../src/lake/manifest.ts';
import { openDuck } from '../../scripts/lake/duck.ts';
import { writeRoleLakes, type BuiltFolder } from '../../scripts/site/role-lakes.ts';
import { demoSessions } from '../../scripts/site/users-file.ts';
import { median } from '../report/stats.ts';
import type { RoleLakeFigures } from '../report/results.ts';

const LAKE = 'public/sample-lake';
/** Only for timing: the folders are thrown away. */
const BENCH_SECRET = 'benchmark-only-masking-secret-0123456789';

export async function measureRoleLakes(runs: number): Promise<RoleLakeFigures> {
  const policyText = readFileSync(path.join(LAKE, 'policy.json'), 'utf8');
  const policy = parsePolicy(JSON.parse(policyText));
  const manifest = parseManifest(JSON.parse(readFileSync(path.join(LAKE, 'catalog.json'), 'utf8')));
  const conn = await openDuck();
  const samples: { built: BuiltFolder[]; totalMs: number }[] = [];
  for (let i = 0; i <= runs; i++) {
    const out = mkdtempSync(path.join(tmpdir(), 'lakebook-role-bench-'));
    try {
      const started = performance.now();
      const built = await writeRoleLakes(
        {
          conn,
          lakeDir: LAKE,
          manifest,
          policyText,
          policy,
          secret: BENCH_SECRET,
          roles: Object.keys(policy.roles),
          users: demoSessions(policy),
        },
        out,
      );
      if (i > 0) samples.push({ built, totalMs: performance.now() - started });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  const first = samples[0]!.built;
  return {
    date: new Date().toISOString(),
    runs,
    lake: LAKE,
    fullLakeBytes: manifest.tables.reduce((n, t) => n + t.bytes, 0),
    totalMs: median(samples.map((s) => s.totalMs)),
    roles: first.map((b, i) => ({
      role: b.role,
      folder: b.folder,
      tables: b.tables,
      bytes: b.bytes,
      ms: median(samples.map((s) => s.built[i]!.ms)),
    })),
  };
}
