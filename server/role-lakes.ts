/**
 * The server's lakes: at start, one folder per role (and per attribute set of its users, for roles whose
 * rows depend on them) is prepared from the lake with the server's own masking secret, exactly as the site
 * build prepares them, with unchanged files hard-linked rather than copied; each is then opened as a locked
 * native DuckDB instance. A request is served by the instance of its user's folder, and by no other.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { attributesKey, sameAttributes } from '../src/gov/attributes.ts';
import { parsePolicy, type Policy } from '../src/gov/policy-schema.ts';
import type { Session } from '../src/gov/types.ts';
import { parseManifest, type Manifest } from '../src/lake/manifest.ts';
import { openDuck } from '../scripts/lake/duck.ts';
import { readMaskSecret } from '../scripts/site/mask-secret.ts';
import { rawAsParquet, writeRoleLakes, type BuiltFolder } from '../scripts/site/role-lakes.ts';
import { convertedRawFile, NativeLake, type InstanceLimits } from './native-lake.ts';

export interface LakeSource {
  lakeDir: string;
  manifest: Manifest;
  policy: Policy;
  policyText: string;
}

export function readLake(lakeDir: string): LakeSource {
  const policyText = readFileSync(path.join(lakeDir, 'policy.json'), 'utf8');
  return {
    lakeDir,
    manifest: parseManifest(JSON.parse(readFileSync(path.join(lakeDir, 'catalog.json'), 'utf8'))),
    policy: parsePolicy(JSON.parse(policyText)),
    policyText,
  };
}

export class RoleLakes {
  private constructor(
    private readonly lakes: { folder: BuiltFolder; lake: NativeLake }[],
    readonly secretSource: string,
  ) {}

  static async open(
    source: LakeSource,
    users: Session[],
    stateDir: string,
    limits: InstanceLimits,
  ): Promise<RoleLakes> {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const { secret, source: secretSource } = readMaskSecret(stateDir);
    const roles = [...new Set(users.map((u) => u.role))];
    const conn = await openDuck();
    let built: BuiltFolder[];
    try {
      built = await writeRoleLakes(
        { conn, ...source, secret, roles, users, link: true },
        path.join(stateDir, 'lakes'),
      );
    } finally {
      conn.closeSync();
    }
    const lakes = [];
    for (const folder of built) {
      const dir = path.join(stateDir, 'lakes', folder.folder);
      convertRawTables(dir);
      const session = users.find(
        (u) =>
          u.role === folder.role && (!folder.attributes || sameAttributes(folder.attributes, u.attributes)),
      );
      if (!session) continue;
      lakes.push({ folder, lake: await NativeLake.open(dir, source.policy, session, limits) });
    }
    return new RoleLakes(lakes, secretSource);
  }

  /** The lake prepared for this user's role and attributes; undefined when none was (a user added since). */
  lakeFor(session: Session): NativeLake | undefined {
    return this.lakes.find(
      ({ folder }) =>
        folder.role === session.role &&
        (!folder.attributes || attributesKey(folder.attributes) === attributesKey(session.attributes)),
    )?.lake;
  }

  get all(): NativeLake[] {
    return this.lakes.map((l) => l.lake);
  }

  close(): void {
    for (const { lake } of this.lakes) lake.close();
  }
}

/** Native DuckDB reads the raw zone's event files as the browser does: every column text, from Parquet. */
function convertRawTables(dir: string): void {
  const manifest = parseManifest(JSON.parse(readFileSync(path.join(dir, 'catalog.json'), 'utf8')));
  for (const table of manifest.tables) {
    if (table.withheld || table.files.every((f) => f.format === 'parquet')) continue;
    const file = convertedRawFile(dir, table.name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, rawAsParquet(dir, table));
  }
}
